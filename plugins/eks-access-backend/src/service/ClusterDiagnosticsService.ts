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

import type { ClusterDiagnostics } from '@eks-access/plugin-eks-access-common';
import type { ClusterSnapshotStore } from '../snapshots/ClusterSnapshotStore';
import type { ClusterCreatorSource } from '../creator/AuthenticatorLogCreatorSource';
import {
  clusterCreatorFromEvidence,
  clusterFacts,
  type ClusterEntity,
} from './EksAccessService';
import type { SnapshotEvaluator } from '../snapshots/SnapshotEvaluator';

/**
 * Admin diagnostics for one cluster: counts and findings only. The raw
 * aws-auth data and the list of principals are never returned.
 */
export class ClusterDiagnosticsService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #evaluator: SnapshotEvaluator;
  readonly #creators?: ClusterCreatorSource;

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    evaluator: SnapshotEvaluator;
    creators?: ClusterCreatorSource;
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
    const creator = await clusterCreatorFromEvidence(
      target,
      snapshot,
      this.#creators,
    );
    // the evaluator's index of this snapshot, shared with the users' checks:
    // aws-auth is parsed once per snapshot
    const { awsAuth } = this.#evaluator.index(snapshot, creator?.arn);
    const findings = this.#evaluator.clusterFindings(snapshot, creator?.arn);
    return {
      cluster: clusterFacts(target, snapshot),
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
      ...(creator ? { creator } : {}),
    };
  }
}
