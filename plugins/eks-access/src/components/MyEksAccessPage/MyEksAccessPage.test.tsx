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
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ClusterAccessSummaryPage } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import {
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
  summary,
} from '../../testing/accessReportFixtures';
import { MyEksAccessPage } from './MyEksAccessPage';

const firstPage: ClusterAccessSummaryPage = {
  items: [
    summary({
      name: 'payments-prod',
      status: 'allowed',
      authenticationMode: 'API_AND_CONFIG_MAP',
      via: 'access-entry',
      username: 'dana-sso',
      findingCount: 1,
    }),
    summary({
      name: 'payments-staging',
      entityRef: 'resource:default/eks-payments-staging',
      title: '111122223333:us-east-1:payments-staging',
      authenticationMode: 'CONFIG_MAP',
      status: 'denied',
    }),
  ],
  totalCount: 4,
  nextOffset: 2,
};

const secondPage: ClusterAccessSummaryPage = {
  items: [
    summary({
      name: 'Data-Lake_01',
      entityRef: 'resource:default/data-lake_01',
      accountId: '444455556666',
      region: 'eu-west-1',
      status: 'denied',
    }),
    summary({
      name: 'reporting',
      accountId: '444455556666',
      region: 'eu-west-1',
      authenticationMode: 'API_AND_CONFIG_MAP',
      status: 'allowed',
      via: 'aws-auth-user',
      username: 'dana',
    }),
  ],
  totalCount: 4,
};

async function renderPage(api: MockEksAccessApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[eksAccessApiRef, api]]}>
      <MyEksAccessPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function clusterNames() {
  // The cluster column's link text, row by row, in display order.
  return Array.from(
    document.querySelectorAll('tbody tr td:nth-child(2) a'),
  ).map(link => link.textContent ?? '');
}

describe('MyEksAccessPage', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
  });

  it('loads every page of clusters and renders them as they arrive', async () => {
    let releaseSecondPage: (page: ClusterAccessSummaryPage) => void = () => {};
    api.listClusters.mockResolvedValueOnce(firstPage).mockReturnValueOnce(
      new Promise(resolve => {
        releaseSecondPage = resolve;
      }),
    );
    await renderPage(api);

    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Loaded 2 of 4 clusters',
    );
    expect(screen.queryByText('reporting')).not.toBeInTheDocument();

    releaseSecondPage(secondPage);
    expect(await screen.findByText('reporting')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
    expect(api.listClusters).toHaveBeenNthCalledWith(1, {
      offset: 0,
      limit: 20,
    });
    expect(api.listClusters).toHaveBeenNthCalledWith(2, {
      offset: 2,
      limit: 50,
    });
    expect(screen.getByText('Clusters (4)')).toBeInTheDocument();
  });

  it('shows what was loaded at once when the user comes back, without asking again', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockResolvedValueOnce(secondPage);
    const first = await renderPage(api);
    expect(await screen.findByText('reporting')).toBeInTheDocument();
    first.unmount();

    await renderPage(api);
    expect(screen.getByText('reporting')).toBeInTheDocument();
    expect(screen.getByText('Clusters (4)')).toBeInTheDocument();
    expect(api.listClusters).toHaveBeenCalledTimes(2);
  });

  it('links each cluster to its entity page and shows status, account, region, mode, via and username', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockResolvedValueOnce(secondPage);
    await renderPage(api);

    const staging = await screen.findByRole('link', {
      name: 'payments-staging',
    });
    expect(staging).toHaveAttribute(
      'href',
      '/catalog/default/resource/eks-payments-staging',
    );
    expect(screen.getByRole('link', { name: 'Data-Lake_01' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/data-lake_01',
    );

    const prodRow = screen
      .getByRole('link', { name: 'payments-prod' })
      .closest('tr')!;
    expect(within(prodRow).getByText('Allowed')).toBeInTheDocument();
    expect(within(prodRow).getByText('111122223333')).toBeInTheDocument();
    expect(within(prodRow).getByText('us-east-1')).toBeInTheDocument();
    expect(
      within(prodRow).getByText('EKS API and ConfigMap'),
    ).toBeInTheDocument();
    expect(within(prodRow).getByText('access entry')).toBeInTheDocument();
    expect(within(prodRow).getByText('dana-sso')).toBeInTheDocument();
    expect(
      screen.getByText('111122223333:us-east-1:payments-staging'),
    ).toBeInTheDocument();
  });

  it('filters by status, account and region', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockResolvedValueOnce(secondPage);
    await renderPage(api);
    await screen.findByText('reporting');

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Status' }),
      'allowed',
    );
    expect(clusterNames().sort()).toEqual(['payments-prod', 'reporting']);
    expect(screen.getByText('Clusters (2 of 4)')).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Account' }),
      '444455556666',
    );
    expect(clusterNames()).toEqual(['reporting']);

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Status' }),
      '',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Region' }),
      'eu-west-1',
    );
    expect(clusterNames().sort()).toEqual(['Data-Lake_01', 'reporting']);
  });

  it('searches across names, titles and usernames', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockResolvedValueOnce(secondPage);
    await renderPage(api);
    await screen.findByText('reporting');

    const search = screen.getByRole('searchbox', { name: 'Search clusters' });
    await userEvent.type(search, 'PAYMENTS');
    expect(clusterNames().sort()).toEqual([
      'payments-prod',
      'payments-staging',
    ]);

    await userEvent.clear(search);
    await userEvent.type(search, 'dana-sso');
    expect(clusterNames()).toEqual(['payments-prod']);

    await userEvent.clear(search);
    await userEvent.type(search, 'nothing-matches-this');
    expect(
      screen.getByText('No clusters match these filters.'),
    ).toBeInTheDocument();
  });

  it('sorts by status when the Status header is activated', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockResolvedValueOnce(secondPage);
    await renderPage(api);
    await screen.findByText('reporting');

    expect(clusterNames()).toEqual([
      'Data-Lake_01',
      'payments-prod',
      'payments-staging',
      'reporting',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Status' }));
    expect(clusterNames()).toEqual([
      'payments-prod',
      'reporting',
      'Data-Lake_01',
      'payments-staging',
    ]);
  });

  it('keeps what loaded, shows the error and continues on retry', async () => {
    api.listClusters
      .mockResolvedValueOnce(firstPage)
      .mockRejectedValueOnce(
        await responseError(500, 'Internal Server Error', {
          name: 'Error',
          message: 'catalog unavailable',
        }),
      )
      .mockResolvedValueOnce(secondPage);
    await renderPage(api);

    expect(
      await screen.findByText(
        /Could not load your clusters: catalog unavailable/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('payments-prod')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('reporting')).toBeInTheDocument();
    expect(api.listClusters).toHaveBeenLastCalledWith({ offset: 2, limit: 50 });
    expect(
      screen.queryByText(/Could not load your clusters/),
    ).not.toBeInTheDocument();
  });
});
