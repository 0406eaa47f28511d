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
  ClusterDiagnostics,
  DenialGroup,
} from '@eks-access/plugin-eks-access-common';
import { explainDenials } from './denialLookalikes';
import type { ClusterSnapshotStore } from '../snapshots/ClusterSnapshotStore';
import {
  declaredClusterCreator,
  type ClusterCreatorResolver,
} from '../creator/ClusterCreatorResolver';
import { clusterFacts, type ClusterEntity } from './EksAccessService';
import type { SnapshotEvaluator } from '../snapshots/SnapshotEvaluator';

/**
 * Admin diagnostics for one cluster: counts and findings only. The raw
 * aws-auth data and the list of principals are never returned.
 */
export class ClusterDiagnosticsService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #evaluator: SnapshotEvaluator;
  readonly #creators?: ClusterCreatorResolver;

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    evaluator: SnapshotEvaluator;
    creators?: ClusterCreatorResolver;
  }) {
    this.#snapshots = options.snapshots;
    this.#evaluator = options.evaluator;
    this.#creators = options.creators;
  }

  async diagnose(
    target: ClusterEntity,
    options: { refresh?: boolean } = {},
  ): Promise<ClusterDiagnostics> {
    const snapshot = await this.#snapshots.get(target.cluster, options);
    const creator = this.#creators
      ? await this.#creators.resolve(target.entity, target.cluster, snapshot)
      : declaredClusterCreator(target.entity, snapshot);
    // the evaluator's index of this snapshot, shared with the users' checks:
    // aws-auth is parsed once per snapshot
    const { awsAuth } = this.#evaluator.index(snapshot, creator?.arn);
    const findings = this.#evaluator.clusterFindings(snapshot, creator?.arn);
    return {
      cluster: clusterFacts(target, snapshot, creator),
      awsAuth: {
        present: Boolean(snapshot.awsAuth),
        mapRoles: awsAuth.mapRoles.length,
        mapUsers: awsAuth.mapUsers.length,
        mapAccounts: awsAuth.mapAccounts.length,
        findings: findings.filter(f => f.code.startsWith('AWS_AUTH_')),
      },
      accessEntries: {
        count: snapshot.accessEntries?.length ?? 0,
        findings: findings.filter(f => !f.code.startsWith('AWS_AUTH_')),
      },
      ...(creator?.arn
        ? { creator: { arn: creator.arn, source: creator.source } }
        : {}),
      ...(creator && 'unknown' in creator
        ? { creatorUnknown: creator.unknown }
        : {}),
    };
  }

  /**
   * Links recent denials to the finding that explains them, when a denied
   * ARN looks like a mapping gone wrong: evaluated against the shared
   * snapshot as if it were the caller (the evaluator's near-miss findings),
   * else compared with every mapped ARN (a typo).
   */
  async explainDenials(
    target: ClusterEntity,
    groups: DenialGroup[],
  ): Promise<DenialGroup[]> {
    if (!groups.some(g => g.arn)) return groups;
    const snapshot = await this.#snapshots.snapshot(target.cluster);
    const creator = this.#creators
      ? await this.#creators.resolve(target.entity, target.cluster, snapshot)
      : declaredClusterCreator(target.entity, snapshot);
    const creatorArn = creator?.arn;
    const now = new Date().toISOString();
    const awsAuth = this.#evaluator.parsedAwsAuth(snapshot);
    const mappedArns = [
      ...awsAuth.mapRoles.map(m => m.rolearn),
      ...awsAuth.mapUsers.map(m => m.userarn),
      ...(snapshot.accessEntryPrincipals ?? []),
    ].filter((arn): arn is string => typeof arn === 'string' && !!arn);
    return explainDenials(groups, {
      evaluate: identity =>
        this.#evaluator.evaluate(snapshot, identity, {}, { creatorArn, now }),
      mappedArns,
    });
  }
}
