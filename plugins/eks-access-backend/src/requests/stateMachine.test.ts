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
  ACCESS_REQUEST_TRANSITIONS,
  assertAllowedTransition,
  isAllowedTransition,
  TERMINAL_ACCESS_REQUEST_STATES,
} from './stateMachine';
import type { AccessRequestState } from '@eks-access/plugin-eks-access-common';

const ALL_STATES = Object.keys(
  ACCESS_REQUEST_TRANSITIONS,
) as AccessRequestState[];

describe('access request state machine', () => {
  it.each([
    ['pending', 'approved'],
    ['pending', 'rejected'],
    ['pending', 'cancelled'],
    ['approved', 'active'],
    ['approved', 'failed'],
    ['failed', 'approved'],
    ['active', 'expired'],
    ['active', 'revoked'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(isAllowedTransition(from, to)).toBe(true);
    expect(() => assertAllowedTransition(from, to)).not.toThrow();
  });

  it('allows exactly the eight documented transitions', () => {
    const allowed = ALL_STATES.flatMap(from =>
      ALL_STATES.filter(to => isAllowedTransition(from, to)).map(
        to => `${from}->${to}`,
      ),
    );
    expect(allowed.sort()).toEqual(
      [
        'pending->approved',
        'pending->rejected',
        'pending->cancelled',
        'approved->active',
        'approved->failed',
        'failed->approved',
        'active->expired',
        'active->revoked',
      ].sort(),
    );
  });

  it.each([
    ['pending', 'active'],
    ['approved', 'approved'],
    ['approved', 'cancelled'],
    ['active', 'approved'],
    ['rejected', 'approved'],
    ['expired', 'active'],
    ['failed', 'active'],
  ] as const)('refuses %s → %s with a ConflictError', (from, to) => {
    expect(isAllowedTransition(from, to)).toBe(false);
    expect(() => assertAllowedTransition(from, to)).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: `An access request that is ${from} cannot become ${to}`,
      }),
    );
  });

  it('has no way out of a terminal state', () => {
    for (const state of TERMINAL_ACCESS_REQUEST_STATES) {
      expect(ACCESS_REQUEST_TRANSITIONS[state]).toEqual([]);
    }
  });
});
