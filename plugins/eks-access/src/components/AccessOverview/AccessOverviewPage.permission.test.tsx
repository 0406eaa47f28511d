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

/* usePermission caches decisions per permission for a whole test file: the denied case lives here. */

import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { AccessOverviewPage } from './AccessOverviewPage';

describe('AccessOverviewPage without the permission', () => {
  it('tells non-admins the page is not for them, without reading anything', async () => {
    const calls: string[] = [];
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
          [
            fetchApiRef,
            {
              fetch: async (input: RequestInfo | URL) => {
                const url = String(input);
                calls.push(url);
                return new Response('{}');
              },
            },
          ],
          [discoveryApiRef, { getBaseUrl: async () => 'http://backend' }],
        ]}
      >
        <AccessOverviewPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/for EKS access administrators/),
    ).toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
