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
  ACCESS_REVIEW_PROBES,
  ACCESS_REVIEW_PROBE_NAMES,
  summarizeAccessReviews,
  type AccessReviewAnswer,
  type AccessReviewProbe,
  type PermissionSummary,
} from '@eks-access/plugin-eks-access-common';
import {
  AccessReviewUnavailableError,
  type AccessReviewer,
  type ReviewSubject,
} from '../aws/KubernetesAccessReviewer';
import type { ClusterSnapshot } from './ClusterSnapshotStore';
import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';

/** The cluster's own answer, or why the RBAC snapshot must answer instead. */
export type SubjectPermissions =
  | { state: 'answered'; summary: PermissionSummary }
  | { state: 'fallback'; reason: string };

/**
 * What admitted subjects may do, asked of each cluster with
 * SubjectAccessReviews: the probes of the permission summary for the whole
 * cluster, then, in each namespace, the probes the whole cluster did not
 * already allow. Answers are kept with the snapshot they were asked for
 * (same time to live, dropped with it on invalidation) and shared by every
 * user with the same subject. Once a cluster refuses (Backstage may not
 * create reviews, or may not list namespaces, or it has too many), it is
 * not asked again for a snapshot TTL: the caller falls back to the RBAC
 * snapshot.
 */
export class SubjectPermissionsStore {
  readonly #reviewer: AccessReviewer;
  readonly #limiter: KeyedConcurrencyLimiter;
  readonly #maxNamespaces: number;
  readonly #namespaces = new WeakMap<ClusterSnapshot, Promise<string[]>>();
  /** Clusters that refused, by ARN: not asked again until the refusal expires. */
  readonly #refused = new Map<string, { reason: string; until: number }>();
  readonly #refusalTtlMs: number;
  readonly #now: () => number;
  readonly #answers = new WeakMap<
    ClusterSnapshot,
    Map<string, Promise<SubjectPermissions>>
  >();

  constructor(options: {
    reviewer: AccessReviewer;
    limiter: KeyedConcurrencyLimiter;
    /** More namespaces than this: the reviews would cost too much; the RBAC snapshot answers. */
    maxNamespaces: number;
    /** How long a refusal is remembered (the snapshot TTL: a new grant is noticed as fast as other changes). */
    refusalTtlMs: number;
    now?: () => number;
  }) {
    this.#refusalTtlMs = options.refusalTtlMs;
    this.#now = options.now ?? Date.now;
    this.#reviewer = options.reviewer;
    this.#limiter = options.limiter;
    this.#maxNamespaces = options.maxNamespaces;
  }

  /** The subject's permissions on the snapshot's cluster, asked once per snapshot. */
  permissions(
    snapshot: ClusterSnapshot,
    subject: ReviewSubject,
  ): Promise<SubjectPermissions> {
    const refused = this.#refusal(snapshot);
    if (refused) {
      return Promise.resolve({ state: 'fallback', reason: refused });
    }
    let bySubject = this.#answers.get(snapshot);
    if (!bySubject) {
      bySubject = new Map();
      this.#answers.set(snapshot, bySubject);
    }
    const key = JSON.stringify([
      subject.username,
      [...subject.groups].sort(),
      subject.extra ?? {},
    ]);
    let answer = bySubject.get(key);
    if (!answer) {
      const asked = this.#ask(snapshot, subject);
      bySubject.set(key, asked);
      // a failed review (not a refusal) is asked again by the next check
      asked.then(result => {
        if (result.state === 'fallback' && !this.#refusal(snapshot)) {
          bySubject!.delete(key);
        }
      });
      answer = asked;
    }
    return answer;
  }

  async #ask(
    snapshot: ClusterSnapshot,
    subject: ReviewSubject,
  ): Promise<SubjectPermissions> {
    const { described, cluster } = snapshot;
    if (!described) {
      return { state: 'fallback', reason: 'DescribeCluster failed' };
    }
    const review = (probe: AccessReviewProbe, namespace?: string) =>
      this.#limiter.run(cluster.accountId, () =>
        this.#reviewer.review(cluster, described, subject, {
          ...ACCESS_REVIEW_PROBES[probe],
          ...(namespace ? { namespace } : {}),
        }),
      );
    try {
      // one review first: a cluster that refuses costs one call, not four
      const [first, ...rest] = ACCESS_REVIEW_PROBE_NAMES;
      const firstAllowed = await review(first);
      const clusterWide: AccessReviewAnswer[] = [
        { namespace: '*', probe: first, allowed: firstAllowed },
        ...(await Promise.all(
          rest.map(async probe => ({
            namespace: '*',
            probe,
            allowed: await review(probe),
          })),
        )),
      ];
      const open = clusterWide.filter(a => !a.allowed).map(a => a.probe);
      const namespaces = open.length ? await this.#namespacesOf(snapshot) : [];
      if (namespaces.length > this.#maxNamespaces) {
        const reason = `the cluster has ${
          namespaces.length
        } namespaces, more than the ${
          this.#maxNamespaces
        } Backstage asks about one by one`;
        this.#refuse(snapshot, reason);
        return { state: 'fallback', reason };
      }
      const namespaced = await Promise.all(
        namespaces.flatMap(namespace =>
          open.map(async probe => ({
            namespace,
            probe,
            allowed: await review(probe, namespace),
          })),
        ),
      );
      return {
        state: 'answered',
        summary: summarizeAccessReviews([...clusterWide, ...namespaced]),
      };
    } catch (error) {
      const reason =
        error instanceof AccessReviewUnavailableError
          ? error.message
          : `the review failed (${(error as Error).name ?? 'Error'})`;
      // A refusal holds for every subject on the cluster for a while.
      if (error instanceof AccessReviewUnavailableError) {
        this.#refuse(snapshot, reason);
      }
      return { state: 'fallback', reason };
    }
  }

  #refusal(snapshot: ClusterSnapshot): string | undefined {
    const refused = this.#refused.get(snapshot.cluster.arn);
    if (refused && refused.until > this.#now()) return refused.reason;
    return undefined;
  }

  #refuse(snapshot: ClusterSnapshot, reason: string) {
    this.#refused.set(snapshot.cluster.arn, {
      reason,
      until: this.#now() + this.#refusalTtlMs,
    });
  }

  #namespacesOf(snapshot: ClusterSnapshot): Promise<string[]> {
    let namespaces = this.#namespaces.get(snapshot);
    if (!namespaces) {
      namespaces = this.#limiter.run(snapshot.cluster.accountId, () =>
        this.#reviewer.listNamespaces(snapshot.cluster, snapshot.described!),
      );
      this.#namespaces.set(snapshot, namespaces);
      namespaces.catch(() => this.#namespaces.delete(snapshot));
    }
    return namespaces;
  }
}
