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

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is waiting for an AWS call, most urgent first: a user looking at one
 * cluster, a user's fleet page, a background refresh.
 */
export type CallPriority = 'interactive' | 'fleet' | 'background';

const PRIORITIES: readonly CallPriority[] = [
  'interactive',
  'fleet',
  'background',
];

const priorityContext = new AsyncLocalStorage<CallPriority>();

/**
 * Runs `task` with every AWS call it makes (however deep, through caches
 * and the SDK) queued at `priority`. A read joined by several callers keeps
 * the priority of the caller that started it.
 */
export function withCallPriority<T>(priority: CallPriority, task: () => T): T {
  return priorityContext.run(priority, task);
}

/** The priority of the calling context; `interactive` when none was set. */
export function currentCallPriority(): CallPriority {
  return priorityContext.getStore() ?? 'interactive';
}

/** Options of {@link AdaptiveRateLimiter}. */
export interface AdaptiveRateLimiterOptions {
  /** Rate after the first throttle when nothing was answered before it (calls/s per key). */
  initialRatePerSecond?: number;
  minRatePerSecond?: number;
  maxRatePerSecond?: number;
  /** Attempts in flight at once per key. */
  maxConcurrent?: number;
  now?: () => number;
}

interface KeyState {
  /** Whether AWS has throttled this key yet; no rate limit before it has. */
  limited: boolean;
  rate: number;
  /** When the recent successes were answered, for measuring the rate. */
  recentSuccesses: number[];
  tokens: number;
  updatedAt: number;
  inFlight: number;
  lastDecreaseAt: number;
  queues: Record<CallPriority, Array<() => void>>;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Client-side rate limiting per key (a service, account and region), adapted to
 * what AWS allows, like the SDK's `adaptive` retry mode but shared by every
 * client of the key and with priorities. Until AWS first throttles a key,
 * only the number of attempts in flight is limited. The first throttle
 * starts a token bucket at 90% of the rate AWS was answering; each later
 * throttle takes a fifth off (at most twice a second) and each success adds
 * 1%, so the limiter keeps close to the real limit, mostly just under it,
 * instead of spending the account's budget on throttled calls (a throttled
 * attempt now and then is how it finds the limit again when it rises). It
 * admits one attempt at a time:
 * a retry waits for its back-off outside the limiter, then queues again.
 * Waiting attempts are served most urgent priority first, in order within a
 * priority.
 */
export class AdaptiveRateLimiter {
  readonly #initialRate: number;
  readonly #minRate: number;
  readonly #maxRate: number;
  readonly #maxConcurrent: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, KeyState>();

  constructor(options: AdaptiveRateLimiterOptions = {}) {
    this.#initialRate = options.initialRatePerSecond ?? 5;
    this.#minRate = options.minRatePerSecond ?? 0.5;
    this.#maxRate = options.maxRatePerSecond ?? 100;
    this.#maxConcurrent = options.maxConcurrent ?? 16;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Waits for a token for one attempt; call the returned function when the
   * attempt has its answer.
   */
  acquire(
    key: string,
    priority: CallPriority = currentCallPriority(),
  ): Promise<() => void> {
    const state = this.#state(key);
    return new Promise(resolve => {
      state.queues[priority].push(() => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          state.inFlight -= 1;
          this.#pump(key, state);
        });
      });
      this.#pump(key, state);
    });
  }

  /** AWS throttled an attempt: slow down (at most once per 500 ms). */
  onThrottle(key: string) {
    const state = this.#state(key);
    const now = this.#now();
    state.tokens = Math.min(state.tokens, 0);
    state.updatedAt = now;
    if (!state.limited) {
      state.limited = true;
      const answered = this.#recentSuccesses(state, now);
      state.rate = Math.max(
        this.#minRate,
        Math.min(
          this.#maxRate,
          answered > 0 ? answered * 0.9 : this.#initialRate,
        ),
      );
      state.lastDecreaseAt = now;
    } else if (now - state.lastDecreaseAt >= 500) {
      state.rate = Math.max(this.#minRate, state.rate * 0.8);
      state.lastDecreaseAt = now;
    }
  }

  /** An attempt was answered without throttling: probe for more. */
  onSuccess(key: string) {
    const state = this.#state(key);
    if (state.limited) {
      state.rate = Math.min(this.#maxRate, state.rate * 1.01);
    } else {
      state.recentSuccesses.push(this.#now());
      if (state.recentSuccesses.length > 1000) {
        state.recentSuccesses.splice(0, 500);
      }
    }
  }

  /** The current rate for a key (calls/s; Infinity before any throttle). */
  rate(key: string): number {
    const state = this.#keys.get(key);
    return state?.limited ? state.rate : Infinity;
  }

  #recentSuccesses(state: KeyState, now: number): number {
    return state.recentSuccesses.filter(t => now - t < 1000).length;
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (!state) {
      state = {
        limited: false,
        recentSuccesses: [],
        rate: this.#initialRate,
        tokens: 1,
        updatedAt: this.#now(),
        inFlight: 0,
        lastDecreaseAt: -Infinity,
        queues: { interactive: [], fleet: [], background: [] },
      };
      this.#keys.set(key, state);
    }
    return state;
  }

  #pump(key: string, state: KeyState) {
    for (;;) {
      const queue = PRIORITIES.map(p => state.queues[p]).find(q => q.length);
      if (!queue || state.inFlight >= this.#maxConcurrent) return;
      if (!state.limited) {
        state.inFlight += 1;
        queue.shift()!();
        continue;
      }
      const now = this.#now();
      // a bucket of one second's worth of calls: short bursts, no more
      state.tokens = Math.min(
        Math.max(1, state.rate),
        state.tokens + ((now - state.updatedAt) / 1000) * state.rate,
      );
      state.updatedAt = now;
      if (state.tokens < 1) {
        if (!state.timer) {
          const waitMs = Math.ceil(((1 - state.tokens) / state.rate) * 1000);
          state.timer = setTimeout(() => {
            state.timer = undefined;
            this.#pump(key, state);
          }, waitMs);
        }
        return;
      }
      state.tokens -= 1;
      state.inFlight += 1;
      queue.shift()!();
    }
  }
}
