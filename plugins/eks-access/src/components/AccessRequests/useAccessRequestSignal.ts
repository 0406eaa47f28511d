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
  type AccessRequestSignal,
  EKS_ACCESS_REQUESTS_SIGNAL_CHANNEL,
} from '@eks-access/plugin-eks-access-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * Calls `onSignal` for each message on `eks-access:requests` (optionally
 * only for one cluster). Without the signals plugin nothing happens; callers
 * still refresh after their own actions, and may poll when
 * `isSignalsAvailable` is false.
 */
export function useAccessRequestSignal(
  onSignal: (signal: AccessRequestSignal) => void,
  entityRef?: string,
): { isSignalsAvailable: boolean } {
  const { lastSignal: message, isSignalsAvailable } = useSignal(
    EKS_ACCESS_REQUESTS_SIGNAL_CHANNEL,
  );
  const lastSignal = message as unknown as AccessRequestSignal | null;
  const callback = useRef(onSignal);
  callback.current = onSignal;

  useEffect(() => {
    if (!lastSignal) {
      return;
    }
    if (entityRef && lastSignal.entityRef !== entityRef) {
      return;
    }
    callback.current(lastSignal);
  }, [lastSignal, entityRef]);

  return { isSignalsAvailable };
}
