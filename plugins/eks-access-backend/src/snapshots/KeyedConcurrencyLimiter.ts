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

/**
 * Runs at most `limit` tasks at once per key (an AWS account); the rest wait
 * in order.
 */
export class KeyedConcurrencyLimiter {
  readonly #limit: number;
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(
        `Concurrency limit must be a positive integer, got ${limit}`,
      );
    }
    this.#limit = limit;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.#acquire(key);
    try {
      return await task();
    } finally {
      this.#release(key);
    }
  }

  /** Tasks currently running for a key. */
  running(key: string): number {
    return this.#running.get(key) ?? 0;
  }

  #acquire(key: string): Promise<void> {
    const running = this.#running.get(key) ?? 0;
    if (running < this.#limit) {
      this.#running.set(key, running + 1);
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const queue = this.#waiting.get(key) ?? [];
      queue.push(resolve);
      this.#waiting.set(key, queue);
    });
  }

  #release(key: string) {
    const queue = this.#waiting.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) {
      this.#waiting.delete(key);
    }
    if (next) {
      // the slot passes straight to the next task
      next();
      return;
    }
    const running = (this.#running.get(key) ?? 1) - 1;
    if (running === 0) {
      this.#running.delete(key);
    } else {
      this.#running.set(key, running);
    }
  }
}
