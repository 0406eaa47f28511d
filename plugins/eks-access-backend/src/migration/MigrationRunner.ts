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
 * Runs a migration's stages against one cluster. Every stage is idempotent:
 * it reads where the cluster is (the mode, the entries tagged with this
 * migration's id) and does only what is missing, so a stage that crashed
 * half way is resumed by running it again. Every stage ends with a fresh
 * snapshot compared, principal by principal, with the snapshot the plan was
 * made from. aws-auth is never written.
 */

import {
  compareMigrationAccess,
  type AuthenticationMode,
  type ClusterAccessData,
  type MigrationDifference,
  type MigrationEntry,
  type MigrationPlan,
} from '@eks-access/plugin-eks-access-common';
import { MIGRATION_TAG, type MigrationTarget } from './MigrationTarget';

/** The stages an admin runs, in order; `rollback` instead of `final`. */
export type MigrationStage = 'entries' | 'final' | 'rollback';

/** What a stage did. */
export interface MigrationStageResult {
  stage: MigrationStage;
  /** `done`: verified; `blocked`: nothing unsafe was done, see `message`. */
  status: 'done' | 'blocked';
  mode: AuthenticationMode;
  /** Principal ARNs whose entry this run created (or deleted, for rollback). */
  changed: string[];
  /** Entries left as they were: existing equivalent ones, the creator's on rollback. */
  kept: string[];
  /** Differences found by the verification with a fresh snapshot. */
  differences: MigrationDifference[];
  message: string;
}

/** Where a migration started from, kept from its preview. */
export interface MigrationBaseline {
  migrationId: string;
  /** The cluster data the plan was made from (before any stage). */
  cluster: ClusterAccessData;
  plan: MigrationPlan;
  /** The principals the preview simulated. */
  principals: string[];
  /** Principals whose change the admin accepted explicitly (they may differ). */
  accepted?: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  [...a].sort().join('\n') === [...b].sort().join('\n');

/** Runs stages; `readCluster` reads a fresh snapshot (no cache). */
export class MigrationRunner {
  readonly #target: MigrationTarget;
  readonly #readCluster: () => Promise<ClusterAccessData>;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #pollMs: number;
  readonly #maxPolls: number;

  constructor(options: {
    target: MigrationTarget;
    readCluster: () => Promise<ClusterAccessData>;
    sleep?: (ms: number) => Promise<void>;
    pollMs?: number;
    maxPolls?: number;
  }) {
    this.#target = options.target;
    this.#readCluster = options.readCluster;
    this.#sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.#pollMs = options.pollMs ?? 5000;
    this.#maxPolls = options.maxPolls ?? 360;
  }

  /**
   * Stage 1: switch to API_AND_CONFIG_MAP (access entries need it; aws-auth
   * still applies), create the plan's entries, verify that nobody changed.
   */
  async entries(baseline: MigrationBaseline): Promise<MigrationStageResult> {
    let mode = await this.#target.authenticationMode();
    if (mode === 'API') {
      return this.#blocked(
        'entries',
        mode,
        'The cluster is already in API mode.',
      );
    }
    if (mode === 'CONFIG_MAP') {
      mode = await this.#switchMode('API_AND_CONFIG_MAP');
    }
    const changed: string[] = [];
    const kept: string[] = [];
    for (const entry of baseline.plan.entries) {
      const principalArn = await this.#principalArn(entry);
      const existing = await this.#target.describeEntry(principalArn);
      if (existing && existing.tags[MIGRATION_TAG] !== baseline.migrationId) {
        if (!this.#equivalent(existing, entry)) {
          return this.#blocked(
            'entries',
            mode,
            `An access entry for ${principalArn} exists and differs from the plan; the migration does not change entries it did not create. Preview again.`,
            changed,
          );
        }
        kept.push(principalArn);
        continue;
      }
      if (!existing) {
        await this.#target.createEntry({
          principalArn,
          type: entry.type,
          ...(entry.username !== undefined ? { username: entry.username } : {}),
          kubernetesGroups: entry.kubernetesGroups,
          tags: { [MIGRATION_TAG]: baseline.migrationId },
        });
        changed.push(principalArn);
      }
      // Associating again replaces the scope with the same one: safe to resume.
      for (const p of entry.accessPolicies) {
        if (
          !existing?.accessPolicies.some(
            q =>
              q.policyArn === p.policyArn &&
              JSON.stringify(q.accessScope) === JSON.stringify(p.accessScope),
          )
        ) {
          await this.#target.associatePolicy(
            principalArn,
            p.policyArn,
            p.accessScope,
          );
        }
      }
    }
    return this.#verify('entries', baseline, changed, kept);
  }

  /**
   * Stage 2, only on an explicit request: switch to API, which EKS cannot
   * undo. Refused while the current data, simulated in API mode, differs
   * from the baseline for anyone.
   */
  async final(baseline: MigrationBaseline): Promise<MigrationStageResult> {
    const mode = await this.#target.authenticationMode();
    if (mode === 'CONFIG_MAP') {
      return this.#blocked('final', mode, 'Run the entries stage first.');
    }
    if (mode === 'API_AND_CONFIG_MAP') {
      const current = await this.#readCluster();
      const accepted = new Set(baseline.accepted ?? []);
      const simulated = compareMigrationAccess(
        baseline.cluster,
        { ...current, authenticationMode: 'API' },
        baseline.principals,
      ).filter(d => !accepted.has(d.principal));
      if (simulated.length) {
        return {
          ...(await this.#blocked(
            'final',
            mode,
            `In API mode ${
              new Set(simulated.map(d => d.principal)).size
            } principal(s) would change: the switch was not made.`,
          )),
          differences: simulated,
        };
      }
      await this.#switchMode('API');
    }
    return this.#verify('final', baseline, [], []);
  }

  /**
   * Deletes the entries this migration created, until the final switch.
   * The creator's entry stays: the mode cannot go back to CONFIG_MAP, where
   * the creator was admin without one.
   */
  async rollback(baseline: MigrationBaseline): Promise<MigrationStageResult> {
    const mode = await this.#target.authenticationMode();
    if (mode === 'API') {
      return this.#blocked(
        'rollback',
        mode,
        'The cluster is in API mode: EKS cannot switch back, and deleting the entries would lock people out.',
      );
    }
    const changed: string[] = [];
    const kept: string[] = [];
    for (const entry of baseline.plan.entries) {
      const principalArn = await this.#principalArn(entry);
      const existing = await this.#target.describeEntry(principalArn);
      if (!existing || existing.tags[MIGRATION_TAG] !== baseline.migrationId) {
        continue;
      }
      if (entry.source === 'cluster-creator' && mode !== 'CONFIG_MAP') {
        kept.push(principalArn);
        continue;
      }
      await this.#target.deleteEntry(principalArn);
      changed.push(principalArn);
    }
    return this.#verify('rollback', baseline, changed, kept);
  }

  async #principalArn(entry: MigrationEntry): Promise<string> {
    return entry.principal.lookupRoleName
      ? this.#target.roleArn(entry.principal.lookupRoleName)
      : entry.principal.arn;
  }

  #equivalent(
    existing: {
      type: string;
      username?: string;
      kubernetesGroups: string[];
      accessPolicies: { policyArn: string }[];
    },
    entry: MigrationEntry,
  ): boolean {
    return (
      existing.type === entry.type &&
      (entry.username === undefined || existing.username === entry.username) &&
      sameSet(existing.kubernetesGroups, entry.kubernetesGroups) &&
      entry.accessPolicies.every(p =>
        existing.accessPolicies.some(q => q.policyArn === p.policyArn),
      )
    );
  }

  /** Starts a mode change (waiting out another update) and waits until it succeeds. */
  async #switchMode(to: AuthenticationMode): Promise<AuthenticationMode> {
    for (let poll = 0; poll < this.#maxPolls; poll++) {
      if ((await this.#target.authenticationMode()) === to) return to;
      let updateId: string;
      try {
        updateId = await this.#target.updateAuthenticationMode(to);
      } catch (error) {
        if ((error as { name?: string })?.name !== 'ResourceInUseException') {
          throw error;
        }
        await this.#sleep(this.#pollMs);
        continue;
      }
      for (; poll < this.#maxPolls; poll++) {
        const status = await this.#target.updateStatus(updateId);
        if (status === 'Successful') return to;
        if (status === 'Failed' || status === 'Cancelled') {
          throw new Error(
            `The switch to ${to} ended ${status} (update ${updateId})`,
          );
        }
        await this.#sleep(this.#pollMs);
      }
    }
    throw new Error(`The switch to ${to} did not finish in time`);
  }

  async #verify(
    stage: MigrationStage,
    baseline: MigrationBaseline,
    changed: string[],
    kept: string[],
  ): Promise<MigrationStageResult> {
    const current = await this.#readCluster();
    const accepted = new Set(baseline.accepted ?? []);
    const differences = compareMigrationAccess(
      baseline.cluster,
      current,
      baseline.principals,
    ).filter(d => !accepted.has(d.principal));
    const n = baseline.principals.length;
    return {
      stage,
      status: differences.length ? 'blocked' : 'done',
      mode: current.authenticationMode,
      changed,
      kept,
      differences,
      message: differences.length
        ? `Verification with a fresh snapshot: ${
            new Set(differences.map(d => d.principal)).size
          } of ${n} principals changed.`
        : `Verified with a fresh snapshot: unchanged for all ${n} principals.`,
    };
  }

  async #blocked(
    stage: MigrationStage,
    mode: AuthenticationMode,
    message: string,
    changed: string[] = [],
  ): Promise<MigrationStageResult> {
    return {
      stage,
      status: 'blocked',
      mode,
      changed,
      kept: [],
      differences: [],
      message,
    };
  }
}
