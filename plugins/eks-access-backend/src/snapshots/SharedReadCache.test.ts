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

import { SharedReadCache } from './SharedReadCache';

/** A read the test resolves or rejects when it chooses. */
function deferred<V>() {
  let resolve!: (value: V) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SharedReadCache', () => {
  it('joins concurrent reads of a key and keeps the value for its TTL, up to the exact millisecond', async () => {
    const clock = { now: 0 };
    const cache = new SharedReadCache<string>({
      ttlFor: () => 1_000,
      now: () => clock.now,
    });
    const read = jest.fn(async () => 'v1');
    expect(
      await Promise.all([cache.get('k', read), cache.get('k', read)]),
    ).toEqual(['v1', 'v1']);
    expect(read).toHaveBeenCalledTimes(1);
    clock.now = 999;
    expect(await cache.get('k', read)).toBe('v1');
    expect(read).toHaveBeenCalledTimes(1);
    clock.now = 1_000;
    await cache.get('k', read);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('chooses the TTL from the value, and a TTL of 0 is never served again', async () => {
    const cache = new SharedReadCache<string>({
      ttlFor: value => (value === 'error' ? 0 : 60_000),
      now: () => 0,
    });
    const failing = jest.fn(async () => 'error');
    expect(await cache.get('k', failing)).toBe('error');
    expect(await cache.get('k', failing)).toBe('error');
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('serves a fresh value while a maxAgeMs refresh of it is in flight, and joins the refresh when asked for a younger one', async () => {
    const clock = { now: 0 };
    const cache = new SharedReadCache<string>({
      ttlFor: () => 60_000,
      now: () => clock.now,
    });
    await cache.get('k', async () => 'old');
    clock.now = 5_000;
    const next = deferred<string>();
    const refresh = cache.get('k', () => next.promise, { maxAgeMs: 1_000 });
    expect(await cache.get('k', async () => 'unused')).toBe('old');
    expect(cache.peek('k')).toBe('old');
    const joined = cache.get('k', async () => 'unused', { maxAgeMs: 1_000 });
    next.resolve('new');
    expect(await refresh).toBe('new');
    expect(await joined).toBe('new');
    expect(await cache.get('k', async () => 'unused')).toBe('new');
  });

  it('keeps the older value, listed in keys(), when a refresh fails', async () => {
    const clock = { now: 0 };
    const cache = new SharedReadCache<string>({
      ttlFor: () => 1_000,
      now: () => clock.now,
    });
    await cache.get('k', async () => 'old');
    clock.now = 2_000;
    await expect(
      cache.get('k', async () => {
        throw new Error('throttled');
      }),
    ).rejects.toThrow('throttled');
    expect(cache.keys()).toEqual(['k']);
    expect(cache.peek('k')).toBeUndefined();
    await expect(
      cache.get('never-read', async () => {
        throw new Error('denied');
      }),
    ).rejects.toThrow('denied');
    expect(cache.keys()).toEqual(['k']);
  });

  it('on invalidate, gives a read in flight to its callers without storing it, and reads again next time', async () => {
    const cache = new SharedReadCache<string>({
      ttlFor: () => 60_000,
      now: () => 0,
    });
    const first = deferred<string>();
    const inFlight = cache.get('k', () => first.promise);
    cache.invalidate('k');
    const second = deferred<string>();
    const after = cache.get('k', () => second.promise);
    first.resolve('before the write');
    expect(await inFlight).toBe('before the write');
    second.resolve('after the write');
    expect(await after).toBe('after the write');
    expect(await cache.get('k', async () => 'unused')).toBe('after the write');
  });

  it('keeps at most maxEntries keys, the least recently used going first', async () => {
    const cache = new SharedReadCache<string>({
      ttlFor: () => 60_000,
      now: () => 0,
      maxEntries: 2,
    });
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('a', async () => 'unused');
    await cache.get('c', async () => 'c');
    expect(cache.keys().sort()).toEqual(['a', 'c']);
  });
});
