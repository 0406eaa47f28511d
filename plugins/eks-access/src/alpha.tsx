/*
 * Copyright 2026 The EKS Access for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * The EKS Access plugin for the new frontend system.
 *
 * @packageDocumentation
 */

import { Content } from '@backstage/core-components';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import HowToRegIcon from '@material-ui/icons/HowToReg';
import VisibilityIcon from '@material-ui/icons/Visibility';
import { mayBeEksClusterEntity } from '@eks-access/plugin-eks-access-common';
import { EksAccessClient, eksAccessApiRef } from './api';
import { overviewRouteRef, requestsRouteRef, rootRouteRef } from './routes';

/**
 * The API extension that provides `EksAccessClient`.
 *
 * @alpha
 */
export const eksAccessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: eksAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EksAccessClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The EKS access card, shown on the entity page of EKS cluster entities,
 * and of Kubernetes cluster entities that the Kubernetes plugin's config
 * may declare as EKS (the card hides itself on the others).
 * Its extension ID is `entity-card:eks-access/access`.
 *
 * @alpha
 */
export const eksAccessEntityCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    filter: mayBeEksClusterEntity,
    loader: () =>
      import('./components/EksAccessCard').then(m =>
        compatWrapper(<m.EksAccessCard />),
      ),
  },
});

const routes = convertLegacyRouteRefs({
  root: rootRouteRef,
  requests: requestsRouteRef,
  overview: overviewRouteRef,
});

/**
 * The "My EKS access" page at `/eks-access`, with its nav item.
 *
 * @alpha
 */
export const eksAccessPage = PageBlueprint.make({
  params: {
    path: '/eks-access',
    title: 'My EKS access',
    icon: <CloudIcon />,
    routeRef: routes.root,
    loader: () =>
      import('./components/MyEksAccessPage').then(m =>
        compatWrapper(
          // The app frame gives the page its header; the content is the
          // page's main landmark.
          <main>
            <Content>
              <m.MyEksAccessContent />
            </Content>
          </main>,
        ),
      ),
  },
});

/**
 * "Access requests" at `/eks-access/requests`, with its nav item: the
 * pending inbox for approvers; active grants and history for admins.
 *
 * @alpha
 */
export const eksAccessRequestsPage = PageBlueprint.make({
  name: 'requests',
  params: {
    path: '/eks-access/requests',
    title: 'Access requests',
    icon: <HowToRegIcon />,
    routeRef: routes.requests,
    loader: () =>
      import('./components/AccessRequestsPage').then(m =>
        compatWrapper(
          // The app frame gives the page its header; the content is the
          // page's main landmark.
          <main>
            <Content>
              <m.AccessRequestsContent />
            </Content>
          </main>,
        ),
      ),
  },
});

/**
 * The admin "Access overview" at `/eks-access/overview`, with its nav item.
 *
 * @alpha
 */
export const eksAccessOverviewPage = PageBlueprint.make({
  name: 'overview',
  params: {
    path: '/eks-access/overview',
    title: 'Access overview',
    icon: <VisibilityIcon />,
    routeRef: routes.overview,
    loader: () =>
      import('./components/AccessOverview').then(m =>
        compatWrapper(
          <main>
            <Content>
              <m.AccessOverviewContent />
            </Content>
          </main>,
        ),
      ),
  },
});

/**
 * The EKS Access plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'eks-access',
  title: 'My EKS access',
  icon: <CloudIcon />,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    eksAccessApi,
    eksAccessEntityCard,
    eksAccessPage,
    eksAccessRequestsPage,
    eksAccessOverviewPage,
  ],
  routes,
});
