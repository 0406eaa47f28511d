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
import type {
  ClusterAccessSummary,
  ClusterAccessSummaryPage,
} from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';

/** The clusters loaded so far and how loading is going. */
export interface ClusterSummariesState {
  items: ClusterAccessSummary[];
  /** The backend's total, once the first page has arrived. */
  totalCount?: number;
  /** True until the last page has arrived (or an error stopped loading). */
  loading: boolean;
  error?: Error;
  /** Continues from the page that failed, keeping what was loaded. */
  retry: () => void;
}

/** What was loaded, kept for the session so that coming back is instant. */
interface LoadedClusters {
  items: ClusterAccessSummary[];
  totalCount?: number;
  nextOffset?: number;
  loadedAt: number;
}

/** Loaded pages per API instance (one per app), reused for a while. */
const loadedClusters = new WeakMap<object, LoadedClusters>();
const REUSE_MS = 5 * 60 * 1000;
/** A small first page, so that the first rows show quickly. */
const FIRST_PAGE_SIZE = 20;
/** Pages requested at once after the first. */
const PAGES_IN_FLIGHT = 3;

/**
 * Loads every page of `GET /clusters`: a small first page, then the others
 * a few at a time, exposing each page as soon as it and the ones before it
 * have arrived, so that a large fleet renders progressively and in order.
 * What was loaded is kept for five minutes: leaving the page and coming
 * back shows it at once and only loads what was missing.
 */
export function useClusterSummaries(pageSize = 50): ClusterSummariesState {
  const api = useApi(eksAccessApiRef);
  const [items, setItems] = useState<ClusterAccessSummary[]>([]);
  const [totalCount, setTotalCount] = useState<number>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const nextOffset = useRef<number | undefined>(0);
  const generation = useRef(0);

  const loadRemainingPages = useCallback(async () => {
    const current = ++generation.current;
    setLoading(true);
    setError(undefined);
    const remember = (update: Partial<LoadedClusters>) => {
      const previous = loadedClusters.get(api) ?? {
        items: [],
        loadedAt: Date.now(),
      };
      loadedClusters.set(api, { ...previous, ...update, loadedAt: Date.now() });
    };
    const show = (page: ClusterAccessSummaryPage) => {
      setItems(previous => {
        const next = [...previous, ...page.items];
        remember({ items: next, totalCount: page.totalCount });
        return next;
      });
      setTotalCount(page.totalCount);
      nextOffset.current =
        page.nextOffset !== undefined && page.items.length > 0
          ? page.nextOffset
          : undefined;
      remember({ nextOffset: nextOffset.current });
    };
    try {
      if (nextOffset.current === 0) {
        const first = await api.listClusters({
          offset: 0,
          limit: Math.min(FIRST_PAGE_SIZE, pageSize),
        });
        if (current !== generation.current) {
          return;
        }
        show(first);
      }
      while (nextOffset.current !== undefined) {
        const start = nextOffset.current;
        const offsets = [start];
        for (let i = 1; i < PAGES_IN_FLIGHT; i++) {
          const offset = start + i * pageSize;
          if (totalCountOf(loadedClusters.get(api)) <= offset) break;
          offsets.push(offset);
        }
        const requests = offsets.map(offset =>
          api.listClusters({ offset, limit: pageSize }),
        );
        // a page after a failed one is asked again on retry
        requests.forEach(request => request.catch(() => undefined));
        for (const request of requests) {
          // shown in order; a failed page stops here, and retry resumes from it
          const page = await request;
          if (current !== generation.current) {
            return;
          }
          show(page);
          if (nextOffset.current === undefined) break;
        }
      }
    } catch (e) {
      if (current === generation.current) {
        setError(e instanceof Error ? e : new Error(String(e)));
      }
    } finally {
      if (current === generation.current) {
        setLoading(false);
      }
    }
  }, [api, pageSize]);

  useEffect(() => {
    const generations = generation;
    const reused = loadedClusters.get(api);
    if (reused && Date.now() - reused.loadedAt < REUSE_MS) {
      nextOffset.current = reused.nextOffset;
      setItems(reused.items);
      setTotalCount(reused.totalCount);
      if (reused.nextOffset === undefined) {
        setLoading(false);
      } else {
        loadRemainingPages();
      }
    } else {
      nextOffset.current = 0;
      loadedClusters.delete(api);
      setItems([]);
      setTotalCount(undefined);
      loadRemainingPages();
    }
    return () => {
      // Pages that arrive after unmounting are dropped.
      generations.current++;
    };
  }, [api, loadRemainingPages]);

  return {
    items,
    totalCount,
    loading,
    error,
    retry: loadRemainingPages,
  };
}

function totalCountOf(loaded: LoadedClusters | undefined): number {
  return loaded?.totalCount ?? 0;
}
