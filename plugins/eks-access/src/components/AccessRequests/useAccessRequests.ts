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
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';

/** The state of one list of access requests. */
export interface AccessRequestsState {
  items?: AccessRequest[];
  error?: Error;
  loading: boolean;
  /** Loads the list again, keeping the current items meanwhile. */
  reload: () => void;
  /** Whether the backend has older requests than the ones loaded. */
  hasMore: boolean;
  /** Loads the next page (older requests) and appends it. */
  loadMore: () => void;
  loadingMore: boolean;
  /** Why the last "load more" failed; cleared by the next attempt. */
  loadMoreError?: Error;
}

const MAX_PAGE = 500;
const newestFirst = (a: AccessRequest, b: AccessRequest) =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * Loads access requests with the given filter, newest first. Only the
 * newest answer is kept; a reload keeps showing the previous list. With
 * `pageSize`, requests come a page at a time (`loadMore` appends the next
 * one) and a reload fetches as many as are shown, so that a refresh after a
 * decision keeps the pages the user opened.
 */
export function useAccessRequests(filter: {
  entityRef?: string;
  mine?: boolean;
  pageSize?: number;
}): AccessRequestsState {
  const api = useApi(eksAccessApiRef);
  const { entityRef, mine, pageSize } = filter;
  const [items, setItems] = useState<AccessRequest[]>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [nextCursor, setNextCursor] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<Error>();
  // Bumped by every load: an answer for an older one is dropped.
  const latest = useRef(0);
  const shown = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    setLoadingMore(false);
    try {
      const list = await api.listAccessRequests({
        entityRef,
        mine,
        ...(pageSize
          ? { limit: Math.min(MAX_PAGE, Math.max(pageSize, shown.current)) }
          : {}),
      });
      if (request === latest.current) {
        const sorted = [...list.items].sort(newestFirst);
        shown.current = sorted.length;
        setItems(sorted);
        setNextCursor(list.nextCursor);
        setError(undefined);
        setLoadMoreError(undefined);
      }
    } catch (e) {
      if (request === latest.current) {
        setError(asError(e));
      }
    } finally {
      if (request === latest.current) {
        setLoading(false);
      }
    }
  }, [api, entityRef, mine, pageSize]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) {
      return;
    }
    const request = ++latest.current;
    setLoadingMore(true);
    setLoadMoreError(undefined);
    try {
      const list = await api.listAccessRequests({
        entityRef,
        mine,
        limit: pageSize,
        cursor: nextCursor,
      });
      if (request === latest.current) {
        setItems(previous => {
          const known = new Set((previous ?? []).map(r => r.id));
          const merged = [
            ...(previous ?? []),
            ...list.items.filter(r => !known.has(r.id)),
          ].sort(newestFirst);
          shown.current = merged.length;
          return merged;
        });
        setNextCursor(list.nextCursor);
      }
    } catch (e) {
      if (request === latest.current) {
        setLoadMoreError(asError(e));
      }
    } finally {
      if (request === latest.current) {
        setLoadingMore(false);
      }
    }
  }, [api, entityRef, mine, pageSize, nextCursor]);

  useEffect(() => {
    const requests = latest;
    setItems(undefined);
    setNextCursor(undefined);
    shown.current = 0;
    load();
    return () => {
      requests.current++;
    };
  }, [load]);

  return {
    items,
    error,
    loading,
    reload: load,
    hasMore: !!nextCursor,
    loadMore,
    loadingMore,
    loadMoreError,
  };
}
