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

import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessOverviewPage } from './AccessOverviewPage';

const overview = {
  clusters: [
    {
      entityRef: 'resource:default/eks-payments-staging',
      name: 'payments-staging',
      accountId: '111122223333',
      region: 'us-east-1',
      mode: 'CONFIG_MAP',
      migration: {
        equivalent: true,
        summary: 'Equivalent for all 4 principals',
        blockers: 0,
      },
    },
  ],
  rows: [
    {
      entityRef: 'resource:default/eks-payments-staging',
      cluster: 'payments-staging',
      accountId: '111122223333',
      region: 'us-east-1',
      mode: 'CONFIG_MAP',
      principal: 'arn:aws:iam::111122223333:role/PlatformAdmin',
      source: 'cluster-creator',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
      accessPolicies: [],
    },
  ],
  hygiene: [
    {
      entityRef: 'resource:default/eks-payments-staging',
      cluster: 'payments-staging',
      code: 'CONFIG_MAP_MODE',
      subject: 'payments-staging',
      message: 'payments-staging still uses only aws-auth (CONFIG_MAP).',
    },
  ],
};

const preview = {
  cluster: {
    entityRef: 'resource:default/eks-payments-staging',
    name: 'payments-staging',
  },
  plan: {
    entries: [{}],
    issues: [],
    modeChanges: [{ to: 'API_AND_CONFIG_MAP' }, { to: 'API' }],
  },
  simulation: { summary: 'Equivalent for all 4 principals', differences: [] },
  forms: {
    'aws-cli': 'aws eks create-access-entry --cluster-name payments-staging',
    eksctl: 'eksctl create accessentry',
    terraform: 'resource "aws_eks_access_entry" "x" {}',
  },
};

function render(allowed: boolean) {
  const calls: string[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL) => {
      const url = String(input);
      calls.push(url);
      const body = url.includes('/migration/preview') ? preview : overview;
      return new Response(JSON.stringify(body), { status: 200 });
    },
  };
  return {
    calls,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [
            permissionApiRef,
            mockApis.permission({
              authorize: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            }),
          ],
          [fetchApiRef, fetchApi],
          [
            discoveryApiRef,
            { getBaseUrl: async () => 'http://backend/api/eks-access' },
          ],
        ]}
      >
        <AccessOverviewPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    ),
  };
}

describe('AccessOverviewPage', () => {
  it('shows who can get in, the hygiene findings and a migration preview', async () => {
    const { calls, rendered } = render(true);
    await rendered;
    expect(
      await screen.findByText('Equivalent for all 4 principals', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('kubernetes-admin')).toBeInTheDocument();
    expect(screen.getByText('CONFIG_MAP_MODE')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Preview the migration of payments-staging',
      }),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'Migration preview: payments-staging',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'aws eks create-access-entry --cluster-name payments-staging',
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(calls).toEqual([
      'http://backend/api/eks-access/overview?',
      'http://backend/api/eks-access/migration/preview?entityRef=resource%3Adefault%2Feks-payments-staging',
    ]);
  });
});
