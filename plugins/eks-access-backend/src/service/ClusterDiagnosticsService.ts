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
import {
  clusterCreatorArn,
  type SnapshotEvaluator,
} from '../snapshots/SnapshotEvaluator';
import { clusterFacts, type ClusterEntity } from './EksAccessService';

/**
 * Admin diagnostics for one cluster: counts and findings only. The raw
 * aws-auth data and the list of principals are never returned.
 */
export class ClusterDiagnosticsService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #evaluator: SnapshotEvaluator;

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    evaluator: SnapshotEvaluator;
  }) {
    this.#snapshots = options.snapshots;
    this.#evaluator = options.evaluator;
  }

  async diagnose(
    target: ClusterEntity,
    options: { refresh?: boolean } = {},
  ): Promise<ClusterDiagnostics> {
    const snapshot = await this.#snapshots.get(target.cluster, options);
    // the evaluator's index of this snapshot, shared with the users' checks:
    // aws-auth is parsed once per snapshot
    const creatorArn = clusterCreatorArn(target.entity, snapshot);
    const { awsAuth } = this.#evaluator.index(snapshot, creatorArn);
    const findings = this.#evaluator.clusterFindings(snapshot, creatorArn);
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
    };
  }
}
