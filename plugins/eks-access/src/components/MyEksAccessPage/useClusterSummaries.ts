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

import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterAccessSummary } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';

/** The clusters loaded so far and how loading is going. */
export interface ClusterSummariesState {
  /** The rows received so far, in the page's order (likely clusters first). */
  items: ClusterAccessSummary[];
  /** The backend's total, once the stream has said it. */
  totalCount?: number;
  /**
   * The rows checked by the load in progress (or by the finished one):
   * rows kept from an earlier load count once they are sent again.
   */
  checkedCount: number;
  /** True until every row has arrived (or an error stopped loading). */
  loading: boolean;
  error?: Error;
  /** Starts the stream again, keeping the rows shown until fresh ones replace them. */
  retry: () => void;
}

/** What was loaded, kept for the session so that coming back is instant. */
interface LoadedClusters {
  /** Rows at their index in the page's order; holes are rows not received. */
  rows: (ClusterAccessSummary | undefined)[];
  totalCount?: number;
  /** Whether the stream that filled `rows` reached its end. */
  complete: boolean;
  loadedAt: number;
}

/** Loaded rows per API instance (one per app), reused for a while. */
const loadedClusters = new WeakMap<object, LoadedClusters>();
const REUSE_MS = 5 * 60 * 1000;
/**
 * Rows arriving closer together than this are rendered together: a fleet of
 * hundreds of clusters would otherwise re-render the table once per row.
 */
const RENDER_EVERY_MS = 100;

function reusable(api: object): LoadedClusters | undefined {
  const loaded = loadedClusters.get(api);
  return loaded && Date.now() - loaded.loadedAt < REUSE_MS ? loaded : undefined;
}

function present(rows: LoadedClusters['rows']): ClusterAccessSummary[] {
  return rows.filter((row): row is ClusterAccessSummary => row !== undefined);
}

/**
 * Streams every row of `GET /clusters/stream` and shows each at its place
 * in the page's order as soon as it arrives, so that clusters of a throttled
 * AWS account do not hold back the others. What was loaded is kept for five
 * minutes: coming back shows it at once, and restarts the stream only when
 * it had not finished, replacing the rows shown as fresh ones arrive.
 */
export function useClusterSummaries(): ClusterSummariesState {
  const api = useApi(eksAccessApiRef);
  const [items, setItems] = useState<ClusterAccessSummary[]>(() =>
    present(reusable(api)?.rows ?? []),
  );
  const [totalCount, setTotalCount] = useState(() => reusable(api)?.totalCount);
  const [checkedCount, setCheckedCount] = useState(() => {
    const reused = reusable(api);
    return reused?.complete ? present(reused.rows).length : 0;
  });
  const [loading, setLoading] = useState(() => !reusable(api)?.complete);
  const [error, setError] = useState<Error>();
  const stream = useRef<AbortController>();

  const load = useCallback(() => {
    stream.current?.abort();
    const controller = new AbortController();
    stream.current = controller;
    const { signal } = controller;

    // Not only a reusable load: Retry keeps the rows on screen, however old;
    // mounting has already forgotten a load too old to show.
    const previous = loadedClusters.get(api);
    const loaded: LoadedClusters = {
      rows: [...(previous?.rows ?? [])],
      totalCount: previous?.totalCount,
      complete: false,
      loadedAt: previous?.loadedAt ?? Date.now(),
    };
    loadedClusters.set(api, loaded);
    // Rows kept from an earlier stream are replaced as this one re-sends
    // them; by entity, in case a cluster moved in the order since.
    const earlierIndexOf = new Map(
      loaded.rows.flatMap((row, index) =>
        row ? [[row.entityRef, index] as const] : [],
      ),
    );
    const received = new Set<number>();

    let renderTimer: ReturnType<typeof setTimeout> | undefined;
    const render = () => {
      clearTimeout(renderTimer);
      renderTimer = undefined;
      setItems(present(loaded.rows));
      setTotalCount(loaded.totalCount);
      setCheckedCount(received.size);
    };
    signal.addEventListener('abort', () => clearTimeout(renderTimer));

    setLoading(true);
    setError(undefined);
    setCheckedCount(0);
    api
      .streamClusters({
        signal,
        onTotal(total) {
          if (signal.aborted) return;
          loaded.totalCount = total;
          if (loaded.rows.length > total) {
            loaded.rows.length = total;
          }
          render();
        },
        onRow(index, item) {
          const outside =
            !Number.isInteger(index) ||
            index < 0 ||
            (loaded.totalCount !== undefined && index >= loaded.totalCount);
          if (signal.aborted || outside) return;
          const earlier = earlierIndexOf.get(item.entityRef);
          if (
            earlier !== undefined &&
            earlier !== index &&
            !received.has(earlier)
          ) {
            loaded.rows[earlier] = undefined;
          }
          loaded.rows[index] = item;
          received.add(index);
          loaded.loadedAt = Date.now();
          renderTimer ??= setTimeout(render, RENDER_EVERY_MS);
        },
      })
      .then(
        () => {
          if (signal.aborted) return;
          // Kept rows the backend did not send again are gone from the catalog.
          loaded.rows = loaded.rows.map((row, index) =>
            received.has(index) ? row : undefined,
          );
          loaded.complete = true;
          render();
          setLoading(false);
        },
        (e: unknown) => {
          // Aborted on unmount or by a newer load, whose rows now count.
          if (signal.aborted) return;
          render();
          setError(e instanceof Error ? e : new Error(String(e)));
          setLoading(false);
        },
      );
  }, [api]);

  useEffect(() => {
    const reused = reusable(api);
    if (reused) {
      setItems(present(reused.rows));
      setTotalCount(reused.totalCount);
      if (reused.complete) setCheckedCount(present(reused.rows).length);
    } else {
      loadedClusters.delete(api);
      setItems([]);
      setTotalCount(undefined);
    }
    if (reused?.complete) {
      setLoading(false);
    } else {
      load();
    }
    const streams = stream;
    return () => {
      // Rows that arrive after unmounting are dropped.
      streams.current?.abort();
    };
  }, [api, load]);

  return { items, totalCount, checkedCount, loading, error, retry: load };
}
