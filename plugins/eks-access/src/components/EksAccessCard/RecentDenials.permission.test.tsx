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

// usePermission caches decisions per permission for the whole test file,
// so the non-admin case has a file of its own.
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
  MockEksAccessApi,
  mockEksAccessApi,
} from '../../testing/accessReportFixtures';
import { RecentDenials } from './RecentDenials';

const ENTITY = 'resource:default/eks-payments-staging';

async function renderSection(
  api: MockEksAccessApi,
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [eksAccessApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: permission })],
      ]}
    >
      <RecentDenials entityRef={ENTITY} />
    </TestApiProvider>,
  );
}

describe('RecentDenials for a non-admin', () => {
  it('renders nothing and asks nothing', async () => {
    const api = mockEksAccessApi();
    await renderSection(api, AuthorizeResult.DENY);
    expect(
      screen.queryByText('Recent denials on this cluster'),
    ).not.toBeInTheDocument();
    expect(api.getDenials).not.toHaveBeenCalled();
  });
});
