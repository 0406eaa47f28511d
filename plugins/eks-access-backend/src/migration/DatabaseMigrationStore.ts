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

import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  MigrationProposal,
  MigrationProposalEvent,
  MigrationProposalState,
} from '@eks-access/plugin-eks-access-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { migratedDatabaseClient } from '../database/migratedDatabaseClient';
import {
  MIGRATION_PROPOSAL_TRANSITIONS,
  type MigrationProposalPatch,
  type MigrationStore,
  type NewMigrationProposal,
  OPEN_PROPOSAL_STATES,
  type StoredMigration,
} from './MigrationStore';

const MIGRATIONS = 'eks_access_migrations';
const PROPOSALS = 'eks_access_migration_proposals';
const EVENTS = 'eks_access_migration_events';

/** SQLite returns dates as numbers or strings, PostgreSQL as Dates. */
function iso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const text = String(value);
  return (
    /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text)
  ).toISOString();
}

type Row = Record<string, any>;

function toMigration(row: Row): StoredMigration {
  return {
    id: row.id,
    clusterArn: row.cluster_arn,
    clusterEntityRef: row.cluster_entity_ref,
    state: row.state,
    baseline: { ...JSON.parse(row.baseline), migrationId: row.id },
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    ...(row.started_at ? { startedAt: iso(row.started_at) } : {}),
    ...(row.entries_verified_at
      ? { entriesVerifiedAt: iso(row.entries_verified_at) }
      : {}),
    ...(row.ended_at ? { endedAt: iso(row.ended_at) } : {}),
  };
}

function toProposal(row: Row): MigrationProposal {
  return {
    id: row.id,
    migrationId: row.migration_id,
    cluster: {
      ...JSON.parse(row.cluster),
      entityRef: row.cluster_entity_ref,
      arn: row.cluster_arn,
    },
    stage: row.stage,
    state: row.state,
    proposer: row.proposer,
    ...(row.comment ? { comment: row.comment } : {}),
    accepted: JSON.parse(row.accepted),
    summary: row.summary,
    ...(row.approver ? { approver: row.approver } : {}),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    ...(row.result ? { result: JSON.parse(row.result) } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/** {@link MigrationStore} in the plugin's database (Knex). */
export class DatabaseMigrationStore implements MigrationStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseMigrationStore> {
    return new DatabaseMigrationStore(
      await migratedDatabaseClient(options.database),
    );
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async openMigration(clusterArn: string) {
    const row = await this.#db(MIGRATIONS)
      .where({ cluster_arn: clusterArn, state: 'open' })
      .orderBy('created_at', 'desc')
      .first();
    return row ? toMigration(row) : undefined;
  }

  async getMigration(id: string) {
    const row = await this.#db(MIGRATIONS).where({ id }).first();
    return row ? toMigration(row) : undefined;
  }

  async createMigration(
    migration: Pick<
      StoredMigration,
      'id' | 'clusterArn' | 'clusterEntityRef' | 'baseline' | 'createdBy'
    >,
    proposal: Omit<NewMigrationProposal, 'migrationId'>,
    now = new Date(),
  ): Promise<MigrationProposal> {
    const { migrationId: _id, ...baseline } = migration.baseline;
    const id = await this.#db.transaction(async tx => {
      const open = await tx(MIGRATIONS)
        .where({ cluster_arn: migration.clusterArn, state: 'open' })
        .first('id');
      if (open) {
        throw new ConflictError(
          `A migration of ${migration.clusterArn} is already open (${open.id})`,
        );
      }
      await tx(MIGRATIONS).insert({
        id: migration.id,
        cluster_arn: migration.clusterArn,
        cluster_entity_ref: migration.clusterEntityRef,
        state: 'open',
        baseline: JSON.stringify(baseline),
        created_by: migration.createdBy,
        created_at: now,
      });
      return this.#insertProposal(
        tx,
        { ...proposal, migrationId: migration.id },
        now,
      );
    });
    return (await this.getProposal(id))!;
  }

  async updateMigration(
    id: string,
    patch: {
      state?: StoredMigration['state'];
      startedAt?: Date;
      entriesVerifiedAt?: Date;
      endedAt?: Date;
    },
  ) {
    const update: Row = {};
    if (patch.state) update.state = patch.state;
    if (patch.startedAt) update.started_at = patch.startedAt;
    if (patch.entriesVerifiedAt)
      update.entries_verified_at = patch.entriesVerifiedAt;
    if (patch.endedAt) update.ended_at = patch.endedAt;
    if (Object.keys(update).length) {
      await this.#db(MIGRATIONS).where({ id }).update(update);
    }
  }

  async createProposal(proposal: NewMigrationProposal, now = new Date()) {
    const id = await this.#db.transaction(tx =>
      this.#insertProposal(tx, proposal, now),
    );
    return (await this.getProposal(id))!;
  }

  async #insertProposal(
    tx: Knex.Transaction,
    proposal: NewMigrationProposal,
    now: Date,
  ): Promise<string> {
    const open = await tx(PROPOSALS)
      .where({ cluster_arn: proposal.cluster.arn })
      .whereIn('state', OPEN_PROPOSAL_STATES as MigrationProposalState[])
      .first('id', 'stage', 'state');
    if (open) {
      throw new ConflictError(
        `${proposal.cluster.name} already has a ${open.state} proposal (${open.stage}, ${open.id}); decide or finish it first`,
      );
    }
    const id = randomUUID();
    const { entityRef, arn, ...cluster } = proposal.cluster;
    await tx(PROPOSALS).insert({
      id,
      migration_id: proposal.migrationId,
      cluster_arn: arn,
      cluster_entity_ref: entityRef,
      cluster: JSON.stringify(cluster),
      stage: proposal.stage,
      state: 'pending',
      proposer: proposal.proposer,
      comment: proposal.comment ?? null,
      accepted: JSON.stringify(proposal.accepted),
      summary: proposal.summary,
      created_at: now,
      updated_at: now,
    });
    await tx(EVENTS).insert({
      proposal_id: id,
      type: 'proposed',
      actor: proposal.proposer,
      at: now,
      comment: proposal.comment ?? null,
    });
    return id;
  }

  async getProposal(id: string) {
    const row = await this.#db(PROPOSALS).where({ id }).first();
    return row ? toProposal(row) : undefined;
  }

  async listProposals(
    filter: {
      clusterEntityRef?: string;
      states?: MigrationProposalState[];
      limit?: number;
    } = {},
  ) {
    let query = this.#db(PROPOSALS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.clusterEntityRef) {
      query = query.where('cluster_entity_ref', filter.clusterEntityRef);
    }
    if (filter.states?.length) query = query.whereIn('state', filter.states);
    return (await query).map(toProposal);
  }

  async listEvents(id: string): Promise<MigrationProposalEvent[]> {
    const rows = await this.#db(EVENTS)
      .where({ proposal_id: id })
      .orderBy('seq', 'asc');
    return rows.map(r => ({
      type: r.type,
      actor: r.actor,
      at: iso(r.at)!,
      ...(r.comment ? { comment: r.comment } : {}),
    }));
  }

  async transition(options: {
    id: string;
    from: MigrationProposalState | MigrationProposalState[];
    to: MigrationProposalState;
    event: Omit<MigrationProposalEvent, 'at'>;
    patch?: MigrationProposalPatch;
    now?: Date;
  }): Promise<MigrationProposal> {
    const now = options.now ?? new Date();
    const from = Array.isArray(options.from) ? options.from : [options.from];
    for (const state of from) {
      if (!MIGRATION_PROPOSAL_TRANSITIONS[state].includes(options.to)) {
        throw new ConflictError(
          `A migration proposal that is ${state} cannot become ${options.to}`,
        );
      }
    }
    await this.#db.transaction(async tx => {
      const current = await tx(PROPOSALS)
        .where('id', options.id)
        .first('state');
      if (!current) {
        throw new NotFoundError(`No migration proposal with id ${options.id}`);
      }
      const update: Row = { state: options.to, updated_at: now };
      const patch = options.patch ?? {};
      if (patch.approver) update.approver = patch.approver;
      if (patch.result) update.result = JSON.stringify(patch.result);
      if (patch.error !== undefined) update.error = patch.error;
      if (patch.claimedBy !== undefined) update.claimed_by = patch.claimedBy;
      if (patch.leaseUntil !== undefined) update.lease_until = patch.leaseUntil;
      const count = await tx(PROPOSALS)
        .where('id', options.id)
        .whereIn('state', from)
        .update(update);
      if (count !== 1) {
        throw new ConflictError(
          `Migration proposal ${options.id} is ${
            current.state
          }, not ${from.join(' or ')}; it was changed in the meantime`,
        );
      }
      await tx(EVENTS).insert({
        proposal_id: options.id,
        type: options.event.type,
        actor: options.event.actor,
        at: now,
        comment: options.event.comment ?? null,
      });
    });
    return (await this.getProposal(options.id))!;
  }

  async claimNext(options: {
    runnerId: string;
    leaseSeconds: number;
    now?: Date;
  }) {
    const now = options.now ?? new Date();
    const leaseUntil = new Date(now.getTime() + options.leaseSeconds * 1000);
    const claimable = (q: Knex.QueryBuilder) =>
      q
        .where('state', 'approved')
        .orWhere(w =>
          w.where('state', 'running').where('lease_until', '<', now),
        );
    // Another replica may claim the same row first: the guarded update
    // below then changes nothing, and the next candidate is tried.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.#db(PROPOSALS)
        .where(claimable)
        .orderBy('updated_at', 'asc')
        .first('id', 'state');
      if (!row) return undefined;
      const resumed = row.state === 'running';
      const claimed = await this.#db.transaction(async tx => {
        const count = await tx(PROPOSALS)
          .where('id', row.id)
          .where(claimable)
          .update({
            state: 'running',
            claimed_by: options.runnerId,
            lease_until: leaseUntil,
            updated_at: now,
          });
        if (count !== 1) return false;
        await tx(EVENTS).insert({
          proposal_id: row.id,
          type: resumed ? 'resumed' : 'started',
          actor: options.runnerId,
          at: now,
          comment: null,
        });
        return true;
      });
      if (claimed) {
        return { proposal: (await this.getProposal(row.id))!, resumed };
      }
    }
    return undefined;
  }
}
