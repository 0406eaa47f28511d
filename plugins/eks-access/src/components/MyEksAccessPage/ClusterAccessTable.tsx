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

import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterAccessStatus,
  ClusterAccessSummary,
} from '@eks-access/plugin-eks-access-common';
import { AccessStatus } from '../AccessStatus';
import {
  authenticationModeLabels,
  findingTitle,
  statusLabels,
  viaLabels,
} from '../accessLabels';
import { BreakableIdentifier } from '../BreakableIdentifier';

/** Best news first, so that sorting by status puts reachable clusters on top. */
const statusOrder: Record<ClusterAccessStatus, number> = {
  allowed: 0,
  forbidden: 1,
  unknown: 2,
  denied: 3,
  'no-identities': 4,
  error: 5,
};

const compareText = (a?: string, b?: string) =>
  (a ?? '').localeCompare(b ?? '', undefined, { sensitivity: 'base' });

const columns: TableColumn<ClusterAccessSummary>[] = [
  {
    title: 'Status',
    field: 'status',
    render: row => (
      <>
        <span title={row.error}>
          <AccessStatus status={row.status} />
        </span>
        {row.rootCause && row.status !== 'allowed' && (
          <Typography variant="body2" component="div">
            {findingTitle({ code: row.rootCause })}
          </Typography>
        )}
      </>
    ),
    customSort: (a, b) =>
      statusOrder[a.status] - statusOrder[b.status] ||
      compareText(a.name, b.name),
  },
  {
    title: 'Cluster',
    field: 'name',
    highlight: true,
    customSort: (a, b) => compareText(a.name, b.name),
    render: row => (
      <>
        <EntityRefLink entityRef={row.entityRef} hideIcon>
          {row.name}
        </EntityRefLink>
        {row.title && row.title !== row.name && (
          <Typography variant="caption" component="div" color="textSecondary">
            {row.title}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Account',
    field: 'accountId',
    // A 12-digit account ID is read as one number: never broken.
    cellStyle: { whiteSpace: 'nowrap' },
  },
  { title: 'Region', field: 'region' },
  {
    title: 'Authentication mode',
    field: 'authenticationMode',
    render: row =>
      row.authenticationMode
        ? authenticationModeLabels[row.authenticationMode]
        : '—',
  },
  {
    title: 'Via',
    field: 'via',
    render: row => (row.via ? viaLabels[row.via] : '—'),
  },
  {
    title: 'Kubernetes username',
    field: 'username',
    render: row =>
      row.username ? <BreakableIdentifier text={row.username} /> : '—',
  },
  {
    title: 'Action',
    field: 'entityRef',
    sorting: false,
    render: row =>
      row.status === 'denied' || row.status === 'forbidden' ? (
        // The cluster's page holds the card with the request dialog.
        <EntityRefLink entityRef={row.entityRef} hideIcon>
          Request access{' '}
          <span className="MuiTypography-srOnly">to {row.name}</span>
        </EntityRefLink>
      ) : null,
  },
];

/** Words a search box query is matched against, for one row. */
export function searchableText(row: ClusterAccessSummary): string {
  return [
    row.name,
    row.title,
    row.entityRef,
    row.accountId,
    row.region,
    statusLabels[row.status],
    row.authenticationMode,
    row.authenticationMode && authenticationModeLabels[row.authenticationMode],
    row.via,
    row.via && viaLabels[row.via],
    row.username,
    row.identityArn,
    row.rootCause && findingTitle({ code: row.rootCause }),
  ]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase();
}

/** The table of "My EKS access". Filtering happens before rows arrive here. */
export function ClusterAccessTable(props: {
  rows: ClusterAccessSummary[];
  title: string;
  loading: boolean;
}) {
  const { rows, title, loading } = props;
  return (
    <Table<ClusterAccessSummary>
      title={title}
      columns={columns}
      data={rows}
      isLoading={loading && rows.length === 0}
      options={{
        search: false,
        paging: rows.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 100, 200],
        padding: 'dense',
        draggable: false,
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          {loading ? 'Loading clusters…' : 'No clusters match these filters.'}
        </Typography>
      }
    />
  );
}
