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

import { ConflictError } from '@backstage/errors';
import type { AccessRequestState } from '@eks-access/plugin-eks-access-common';

/**
 * The allowed transitions of an access request. Anything not listed is
 * refused.
 * @public
 */
export const ACCESS_REQUEST_TRANSITIONS: Readonly<
  Record<AccessRequestState, readonly AccessRequestState[]>
> = {
  pending: ['approved', 'rejected', 'cancelled'],
  approved: ['active', 'failed'],
  failed: ['approved'],
  active: ['expired', 'revoked'],
  expired: [],
  revoked: [],
  rejected: [],
  cancelled: [],
};

/** States from which nothing follows. @public */
export const TERMINAL_ACCESS_REQUEST_STATES: readonly AccessRequestState[] = [
  'expired',
  'revoked',
  'rejected',
  'cancelled',
];

/** Whether `from → to` is a transition of the request state machine. @public */
export function isAllowedTransition(
  from: AccessRequestState,
  to: AccessRequestState,
): boolean {
  return ACCESS_REQUEST_TRANSITIONS[from].includes(to);
}

/**
 * Throws a ConflictError naming both states when `from → to` is not allowed.
 * @public
 */
export function assertAllowedTransition(
  from: AccessRequestState,
  to: AccessRequestState,
): void {
  if (!isAllowedTransition(from, to)) {
    throw new ConflictError(
      `An access request that is ${from} cannot become ${to}`,
    );
  }
}
