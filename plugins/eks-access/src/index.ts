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
 * EKS Access for Backstage: an entity card and a page that tell each
 * developer whether they can reach each EKS cluster, why not, and how to get
 * in. This entry serves the legacy frontend system; the new frontend system's
 * plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */

export {
  eksAccessPlugin,
  EntityEksAccessCard,
  EksAccessPage,
  EksAccessRequestsPage,
  EksAccessOverviewPage,
} from './plugin';
export { overviewRouteRef, requestsRouteRef, rootRouteRef } from './routes';
export { eksAccessApiRef, EksAccessClient } from './api';
export type { AccessRequestAction, EksAccessApi } from './api';
export type { EksAccessCardProps } from './components/EksAccessCard';
export {
  isEksClusterEntity,
  mayBeEksClusterEntity,
} from '@eks-access/plugin-eks-access-common';
