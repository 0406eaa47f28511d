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

import type { SandboxService } from '../scenario/types';
import { RequestContext } from './FaultInjector';

/**
 * A filter for call counters; every field that is set must match.
 *
 * @public
 */
export interface CallFilter {
  service?: SandboxService;
  operation?: string;
  cluster?: string;
  account?: string;
}

/** One counter row as the admin API returns it. */
export interface CallCounter extends CallFilter {
  count: number;
}

/**
 * Counts every request that reached an operation (faulted or not), and
 * separately those the throttle rules refused.
 */
export class CallCounters {
  #counts = new Map<string, CallCounter>();
  #throttled = new Map<string, CallCounter>();

  record(ctx: RequestContext) {
    CallCounters.#add(this.#counts, ctx);
  }

  recordThrottled(ctx: RequestContext) {
    CallCounters.#add(this.#throttled, ctx);
  }

  static #add(counts: Map<string, CallCounter>, ctx: RequestContext) {
    const key = [
      ctx.service,
      ctx.operation,
      ctx.cluster ?? '',
      ctx.account ?? '',
    ].join('|');
    const row = counts.get(key) ?? {
      service: ctx.service,
      operation: ctx.operation,
      cluster: ctx.cluster,
      account: ctx.account,
      count: 0,
    };
    row.count += 1;
    counts.set(key, row);
  }

  count(filter: CallFilter = {}): number {
    return this.list(filter).reduce((sum, row) => sum + row.count, 0);
  }

  /** Requests the throttle rules refused (also counted by {@link count}). */
  throttled(filter: CallFilter = {}): number {
    return CallCounters.#filter(this.#throttled, filter).reduce(
      (sum, row) => sum + row.count,
      0,
    );
  }

  list(filter: CallFilter = {}): CallCounter[] {
    return CallCounters.#filter(this.#counts, filter);
  }

  static #filter(
    counts: Map<string, CallCounter>,
    filter: CallFilter,
  ): CallCounter[] {
    return [...counts.values()].filter(
      row =>
        (!filter.service || row.service === filter.service) &&
        (!filter.operation || row.operation === filter.operation) &&
        (!filter.cluster || row.cluster === filter.cluster) &&
        (!filter.account || row.account === filter.account),
    );
  }

  reset() {
    this.#counts.clear();
    this.#throttled.clear();
  }
}
