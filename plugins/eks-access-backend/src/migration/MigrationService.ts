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
 * preview (plan, simulation, renderings) from a fresh snapshot, the
 * baseline a migration starts from, and the stages, each run by
 * MigrationRunner and verified with a fresh snapshot against that baseline
 * (kept in the database, so a restart verifies against the same one).
 * Who may run a stage is MigrationProposalService's business.
 */

import { ConflictError, InputError } from '@backstage/errors';
import {
  compareMigrationAccess,
  planMigration,
  renderMigrationForms,
  simulateMigration,
  type AuthenticationMode,
  type ClusterAccessData,
  type MigrationPreview,
} from '@eks-access/plugin-eks-access-common';
import { randomUUID } from 'node:crypto';
import type { MigrationStore, StoredMigration } from './MigrationStore';
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

export class MigrationService {
  readonly #snapshots: ClusterSnapshotStore;
  readonly #targetFor: (target: ClusterEntity) => MigrationTarget;
  readonly #store: MigrationStore;
  readonly #verificationWindowMs: number;
  readonly #runnerOptions: {
    sleep?: (ms: number) => Promise<void>;
    pollMs?: number;
  };

  constructor(options: {
    snapshots: ClusterSnapshotStore;
    targetFor: (target: ClusterEntity) => MigrationTarget;
    store: MigrationStore;
    /**
     * How long after the entries stage was verified the final switch to
     * API may run: time for people to notice a difference the simulation
     * could not see, while a rollback is still possible.
     */
    verificationWindowSeconds?: number;
    sleep?: (ms: number) => Promise<void>;
    pollMs?: number;
  }) {
    this.#snapshots = options.snapshots;
    this.#targetFor = options.targetFor;
    this.#store = options.store;
    this.#verificationWindowMs =
      (options.verificationWindowSeconds ?? 3600) * 1000;
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
    const started = await this.#store.openMigration(target.cluster.arn);
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
      ...(started
        ? {
            migrationId: started.id,
            migration: {
              id: started.id,
              createdAt: started.createdAt,
              ...(started.startedAt ? { startedAt: started.startedAt } : {}),
              ...(started.entriesVerifiedAt
                ? { entriesVerifiedAt: started.entriesVerifiedAt }
                : {}),
              ...(this.finalNotBefore(started)
                ? {
                    finalNotBefore: this.finalNotBefore(started)!.toISOString(),
                  }
                : {}),
            },
          }
        : {}),
    };
  }

  /**
   * The baseline a new migration starts from: a fresh snapshot, its plan
   * and simulation. Refused while the simulation shows a difference the
   * admin has not accepted by principal ARN.
   */
  async newBaseline(
    target: ClusterEntity,
    accept: string[] = [],
  ): Promise<{ baseline: MigrationBaseline; summary: string }> {
    const cluster = await this.freshClusterData(target);
    if (cluster.authenticationMode === 'API') {
      throw new ConflictError(`${target.cluster.name} is already in API mode`);
    }
    const plan = planMigration({ cluster });
    const simulation = simulateMigration(cluster, plan);
    const accepted = new Set(accept);
    const differing = [
      ...new Set(simulation.differences.map(d => d.principal)),
    ];
    const unaccepted = differing.filter(p => !accepted.has(p));
    if (unaccepted.length) {
      throw new InputError(
        `The migration would change access for ${unaccepted.join(
          ', ',
        )}; accept each of them explicitly or fix the plan's issues first`,
      );
    }
    const notDiffering = [...accepted].filter(p => !differing.includes(p));
    if (notDiffering.length) {
      throw new InputError(
        `Nothing changes for ${notDiffering.join(
          ', ',
        )}: accept only the principals the simulation lists`,
      );
    }
    return {
      baseline: {
        migrationId: randomUUID(),
        cluster,
        plan,
        principals: simulation.principals,
        accepted: [...accepted],
      },
      summary: simulation.summary,
    };
  }

  /** When the final switch may run, or undefined when it may now. */
  finalNotBefore(
    migration: StoredMigration,
    now = new Date(),
  ): Date | undefined {
    if (!migration.entriesVerifiedAt) return undefined;
    const end = new Date(
      Date.parse(migration.entriesVerifiedAt) + this.#verificationWindowMs,
    );
    return end > now ? end : undefined;
  }

  /**
   * Runs one stage of a migration, and records on the migration what it
   * reached (started, entries verified, final, rolled back). Idempotent:
   * a stage whose runner died is resumed by running it again.
   */
  async runStage(
    target: ClusterEntity,
    stage: MigrationStage,
    migration: StoredMigration,
    now: () => Date = () => new Date(),
  ): Promise<MigrationStageResult> {
    const baseline = migration.baseline;
    const runner = new MigrationRunner({
      target: this.#targetFor(target),
      readCluster: () => this.freshClusterData(target),
      ...this.#runnerOptions,
    });
    if (migration.state !== 'open') {
      return blocked(
        stage,
        baseline.cluster.authenticationMode,
        `This migration is ${migration.state}; preview and propose again.`,
      );
    }
    if (stage === 'entries' && !migration.startedAt) {
      // Approved some time after it was proposed: the cluster must still be
      // where the baseline says, or the plan no longer fits it.
      const current = await this.freshClusterData(target);
      if (changedSinceBaseline(baseline, current)) {
        await this.#store.updateMigration(migration.id, {
          state: 'abandoned',
          endedAt: now(),
        });
        return blocked(
          stage,
          current.authenticationMode,
          `${target.cluster.name} changed since the migration was proposed (aws-auth, access entries or mode); nothing was done. Preview and propose again.`,
        );
      }
      await this.#store.updateMigration(migration.id, { startedAt: now() });
    }
    if (stage === 'final') {
      if (!migration.entriesVerifiedAt) {
        return blocked(
          stage,
          baseline.cluster.authenticationMode,
          'Run the entries stage first.',
        );
      }
      const notBefore = this.finalNotBefore(migration, now());
      if (notBefore) {
        return blocked(
          stage,
          'API_AND_CONFIG_MAP',
          `The verification window ends at ${notBefore.toISOString()}.`,
        );
      }
      // A mapping added to aws-auth after the baseline is in no plan: in API
      // mode its principal would lose access without anyone having seen it.
      const current = await this.freshClusterData(target);
      if (
        JSON.stringify(current.awsAuth ?? null) !==
        JSON.stringify(baseline.cluster.awsAuth ?? null)
      ) {
        return blocked(
          stage,
          current.authenticationMode,
          'aws-auth changed since the migration began: its new mappings have no access entries. Roll back, then preview and propose again.',
        );
      }
    }
    let result: MigrationStageResult;
    switch (stage) {
      case 'entries':
        result = await runner.entries(baseline);
        break;
      case 'final':
        result = await runner.final(baseline);
        break;
      case 'rollback':
        result = await runner.rollback(baseline);
        break;
      default:
        throw new InputError(`Unknown stage ${stage}`);
    }
    if (result.status === 'done') {
      if (stage === 'entries') {
        await this.#store.updateMigration(migration.id, {
          entriesVerifiedAt: now(),
        });
      } else {
        await this.#store.updateMigration(migration.id, {
          state: stage === 'final' ? 'final' : 'rolled-back',
          endedAt: now(),
        });
      }
    }
    return result;
  }
}

/** Whether the cluster's aws-auth, entries or mode differ from the baseline's. */
function changedSinceBaseline(
  baseline: MigrationBaseline,
  current: ClusterAccessData,
): boolean {
  const key = (c: ClusterAccessData) =>
    JSON.stringify({
      mode: c.authenticationMode,
      awsAuth: c.awsAuth ?? null,
      entries: [...(c.accessEntries ?? [])].map(e => JSON.stringify(e)).sort(),
    });
  return (
    key(baseline.cluster) !== key(current) ||
    compareMigrationAccess(baseline.cluster, current, baseline.principals)
      .length > 0
  );
}

function blocked(
  stage: MigrationStage,
  mode: AuthenticationMode,
  message: string,
): MigrationStageResult {
  return {
    stage,
    status: 'blocked',
    mode,
    changed: [],
    kept: [],
    differences: [],
    message,
  };
}
