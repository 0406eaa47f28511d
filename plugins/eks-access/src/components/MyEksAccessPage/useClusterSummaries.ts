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
  items: ClusterAccessSummary[];
  /** The backend's total, once the first page has arrived. */
  totalCount?: number;
  /** True until the last page has arrived (or an error stopped loading). */
  loading: boolean;
  error?: Error;
  /** Continues from the page that failed, keeping what was loaded. */
  retry: () => void;
}

/**
 * Loads every page of `GET /clusters` one after the other, exposing each page
 * as soon as it arrives so that a large fleet renders progressively.
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
    try {
      while (nextOffset.current !== undefined) {
        const page = await api.listClusters({
          offset: nextOffset.current,
          limit: pageSize,
        });
        if (current !== generation.current) {
          return;
        }
        setItems(previous => [...previous, ...page.items]);
        setTotalCount(page.totalCount);
        nextOffset.current =
          page.nextOffset !== undefined && page.items.length > 0
            ? page.nextOffset
            : undefined;
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
    nextOffset.current = 0;
    setItems([]);
    setTotalCount(undefined);
    loadRemainingPages();
    return () => {
      // Pages that arrive after unmounting are dropped.
      generations.current++;
    };
  }, [loadRemainingPages]);

  return {
    items,
    totalCount,
    loading,
    error,
    retry: loadRemainingPages,
  };
}
