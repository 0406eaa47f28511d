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

import { FaultRule, SandboxFaults, SandboxService } from '../scenario/types';

/** What a request is, for matching fault rules and counting calls. */
export interface RequestContext {
  service: SandboxService;
  operation: string;
  account?: string;
  cluster?: string;
}

/** The fault a request runs into, after any latency was waited out. */
export type FaultOutcome =
  | { kind: 'none' }
  | { kind: 'throttle' }
  | { kind: 'error'; status: 500 | 503 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

function ruleMatches(rule: FaultRule, ctx: RequestContext): boolean {
  return (
    (!rule.service || rule.service === ctx.service) &&
    (!rule.operation || rule.operation === ctx.operation) &&
    (!rule.account || rule.account === ctx.account) &&
    (!rule.cluster || rule.cluster === ctx.cluster)
  );
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Latency, throttling (token buckets), error rates and unreachable Kubernetes APIs. */
export class FaultInjector {
  #faults: SandboxFaults = {};
  #buckets = new Map<string, Bucket>();
  #random: () => number;
  #onThrottle?: (ctx: RequestContext) => void;

  constructor(
    faults?: SandboxFaults,
    random: () => number = Math.random,
    /** Told of every request the throttle rules refuse (for the call counters). */
    onThrottle?: (ctx: RequestContext) => void,
  ) {
    this.#random = random;
    this.#onThrottle = onThrottle;
    this.set(faults ?? {});
  }

  get(): SandboxFaults {
    return structuredClone(this.#faults);
  }

  set(faults: SandboxFaults) {
    this.#faults = structuredClone(faults ?? {});
    this.#buckets.clear();
  }

  get propagationDelayMs(): number {
    return this.#faults.accessEntryPropagationDelayMs ?? 0;
  }

  /** How long an UpdateClusterConfig update stays InProgress (0: done at the next read). */
  get clusterUpdateDurationMs(): number {
    return this.#faults.clusterUpdateDurationMs ?? 0;
  }

  get unreachableMode(): 'reset' | 'hang' {
    return this.#faults.unreachableMode ?? 'reset';
  }

  isUnreachable(cluster: { name: string; key: string }): boolean {
    return (this.#faults.unreachableClusters ?? []).some(
      c => c === cluster.name || c === cluster.key,
    );
  }

  async apply(ctx: RequestContext): Promise<FaultOutcome> {
    const rules = this.#faults.rules ?? [];
    let latency = 0;
    for (const rule of rules) {
      if (rule.latency && ruleMatches(rule, ctx)) {
        latency +=
          (rule.latency.fixedMs ?? 0) +
          this.#random() * (rule.latency.jitterMs ?? 0);
      }
    }
    if (latency > 0) {
      await sleep(latency);
    }
    for (const [index, rule] of rules.entries()) {
      if (!ruleMatches(rule, ctx)) continue;
      if (
        rule.throttle &&
        !this.#take(`${index}|${ctx.account}`, rule.throttle)
      ) {
        this.#onThrottle?.(ctx);
        return { kind: 'throttle' };
      }
      if (rule.errorRate && this.#random() < rule.errorRate) {
        return { kind: 'error', status: rule.errorStatus ?? 500 };
      }
    }
    return { kind: 'none' };
  }

  #take(key: string, throttle: { ratePerSecond: number; burst?: number }) {
    const capacity = Math.max(1, throttle.burst ?? throttle.ratePerSecond);
    const now = Date.now();
    const bucket = this.#buckets.get(key) ?? {
      tokens: capacity,
      updatedAt: now,
    };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens +
        ((now - bucket.updatedAt) / 1000) * throttle.ratePerSecond,
    );
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
