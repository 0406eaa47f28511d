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
  AccessRequest,
  AccessRequestEvent,
  AccessRequestIdentityProvenance,
  AccessRequestScope,
  AccessRequestState,
} from '@eks-access/plugin-eks-access-common';
import type { Knex } from 'knex';
import { migratedDatabaseClient } from '../database/migratedDatabaseClient';
import { createHash, randomUUID } from 'node:crypto';
import { assertAllowedTransition } from './stateMachine';
import {
  type AccessRequestFilter,
  type AccessRequestStore,
  type GrantRecord,
  type GrantWork,
  type NewAccessRequest,
  type NewAccessRequestEvent,
  type AccessRequestTransitionPatch,
  PrincipalBusyError,
} from './AccessRequestStore';

const REQUESTS = 'eks_access_requests';
const APPROVALS = 'eks_access_request_approvals';
const EVENTS = 'eks_access_request_events';
const GRANTS = 'eks_access_grants';
const LOCKS = 'eks_access_grant_locks';

/** Dates and flags as the database driver returns them (SQLite: numbers, strings). */
type DbDate = Date | string | number | null;
type DbBool = boolean | number | string | null;

/** A row of `eks_access_requests`. */
interface RequestRow {
  id: string;
  cluster_entity_ref: string;
  cluster_arn: string;
  cluster_name: string;
  account_id: string;
  region: string;
  requester: string;
  principal_arn: string;
  canonical_principal_arn: string;
  identity_provenance: string | null;
  level: string;
  scope: string;
  duration_seconds: number | string;
  reason: string;
  ticket_url: string | null;
  state: AccessRequestState;
  approvals_required: number | string;
  created_at: DbDate;
  updated_at: DbDate;
  activated_at: DbDate;
  expires_at: DbDate;
  ended_at: DbDate;
  error: string | null;
}

/** A row of `eks_access_request_approvals`. */
interface ApprovalRow {
  request_id: string;
  approver: string;
  approved_at: DbDate;
  comment: string | null;
}

/** A row of `eks_access_grants`. */
interface GrantRow {
  request_id: string;
  method: GrantRecord['method'];
  cluster_arn: string;
  principal_arn: string;
  access_policy_arn: string | null;
  access_scope: string | null;
  policy_scope_before: string | null;
  access_entry_created: DbBool;
  policy_associated: DbBool;
  policy_association_created: DbBool;
  aws_auth_entry: string | null;
  aws_auth_added: DbBool;
  aws_auth_entry_created: DbBool;
  aws_auth_groups_added: string | null;
  applied_at: DbDate;
  removed_at: DbDate;
  removal_error: string | null;
}

function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number') {
    return new Date(value);
  }
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
}

function iso(value: unknown): string | undefined {
  return toDate(value)?.toISOString();
}

function json<T>(value: unknown): T | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  return JSON.parse(String(value)) as T;
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * {@link AccessRequestStore} in the plugin's database (Knex): every state
 * change is one transaction guarded by the current state.
 * @public
 */
export class DatabaseAccessRequestStore implements AccessRequestStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAccessRequestStore> {
    return new DatabaseAccessRequestStore(
      await migratedDatabaseClient(options.database),
    );
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async createRequest(
    input: NewAccessRequest,
    options: { now?: Date; comment?: string } = {},
  ): Promise<AccessRequest> {
    const id = randomUUID();
    const now = options.now ?? new Date();
    await this.#db.transaction(async tx => {
      await tx(REQUESTS).insert({
        id,
        cluster_entity_ref: input.cluster.entityRef,
        cluster_arn: input.cluster.arn,
        cluster_name: input.cluster.name,
        account_id: input.cluster.accountId,
        region: input.cluster.region,
        requester: input.requester,
        principal_arn: input.principalArn,
        canonical_principal_arn: input.canonicalPrincipalArn,
        identity_provenance: input.identityProvenance
          ? JSON.stringify(input.identityProvenance)
          : null,
        level: input.level,
        scope: JSON.stringify(input.scope),
        duration_seconds: input.durationSeconds,
        reason: input.reason,
        ticket_url: input.ticketUrl ?? null,
        state: 'pending',
        approvals_required: input.approvalsRequired,
        created_at: now,
        updated_at: now,
      });
      await this.#insertEvent(tx, id, now, {
        type: 'created',
        actor: input.requester,
        comment: options.comment,
        toState: 'pending',
        ...(input.identityProvenance
          ? { details: { identityProvenance: input.identityProvenance } }
          : {}),
      });
    });
    return (await this.getRequest(id))!;
  }

  async getRequest(id: string): Promise<AccessRequest | undefined> {
    const [request] = await this.listRequests({ ids: [id] });
    return request;
  }

  async listRequests(
    filter: AccessRequestFilter = {},
  ): Promise<AccessRequest[]> {
    let query = this.#db(REQUESTS).select('*');
    if (filter.ids) {
      query = query.whereIn('id', filter.ids);
    }
    if (filter.entityRef) {
      query = query.where('cluster_entity_ref', filter.entityRef);
    }
    if (filter.requester) {
      query = query.where('requester', filter.requester);
    }
    if (filter.states) {
      query = query.whereIn('state', filter.states);
    }
    if (filter.visibleTo) {
      const { requester, entityRefs, clusterArns = [] } = filter.visibleTo;
      query = query.where(b => {
        b.where('requester', requester).orWhereIn(
          'cluster_entity_ref',
          entityRefs,
        );
        if (clusterArns.length > 0) {
          b.orWhereIn('cluster_arn', clusterArns);
        }
      });
    }
    if (filter.after) {
      const at = new Date(filter.after.createdAt);
      const id = filter.after.id;
      query = query.where(b =>
        b
          .where('created_at', '<', at)
          .orWhere(c => c.where('created_at', '=', at).where('id', '>', id)),
      );
    }
    query = query.orderBy('created_at', 'desc').orderBy('id', 'asc');
    if (filter.limit) {
      query = query.limit(filter.limit);
    }
    const rows = await query;
    if (rows.length === 0) {
      return [];
    }
    const ids = rows.map(r => r.id as string);
    const approvals = await this.#db(APPROVALS)
      .whereIn('request_id', ids)
      .orderBy('approved_at', 'asc');
    const grants = await this.#db(GRANTS).whereIn('request_id', ids);
    return rows.map(row =>
      this.#toRequest(
        row,
        approvals.filter(a => a.request_id === row.id),
        grants.find(g => g.request_id === row.id),
      ),
    );
  }

  /** How many requests match, for the caps and the creation rate limit. */
  async countRequests(filter: {
    requester?: string;
    clusterArn?: string;
    states?: AccessRequestState[];
    createdSince?: Date;
  }): Promise<number> {
    let query = this.#db(REQUESTS);
    if (filter.requester) query = query.where('requester', filter.requester);
    if (filter.clusterArn)
      query = query.where('cluster_arn', filter.clusterArn);
    if (filter.states) query = query.whereIn('state', filter.states);
    if (filter.createdSince) {
      query = query.where('created_at', '>=', filter.createdSince);
    }
    const [{ count }] = await query.count({ count: '*' });
    return Number(count);
  }

  /** The distinct cluster ARNs of all requests. */
  async listRequestClusterArns(): Promise<string[]> {
    const rows = await this.#db(REQUESTS).distinct('cluster_arn');
    return rows.map(r => r.cluster_arn as string);
  }

  /** The clusters that have requests, for the visibility filter. */
  async listRequestClusterRefs(): Promise<string[]> {
    const rows = await this.#db(REQUESTS).distinct('cluster_entity_ref');
    return rows.map(r => r.cluster_entity_ref as string);
  }

  async listEvents(id: string): Promise<AccessRequestEvent[]> {
    const rows = await this.#db(EVENTS)
      .where('request_id', id)
      .orderBy('id', 'asc');
    return rows.map(row => ({
      id: Number(row.id),
      type: row.type,
      actor: row.actor,
      at: iso(row.at)!,
      comment: optional(row.comment),
      fromState: optional(row.from_state),
      toState: optional(row.to_state),
      details: json(row.details),
    }));
  }

  /**
   * Moves a request from one of `from` to `to`, appending an event, in one
   * transaction guarded by the current state.
   */
  async transition(options: {
    id: string;
    from: AccessRequestState | AccessRequestState[];
    to: AccessRequestState;
    event: NewAccessRequestEvent;
    patch?: AccessRequestTransitionPatch;
    now?: Date;
  }): Promise<AccessRequest> {
    const now = options.now ?? new Date();
    const from = Array.isArray(options.from) ? options.from : [options.from];
    for (const state of from) {
      assertAllowedTransition(state, options.to);
    }
    await this.#db.transaction(async tx => {
      const current = await tx(REQUESTS).where('id', options.id).first('state');
      if (!current) {
        throw new NotFoundError(`No access request with id ${options.id}`);
      }
      const update: Record<string, unknown> = {
        state: options.to,
        updated_at: now,
      };
      const patch = options.patch ?? {};
      if (patch.activatedAt) update.activated_at = patch.activatedAt;
      if (patch.expiresAt) update.expires_at = patch.expiresAt;
      if (patch.endedAt) update.ended_at = patch.endedAt;
      if (patch.error !== undefined) update.error = patch.error;
      const count = await tx(REQUESTS)
        .where('id', options.id)
        .whereIn('state', from)
        .update(update);
      if (count !== 1) {
        throw new ConflictError(
          `Access request ${options.id} is ${current.state}, not ${from.join(
            ' or ',
          )}; it was changed in the meantime`,
        );
      }
      await this.#insertEvent(tx, options.id, now, {
        ...options.event,
        fromState: current.state,
        toState: options.to,
      });
    });
    return (await this.getRequest(options.id))!;
  }

  /**
   * Records one approval of a pending request; when enough distinct
   * approvers have approved, the request becomes approved in the same
   * transaction.
   */
  async recordApproval(options: {
    id: string;
    approver: string;
    comment?: string;
    now?: Date;
  }): Promise<{ request: AccessRequest; approved: boolean }> {
    const now = options.now ?? new Date();
    let approved = false;
    await this.#db.transaction(async tx => {
      // Touching the row first takes its lock, so concurrent approvals of the
      // same request run one after the other and see each other's rows.
      const touched = await tx(REQUESTS)
        .where({ id: options.id, state: 'pending' })
        .update({ updated_at: now });
      const row = await tx(REQUESTS).where('id', options.id).first();
      if (!row) {
        throw new NotFoundError(`No access request with id ${options.id}`);
      }
      if (touched !== 1) {
        throw new ConflictError(
          `Access request ${options.id} is ${row.state}, not pending; it can no longer be approved`,
        );
      }
      const existing = await tx(APPROVALS)
        .where({ request_id: options.id, approver: options.approver })
        .first();
      if (existing) {
        throw new ConflictError(
          `${options.approver} has already approved access request ${options.id}`,
        );
      }
      await tx(APPROVALS).insert({
        request_id: options.id,
        approver: options.approver,
        approved_at: now,
        comment: options.comment ?? null,
      });
      const [{ count }] = await tx(APPROVALS)
        .where('request_id', options.id)
        .count({ count: '*' });
      const approvals = Number(count);
      await this.#insertEvent(tx, options.id, now, {
        type: 'approval',
        actor: options.approver,
        comment: options.comment,
        details: { approvals, approvalsRequired: row.approvals_required },
      });
      if (approvals >= Number(row.approvals_required)) {
        await tx(REQUESTS)
          .where({ id: options.id, state: 'pending' })
          .update({ state: 'approved', updated_at: now });
        await this.#insertEvent(tx, options.id, now, {
          type: 'approved',
          actor: options.approver,
          fromState: 'pending',
          toState: 'approved',
          details: { approvals },
        });
        approved = true;
      }
    });
    return { request: (await this.getRequest(options.id))!, approved };
  }

  async appendEvent(
    id: string,
    event: NewAccessRequestEvent,
    now: Date = new Date(),
  ): Promise<void> {
    await this.#insertEvent(this.#db, id, now, event);
  }

  /**
   * Claims the next piece of work for `runnerId` with a lease, so two
   * replicas never work on the same request at once. Returns undefined when
   * there is nothing to do.
   */
  async claimNextWork(options: {
    runnerId: string;
    leaseSeconds: number;
    now?: Date;
    skip?: string[];
  }): Promise<GrantWork | undefined> {
    const now = options.now ?? new Date();
    const claimable = (q: Knex.QueryBuilder) =>
      q.where(b =>
        b.whereNull('claimed_by').orWhere('claim_expires_at', '<', now),
      );
    const skip = options.skip ?? [];
    const candidates: Array<{ id: string; kind: GrantWork['kind'] }> = [];

    const approved = await claimable(
      this.#db(REQUESTS).where('state', 'approved').whereNotIn('id', skip),
    )
      .orderBy('updated_at', 'asc')
      .limit(5)
      .select('id');
    candidates.push(
      ...approved.map((r: { id: string }) => ({
        id: r.id,
        kind: 'apply' as const,
      })),
    );

    const due = await claimable(
      this.#db(REQUESTS)
        .where('state', 'active')
        .where('expires_at', '<=', now)
        .whereNotIn('id', skip),
    )
      .orderBy('expires_at', 'asc')
      .limit(5)
      .select('id');
    candidates.push(
      ...due.map((r: { id: string }) => ({
        id: r.id,
        kind: 'expire' as const,
      })),
    );

    const leftovers = await claimable(
      this.#db(REQUESTS)
        .join(GRANTS, `${GRANTS}.request_id`, `${REQUESTS}.id`)
        .whereIn(`${REQUESTS}.state`, ['expired', 'revoked', 'failed'])
        .whereNull(`${GRANTS}.removed_at`)
        .whereNotIn(`${REQUESTS}.id`, skip),
    )
      .orderBy(`${REQUESTS}.updated_at`, 'asc')
      .limit(5)
      .select(`${REQUESTS}.id as id`);
    candidates.push(
      ...leftovers.map((r: { id: string }) => ({
        id: r.id,
        kind: 'remove' as const,
      })),
    );

    for (const candidate of candidates) {
      const count = await claimable(
        this.#db(REQUESTS).where('id', candidate.id),
      ).update({
        claimed_by: options.runnerId,
        claim_expires_at: new Date(now.getTime() + options.leaseSeconds * 1000),
      });
      if (count === 1) {
        const request = (await this.getRequest(candidate.id))!;
        return { kind: candidate.kind, request };
      }
    }
    return undefined;
  }

  async releaseClaim(id: string, runnerId: string): Promise<void> {
    await this.#db(REQUESTS)
      .where({ id, claimed_by: runnerId })
      .update({ claimed_by: null, claim_expires_at: null });
  }

  async getGrant(requestId: string): Promise<GrantRecord | undefined> {
    const row = await this.#db(GRANTS).where('request_id', requestId).first();
    return row ? this.#toGrant(row) : undefined;
  }

  /**
   * Creates or updates the grant row of a request. What the grant owns
   * (`accessEntryCreated`, `policyAssociationCreated`, `awsAuthEntryCreated`,
   * `awsAuthGroupsAdded`) is only written when the row is new; afterwards it
   * only grows through {@link DatabaseAccessRequestStore.addGrantOwnership},
   * so a stale copy of the record never drops what another grant handed over.
   */
  async saveGrant(grant: GrantRecord): Promise<void> {
    const row = {
      request_id: grant.requestId,
      method: grant.method,
      cluster_arn: grant.clusterArn,
      principal_arn: grant.principalArn,
      access_policy_arn: grant.accessPolicyArn ?? null,
      access_scope: grant.accessScope
        ? JSON.stringify(grant.accessScope)
        : null,
      policy_scope_before: grant.policyScopeBefore
        ? JSON.stringify(grant.policyScopeBefore)
        : null,
      policy_associated: grant.policyAssociated,
      aws_auth_entry: grant.awsAuthEntry
        ? JSON.stringify(grant.awsAuthEntry)
        : null,
      aws_auth_added: grant.awsAuthAdded,
      applied_at: grant.appliedAt ?? null,
      removed_at: grant.removedAt ?? null,
      removal_error: grant.removalError ?? null,
    };
    await this.#db(GRANTS)
      .insert({
        ...row,
        access_entry_created: grant.accessEntryCreated,
        policy_association_created: grant.policyAssociationCreated ?? false,
        aws_auth_entry_created: grant.awsAuthEntryCreated ?? false,
        aws_auth_groups_added: JSON.stringify(grant.awsAuthGroupsAdded ?? []),
      })
      .onConflict('request_id')
      .merge(Object.keys(row).filter(k => k !== 'request_id'));
  }

  /**
   * Adds to what a grant owns (never takes away): used when a grant records
   * what it is about to add, and when a grant that is being removed hands
   * what another live grant still needs over to it.
   */
  async addGrantOwnership(
    requestId: string,
    add: {
      accessEntryCreated?: boolean;
      policyAssociationCreated?: boolean;
      awsAuthEntryCreated?: boolean;
      awsAuthGroupsAdded?: string[];
    },
  ): Promise<void> {
    await this.#db.transaction(async tx => {
      const row = await tx(GRANTS)
        .where('request_id', requestId)
        .forUpdate()
        .first();
      if (!row) {
        throw new NotFoundError(`No grant for access request ${requestId}`);
      }
      const groups = new Set(json<string[]>(row.aws_auth_groups_added) ?? []);
      (add.awsAuthGroupsAdded ?? []).forEach(g => groups.add(g));
      await tx(GRANTS)
        .where('request_id', requestId)
        .update({
          access_entry_created:
            bool(row.access_entry_created) || !!add.accessEntryCreated,
          policy_association_created:
            bool(row.policy_association_created) ||
            !!add.policyAssociationCreated,
          aws_auth_entry_created:
            bool(row.aws_auth_entry_created) || !!add.awsAuthEntryCreated,
          aws_auth_groups_added: JSON.stringify([...groups].sort()),
        });
    });
  }

  /** Forgets what a grant owned, before it is applied again after its removal. */
  async resetGrantOwnership(requestId: string): Promise<void> {
    await this.#db(GRANTS)
      .where('request_id', requestId)
      .update({
        access_entry_created: false,
        policy_associated: false,
        policy_association_created: false,
        policy_scope_before: null,
        aws_auth_added: false,
        aws_auth_entry_created: false,
        aws_auth_groups_added: JSON.stringify([]),
      });
  }

  /**
   * Runs `fn` while holding a lease-based lock for one principal on one
   * cluster, so that the grant writes (apply and removal) of different
   * requests for the same principal never interleave, across replicas too.
   * A holder that died loses the lock when its lease runs out.
   */
  async withPrincipalLock<T>(
    options: {
      clusterArn: string;
      canonicalPrincipalArn: string;
      holder: string;
      leaseSeconds: number;
      now: () => Date;
      /** How long to wait for the lock, in milliseconds. */
      waitMs?: number;
    },
    fn: () => Promise<T>,
  ): Promise<T> {
    const key = createHash('sha256')
      .update(`${options.clusterArn}\n${options.canonicalPrincipalArn}`)
      .digest('hex');
    const deadline = Date.now() + (options.waitMs ?? 10_000);
    for (;;) {
      const now = options.now();
      const expiresAt = new Date(now.getTime() + options.leaseSeconds * 1000);
      const taken = await this.#db(LOCKS)
        .where('lock_key', key)
        .where(b =>
          b.where('expires_at', '<', now).orWhere('holder', options.holder),
        )
        .update({ holder: options.holder, expires_at: expiresAt });
      if (taken === 1) {
        break;
      }
      const inserted = await this.#db(LOCKS)
        .insert({
          lock_key: key,
          holder: options.holder,
          expires_at: expiresAt,
        })
        .onConflict('lock_key')
        .ignore();
      const mine = await this.#db(LOCKS)
        .where({ lock_key: key, holder: options.holder })
        .first();
      void inserted;
      if (mine) {
        break;
      }
      if (Date.now() >= deadline) {
        throw new PrincipalBusyError(
          'Another grant for the same principal is being written; will try again',
        );
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    try {
      return await fn();
    } finally {
      await this.#db(LOCKS)
        .where({ lock_key: key, holder: options.holder })
        .delete();
    }
  }

  /**
   * Grants of other requests for the same cluster and principal that have
   * not been removed yet, whatever the state of their request: the live ones
   * (approved or active) still need what they have, the ended ones own what
   * they added until their removal has run.
   */
  async listGrantsNotRemoved(options: {
    clusterArn: string;
    canonicalPrincipalArn: string;
    excludeRequestId: string;
  }): Promise<Array<{ grant: GrantRecord; live: boolean }>> {
    const rows = await this.#db(GRANTS)
      .join(REQUESTS, `${GRANTS}.request_id`, `${REQUESTS}.id`)
      .where(`${GRANTS}.cluster_arn`, options.clusterArn)
      .where(
        `${REQUESTS}.canonical_principal_arn`,
        options.canonicalPrincipalArn,
      )
      .whereNull(`${GRANTS}.removed_at`)
      .whereNot(`${GRANTS}.request_id`, options.excludeRequestId)
      .orderBy(`${GRANTS}.request_id`, 'asc')
      .select(`${GRANTS}.*`, `${REQUESTS}.state as request_state`);
    return rows.map(row => ({
      grant: this.#toGrant(row),
      live: row.request_state === 'approved' || row.request_state === 'active',
    }));
  }

  /** Active requests expiring before `before` whose requester was not told yet. */
  async listExpiringUnnotified(before: Date): Promise<AccessRequest[]> {
    const rows = await this.#db(REQUESTS)
      .where('state', 'active')
      .where('expires_at', '<=', before)
      .whereNull('expiry_notified_at')
      .select('id');
    return this.listRequests({ ids: rows.map(r => r.id) });
  }

  /** Marks the expiry warning as sent; false when another runner did it. */
  async markExpiryNotified(
    id: string,
    now: Date = new Date(),
  ): Promise<boolean> {
    const count = await this.#db(REQUESTS)
      .where({ id })
      .whereNull('expiry_notified_at')
      .update({ expiry_notified_at: now });
    return count === 1;
  }

  async #insertEvent(
    db: Knex | Knex.Transaction,
    id: string,
    now: Date,
    event: NewAccessRequestEvent & {
      fromState?: AccessRequestState;
      toState?: AccessRequestState;
    },
  ): Promise<void> {
    await db(EVENTS).insert({
      request_id: id,
      type: event.type,
      actor: event.actor,
      at: now,
      comment: event.comment ?? null,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
    });
  }

  #toGrant(row: GrantRow): GrantRecord {
    return {
      requestId: row.request_id,
      method: row.method,
      clusterArn: row.cluster_arn,
      principalArn: row.principal_arn,
      accessPolicyArn: optional(row.access_policy_arn),
      accessScope: json(row.access_scope),
      policyScopeBefore: json(row.policy_scope_before),
      accessEntryCreated: bool(row.access_entry_created),
      policyAssociated: bool(row.policy_associated),
      policyAssociationCreated: bool(row.policy_association_created),
      awsAuthEntry: json(row.aws_auth_entry),
      awsAuthAdded: bool(row.aws_auth_added),
      awsAuthEntryCreated: bool(row.aws_auth_entry_created),
      awsAuthGroupsAdded: json<string[]>(row.aws_auth_groups_added) ?? [],
      appliedAt: toDate(row.applied_at),
      removedAt: toDate(row.removed_at),
      removalError: optional(row.removal_error),
    };
  }

  #toRequest(
    row: RequestRow,
    approvals: ApprovalRow[],
    grantRow: GrantRow | undefined,
  ): AccessRequest {
    const grant = grantRow ? this.#toGrant(grantRow) : undefined;
    return {
      id: row.id,
      cluster: {
        entityRef: row.cluster_entity_ref,
        arn: row.cluster_arn,
        name: row.cluster_name,
        accountId: row.account_id,
        region: row.region,
      },
      requester: row.requester,
      principalArn: row.principal_arn,
      canonicalPrincipalArn: row.canonical_principal_arn,
      identityProvenance: json<AccessRequestIdentityProvenance>(
        row.identity_provenance,
      ),
      level: row.level,
      scope: json<AccessRequestScope>(row.scope)!,
      durationSeconds: Number(row.duration_seconds),
      reason: row.reason,
      ticketUrl: optional(row.ticket_url),
      state: row.state,
      approvalsRequired: Number(row.approvals_required),
      approvals: approvals.map(a => ({
        approver: a.approver,
        at: iso(a.approved_at)!,
        comment: optional(a.comment),
      })),
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      activatedAt: iso(row.activated_at),
      expiresAt: iso(row.expires_at),
      endedAt: iso(row.ended_at),
      error: optional(row.error),
      grant: grant && {
        method: grant.method,
        accessEntryCreated:
          grant.method === 'access-entry'
            ? grant.accessEntryCreated
            : undefined,
        accessPolicyArn: grant.accessPolicyArn,
        policyAssociated:
          grant.method === 'access-entry' ? grant.policyAssociated : undefined,
        awsAuthEntry: grant.awsAuthEntry,
        awsAuthAdded:
          grant.method === 'aws-auth' ? grant.awsAuthAdded : undefined,
        appliedAt: grant.appliedAt?.toISOString(),
        removedAt: grant.removedAt?.toISOString(),
        removalError: grant.removalError,
      },
    };
  }
}
