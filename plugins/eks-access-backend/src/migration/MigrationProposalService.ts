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
 * The migration's stages as requests that need approval: an admin proposes
 * a stage, another approver from the request flow's approval source (EKS
 * access admins, the AWS owner tag's group, trusted catalog owners)
 * approves it, and only then does the stage runner run it. Nobody approves
 * their own proposal. Every transition is audited and notified.
 */

import type {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  eksAccessMigrationApplyPermission,
  eksAccessMigrationPreviewPermission,
  type MigrationProposal,
  type ProposeMigrationStage,
} from '@eks-access/plugin-eks-access-common';
import { randomUUID } from 'node:crypto';
import type { RequestActor } from '../requests/AccessRequestService';
import type { ClusterEntity } from '../service/EksAccessService';
import type { MigrationProposalNotifier } from './MigrationProposalNotifier';
import type { MigrationStageResult } from './MigrationRunner';
import type { MigrationService } from './MigrationService';
import { type MigrationStore, OPEN_PROPOSAL_STATES } from './MigrationStore';

/** Who may approve changes to a cluster: the request flow's rules. */
export interface MigrationApprovers {
  /** Why the actor may not approve, or undefined when they may. */
  approverRefusal(
    cluster: { entityRef: string; arn: string; name: string },
    actor: RequestActor,
    verb?: string,
  ): Promise<string | undefined>;
}

export class MigrationProposalService {
  readonly #store: MigrationStore;
  readonly #migration: MigrationService;
  readonly #permissions: PermissionsService;
  readonly #approvers: MigrationApprovers;
  readonly #clusterFor: (
    entityRef: string,
    actor: RequestActor,
  ) => Promise<ClusterEntity>;
  readonly #runnerCluster: (entityRef: string) => Promise<ClusterEntity>;
  readonly #auditor?: AuditorService;
  readonly #notifier?: MigrationProposalNotifier;
  readonly #logger?: LoggerService;
  readonly #trigger: () => Promise<void>;
  readonly #now: () => Date;
  readonly #runnerId: string;
  readonly #leaseSeconds: number;

  constructor(options: {
    store: MigrationStore;
    migration: MigrationService;
    permissions: PermissionsService;
    approvers: MigrationApprovers;
    /** The cluster entity as the caller may see it. */
    clusterFor: (
      entityRef: string,
      actor: RequestActor,
    ) => Promise<ClusterEntity>;
    /** The cluster entity for the stage runner (the plugin's own credentials). */
    runnerCluster: (entityRef: string) => Promise<ClusterEntity>;
    auditor?: AuditorService;
    notifier?: MigrationProposalNotifier;
    logger?: LoggerService;
    /** Runs the stage runner now (after approve and retry). */
    trigger?: () => Promise<void>;
    now?: () => Date;
    runnerId?: string;
    /**
     * How long a runner holds a running stage; when it dies mid-stage,
     * another resumes the stage after this. Longer than a mode switch.
     */
    leaseSeconds?: number;
  }) {
    this.#store = options.store;
    this.#migration = options.migration;
    this.#permissions = options.permissions;
    this.#approvers = options.approvers;
    this.#clusterFor = options.clusterFor;
    this.#runnerCluster = options.runnerCluster;
    this.#auditor = options.auditor;
    this.#notifier = options.notifier;
    this.#logger = options.logger;
    this.#trigger = options.trigger ?? (async () => {});
    this.#now = options.now ?? (() => new Date());
    this.#runnerId = options.runnerId ?? `migration-runner-${randomUUID()}`;
    this.#leaseSeconds = options.leaseSeconds ?? 45 * 60;
  }

  async #allowed(
    actor: RequestActor,
    permission: typeof eksAccessMigrationApplyPermission,
  ) {
    const [decision] = await this.#permissions.authorize([{ permission }], {
      credentials: actor.credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Records a proposed stage; it runs only once another approver approves it. */
  async propose(
    body: ProposeMigrationStage,
    actor: RequestActor,
  ): Promise<MigrationProposal> {
    if (!(await this.#allowed(actor, eksAccessMigrationApplyPermission))) {
      await this.#refuseAudit(
        'migration-propose',
        actor,
        { entityRef: body.entityRef, stage: body.stage },
        'Only EKS access admins (eks-access.migration.apply) may propose migration stages',
      );
    }
    const target = await this.#clusterFor(body.entityRef, actor);
    const cluster = {
      entityRef: target.entityRef,
      arn: target.cluster.arn,
      name: target.cluster.name,
      accountId: target.cluster.accountId,
      region: target.cluster.region,
    };
    const open = await this.#store.openMigration(target.cluster.arn);
    let proposal: MigrationProposal;
    if (!open) {
      if (body.stage !== 'entries') {
        throw new ConflictError(
          `No migration of ${cluster.name} is open: propose the entries stage first`,
        );
      }
      const { baseline, summary } = await this.#migration.newBaseline(
        target,
        body.accept ?? [],
      );
      proposal = await this.#store.createMigration(
        {
          id: baseline.migrationId,
          clusterArn: cluster.arn,
          clusterEntityRef: cluster.entityRef,
          baseline,
          createdBy: actor.userEntityRef,
        },
        {
          cluster,
          stage: 'entries',
          proposer: actor.userEntityRef,
          comment: body.comment,
          accepted: baseline.accepted ?? [],
          summary,
        },
        this.#now(),
      );
    } else {
      // The accepted differences belong to the baseline: fixed when the
      // migration began, so an approver approves what was simulated.
      const accepted = open.baseline.accepted ?? [];
      if (
        body.accept &&
        [...body.accept].sort().join('\n') !== [...accepted].sort().join('\n')
      ) {
        throw new InputError(
          `The migration of ${cluster.name} began with ${accepted.length} accepted difference(s); they cannot change now (roll back and propose a new migration)`,
        );
      }
      if (body.stage === 'final' && !open.entriesVerifiedAt) {
        throw new ConflictError(
          `The entries of ${cluster.name} are not verified yet: the entries stage comes first`,
        );
      }
      proposal = await this.#store.createProposal(
        {
          migrationId: open.id,
          cluster,
          stage: body.stage,
          proposer: actor.userEntityRef,
          comment: body.comment,
          accepted,
          summary: `Verified against the baseline of ${open.createdAt} (${open.baseline.principals.length} principals)`,
        },
        this.#now(),
      );
    }
    await this.#audit('migration-propose', 'high', proposal, actor);
    await this.#notifier?.notify('proposed', proposal, actor.userEntityRef);
    return this.#withActions(proposal, actor);
  }

  async list(
    filter: { entityRef?: string; limit?: number },
    actor: RequestActor,
  ): Promise<{ items: MigrationProposal[] }> {
    await this.#requirePreview(actor);
    const items = await this.#store.listProposals({
      clusterEntityRef: filter.entityRef,
      limit: filter.limit,
    });
    return {
      items: await Promise.all(items.map(p => this.#withActions(p, actor))),
    };
  }

  async get(id: string, actor: RequestActor): Promise<MigrationProposal> {
    await this.#requirePreview(actor);
    const proposal = await this.#proposal(id);
    return {
      ...(await this.#withActions(proposal, actor)),
      events: await this.#store.listEvents(id),
    };
  }

  async approve(id: string, comment: string | undefined, actor: RequestActor) {
    const proposal = await this.#proposal(id);
    await this.#assertApprover(proposal, actor, 'approve');
    if (proposal.stage === 'final') {
      const migration = await this.#store.getMigration(proposal.migrationId);
      const notBefore =
        migration && this.#migration.finalNotBefore(migration, this.#now());
      if (notBefore) {
        throw new ConflictError(
          `The verification window of ${
            proposal.cluster.name
          } ends at ${notBefore.toISOString()}; approve the switch to API after it`,
        );
      }
    }
    const approved = await this.#store.transition({
      id,
      from: 'pending',
      to: 'approved',
      event: { type: 'approved', actor: actor.userEntityRef, comment },
      patch: { approver: actor.userEntityRef },
      now: this.#now(),
    });
    await this.#audit('migration-approve', 'high', approved, actor);
    await this.#notifier?.notify('approved', approved, actor.userEntityRef);
    await this.#trigger();
    return this.get(id, actor);
  }

  async reject(id: string, comment: string | undefined, actor: RequestActor) {
    const proposal = await this.#proposal(id);
    await this.#assertApprover(proposal, actor, 'reject');
    const rejected = await this.#store.transition({
      id,
      from: 'pending',
      to: 'rejected',
      event: { type: 'rejected', actor: actor.userEntityRef, comment },
      now: this.#now(),
    });
    await this.#abandonUnstarted(rejected);
    await this.#audit('migration-reject', 'medium', rejected, actor);
    await this.#notifier?.notify('rejected', rejected, actor.userEntityRef);
    return this.get(id, actor);
  }

  async cancel(id: string, comment: string | undefined, actor: RequestActor) {
    const proposal = await this.#proposal(id);
    if (proposal.proposer !== actor.userEntityRef) {
      await this.#refuse(
        'migration-cancel',
        proposal,
        actor,
        'Only the proposer can cancel a proposal; approvers reject it',
      );
    }
    const cancelled = await this.#store.transition({
      id,
      from: 'pending',
      to: 'cancelled',
      event: { type: 'cancelled', actor: actor.userEntityRef, comment },
      now: this.#now(),
    });
    await this.#abandonUnstarted(cancelled);
    await this.#audit('migration-cancel', 'medium', cancelled, actor);
    return this.get(id, actor);
  }

  /** A failed stage runs again (it is idempotent), on an approver's word. */
  async retry(id: string, comment: string | undefined, actor: RequestActor) {
    const proposal = await this.#proposal(id);
    await this.#assertApprover(proposal, actor, 'retry');
    const open = (
      await this.#store.listProposals({
        clusterEntityRef: proposal.cluster.entityRef,
        states: [...OPEN_PROPOSAL_STATES],
      })
    ).filter(p => p.id !== id);
    if (open.length) {
      throw new ConflictError(
        `${proposal.cluster.name} has an open proposal (${open[0].stage}, ${open[0].state}); decide or finish it before retrying this one`,
      );
    }
    const migration = await this.#store.getMigration(proposal.migrationId);
    if (migration?.state !== 'open') {
      throw new ConflictError(
        `The migration of ${proposal.cluster.name} is ${
          migration?.state ?? 'gone'
        }: nothing to retry`,
      );
    }
    const retried = await this.#store.transition({
      id,
      from: 'failed',
      to: 'approved',
      event: { type: 'retried', actor: actor.userEntityRef, comment },
      patch: { error: null },
      now: this.#now(),
    });
    await this.#audit('migration-retry', 'high', retried, actor);
    await this.#trigger();
    return this.get(id, actor);
  }

  /**
   * The stage runner: runs approved stages, and resumes the stages whose
   * runner died (lease run out), until none is left. Called by the
   * scheduled task and after approvals.
   */
  async runApproved(): Promise<MigrationProposal[]> {
    const ran: MigrationProposal[] = [];
    for (;;) {
      const claimed = await this.#store.claimNext({
        runnerId: this.#runnerId,
        leaseSeconds: this.#leaseSeconds,
        now: this.#now(),
      });
      if (!claimed) return ran;
      ran.push(await this.#run(claimed.proposal, claimed.resumed));
    }
  }

  async #run(proposal: MigrationProposal, resumed: boolean) {
    // Audited before anything is done: a runner that dies mid-stage leaves
    // this start (and a later `resumed` one) in the audit trail.
    if (this.#auditor) {
      const event = await this.#auditor.createEvent({
        eventId: 'migration-stage-start',
        severityLevel: proposal.stage === 'final' ? 'critical' : 'high',
        meta: { actor: this.#runnerId, resumed, ...this.#meta(proposal) },
      });
      await event.success();
    }
    let result: MigrationStageResult;
    try {
      const migration = await this.#store.getMigration(proposal.migrationId);
      if (!migration)
        throw new NotFoundError(`No migration ${proposal.migrationId}`);
      const target = await this.#runnerCluster(proposal.cluster.entityRef);
      if (
        target.cluster.arn.toLowerCase() !== proposal.cluster.arn.toLowerCase()
      ) {
        throw new ConflictError(
          `${proposal.cluster.entityRef} no longer describes ${proposal.cluster.arn}`,
        );
      }
      result = await this.#migration.runStage(
        target,
        proposal.stage,
        migration,
        this.#now,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failed = await this.#store.transition({
        id: proposal.id,
        from: 'running',
        to: 'failed',
        event: { type: 'failed', actor: this.#runnerId, comment: message },
        patch: { error: message, claimedBy: null, leaseUntil: null },
        now: this.#now(),
      });
      this.#logger?.warn(
        `Migration stage ${proposal.stage} of ${proposal.cluster.name} failed: ${message}`,
      );
      await this.#auditStage(failed, resumed, error as Error);
      await this.#notifier?.notify('failed', failed);
      return failed;
    }
    const finished = await this.#store.transition({
      id: proposal.id,
      from: 'running',
      to: result.status,
      event: {
        type: result.status,
        actor: this.#runnerId,
        comment: result.message,
      },
      patch: {
        result: {
          status: result.status,
          mode: result.mode,
          changed: result.changed,
          kept: result.kept,
          differingPrincipals: [
            ...new Set(result.differences.map(d => d.principal)),
          ],
          message: result.message,
        },
        claimedBy: null,
        leaseUntil: null,
      },
      now: this.#now(),
    });
    await this.#auditStage(finished, resumed);
    await this.#notifier?.notify(result.status, finished);
    return finished;
  }

  /** A rejected or cancelled first proposal leaves nothing begun behind. */
  async #abandonUnstarted(proposal: MigrationProposal) {
    if (proposal.stage !== 'entries') return;
    const migration = await this.#store.getMigration(proposal.migrationId);
    if (migration?.state === 'open' && !migration.startedAt) {
      await this.#store.updateMigration(migration.id, {
        state: 'abandoned',
        endedAt: this.#now(),
      });
    }
  }

  async #proposal(id: string) {
    const proposal = await this.#store.getProposal(id);
    if (!proposal)
      throw new NotFoundError(`No migration proposal with id ${id}`);
    return proposal;
  }

  async #requirePreview(actor: RequestActor) {
    if (!(await this.#allowed(actor, eksAccessMigrationPreviewPermission))) {
      throw new NotAllowedError(
        `Not allowed: ${eksAccessMigrationPreviewPermission.name}`,
      );
    }
  }

  /**
   * Two people: the proposer never decides; the decider holds the
   * migration permission and is an approver of the cluster by the request
   * flow's rules.
   */
  async #assertApprover(
    proposal: MigrationProposal,
    actor: RequestActor,
    verb: string,
  ) {
    if (proposal.proposer === actor.userEntityRef) {
      await this.#refuse(
        `migration-${verb}`,
        proposal,
        actor,
        `You cannot ${verb} your own proposal; another approver of ${proposal.cluster.name} must do it`,
      );
    }
    if (!(await this.#allowed(actor, eksAccessMigrationApplyPermission))) {
      await this.#refuse(
        `migration-${verb}`,
        proposal,
        actor,
        `Only EKS access admins (eks-access.migration.apply) may ${verb} migration stages`,
      );
    }
    const refusal = await this.#approvers.approverRefusal(
      proposal.cluster,
      actor,
      verb,
    );
    if (refusal)
      await this.#refuse(`migration-${verb}`, proposal, actor, refusal);
  }

  async #withActions(
    proposal: MigrationProposal,
    actor: RequestActor,
  ): Promise<MigrationProposal> {
    const own = proposal.proposer === actor.userEntityRef;
    const actions: NonNullable<MigrationProposal['allowedActions']> = [];
    const decider =
      !own &&
      (proposal.state === 'pending' || proposal.state === 'failed') &&
      (await this.#allowed(actor, eksAccessMigrationApplyPermission)) &&
      !(await this.#approvers.approverRefusal(proposal.cluster, actor));
    if (proposal.state === 'pending') {
      if (decider) actions.push('approve', 'reject');
      if (own) actions.push('cancel');
    }
    if (proposal.state === 'failed' && decider) actions.push('retry');
    return { ...proposal, allowedActions: actions };
  }

  #meta(proposal: MigrationProposal) {
    return {
      proposalId: proposal.id,
      migrationId: proposal.migrationId,
      cluster: proposal.cluster.arn,
      entityRef: proposal.cluster.entityRef,
      stage: proposal.stage,
      state: proposal.state,
      proposer: proposal.proposer,
      approver: proposal.approver,
      accepted: proposal.accepted,
    };
  }

  async #audit(
    eventId: string,
    severityLevel: 'low' | 'medium' | 'high' | 'critical',
    proposal: MigrationProposal,
    actor: RequestActor,
  ) {
    if (!this.#auditor) return;
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel,
      meta: { actor: actor.userEntityRef, ...this.#meta(proposal) },
    });
    await event.success();
  }

  async #auditStage(
    proposal: MigrationProposal,
    resumed: boolean,
    error?: Error,
  ) {
    if (!this.#auditor) return;
    const event = await this.#auditor.createEvent({
      eventId: 'migration-stage',
      // the switch to API cannot be undone
      severityLevel: proposal.stage === 'final' ? 'critical' : 'high',
      meta: {
        actor: this.#runnerId,
        resumed,
        ...this.#meta(proposal),
        status: proposal.result?.status,
        changed: proposal.result?.changed.length,
        differing: proposal.result?.differingPrincipals.length,
      },
    });
    if (error) await event.fail({ error });
    else await event.success();
  }

  async #refuseAudit(
    eventId: string,
    actor: RequestActor,
    meta: Record<string, unknown>,
    message: string,
  ): Promise<never> {
    const error = new NotAllowedError(message);
    if (this.#auditor) {
      const event = await this.#auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        meta: { actor: actor.userEntityRef, ...meta },
      });
      await event.fail({ error });
    }
    throw error;
  }

  /** Refuses with a 403 and audits the attempt (self-approval above all). */
  async #refuse(
    eventId: string,
    proposal: MigrationProposal,
    actor: RequestActor,
    message: string,
  ): Promise<never> {
    return this.#refuseAudit(eventId, actor, this.#meta(proposal), message);
  }
}
