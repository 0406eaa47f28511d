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

import pLimit, { type Limit } from 'p-limit';

/**
 * Runs at most `limit` tasks at once per key (an AWS account); the rest wait
 * in order. One p-limit queue per key.
 */
export class KeyedConcurrencyLimiter {
  readonly #limit: number;
  readonly #queues = new Map<string, Limit>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(
        `Concurrency limit must be a positive integer, got ${limit}`,
      );
    }
    this.#limit = limit;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let queue = this.#queues.get(key);
    if (!queue) {
      // one queue per AWS account the plugin reads: a handful, kept
      queue = pLimit(this.#limit);
      this.#queues.set(key, queue);
    }
    return queue(task);
  }
}
