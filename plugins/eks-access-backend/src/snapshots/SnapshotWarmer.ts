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

import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import { withCallPriority } from '../aws/AdaptiveRateLimiter';
import type { ClusterSnapshotStore } from './ClusterSnapshotStore';
import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';

/** Settings of {@link SnapshotWarmer} (`eksAccess.snapshots.warmer`). */
export interface SnapshotWarmerSettings {
  enabled: boolean;
  /** How often a pass runs. */
  intervalMs: number;
  /** A cluster checked within this long ago is kept warm. */
  recentMs: number;
  /** A snapshot is read again once it is older than this (before its TTL ends). */
  refreshAfterMs: number;
  /** The most clusters kept warm (the most recently checked). */
  maxClusters: number;
}

/**
 * Keeps the snapshots of recently checked clusters warm: shortly before a
 * snapshot expires it is read again, while checks keep using the old one,
 * so the next check finds a fresh snapshot instead of paying a cold read.
 * Every call it makes queues at the rate limiter's `background` priority,
 * behind any user's check or fleet page, and at most one cluster per
 * account is warmed at a time, so it never holds the account's slots.
 */
export class SnapshotWarmer {
  readonly #store: ClusterSnapshotStore;
  readonly #settings: SnapshotWarmerSettings;
  readonly #now: () => number;
  readonly #logger?: LoggerService;
  /** Recently checked clusters, least recent first (Map order). */
  readonly #recent = new Map<string, { cluster: EksClusterRef; at: number }>();
  readonly #perAccount = new KeyedConcurrencyLimiter(1);

  constructor(options: {
    store: ClusterSnapshotStore;
    settings: SnapshotWarmerSettings;
    logger?: LoggerService;
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Notes that a user checked the cluster. Cheap: no I/O. */
  touch(cluster: EksClusterRef) {
    this.#recent.delete(cluster.arn);
    this.#recent.set(cluster.arn, { cluster, at: this.#now() });
    while (this.#recent.size > this.#settings.maxClusters) {
      this.#recent.delete(this.#recent.keys().next().value!);
    }
  }

  /** The clusters being kept warm, most recently checked last. */
  get clusters(): EksClusterRef[] {
    return [...this.#recent.values()].map(r => r.cluster);
  }

  /** One pass: every recent cluster whose snapshot is about to expire is read again. */
  async warmOnce(): Promise<{ refreshed: number }> {
    const now = this.#now();
    for (const [arn, { at }] of this.#recent) {
      if (now - at > this.#settings.recentMs) this.#recent.delete(arn);
    }
    const results = await withCallPriority('background', () =>
      Promise.all(
        this.clusters.map(cluster =>
          this.#perAccount.run(cluster.accountId, () =>
            this.#store
              .warm(cluster, { refreshAfterMs: this.#settings.refreshAfterMs })
              .catch(error => {
                this.#logger?.warn(
                  `Could not warm the snapshot of ${cluster.arn}: ${error}`,
                );
                return false;
              }),
          ),
        ),
      ),
    );
    return { refreshed: results.filter(Boolean).length };
  }

  /** Runs a pass every interval on this backend instance (the caches are per instance). */
  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'eks-access-snapshot-warmer',
      scope: 'local',
      frequency: { milliseconds: this.#settings.intervalMs },
      timeout: { milliseconds: Math.max(this.#settings.intervalMs, 60_000) },
      fn: async () => {
        await this.warmOnce();
      },
    });
  }
}
