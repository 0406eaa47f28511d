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

import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterAccessStatus } from '@eks-access/plugin-eks-access-common';
import { errorExplanation } from '../accessLabels';
import { StatusAnnouncement } from '../StatusAnnouncement';
import { ClusterAccessTable, searchableText } from './ClusterAccessTable';
import { ClusterFilters, ClusterFilterValues } from './ClusterFilters';
import { useClusterSummaries } from './useClusterSummaries';

const useStyles = makeStyles(theme => ({
  progress: { marginBottom: theme.spacing(2) },
  error: { marginBottom: theme.spacing(2) },
}));

const statusOrder: ClusterAccessStatus[] = [
  'allowed',
  'forbidden',
  'unknown',
  'denied',
  'no-identities',
  'error',
];

const distinctSorted = (values: string[]) =>
  [...new Set(values)].sort((a, b) => a.localeCompare(b));

/**
 * What screen readers hear of the loading: rows arrive many times a second,
 * so progress is told on each tenth of the clusters and at the end, not on
 * every row the caption counts.
 */
function useLoadingAnnouncement(state: {
  loaded: number;
  totalCount?: number;
  loading: boolean;
  error?: Error;
}): string | undefined {
  const { loaded, totalCount, loading, error } = state;
  const [announcement, setAnnouncement] = useState<string>();
  const announced = useRef<string>();
  useEffect(() => {
    let stage: string;
    let message: string | undefined;
    if (error) {
      stage = 'error';
      message =
        totalCount !== undefined
          ? `Could not check every cluster: checked ${loaded} of ${totalCount}`
          : 'Could not load your clusters';
    } else if (!loading) {
      stage = 'done';
      message =
        loaded === 0
          ? 'There are no clusters'
          : `Checked all ${loaded} clusters`;
    } else if (totalCount === undefined || totalCount === 0) {
      stage = 'started';
      message = undefined;
    } else {
      // all rows in but not yet done: said once, by "Checked all"
      stage = `tenth ${Math.min(9, Math.floor((loaded * 10) / totalCount))}`;
      message = `Checked ${loaded} of ${totalCount} clusters`;
    }
    if (stage !== announced.current) {
      announced.current = stage;
      setAnnouncement(message);
    }
  }, [loaded, totalCount, loading, error]);
  return announcement;
}

/**
 * The body of "My EKS access": filters and the table of every EKS cluster
 * with the signed-in user's status, filled in as each cluster is checked.
 */
export function MyEksAccessContent() {
  const classes = useStyles();
  const { items, totalCount, checkedCount, loading, error, retry } =
    useClusterSummaries();
  const [filters, setFilters] = useState<ClusterFilterValues>({
    status: '',
    accountId: '',
    region: '',
    search: '',
  });

  const statuses = useMemo(
    () => statusOrder.filter(status => items.some(i => i.status === status)),
    [items],
  );
  const accountIds = useMemo(
    () => distinctSorted(items.map(i => i.accountId)),
    [items],
  );
  const regions = useMemo(
    () => distinctSorted(items.map(i => i.region)),
    [items],
  );

  const rows = useMemo(() => {
    const words = filters.search
      .toLocaleLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    return items.filter(
      item =>
        (!filters.status || item.status === filters.status) &&
        (!filters.accountId || item.accountId === filters.accountId) &&
        (!filters.region || item.region === filters.region) &&
        words.every(word => searchableText(item).includes(word)),
    );
  }, [items, filters]);

  const loadedText =
    totalCount !== undefined
      ? `Checked ${checkedCount} of ${totalCount} clusters`
      : 'Loading clusters';
  // Progress counts the rows this load has checked, not rows kept from an
  // earlier visit, which are shown until they are sent again.
  const announcement = useLoadingAnnouncement({
    loaded: checkedCount,
    totalCount,
    loading,
    error,
  });

  return (
    <>
      <ClusterFilters
        values={filters}
        statuses={statuses}
        accountIds={accountIds}
        regions={regions}
        onChange={setFilters}
      />
      <StatusAnnouncement message={announcement} />
      {loading && (
        <div className={classes.progress}>
          <LinearProgress aria-label={loadedText} />
          <Typography variant="caption">{loadedText}…</Typography>
        </div>
      )}
      {error && (
        <div className={classes.error}>
          <ResponseErrorPanel
            error={error}
            title={`Could not load your clusters: ${errorExplanation(error)}`}
          />
          <Button variant="outlined" size="small" onClick={retry}>
            Retry
          </Button>
        </div>
      )}
      <ClusterAccessTable
        title={
          rows.length === items.length
            ? `Clusters (${items.length})`
            : `Clusters (${rows.length} of ${items.length})`
        }
        rows={rows}
        loading={loading}
      />
    </>
  );
}

/**
 * "My EKS access" as a full page for the legacy frontend system.
 *
 * @public
 */
export function MyEksAccessPage() {
  return (
    <Page themeId="tool">
      <Header
        title="My EKS access"
        subtitle="Every EKS cluster in the catalog, and whether you can reach it"
      />
      <Content>
        <MyEksAccessContent />
      </Content>
    </Page>
  );
}
