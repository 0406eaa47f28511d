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

import type { RbacSnapshot } from '@eks-access/plugin-eks-access-common';
import type { RbacReader } from '../aws/KubernetesRbacReader';
import type {
  AccessEntryInfo,
  EksClusterRef,
  SourceStatus,
} from '@eks-access/plugin-eks-access-common';
import type {
  AccessEntrySource,
  ClusterDescriber,
  DescribedCluster,
} from '../aws/EksApiSources';
import type {
  AwsAuthConfigMap,
  AwsAuthReader,
} from '../aws/KubernetesAwsAuthReader';
import { withCallPriority } from '../aws/AdaptiveRateLimiter';
import { awsSourceError, kubernetesSourceError } from '../aws/sourceErrors';
import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';
import { SharedReadCache } from './SharedReadCache';

/**
 * One cluster's access data, read once and shared by every user until it
 * expires or this plugin writes to the cluster.
 */
export interface ClusterSnapshot {
  cluster: EksClusterRef;
  /** When the reads started (ISO 8601). */
  fetchedAt: string;
  /** DescribeCluster; undefined when it failed. */
  described?: DescribedCluster;
  /**
   * The principal ARN of every access entry (ListAccessEntries, all pages).
   * Undefined when they could not be read or the mode ignores them. The
   * entries themselves are read lazily, per principal a check can match
   * ({@link ClusterSnapshotStore.entryDetails}).
   */
  accessEntryPrincipals?: string[];
  /**
   * Every entry in full: only in complete snapshots
   * ({@link ClusterSnapshotStore.get}), for the grant verification and the
   * admin diagnostics.
   */
  accessEntries?: AccessEntryInfo[];
  /** Undefined when it could not be read; null when the ConfigMap is absent. */
  awsAuth?: AwsAuthConfigMap | null;
  sources: {
    cluster: SourceStatus;
    accessEntries: SourceStatus;
    awsAuth: SourceStatus;
  };
}

/** Whether any source a snapshot needed failed. */
export function snapshotHasErrors(snapshot: ClusterSnapshot): boolean {
  return Object.values(snapshot.sources).some(s => s.state === 'error');
}

const OK: SourceStatus = { state: 'ok' };
const NOT_USED: SourceStatus = { state: 'not-used' };

/** The details of one access entry; `null` when it no longer exists. */
export type EntryDetail = AccessEntryInfo | null;

/**
 * Reads a cluster's snapshot: DescribeCluster, then in parallel the list of
 * access entry principals (modes with API) and aws-auth. Never throws: each
 * source's failure is kept in `sources`, and its data left undefined so
 * that the evaluator answers `unknown` instead of guessing. AWS calls are
 * rate-limited per attempt by the clients (see `ClusterClients`); the
 * Kubernetes read runs under the per-account concurrency limit.
 */
export class ClusterSnapshotReader {
  readonly #describer: ClusterDescriber;
  readonly #entries: AccessEntrySource;
  readonly #awsAuth: AwsAuthReader;
  readonly #rbac?: RbacReader;
  readonly #limiter: KeyedConcurrencyLimiter;
  readonly #now: () => number;

  constructor(options: {
    describer: ClusterDescriber;
    accessEntries: AccessEntrySource;
    awsAuth: AwsAuthReader;
    limiter: KeyedConcurrencyLimiter;
    now?: () => number;
    /** Optional: without it the verdict cannot tell Forbidden from allowed. */
    rbac?: RbacReader;
  }) {
    this.#rbac = options.rbac;
    this.#describer = options.describer;
    this.#entries = options.accessEntries;
    this.#awsAuth = options.awsAuth;
    this.#limiter = options.limiter;
    this.#now = options.now ?? Date.now;
  }

  async read(cluster: EksClusterRef): Promise<ClusterSnapshot> {
    const fetchedAt = new Date(this.#now()).toISOString();

    let described: DescribedCluster;
    try {
      described = await this.#describer.describeCluster(cluster);
    } catch (error) {
      const status = awsSourceError(
        error,
        'eks:DescribeCluster',
        `describe cluster ${cluster.name}`,
      );
      return {
        cluster,
        fetchedAt,
        sources: {
          cluster: status,
          accessEntries: {
            state: 'error',
            errorCode: 'NotRead',
            message: 'Not read because DescribeCluster failed.',
          },
          awsAuth: {
            state: 'error',
            errorCode: 'NotRead',
            message: 'Not read because DescribeCluster failed.',
          },
        },
      };
    }

    const mode = described.authenticationMode ?? 'CONFIG_MAP';
    const [entries, awsAuth] = await Promise.all([
      mode === 'CONFIG_MAP'
        ? Promise.resolve({ status: NOT_USED, value: undefined })
        : this.#readAccessEntryPrincipals(cluster),
      this.#readAwsAuth(cluster, described),
    ]);

    return {
      cluster,
      fetchedAt,
      described,
      accessEntryPrincipals: entries.value,
      awsAuth: awsAuth.value,
      sources: {
        cluster: OK,
        accessEntries: entries.status,
        awsAuth: awsAuth.status,
      },
    };
  }

  /**
   * The cluster's RBAC objects; undefined when there is no reader or the
   * read failed. RBAC is extra: without it a verdict only says less.
   */
  async readRbac(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<RbacSnapshot | undefined> {
    if (!this.#rbac) return undefined;
    const rbac = this.#rbac;
    return this.#limiter
      .run(cluster.accountId, () => rbac.readRbac(cluster, described))
      .catch(() => undefined);
  }

  /**
   * One access entry with its policies; `null` when it was deleted since
   * the list was read. Throws when it could not be read.
   */
  async readEntryDetail(
    cluster: EksClusterRef,
    principalArn: string,
  ): Promise<EntryDetail> {
    try {
      return await this.#entries.describeAccessEntry(cluster, principalArn);
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') {
        return null;
      }
      throw error;
    }
  }

  async #readAccessEntryPrincipals(
    cluster: EksClusterRef,
  ): Promise<{ status: SourceStatus; value?: string[] }> {
    try {
      const value = await this.#entries.listAccessEntries(cluster);
      return { status: OK, value };
    } catch (error) {
      return {
        status: awsSourceError(
          error,
          'eks:ListAccessEntries',
          `list the access entries of ${cluster.name}`,
        ),
      };
    }
  }

  async #readAwsAuth(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<{
    status: SourceStatus;
    value?: AwsAuthConfigMap | null;
  }> {
    try {
      const value = await this.#limiter.run(cluster.accountId, () =>
        this.#awsAuth.readAwsAuth(cluster, described),
      );
      return { status: OK, value };
    } catch (error) {
      return { status: kubernetesSourceError(error, cluster.name) };
    }
  }
}

/** The entries a check may match, or why they could not be read. */
export type EntryDetailsResult =
  | { state: 'ok'; entries: AccessEntryInfo[] }
  | { state: 'error'; error: SourceStatus };

/**
 * The shared cache of cluster snapshots: a time to live (shorter when a
 * source failed), single-flight reads, and invalidation after writes.
 * Access entry details are cached the same way, per cluster and principal,
 * and read only for the principals a check can match.
 */
export class ClusterSnapshotStore {
  readonly #reader: SnapshotReads;
  readonly #rbac = new WeakMap<
    ClusterSnapshot,
    Promise<RbacSnapshot | undefined>
  >();
  readonly #cache: SharedReadCache<ClusterSnapshot>;
  readonly #details = new Map<string, SharedReadCache<DetailLookup>>();
  readonly #complete = new WeakMap<ClusterSnapshot, Promise<ClusterSnapshot>>();
  readonly #ttlMs: number;
  readonly #errorTtlMs: number;
  readonly #minRefreshIntervalMs: number;
  readonly #now?: () => number;

  constructor(options: {
    reader: SnapshotReads;
    ttlMs: number;
    errorTtlMs: number;
    minRefreshIntervalMs: number;
    now?: () => number;
  }) {
    this.#reader = options.reader;
    this.#ttlMs = options.ttlMs;
    this.#errorTtlMs = options.errorTtlMs;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs;
    this.#now = options.now;
    this.#cache = new SharedReadCache<ClusterSnapshot>({
      ttlFor: snapshot =>
        snapshotHasErrors(snapshot) ? options.errorTtlMs : options.ttlMs,
      now: options.now,
    });
  }

  /**
   * The cluster's shared snapshot: description, access entry principals,
   * aws-auth; no entry details. With `refresh`, a snapshot older than the
   * minimum refresh interval is read again.
   */
  snapshot(
    cluster: EksClusterRef,
    options: { refresh?: boolean } = {},
  ): Promise<ClusterSnapshot> {
    return this.#cache.get(cluster.arn, () => this.#reader.read(cluster), {
      maxAgeMs: options.refresh ? this.#minRefreshIntervalMs : undefined,
    });
  }

  /**
   * The RBAC of a snapshot's cluster, read on first need (an identity that
   * gets in, or a fix plan RBAC decides) and kept with the snapshot: the
   * same time to live, single-flight, and dropped when it is invalidated.
   * Shared by every user.
   */
  rbac(snapshot: ClusterSnapshot): Promise<RbacSnapshot | undefined> {
    let rbac = this.#rbac.get(snapshot);
    if (!rbac) {
      rbac =
        snapshot.described && this.#reader.readRbac
          ? this.#reader.readRbac(snapshot.cluster, snapshot.described)
          : Promise.resolve(undefined);
      this.#rbac.set(snapshot, rbac);
    }
    return rbac;
  }

  /**
   * For the background warmer: reads the cluster's snapshot again when the
   * cached one is older than `refreshAfterMs`, while checks keep using the
   * cached one, then what checks read lazily for the old one: its RBAC, and
   * the entry details read before. A cluster without a fresh snapshot is
   * left alone (the next check reads it at its own priority, instead of
   * joining a background read). Returns whether it read.
   */
  async warm(
    cluster: EksClusterRef,
    options: { refreshAfterMs: number },
  ): Promise<boolean> {
    const before = this.#cache.peek(cluster.arn);
    if (!before) return false;
    const after = await this.#cache.get(
      cluster.arn,
      () => this.#reader.read(cluster),
      { maxAgeMs: options.refreshAfterMs },
    );
    if (after === before) return false;
    const listed = new Set(after.accessEntryPrincipals ?? []);
    const readBefore = (this.#details.get(cluster.arn)?.keys() ?? []).filter(
      principal => listed.has(principal),
    );
    await Promise.all([
      this.#rbac.has(before) ? this.rbac(after) : undefined,
      readBefore.length
        ? this.entryDetails(after, readBefore, {
            maxAgeMs: options.refreshAfterMs,
          })
        : undefined,
    ]);
    return true;
  }

  /** The cached snapshot without reading, if still fresh. */
  peek(cluster: EksClusterRef): ClusterSnapshot | undefined {
    return this.#cache.peek(cluster.arn);
  }

  /**
   * The details of some of a snapshot's access entries, each read once per
   * TTL and shared. An entry deleted since the list was read is left out.
   */
  async entryDetails(
    snapshot: ClusterSnapshot,
    principalArns: readonly string[],
    options: { refresh?: boolean; maxAgeMs?: number } = {},
  ): Promise<EntryDetailsResult> {
    const { cluster } = snapshot;
    let cache = this.#details.get(cluster.arn);
    if (!cache) {
      cache = new SharedReadCache<DetailLookup>({
        ttlFor: lookup =>
          lookup.state === 'error' ? this.#errorTtlMs : this.#ttlMs,
        now: this.#now,
      });
      this.#details.set(cluster.arn, cache);
    }
    const details = cache;
    const lookups = await Promise.all(
      principalArns.map(principalArn =>
        details.get(
          principalArn,
          async (): Promise<DetailLookup> => {
            try {
              const entry = await this.#reader.readEntryDetail(
                cluster,
                principalArn,
              );
              return { state: 'ok', entry };
            } catch (error) {
              return {
                state: 'error',
                error: awsSourceError(
                  error,
                  'eks:DescribeAccessEntry',
                  `read the access entry of ${principalArn} on ${cluster.name}`,
                ),
              };
            }
          },
          {
            maxAgeMs:
              options.maxAgeMs ??
              (options.refresh ? this.#minRefreshIntervalMs : undefined),
          },
        ),
      ),
    );
    const failed = lookups.find(l => l.state === 'error');
    if (failed?.state === 'error') {
      return { state: 'error', error: failed.error };
    }
    return {
      state: 'ok',
      entries: lookups.flatMap(l =>
        l.state === 'ok' && l.entry ? [l.entry] : [],
      ),
    };
  }

  /**
   * The cluster's snapshot with every access entry in full, for the grant
   * verification and the admin diagnostics: one DescribeAccessEntry and
   * ListAssociatedAccessPolicies per entry (cached like any detail). With
   * `refresh`, a snapshot older than the minimum refresh interval is read
   * again.
   */
  async get(
    cluster: EksClusterRef,
    options: { refresh?: boolean } = {},
  ): Promise<ClusterSnapshot> {
    const snapshot = await this.snapshot(cluster, options);
    let complete = this.#complete.get(snapshot);
    if (!complete) {
      complete = this.#completed(snapshot, options);
      this.#complete.set(snapshot, complete);
      // an entry that failed is retried after the error TTL, not kept
      complete.then(result => {
        if (result.sources.accessEntries !== snapshot.sources.accessEntries) {
          this.#complete.delete(snapshot);
        }
      });
    }
    return complete;
  }

  async #completed(
    snapshot: ClusterSnapshot,
    options: { refresh?: boolean },
  ): Promise<ClusterSnapshot> {
    if (!snapshot.accessEntryPrincipals) {
      return snapshot;
    }
    // reading every entry is never on a user's critical path: it queues
    // behind the users' checks
    const principals = snapshot.accessEntryPrincipals;
    const details = await withCallPriority('background', () =>
      this.entryDetails(snapshot, principals, options),
    );
    if (details.state === 'error') {
      return {
        ...snapshot,
        sources: { ...snapshot.sources, accessEntries: details.error },
      };
    }
    return { ...snapshot, accessEntries: details.entries };
  }

  /**
   * Forgets a cluster's snapshot and entry details, e.g. after this plugin
   * changed its access.
   */
  invalidate(clusterArn: string) {
    this.#cache.invalidate(clusterArn);
    this.#details.delete(clusterArn);
  }
}

/** What the store reads through; `readRbac` is optional (no RBAC: verdicts say less). */
type SnapshotReads = Pick<ClusterSnapshotReader, 'read' | 'readEntryDetail'> &
  Partial<Pick<ClusterSnapshotReader, 'readRbac'>>;

type DetailLookup =
  | { state: 'ok'; entry: EntryDetail }
  | { state: 'error'; error: SourceStatus };
