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
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ClusterAccessSummary } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';
import {
  controlledStream,
  fullStream,
  MockEksAccessApi,
  mockEksAccessApi,
  responseError,
  summary,
} from '../../testing/accessReportFixtures';
import { MyEksAccessPage } from './MyEksAccessPage';

/** The clusters in the page's order, as the backend indexes them. */
const clusters: ClusterAccessSummary[] = [
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
];

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

function announcement() {
  return screen.getByRole('status');
}

describe('MyEksAccessPage', () => {
  let api: MockEksAccessApi;

  beforeEach(() => {
    api = mockEksAccessApi();
  });

  it('shows rows as they arrive, whatever their order, with the progress', async () => {
    const stream = controlledStream(api);
    await renderPage(api);
    expect(screen.getAllByText('Loading clusters…').length).toBeGreaterThan(0);

    await act(async () => {
      stream.total(4);
      stream.row(3, clusters[3]);
      stream.row(1, clusters[1]);
    });
    // The table renders its rows again as the progress changes: found, then
    // read afresh.
    await screen.findByText('reporting');
    expect(clusterNames()).toEqual(['payments-staging', 'reporting']);
    expect(screen.getByText('Checked 2 of 4 clusters…')).toBeInTheDocument();
    expect(announcement()).toHaveTextContent('Checked 2 of 4 clusters');
    expect(screen.getByText('Clusters (2)')).toBeInTheDocument();

    await act(async () => {
      stream.row(0, clusters[0]);
      stream.row(2, clusters[2]);
      stream.end();
    });
    await screen.findByText('payments-prod');
    // in their places, not in the order they arrived
    expect(clusterNames()).toEqual([
      'payments-prod',
      'payments-staging',
      'Data-Lake_01',
      'reporting',
    ]);
    expect(screen.getByText('Clusters (4)')).toBeInTheDocument();
    expect(screen.queryByText(/Checked \d+ of 4 clusters…/)).toBeNull();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(announcement()).toHaveTextContent('Checked all 4 clusters');
    expect(api.streamClusters).toHaveBeenCalledTimes(1);
    expect(api.listClusters).not.toHaveBeenCalled();
  });

  it('announces progress on each tenth of the clusters, not on every row', async () => {
    const stream = controlledStream(api);
    await renderPage(api);
    const many = Array.from({ length: 40 }, (_, i) =>
      summary({ name: `cluster-${String(i).padStart(2, '0')}` }),
    );

    await act(async () => {
      stream.total(40);
      [0, 1, 2].forEach(i => stream.row(i, many[i]));
    });
    expect(
      await screen.findByText('Checked 3 of 40 clusters…'),
    ).toBeInTheDocument();
    expect(announcement()).toHaveTextContent('Checked 0 of 40 clusters');

    await act(async () => stream.row(3, many[3]));
    expect(
      await screen.findByText('Checked 4 of 40 clusters…'),
    ).toBeInTheDocument();
    expect(announcement()).toHaveTextContent('Checked 4 of 40 clusters');
  });

  it('shows what was loaded at once when the user comes back, without asking again', async () => {
    api.streamClusters.mockImplementation(fullStream(clusters));
    const first = await renderPage(api);
    expect(await screen.findByText('reporting')).toBeInTheDocument();
    first.unmount();

    await renderPage(api);
    expect(screen.getByText('reporting')).toBeInTheDocument();
    expect(screen.getByText('Clusters (4)')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(api.streamClusters).toHaveBeenCalledTimes(1);
  });

  it('stops the stream on leaving, drops what arrives later, and on coming back shows the rows and loads again', async () => {
    const first = controlledStream(api);
    const page = await renderPage(api);
    await act(async () => {
      first.total(4);
      first.row(0, clusters[0]);
    });
    await screen.findByText('payments-prod');

    page.unmount();
    expect(first.options().signal?.aborted).toBe(true);
    first.row(1, clusters[1]);

    const second = controlledStream(api);
    await renderPage(api);
    expect(screen.getByText('payments-prod')).toBeInTheDocument();
    expect(screen.queryByText('payments-staging')).toBeNull();
    // shown, but not yet checked again by this visit's load
    expect(screen.getByText('Checked 0 of 4 clusters…')).toBeInTheDocument();
    expect(api.streamClusters).toHaveBeenCalledTimes(2);

    await act(async () => {
      second.total(4);
      clusters.forEach((cluster, i) => second.row(i, cluster));
      second.end();
    });
    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
  });

  it('keeps the rows shown, says what failed, and on Retry replaces them with fresh ones', async () => {
    const first = controlledStream(api);
    await renderPage(api);
    await act(async () => {
      first.total(4);
      first.row(0, clusters[0]);
      first.row(1, clusters[1]);
      first.fail(
        await responseError(500, 'Internal Server Error', {
          name: 'Error',
          message: 'catalog unavailable',
        }),
      );
    });

    expect(
      await screen.findByText(
        /Could not load your clusters: catalog unavailable/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('payments-prod')).toBeInTheDocument();
    expect(screen.getByText('payments-staging')).toBeInTheDocument();
    expect(announcement()).toHaveTextContent(
      'Could not check every cluster: checked 2 of 4',
    );

    const second = controlledStream(api);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      screen.queryByText(/Could not load your clusters/),
    ).not.toBeInTheDocument();
    // kept while the new stream has not re-sent them
    expect(screen.getByText('payments-prod')).toBeInTheDocument();
    expect(screen.getByText('Checked 0 of 4 clusters…')).toBeInTheDocument();

    const prodNowDenied = { ...clusters[0], status: 'denied' as const };
    await act(async () => {
      second.total(4);
      second.row(0, prodNowDenied);
      second.row(3, clusters[3]);
      second.row(2, clusters[2]);
      second.row(1, clusters[1]);
      second.end();
    });
    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
    const prodRow = screen
      .getByRole('link', { name: 'payments-prod' })
      .closest('tr')!;
    expect(within(prodRow).getByText('Denied')).toBeInTheDocument();
    expect(api.streamClusters).toHaveBeenCalledTimes(2);
  });

  it('says so when there are no clusters', async () => {
    api.streamClusters.mockImplementation(fullStream([]));
    await renderPage(api);
    expect(
      await screen.findByText('No clusters match these filters.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Clusters (0)')).toBeInTheDocument();
  });

  it('links each cluster to its entity page and shows status, account, region, mode, via and username', async () => {
    api.streamClusters.mockImplementation(fullStream(clusters));
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
    api.streamClusters.mockImplementation(fullStream(clusters));
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
    api.streamClusters.mockImplementation(fullStream(clusters));
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

  it('shows rows in the order the backend gives (likely clusters first) until a header sorts them', async () => {
    api.streamClusters.mockImplementation(fullStream(clusters));
    await renderPage(api);
    await screen.findByText('reporting');

    expect(clusterNames()).toEqual([
      'payments-prod',
      'payments-staging',
      'Data-Lake_01',
      'reporting',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Cluster' }));
    expect(clusterNames()).toEqual([
      'Data-Lake_01',
      'payments-prod',
      'payments-staging',
      'reporting',
    ]);
  });

  it('sorts by status when the Status header is activated', async () => {
    api.streamClusters.mockImplementation(fullStream(clusters));
    await renderPage(api);
    await screen.findByText('reporting');

    await userEvent.click(screen.getByRole('button', { name: 'Status' }));
    expect(clusterNames()).toEqual([
      'payments-prod',
      'reporting',
      'Data-Lake_01',
      'payments-staging',
    ]);
  });
});
