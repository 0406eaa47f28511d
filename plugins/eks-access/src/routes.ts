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

import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The route of the "My EKS access" page.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'eks-access' });

/**
 * The route of the "Access requests" page (pending inbox, active grants,
 * history).
 *
 * @public
 */
export const requestsRouteRef = createRouteRef({ id: 'eks-access-requests' });

/**
 * The admin "Access overview" page (every principal that can get in,
 * hygiene findings, migration previews).
 *
 * @public
 */
export const overviewRouteRef = createRouteRef({ id: 'eks-access-overview' });
