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
  AdaptiveRateLimiter,
  currentCallPriority,
  withCallPriority,
} from './AdaptiveRateLimiter';
import { ThrottleTolerantRetryStrategy } from './ThrottleTolerantRetryStrategy';

describe('AdaptiveRateLimiter', () => {
  it('limits only concurrency until AWS throttles', async () => {
    const limiter = new AdaptiveRateLimiter({ maxConcurrent: 2 });
    const first = await limiter.acquire('a');
    await limiter.acquire('a');
    let third = false;
    const pending = limiter.acquire('a').then(release => {
      third = true;
      return release;
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(third).toBe(false);
    first();
    (await pending)();
    expect(third).toBe(true);
    expect(limiter.rate('a')).toBe(Infinity);
  });

  it('starts a rate just under what AWS answered at the first throttle, then adapts', () => {
    const clock = { now: 0 };
    const limiter = new AdaptiveRateLimiter({ now: () => clock.now });
    for (let i = 0; i < 10; i++) limiter.onSuccess('a');
    limiter.onThrottle('a');
    expect(limiter.rate('a')).toBeCloseTo(9);
    limiter.onThrottle('a'); // within 500 ms: once only
    expect(limiter.rate('a')).toBeCloseTo(9);
    clock.now = 500;
    limiter.onThrottle('a');
    expect(limiter.rate('a')).toBeCloseTo(7.2);
    limiter.onSuccess('a');
    expect(limiter.rate('a')).toBeCloseTo(7.272);
    expect(limiter.rate('other')).toBe(Infinity);
  });

  it('serves waiting attempts most urgent first once rate-limited', async () => {
    const limiter = new AdaptiveRateLimiter({ initialRatePerSecond: 50 });
    limiter.onThrottle('a');
    const order: string[] = [];
    const waits = (['background', 'fleet', 'interactive'] as const).map(p =>
      limiter.acquire('a', p).then(release => {
        order.push(p);
        release();
      }),
    );
    await Promise.all(waits);
    expect(order).toEqual(['interactive', 'fleet', 'background']);
  });

  it('takes the priority from the calling context', async () => {
    expect(currentCallPriority()).toBe('interactive');
    await withCallPriority('background', async () => {
      await Promise.resolve();
      expect(currentCallPriority()).toBe('background');
    });
  });
});

describe('ThrottleTolerantRetryStrategy', () => {
  const strategy = new ThrottleTolerantRetryStrategy({
    throttlingRetries: 5,
    errorRetries: 2,
    random: () => 1,
  });

  async function retriesUntilGivingUp(
    errorType: 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR',
  ) {
    let token = await strategy.acquireInitialRetryToken();
    const delays: number[] = [];
    for (;;) {
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
        delays.push(token.getRetryDelay());
      } catch {
        return delays;
      }
    }
  }

  it('retries throttling longer than server errors, with growing back-off', async () => {
    expect(await retriesUntilGivingUp('THROTTLING')).toEqual([
      100, 200, 400, 800, 1600,
    ]);
    expect(await retriesUntilGivingUp('SERVER_ERROR')).toEqual([100, 200]);
    expect(await retriesUntilGivingUp('CLIENT_ERROR')).toEqual([]);
  });
});
