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
 * The admin's migration of a cluster from aws-auth to access entries:
 * preview (plan, simulation, renderings) from a fresh snapshot, and the
 * stages, each run by MigrationRunner and verified with a fresh snapshot.
 */

import { ConflictError, InputError } from '@backstage/errors';
import {
  planMigration,
  renderMigrationForms,
  simulateMigration,
  type ClusterAccessData,
  type MigrationFormat,
  type MigrationPlan,
  type MigrationSimulation,
} from '@eks-access/plugin-eks-access-common';
import { randomUUID } from 'node:crypto';
import type { ClusterSnapshotStore } from '../snapshots/ClusterSnapshotStore';
import type { ClusterEntity } from '../service/EksAccessService';
import { declaredClusterCreatorArn } from '../creator/ClusterCreatorResolver';
import { snapshotClusterData } from '../snapshots/SnapshotEvaluator';
import {
  type MigrationBaseline,
  MigrationRunner,
  type MigrationStage,
  type MigrationStageResult,
} from './MigrationRunner';
import type { MigrationTarget } from './MigrationTarget';

/** The preview of one cluster's migration. */
export interface MigrationPreview {
  cluster: {
    entityRef: string;
    name: string;
    region: string;
    accountId: string;
  };
  plan: MigrationPlan;
  simulation: MigrationSimulation;
  forms: Record<MigrationFormat, string>;
  /** The migration already started here, if any. */
  migrationId?: string;
}

/**
 * Where a started migration's baseline is kept, so a stage can be resumed
 * after a crash. The default keeps it in memory (a restart of Backstage
 * loses it: the entries stage then refuses to start again from a changed
 * cluster); the entries it created are tagged in AWS either way.
 */
export interface MigrationBaselineStore {
  get(clusterArn: string): Promise<MigrationBaseline | undefined>;
  put(clusterArn: string, baseline: MigrationBaseline): Promise<void>;
}

/** {@link MigrationBaselineStore} in memory. */
export class InMemoryMigrationBaselineStore implements MigrationBaselineStore {
  readonly #baselines = new Map<string, MigrationBaseline>();
  async get(clusterArn: string) {
    return this.#baselines.get(clusterArn);
  }
  async put(clusterArn: string, baseline: MigrationBaseline) {
    this.#baselines.set(clusterArn, baseline);
  }
}

export class MigrationService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #targetFor: (target: ClusterEntity) => MigrationTarget;
  readonly #baselines: MigrationBaselineStore;
  readonly #runnerOptions: {
    sleep?: (ms: number) => Promise<void>;
    pollMs?: number;
  };

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    targetFor: (target: ClusterEntity) => MigrationTarget;
    baselines?: MigrationBaselineStore;
    sleep?: (ms: number) => Promise<void>;
    pollMs?: number;
  }) {
    this.#snapshots = options.snapshots;
    this.#targetFor = options.targetFor;
    this.#baselines = options.baselines ?? new InMemoryMigrationBaselineStore();
    this.#runnerOptions = { sleep: options.sleep, pollMs: options.pollMs };
  }

  /** A fresh snapshot as the evaluator's cluster data (the shared cache is bypassed). */
  async freshClusterData(target: ClusterEntity): Promise<ClusterAccessData> {
    this.#snapshots.invalidate(target.cluster.arn);
    const snapshot = await this.#snapshots.get(target.cluster);
    return snapshotClusterData(
      snapshot,
      declaredClusterCreatorArn(target.entity, snapshot),
      undefined,
      // effective permissions before and after are compared: RBAC is needed
      await this.#snapshots.rbac(snapshot),
    );
  }

  async preview(target: ClusterEntity): Promise<MigrationPreview> {
    const cluster = await this.freshClusterData(target);
    const plan = planMigration({ cluster });
    const simulation = simulateMigration(cluster, plan);
    const started = await this.#baselines.get(target.cluster.arn);
    return {
      cluster: {
        entityRef: target.entityRef,
        name: target.cluster.name,
        region: target.cluster.region,
        accountId: target.cluster.accountId,
      },
      plan,
      simulation,
      forms: renderMigrationForms(plan),
      ...(started ? { migrationId: started.migrationId } : {}),
    };
  }

  /**
   * Runs one stage. The entries stage starts the migration from a fresh
   * snapshot, and refuses while the simulation shows a difference the admin
   * has not accepted by principal ARN.
   */
  async run(
    target: ClusterEntity,
    stage: MigrationStage,
    options: { accept?: string[] } = {},
  ): Promise<MigrationStageResult> {
    let baseline = await this.#baselines.get(target.cluster.arn);
    if (!baseline) {
      if (stage !== 'entries') {
        throw new ConflictError(
          `No migration of ${target.cluster.name} has started: run the entries stage first`,
        );
      }
      const cluster = await this.freshClusterData(target);
      if (cluster.authenticationMode === 'API') {
        throw new ConflictError(
          `${target.cluster.name} is already in API mode`,
        );
      }
      const plan = planMigration({ cluster });
      const simulation = simulateMigration(cluster, plan);
      const accepted = new Set(options.accept ?? []);
      const unaccepted = [
        ...new Set(simulation.differences.map(d => d.principal)),
      ].filter(p => !accepted.has(p));
      if (unaccepted.length) {
        throw new InputError(
          `The migration would change access for ${unaccepted.join(
            ', ',
          )}; accept each of them explicitly or fix the plan's issues first`,
        );
      }
      baseline = {
        migrationId: randomUUID(),
        cluster,
        plan,
        principals: simulation.principals,
        accepted: [...accepted],
      };
      await this.#baselines.put(target.cluster.arn, baseline);
    }
    const runner = new MigrationRunner({
      target: this.#targetFor(target),
      readCluster: () => this.freshClusterData(target),
      ...this.#runnerOptions,
    });
    switch (stage) {
      case 'entries':
        return runner.entries(baseline);
      case 'final':
        return runner.final(baseline);
      case 'rollback':
        return runner.rollback(baseline);
      default:
        throw new InputError(`Unknown stage ${stage}`);
    }
  }
}
