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

/*
 * The one home of "who created this cluster". EKS admits the creator as
 * `kubernetes-admin` in `system:masters` in the CONFIG_MAP modes without any
 * visible mapping, and never says who it is; the evidence, in order:
 * the catalog annotation (an override), a cluster tag with the same key, the
 * authenticator log's kubernetes-admin line, CloudTrail's CreateCluster event.
 */

import type { Entity } from '@backstage/catalog-model';
import {
  canonicalPrincipalArn,
  EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION,
  type ClusterCreatorSourceKind,
  type ClusterCreatorUnknown,
  type EksClusterRef,
} from '@eks-access/plugin-eks-access-common';
import type { ClusterSnapshot } from '../snapshots/ClusterSnapshotStore';
import type { SnapshotEvaluator } from '../snapshots/SnapshotEvaluator';

/** What one source of evidence says about the creator. */
export interface CreatorLookup {
  /** The creator's ARN as the evidence names it. */
  arn?: string;
  /** Why it names none, for the admin (e.g. CloudTrail's 90 days). */
  note?: string;
}

/** Finds who created a cluster, from evidence outside the catalog. */
export interface ClusterCreatorSource {
  creatorOf(
    cluster: EksClusterRef,
    hints?: { createdAt?: string },
  ): Promise<CreatorLookup>;
}

/** The cluster creator's ARN and the evidence that names it. */
export interface ClusterCreator {
  arn: string;
  source: ClusterCreatorSourceKind;
}

/** The creator, or why no source names it; undefined where it does not matter (API mode). */
export type ClusterCreatorResolution =
  | ClusterCreator
  | { arn?: undefined; unknown: ClusterCreatorUnknown };

/**
 * The creator the catalog or the cluster declares: the entity annotation,
 * else a cluster tag with the same key. No AWS call: for the services that
 * must not wait for evidence (the fleet overview, migration, grants).
 */
export function declaredClusterCreator(
  entity: Entity | undefined,
  snapshot: ClusterSnapshot,
): ClusterCreator | undefined {
  const annotated =
    entity?.metadata.annotations?.[EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION];
  if (annotated) return { arn: annotated, source: 'annotation' };
  const tagged =
    snapshot.described?.tags[EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION];
  if (tagged) return { arn: tagged, source: 'tag' };
  return undefined;
}

/** {@link declaredClusterCreator}'s ARN. */
export function declaredClusterCreatorArn(
  entity: Entity | undefined,
  snapshot: ClusterSnapshot,
): string | undefined {
  return declaredClusterCreator(entity, snapshot)?.arn;
}

const arnKey = (arn: string | undefined) => {
  try {
    return arn ? canonicalPrincipalArn(arn).toLowerCase() : undefined;
  } catch {
    return arn?.toLowerCase();
  }
};

/**
 * Resolves the creator from every source in order. The aws-auth check on
 * the log's line uses the evaluator's parsed index of the snapshot (shared
 * with the checks), never a second parse.
 */
export class ClusterCreatorResolver {
  readonly #evaluator: Pick<SnapshotEvaluator, 'parsedAwsAuth'>;
  readonly #log?: ClusterCreatorSource;
  readonly #cloudTrail?: ClusterCreatorSource;

  constructor(options: {
    evaluator: Pick<SnapshotEvaluator, 'parsedAwsAuth'>;
    /** The authenticator log (`AuthenticatorLogCreatorSource`). */
    log?: ClusterCreatorSource;
    /** CloudTrail's event history (`CloudTrailCreatorSource`). */
    cloudTrail?: ClusterCreatorSource;
  }) {
    this.#evaluator = options.evaluator;
    this.#log = options.log;
    this.#cloudTrail = options.cloudTrail;
  }

  async resolve(
    entity: Entity | undefined,
    cluster: EksClusterRef,
    snapshot: ClusterSnapshot,
  ): Promise<ClusterCreatorResolution | undefined> {
    const declared = declaredClusterCreator(entity, snapshot);
    if (declared) return declared;
    const { described } = snapshot;
    // Without DescribeCluster nothing is known; in API mode the creator is
    // an access entry like any other (or none), so no evidence is read.
    if (!described) return undefined;
    const mode = described.authenticationMode ?? 'CONFIG_MAP';
    if (mode === 'API') return undefined;
    const notes = [
      `No ${EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION} annotation on the entity or tag on the cluster.`,
    ];
    if (this.#log) {
      if (!described.authenticatorLogging) {
        // Only where the log exists: no call at all for clusters without it.
        notes.push(
          'Authenticator logging is off: no kubernetes-admin line to read.',
        );
      } else {
        const logged = await this.#log.creatorOf(cluster);
        if (logged.arn && !this.#mappedAsAdmin(snapshot, logged.arn)) {
          return { arn: logged.arn, source: 'authenticator-log' };
        }
        notes.push(
          logged.arn
            ? `The authenticator log's kubernetes-admin line names ${logged.arn}, which aws-auth itself maps to kubernetes-admin: it does not prove who created the cluster.`
            : logged.note ??
                'No kubernetes-admin line in the authenticator log (it holds lines only from when logging was turned on).',
        );
      }
    }
    if (this.#cloudTrail) {
      const trail = await this.#cloudTrail.creatorOf(cluster, {
        createdAt: described.createdAt,
      });
      if (trail.arn) return { arn: trail.arn, source: 'cloudtrail' };
      if (trail.note) notes.push(trail.note);
    }
    return { unknown: { notes } };
  }

  /**
   * A log line whose ARN aws-auth itself maps to `kubernetes-admin` could be
   * that mapping's, not the creator's.
   */
  #mappedAsAdmin(snapshot: ClusterSnapshot, arn: string): boolean {
    if (!snapshot.awsAuth) return false;
    // the evaluator's parsed aws-auth, shared with the checks
    const awsAuth = this.#evaluator.parsedAwsAuth(snapshot);
    const key = arnKey(arn);
    return [
      ...awsAuth.mapRoles.map(m => ({ arn: m.rolearn, username: m.username })),
      ...awsAuth.mapUsers.map(m => ({ arn: m.userarn, username: m.username })),
    ].some(m => m.username === 'kubernetes-admin' && arnKey(m.arn) === key);
  }
}
