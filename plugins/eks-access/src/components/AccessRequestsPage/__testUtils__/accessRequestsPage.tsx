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

/*
 * Requests and a renderer for the tests of the "Access requests" page. Only
 * tests import this file.
 */

import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { eksAccessApiRef } from '../../../api';
import { AccessRequestsContent } from '../AccessRequestsPage';
import {
  accessRequest,
  MockEksAccessApi,
} from '../../../testing/accessReportFixtures';

export const pendingForDana = accessRequest({
  id: 'r1',
  ticketUrl: 'https://jira.example.com/OPS-12',
  allowedActions: ['approve', 'reject'],
});

export const ownPending = accessRequest({
  id: 'r2',
  requester: 'user:default/alex',
  cluster: {
    ...pendingForDana.cluster,
    name: 'reporting',
    entityRef: 'resource:default/reporting',
  },
  allowedActions: ['cancel'],
});

export const activeForSam = accessRequest({
  id: 'r3',
  requester: 'user:default/sam',
  state: 'active',
  level: 'edit',
  scope: { type: 'namespace', namespaces: ['ml-jobs'] },
  activatedAt: '2026-03-02T10:00:00.000Z',
  expiresAt: '2026-03-02T14:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  approvals: [
    { approver: 'user:default/alex', at: '2026-03-02T09:59:00.000Z' },
  ],
  allowedActions: ['revoke'],
});

export async function renderPage(
  api: MockEksAccessApi,
  admin: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [eksAccessApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: admin })],
      ]}
    >
      <AccessRequestsContent />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
