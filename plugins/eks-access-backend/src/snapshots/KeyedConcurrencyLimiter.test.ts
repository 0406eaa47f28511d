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

import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('KeyedConcurrencyLimiter', () => {
  it('runs at most the limit per key, in order, and keys independently', async () => {
    const limiter = new KeyedConcurrencyLimiter(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const task = (name: string, gate: Promise<void>) => async () => {
      started.push(name);
      await gate;
      return name;
    };
    const a = [0, 1, 2].map(i =>
      limiter.run('111122223333', task(`a${i}`, gates[i].promise)),
    );
    const b = limiter.run('444455556666', task('b0', Promise.resolve()));
    await b;
    expect(started).toEqual(['a0', 'a1', 'b0']);
    gates[0].resolve();
    await a[0];
    await new Promise(r => setImmediate(r));
    expect(started).toEqual(['a0', 'a1', 'b0', 'a2']);
    gates[1].resolve();
    gates[2].resolve();
    await expect(Promise.all(a)).resolves.toEqual(['a0', 'a1', 'a2']);
  });

  it('passes a task failure to its caller and frees the slot', async () => {
    const limiter = new KeyedConcurrencyLimiter(1);
    await expect(
      limiter.run('k', async () => {
        throw new Error('throttled');
      }),
    ).rejects.toThrow('throttled');
    await expect(limiter.run('k', async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new KeyedConcurrencyLimiter(0)).toThrow(/positive integer/);
  });
});
