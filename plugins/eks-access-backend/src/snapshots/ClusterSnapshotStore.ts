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
  AwsAuthReader,
  ClusterDescriber,
  DescribedCluster,
} from '../aws/sources';
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
  /** Undefined when they could not be read or the mode ignores them. */
  accessEntries?: AccessEntryInfo[];
  /** Undefined when it could not be read; null when the ConfigMap is absent. */
  awsAuth?: { data: Record<string, string> } | null;
  /** Kubernetes RBAC; undefined when not read (no reader, or it failed). */
  rbac?: RbacSnapshot;
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

/**
 * Reads a cluster's snapshot: DescribeCluster, then in parallel the access
 * entries (modes with API) and aws-auth. Never throws: each source's failure
 * is kept in `sources`, and its data left undefined so that the evaluator
 * answers `unknown` instead of guessing. Every call runs under the
 * per-account concurrency limit.
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
    const limited = <T>(task: () => Promise<T>) =>
      this.#limiter.run(cluster.accountId, task);

    let described: DescribedCluster;
    try {
      described = await limited(() => this.#describer.describeCluster(cluster));
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
    const [entries, awsAuth, rbac] = await Promise.all([
      mode === 'CONFIG_MAP'
        ? Promise.resolve({ status: NOT_USED, value: undefined })
        : this.#readAccessEntries(cluster, limited),
      this.#readAwsAuth(cluster, described, limited),
      // RBAC is extra: when it cannot be read the verdict only says less.
      this.#rbac
        ? limited(() => this.#rbac!.readRbac(cluster, described)).catch(
            () => undefined,
          )
        : Promise.resolve(undefined),
    ]);

    return {
      cluster,
      fetchedAt,
      described,
      accessEntries: entries.value,
      awsAuth: awsAuth.value,
      ...(rbac ? { rbac } : {}),
      sources: {
        cluster: OK,
        accessEntries: entries.status,
        awsAuth: awsAuth.status,
      },
    };
  }

  async #readAccessEntries(
    cluster: EksClusterRef,
    limited: <T>(task: () => Promise<T>) => Promise<T>,
  ): Promise<{ status: SourceStatus; value?: AccessEntryInfo[] }> {
    let principals: string[];
    try {
      principals = await limited(() =>
        this.#entries.listAccessEntries(cluster),
      );
    } catch (error) {
      return {
        status: awsSourceError(
          error,
          'eks:ListAccessEntries',
          `list the access entries of ${cluster.name}`,
        ),
      };
    }
    try {
      const value = await Promise.all(
        principals.map(principalArn =>
          limited(() =>
            this.#entries.describeAccessEntry(cluster, principalArn),
          ),
        ),
      );
      return { status: OK, value };
    } catch (error) {
      return {
        status: awsSourceError(
          error,
          'eks:DescribeAccessEntry',
          `read the access entries of ${cluster.name}`,
        ),
      };
    }
  }

  async #readAwsAuth(
    cluster: EksClusterRef,
    described: DescribedCluster,
    limited: <T>(task: () => Promise<T>) => Promise<T>,
  ): Promise<{
    status: SourceStatus;
    value?: { data: Record<string, string> } | null;
  }> {
    try {
      const value = await limited(() =>
        this.#awsAuth.readAwsAuth(cluster, described),
      );
      return { status: OK, value };
    } catch (error) {
      return { status: kubernetesSourceError(error, cluster.name) };
    }
  }
}

/**
 * The shared cache of cluster snapshots: a time to live (shorter when a
 * source failed), single-flight reads, and invalidation after writes.
 */
export class ClusterSnapshotStore {
  readonly #reader: Pick<ClusterSnapshotReader, 'read'>;
  readonly #cache: SharedReadCache<ClusterSnapshot>;
  readonly #minRefreshIntervalMs: number;

  constructor(options: {
    reader: Pick<ClusterSnapshotReader, 'read'>;
    ttlMs: number;
    errorTtlMs: number;
    minRefreshIntervalMs: number;
    now?: () => number;
  }) {
    this.#reader = options.reader;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs;
    this.#cache = new SharedReadCache<ClusterSnapshot>({
      ttlFor: snapshot =>
        snapshotHasErrors(snapshot) ? options.errorTtlMs : options.ttlMs,
      now: options.now,
    });
  }

  /**
   * The cluster's snapshot. With `refresh`, a snapshot older than the
   * minimum refresh interval is read again.
   */
  get(
    cluster: EksClusterRef,
    options: { refresh?: boolean } = {},
  ): Promise<ClusterSnapshot> {
    return this.#cache.get(cluster.arn, () => this.#reader.read(cluster), {
      maxAgeMs: options.refresh ? this.#minRefreshIntervalMs : undefined,
    });
  }

  /** Forgets a cluster's snapshot, e.g. after this plugin changed its access. */
  invalidate(clusterArn: string) {
    this.#cache.invalidate(clusterArn);
  }
}
