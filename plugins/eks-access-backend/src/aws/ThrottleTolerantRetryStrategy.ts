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

import type {
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
} from '@smithy/types';

/** Options of {@link ThrottleTolerantRetryStrategy}. */
export interface RetryBudget {
  /** Retries after throttling (AWS said "slow down", not "broken"). */
  throttlingRetries?: number;
  /** Retries after 5xx, timeouts and connection errors (a real outage). */
  errorRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/**
 * The SDK retry strategy of the plugin's AWS clients. Unlike the SDK's
 * standard mode, throttling does not drain a shared retry quota: a
 * throttled call is retried many times (the client-side rate limiter slows
 * the account down meanwhile), so that throttling alone never turns a
 * cluster `unknown`. Server and connection errors get a few retries, so
 * that a real outage still ends as `unknown` quickly. Back-off is
 * exponential with full jitter, and the SDK sleeps it outside the rate
 * limiter.
 */
export class ThrottleTolerantRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'throttle-tolerant';
  readonly #throttlingRetries: number;
  readonly #errorRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;

  constructor(budget: RetryBudget = {}) {
    this.#throttlingRetries = budget.throttlingRetries ?? 10;
    this.#errorRetries = budget.errorRetries ?? 2;
    this.#baseDelayMs = budget.baseDelayMs ?? 100;
    this.#maxDelayMs = budget.maxDelayMs ?? 2_000;
    this.#random = budget.random ?? Math.random;
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0, 0, 0);
  }

  async refreshRetryTokenForRetry(
    previous: RetryToken,
    info: RetryErrorInfo,
  ): Promise<RetryToken> {
    const used = previous as BudgetToken;
    const throttling = info.errorType === 'THROTTLING';
    const throttlingRetries = used.throttlingRetries + (throttling ? 1 : 0);
    const errorRetries = used.errorRetries + (throttling ? 0 : 1);
    if (
      info.errorType === 'CLIENT_ERROR' ||
      throttlingRetries > this.#throttlingRetries ||
      errorRetries > this.#errorRetries
    ) {
      throw new Error('No retry budget left');
    }
    const attempt = previous.getRetryCount() + 1;
    const ceiling = Math.min(
      this.#maxDelayMs,
      this.#baseDelayMs * 2 ** Math.min(attempt - 1, 10),
    );
    let delay = Math.round(ceiling * this.#random());
    if (info.retryAfterHint) {
      delay = Math.max(delay, info.retryAfterHint.getTime() - Date.now());
    }
    return token(attempt, delay, throttlingRetries, errorRetries);
  }

  recordSuccess(): void {}
}

type BudgetToken = RetryToken & {
  throttlingRetries: number;
  errorRetries: number;
};

function token(
  retryCount: number,
  delayMs: number,
  throttlingRetries: number,
  errorRetries: number,
): BudgetToken {
  return {
    throttlingRetries,
    errorRetries,
    getRetryCount: () => retryCount,
    getRetryDelay: () => delayMs,
  };
}
