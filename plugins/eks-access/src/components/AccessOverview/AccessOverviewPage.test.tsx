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
import { act, screen } from '@testing-library/react';
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

const proposal = {
  id: '00000000-0000-4000-8000-000000000001',
  migrationId: '00000000-0000-4000-8000-0000000000aa',
  cluster: {
    entityRef: 'resource:default/eks-payments-staging',
    arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-staging',
    name: 'payments-staging',
    accountId: '111122223333',
    region: 'us-east-1',
  },
  stage: 'entries',
  state: 'pending',
  proposer: 'user:default/alex',
  accepted: [],
  summary: 'Equivalent for all 4 principals',
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
};

function render(
  allowed: boolean,
  options: {
    proposals?: object[];
    failProposals?: boolean;
    preview?: object;
  } = {},
) {
  const calls: string[] = [];
  let proposals = options.proposals ?? [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push(init?.method === 'POST' ? `POST ${url} ${init.body}` : url);
      if (url.includes('/migration/proposals')) {
        if (options.failProposals) {
          return new Response(
            JSON.stringify({
              error: { name: 'NotAllowedError', message: 'Not allowed' },
              response: { statusCode: 403 },
            }),
            { status: 403, headers: { 'Content-Type': 'application/json' } },
          );
        }
        if (init?.method === 'POST' && url.endsWith('/approve')) {
          proposals = [
            {
              ...proposal,
              state: 'approved',
              approver: 'user:default/priya',
              allowedActions: [],
            },
          ];
          return new Response(JSON.stringify(proposals[0]), { status: 200 });
        }
        if (init?.method === 'POST') {
          proposals = [{ ...proposal, allowedActions: ['cancel'] }];
          return new Response(JSON.stringify(proposals[0]), { status: 201 });
        }
        return new Response(JSON.stringify({ items: proposals }), {
          status: 200,
        });
      }
      const body = url.includes('/migration/preview')
        ? options.preview ?? preview
        : overview;
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
    expect(
      await screen.findByText(
        'No stage has been proposed for payments-staging yet.',
      ),
    ).toBeInTheDocument();
    expect(calls).toEqual([
      'http://backend/api/eks-access/overview?',
      'http://backend/api/eks-access/migration/preview?entityRef=resource%3Adefault%2Feks-payments-staging',
      'http://backend/api/eks-access/migration/proposals?entityRef=resource%3Adefault%2Feks-payments-staging',
    ]);
  });

  it('lets an admin propose a stage from the keyboard, and another approve it', async () => {
    const { calls, rendered } = render(true);
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Preview the migration of payments-staging',
      }),
    );
    await screen.findByText(
      'No stage has been proposed for payments-staging yet.',
    );
    await userEvent.type(
      screen.getByLabelText(/^Comment/),
      'first cluster{enter}',
    );
    expect(
      await screen.findByRole('button', {
        name: 'Cancel: Create the access entries (switches to API_AND_CONFIG_MAP) on payments-staging',
      }),
    ).toBeInTheDocument();
    expect(calls).toContain(
      'POST http://backend/api/eks-access/migration/proposals {"entityRef":"resource:default/eks-payments-staging","stage":"entries","accept":[],"comment":"first cluster"}',
    );
  });

  it('shows the approver the actions the backend allows', async () => {
    const { calls, rendered } = render(true, {
      proposals: [{ ...proposal, allowedActions: ['approve', 'reject'] }],
    });
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Preview the migration of payments-staging',
      }),
    );
    const approve = await screen.findByRole('button', {
      name: 'Approve: Create the access entries (switches to API_AND_CONFIG_MAP) on payments-staging',
    });
    act(() => approve.focus());
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('user:default/priya')).toBeInTheDocument();
    expect(calls).toContain(
      'POST http://backend/api/eks-access/migration/proposals/00000000-0000-4000-8000-000000000001/approve {}',
    );
  });

  it('tells the admin when the verification window of a begun migration ends', async () => {
    const { rendered } = render(true, {
      preview: {
        ...preview,
        migrationId: 'm1',
        migration: {
          id: 'm1',
          createdAt: '2026-11-30T10:00:00.000Z',
          entriesVerifiedAt: '2026-11-30T10:05:00.000Z',
          finalNotBefore: '2026-11-30T11:05:00.000Z',
        },
      },
    });
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Preview the migration of payments-staging',
      }),
    );
    expect(
      await screen.findByText(/can be approved after 2026-11-30T11:05:00.000Z/),
    ).toBeInTheDocument();
    // a begun migration proposes its next stage: the switch to API
    expect(screen.getByLabelText('Stage')).toHaveValue('final');
  });

  it('shows an error when the proposals cannot be read', async () => {
    const { rendered } = render(true, { failProposals: true });
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Preview the migration of payments-staging',
      }),
    );
    expect(await screen.findByText(/Not allowed/)).toBeInTheDocument();
  });
});
