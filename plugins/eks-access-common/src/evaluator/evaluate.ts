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

import { indexClusterAccess, isClusterAccessIndex } from './clusterIndex';
import type { ClusterAccessIndex } from './clusterIndex';
import { decideAccess } from './decision';
import { explainDecision } from './explanation';
import type { AccessCheckInput, AccessVerdict, CallerInfo } from './types';

/**
 * Input of {@link evaluateAccess} with a cluster indexed by
 * {@link indexClusterAccess}.
 * @public
 */
export interface IndexedAccessCheckInput {
  caller: CallerInfo;
  cluster: ClusterAccessIndex;
  /** ISO 8601, for time-based findings. */
  now?: string;
}

/**
 * Decides what EKS would do when `input.caller` calls `input.cluster`, and
 * explains it (eks-auth-spec §6.2). Pure and deterministic: no I/O, no
 * clock (time only via `input.now`).
 *
 * Precedence: in `CONFIG_MAP` mode the cluster creator (`kubernetes-admin`,
 * `system:masters`) first, as EKS loads it before aws-auth; then a matching,
 * not stale access entry (modes with API); then aws-auth `mapRoles` and
 * `mapUsers` (modes with CONFIG_MAP); then `mapAccounts`.
 *
 * `input.cluster` may be raw data or a {@link ClusterAccessIndex} built once
 * with {@link indexClusterAccess}.
 * @public
 */
export function evaluateAccess(
  input: AccessCheckInput | IndexedAccessCheckInput,
): AccessVerdict {
  const index = isClusterAccessIndex(input.cluster)
    ? input.cluster
    : indexClusterAccess(input.cluster);
  return evaluateWithIndex(index, input.caller, input.now);
}

/** Decide (decision.ts: verdict, reason codes, facts), then explain (explanation.ts: messages). */
function evaluateWithIndex(
  index: ClusterAccessIndex,
  caller: CallerInfo,
  now: string | undefined,
): AccessVerdict {
  return explainDecision(decideAccess(index, caller, now), index);
}
