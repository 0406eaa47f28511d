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
import {
  MAX_REASON_LENGTH,
  type AccessLevelInfo,
} from '@eks-access/plugin-eks-access-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksAccessApiRef } from '../../api';

/** The access levels a cluster offers, as the request dialog needs them. */
export interface AccessLevelsState {
  /** Undefined while loading, after an error, and while the dialog is closed. */
  levels?: AccessLevelInfo[];
  /** The backend's `eksAccess.requests.maxReasonLength`. */
  maxReasonLength: number;
  loading: boolean;
  error?: Error;
  retry: () => void;
}

/**
 * Loads the levels of a cluster each time the dialog opens (an approver may
 * have changed the config meanwhile), and not while it is closed.
 */
export function useAccessLevels(
  entityRef: string,
  open: boolean,
): AccessLevelsState {
  const api = useApi(eksAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (open ? api.listAccessLevels({ entityRef }) : undefined),
    [api, entityRef, open],
  );
  return {
    levels: loading ? undefined : value?.levels,
    maxReasonLength: value?.maxReasonLength ?? MAX_REASON_LENGTH,
    loading,
    error: loading ? undefined : error,
    retry,
  };
}
