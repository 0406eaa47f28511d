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
}

/**
 * Loads access requests with the given filter, newest first. Only the
 * newest answer is kept; a reload keeps showing the previous list.
 */
export function useAccessRequests(filter: {
  entityRef?: string;
  mine?: boolean;
}): AccessRequestsState {
  const api = useApi(eksAccessApiRef);
  const { entityRef, mine } = filter;
  const [items, setItems] = useState<AccessRequest[]>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const list = await api.listAccessRequests({ entityRef, mine });
      if (request === latest.current) {
        setItems(
          [...list.items].sort((a, b) =>
            b.createdAt.localeCompare(a.createdAt),
          ),
        );
        setError(undefined);
      }
    } catch (e) {
      if (request === latest.current) {
        setError(e instanceof Error ? e : new Error(String(e)));
      }
    } finally {
      if (request === latest.current) {
        setLoading(false);
      }
    }
  }, [api, entityRef, mine]);

  useEffect(() => {
    const requests = latest;
    setItems(undefined);
    load();
    return () => {
      requests.current++;
    };
  }, [load]);

  return { items, error, loading, reload: load };
}
