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

import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { EksAccessClient, eksAccessApiRef } from './api';
import type { EksAccessCardProps } from './components/EksAccessCard';
import { overviewRouteRef, requestsRouteRef, rootRouteRef } from './routes';

/**
 * The EKS Access frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const eksAccessPlugin = createPlugin({
  id: 'eks-access',
  apis: [
    createApiFactory({
      api: eksAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EksAccessClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    requests: requestsRouteRef,
    overview: overviewRouteRef,
  },
});

/**
 * The EKS access card for the entity page of an EKS cluster entity. Show it
 * where `mayBeEksClusterEntity` holds (it hides itself on a Kubernetes
 * cluster that turns out not to be EKS), or only where `isEksClusterEntity`
 * holds if no cluster is declared only in `kubernetes.clusterLocatorMethods`.
 *
 * @public
 */
export const EntityEksAccessCard: (
  props: EksAccessCardProps,
) => JSX.Element | null = eksAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityEksAccessCard',
    component: {
      lazy: () =>
        import('./components/EksAccessCard').then(m => m.EksAccessCard),
    },
  }),
);

/**
 * The "My EKS access" page: every EKS cluster and the signed-in user's status.
 *
 * @public
 */
export const EksAccessPage: () => JSX.Element | null = eksAccessPlugin.provide(
  createRoutableExtension({
    name: 'EksAccessPage',
    component: () =>
      import('./components/MyEksAccessPage').then(m => m.MyEksAccessPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Access requests" page: the pending inbox with approve and reject for
 * approvers, and for EKS access admins the active grants with revoke and the
 * history with each request's event trail.
 *
 * @public
 */
export const EksAccessRequestsPage: () => JSX.Element | null =
  eksAccessPlugin.provide(
    createRoutableExtension({
      name: 'EksAccessRequestsPage',
      component: () =>
        import('./components/AccessRequestsPage').then(
          m => m.AccessRequestsPage,
        ),
      mountPoint: requestsRouteRef,
    }),
  );

/**
 * The admin "Access overview" page: every principal that can get into each
 * cluster, hygiene findings, exports and migration previews.
 *
 * @public
 */
export const EksAccessOverviewPage: () => JSX.Element | null =
  eksAccessPlugin.provide(
    createRoutableExtension({
      name: 'EksAccessOverviewPage',
      component: () =>
        import('./components/AccessOverview').then(m => m.AccessOverviewPage),
      mountPoint: overviewRouteRef,
    }),
  );
