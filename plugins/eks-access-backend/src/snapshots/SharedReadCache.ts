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

import { LRUCache } from 'lru-cache';

type Entry<V> = { value: V; storedAt: number; expiresAt: number };

/**
 * A read-through cache shared by every user: one read per key at a time
 * (single-flight), each result kept for a time to live chosen per value, and
 * invalidation that also discards a read already in flight.
 *
 * lru-cache keeps the entries, joins concurrent reads of a key (its
 * `fetchMethod`, with this call's `read` as the fetch context) and, on
 * `delete`, aborts a read in flight so that its result is not stored (with
 * `ignoreFetchAbort`, whoever waits for it still gets it). It bounds the
 * entries (`maxEntries`, least recently used out first).
 *
 * Freshness is decided here, not by lru-cache's TTL, for what its TTL
 * cannot do: a time to live chosen from the value once it is read, where a
 * value's TTL of 0 means "do not serve it again" (lru-cache's 0 means "never
 * stale"); a maximum age chosen per call (`maxAgeMs`, the user's refresh and
 * the warmer's refresh-after); an entry that is fresh served while a refresh
 * of it is in flight; and expiry exactly at `storedAt + ttl` on an injected
 * clock (lru-cache keeps a value until `now - start > ttl`).
 */
export class SharedReadCache<V> {
  readonly #entries: LRUCache<string, Entry<V>, () => Promise<V>>;
  readonly #ttlFor: (value: V) => number;
  readonly #now: () => number;

  constructor(options: {
    ttlFor: (value: V) => number;
    now?: () => number;
    /** At most this many keys are kept; the least recently used go first. */
    maxEntries?: number;
  }) {
    this.#ttlFor = options.ttlFor;
    this.#now = options.now ?? Date.now;
    this.#entries = new LRUCache<string, Entry<V>, () => Promise<V>>({
      // a count of entries without preallocating `max` slots
      maxSize: options.maxEntries ?? 10_000,
      sizeCalculation: () => 1,
      ignoreFetchAbort: true,
      // a failed refresh keeps the older value (as keys() reports it)
      noDeleteOnFetchRejection: true,
      fetchMethod: async (_key, _stale, { context: read }) => {
        const value = await read();
        const storedAt = this.#now();
        return { value, storedAt, expiresAt: storedAt + this.#ttlFor(value) };
      },
    });
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
    // also the value a refresh in flight will replace; marks it recently used
    const entry = this.#entries.get(key);
    if (
      entry &&
      entry.expiresAt > now &&
      (options.maxAgeMs === undefined ||
        now - entry.storedAt < options.maxAgeMs)
    ) {
      return entry.value;
    }
    // forceRefresh: our freshness, not lru-cache's, said this one is old;
    // a read already in flight is joined
    const fetched = await this.#entries.fetch(key, {
      forceRefresh: true,
      context: read,
    });
    // the fetch method always resolves to an entry (a failed read rejects)
    return fetched!.value;
  }

  /** The cached value without reading, if still fresh. */
  peek(key: string): V | undefined {
    const entry = this.#entries.peek(key);
    return entry && entry.expiresAt > this.#now() ? entry.value : undefined;
  }

  /** The keys with a cached value, fresh or not. */
  keys(): string[] {
    // dump() lists every stored value, one under a refresh in flight too
    return this.#entries.dump().map(([key]) => key);
  }

  /**
   * Drops the cached value; a read in flight is not stored and the next
   * `get` starts a new read.
   */
  invalidate(key: string) {
    this.#entries.delete(key);
  }
}
