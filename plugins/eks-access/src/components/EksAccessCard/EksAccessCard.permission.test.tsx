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
 * The card without eks-access.request.create (nor eks-access.attempts.read). In its own file because
 * usePermission caches decisions per permission for the whole test file.
 */

import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { eksAccessApiRef } from '../../api';
import {
  accessRequest,
  deniedReport,
  mockEksAccessApi,
} from '../../testing/accessReportFixtures';
import { EksAccessCard } from './EksAccessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'payments-staging', namespace: 'default' },
  spec: { type: 'kubernetes-cluster' },
};

describe('EksAccessCard without the permissions to request access and read attempts', () => {
  it('hides the request button but still lists earlier requests', async () => {
    const api = mockEksAccessApi();
    api.getAccess.mockResolvedValue(deniedReport());
    api.listAccessRequests.mockResolvedValue({
      items: [accessRequest({ state: 'expired', allowedActions: [] })],
    });
    const permissionApi = mockApis.permission({
      authorize: AuthorizeResult.DENY,
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [eksAccessApiRef, api],
          [permissionApiRef, permissionApi],
        ]}
      >
        <EntityProvider entity={entity}>
          <EksAccessCard />
        </EntityProvider>
      </TestApiProvider>,
    );

    await screen.findByText('You cannot reach this cluster');
    expect(
      await screen.findByRole('list', { name: 'My requests for this cluster' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Request (more )?access/ }),
    ).not.toBeInTheDocument();
    // Nor, without eks-access.attempts.read, the recent attempts.
    expect(
      screen.queryByRole('heading', { name: 'Recent attempts' }),
    ).not.toBeInTheDocument();
    expect(api.getAttempts).not.toHaveBeenCalled();
  });
});
