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
 * A read-through cache shared by every user: one read per key at a time
 * (single-flight), each result kept for a time to live chosen per value, and
 * invalidation that also discards a read already in flight.
 */
export class SharedReadCache<V> {
  readonly #entries = new Map<
    string,
    { value: V; storedAt: number; expiresAt: number }
  >();
  readonly #inflight = new Map<string, Promise<V>>();
  readonly #generations = new Map<string, number>();
  readonly #ttlFor: (value: V) => number;
  readonly #now: () => number;

  constructor(options: { ttlFor: (value: V) => number; now?: () => number }) {
    this.#ttlFor = options.ttlFor;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The cached value, or the result of `read` (joined with any read in
   * flight). With `maxAgeMs`, a cached value older than that is read again.
   */
  async get(
    key: string,
    read: () => Promise<V>,
    options: { maxAgeMs?: number } = {},
  ): Promise<V> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (
      entry &&
      entry.expiresAt > now &&
      (options.maxAgeMs === undefined ||
        now - entry.storedAt < options.maxAgeMs)
    ) {
      return entry.value;
    }
    const inflight = this.#inflight.get(key);
    if (inflight) {
      return inflight;
    }
    const generation = this.#generations.get(key) ?? 0;
    let pending: Promise<V> | undefined = undefined;
    pending = (async () => {
      try {
        const value = await read();
        if ((this.#generations.get(key) ?? 0) === generation) {
          const storedAt = this.#now();
          this.#entries.set(key, {
            value,
            storedAt,
            expiresAt: storedAt + this.#ttlFor(value),
          });
        }
        return value;
      } finally {
        if (this.#inflight.get(key) === pending) {
          this.#inflight.delete(key);
        }
      }
    })();
    this.#inflight.set(key, pending);
    return pending;
  }

  /** The cached value without reading, if still fresh. */
  peek(key: string): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.#now() ? entry.value : undefined;
  }

  /** The keys with a cached value, fresh or not. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Drops the cached value; a read in flight is not stored and the next
   * `get` starts a new read.
   */
  invalidate(key: string) {
    this.#entries.delete(key);
    this.#inflight.delete(key);
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
  }
}
