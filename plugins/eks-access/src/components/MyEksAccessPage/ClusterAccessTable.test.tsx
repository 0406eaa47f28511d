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

import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { summary } from '../../testing/accessReportFixtures';
import { ClusterAccessTable } from './ClusterAccessTable';
import { ClusterFilters } from './ClusterFilters';

describe('ClusterAccessTable', () => {
  const rows = [
    summary({
      name: 'payments-staging',
      entityRef: 'resource:default/eks-payments-staging',
      status: 'denied',
      rootCause: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
    }),
    summary({
      name: 'docs-site',
      status: 'allowed',
      via: 'aws-auth-role',
      username: 'arn:aws:sts::111122223333:assumed-role/Dev/{{SessionName}}',
    }),
  ];

  async function renderTable() {
    return renderInTestApp(
      <ClusterAccessTable rows={rows} title="Clusters (2)" loading={false} />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
  }

  it('shows a denied row’s root cause and a Request access action', async () => {
    await renderTable();
    const denied = screen.getByRole('row', { name: /payments-staging/ });
    expect(
      within(denied).getByText('aws-auth names the role with its path'),
    ).toBeInTheDocument();
    const action = within(denied).getByRole('link', {
      name: 'Request access to payments-staging',
    });
    expect(action).toHaveAttribute(
      'href',
      '/catalog/default/resource/eks-payments-staging',
    );
    const allowed = screen.getByRole('row', { name: /docs-site/ });
    expect(
      within(allowed).queryByRole('link', { name: /Request access/ }),
    ).toBeNull();
  });

  it('keeps account IDs on one line and lets usernames wrap at / and : only', async () => {
    await renderTable();
    const account = screen.getAllByRole('cell', { name: '111122223333' })[0];
    expect(account).toHaveStyle({ whiteSpace: 'nowrap' });
    const username = screen.getByText(
      'arn:aws:sts::111122223333:assumed-role/Dev/{{SessionName}}',
    );
    expect(username.querySelectorAll('wbr').length).toBeGreaterThan(0);
  });
});

describe('ClusterFilters', () => {
  // Their colour contrast on the page's grey is checked by axe in the
  // browser tests (jsdom does not cascade by specificity).
  it('names every filter', async () => {
    await renderInTestApp(
      <ClusterFilters
        values={{ status: '', accountId: '', region: '', search: '' }}
        statuses={['allowed', 'denied']}
        accountIds={['111122223333']}
        regions={['us-east-1']}
        onChange={() => {}}
      />,
    );
    const search = screen.getByRole('search', { name: 'Filter clusters' });
    expect(
      within(search).getByRole('searchbox', { name: 'Search clusters' }),
    ).toBeInTheDocument();
    for (const name of ['Status', 'Account', 'Region']) {
      expect(
        within(search).getByRole('combobox', { name }),
      ).toBeInTheDocument();
    }
  });
});
