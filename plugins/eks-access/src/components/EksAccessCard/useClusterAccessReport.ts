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
import type { ClusterAccessReport } from '@eks-access/plugin-eks-access-common';
import { eksAccessApiRef } from '../../api';

/** The state of the card's access check. */
export interface ClusterAccessReportState {
  report?: ClusterAccessReport;
  error?: Error;
  /** True while a request is in flight, including a refresh. */
  loading: boolean;
  /** Asks the backend to re-read the cluster (`refresh=true`). */
  refresh: () => void;
  /** Repeats the last request after an error. */
  retry: () => void;
}

/**
 * Loads the signed-in user's access report for one cluster entity. A refresh
 * keeps showing the previous report until the new one arrives; only the
 * newest request's answer is kept.
 */
export function useClusterAccessReport(
  entityRef: string,
): ClusterAccessReportState {
  const api = useApi(eksAccessApiRef);
  const [report, setReport] = useState<ClusterAccessReport>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const latestRequest = useRef(0);
  const lastRefresh = useRef(false);

  const load = useCallback(
    async (refresh: boolean) => {
      const request = ++latestRequest.current;
      lastRefresh.current = refresh;
      setLoading(true);
      setError(undefined);
      try {
        const next = await api.getAccess({ entityRef, refresh });
        if (request === latestRequest.current) {
          setReport(next);
        }
      } catch (e) {
        if (request === latestRequest.current) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
      } finally {
        if (request === latestRequest.current) {
          setLoading(false);
        }
      }
    },
    [api, entityRef],
  );

  useEffect(() => {
    const requests = latestRequest;
    setReport(undefined);
    load(false);
    return () => {
      // Answers to requests for a previous entity are dropped.
      requests.current++;
    };
  }, [load]);

  return {
    report,
    error,
    loading,
    refresh: useCallback(() => load(true), [load]),
    retry: useCallback(() => load(lastRefresh.current), [load]),
  };
}
