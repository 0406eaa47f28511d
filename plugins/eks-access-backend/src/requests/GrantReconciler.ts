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
  AuditorService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  type AccessRequest,
  type AccessRequestScope,
  type AccessVerdict,
  type AuthenticationMode,
  assumedRoleArnOf,
  type ClusterAccessData,
  evaluateAccess,
  parseArn,
} from '@eks-access/plugin-eks-access-common';
import type { Entity } from '@backstage/catalog-model';
import { randomUUID } from 'node:crypto';
import type { ClusterSnapshotStore } from '../snapshots/ClusterSnapshotStore';
import { declaredClusterCreatorArn } from '../creator/ClusterCreatorResolver';
import { snapshotClusterData } from '../snapshots/SnapshotEvaluator';
import {
  applyAccessEntryGrant,
  GrantRefusedError,
  removeAccessEntryGrant,
} from './accessEntryGrant';
import type { AccessRequestNotifier } from './AccessRequestNotifier';
import {
  applyAwsAuthGrant,
  awsAuthEntryFor,
  removeAwsAuthGrant,
} from './awsAuthGrant';
import type { AccessRequestsSettings } from './readAccessRequestsConfig';
import {
  type AccessRequestStore,
  type GrantRecord,
  type NewAccessRequestEvent,
  PrincipalBusyError,
} from './AccessRequestStore';
import type { GrantCluster, GrantTargets } from './grantTargets';
import { scopeCovers } from './scopes';

/** A fresh read of a cluster's access data, for applying and verifying. @public */
export interface FreshClusterAccessData {
  authenticationMode?: AuthenticationMode;
  /** Undefined when DescribeCluster failed (see `error`). */
  data?: ClusterAccessData;
  /** Why the data could not be read. */
  error?: string;
}

/**
 * Reads a cluster's access data bypassing any cache, and drops the cached
 * snapshot so that every user sees the change. Over the
 * plugin's snapshot store: {@link snapshotAccessDataSource}.
 * @public
 */
export interface ClusterAccessDataSource {
  readFresh(cluster: GrantCluster): Promise<FreshClusterAccessData>;
}

/**
 * {@link ClusterAccessDataSource} over the plugin's snapshot store
 * (`ClusterSnapshotStore`): invalidates the cluster's snapshot, then reads it
 * again, so the verification and every user see the change. The snapshot
 * becomes the evaluator's data exactly as for a user's check
 * ({@link snapshotClusterData}): with the cluster's creator and RBAC.
 * @public
 */
export function snapshotAccessDataSource(
  snapshots: Pick<ClusterSnapshotStore, 'get' | 'invalidate' | 'rbac'>,
  options: {
    /**
     * The cluster's entity, for its creator annotation; without it only the
     * cluster's creator tag is used.
     */
    entityOf?: (cluster: GrantCluster) => Promise<Entity | undefined>;
  } = {},
): ClusterAccessDataSource {
  return {
    async readFresh(cluster) {
      snapshots.invalidate(cluster.arn);
      const snapshot = await snapshots.get(cluster);
      const errors = Object.entries(snapshot.sources)
        .filter(([, s]) => s.state === 'error')
        .map(([name, s]) => `${name}: ${s.message ?? 'read failed'}`);
      if (!snapshot.described) {
        return { error: errors.join('; ') || 'DescribeCluster failed' };
      }
      const entity = await options.entityOf?.(cluster);
      const data = snapshotClusterData(
        snapshot,
        declaredClusterCreatorArn(entity, snapshot),
        undefined,
        await snapshots.rbac(snapshot),
      );
      return {
        authenticationMode: data.authenticationMode,
        data,
        error: errors.length ? errors.join('; ') : undefined,
      };
    },
  };
}

const SYSTEM_ACTOR = 'system:eks-access';

/** The cluster of a stored request, with the partition from its ARN. @public */
export function grantClusterOf(request: AccessRequest): GrantCluster {
  return {
    entityRef: request.cluster.entityRef,
    arn: request.cluster.arn,
    name: request.cluster.name,
    partition: parseArn(request.cluster.arn).partition,
    accountId: request.cluster.accountId,
    region: request.cluster.region,
  };
}

/** A caller ARN EKS would see for the principal, for the evaluator. */
function verificationCaller(principalArn: string) {
  const session = assumedRoleArnOf(principalArn, 'eks-access-verification');
  return { arn: session ?? principalArn, iamArn: principalArn };
}

function verdictSummary(verdict: AccessVerdict): string {
  const findings = verdict.findings
    .filter(f => f.severity !== 'info')
    .map(f => `${f.code}: ${f.message}`)
    .join('; ');
  return `${verdict.decision}${verdict.via ? ` via ${verdict.via}` : ''}${
    findings ? ` (${findings})` : ''
  }`;
}

/**
 * The scheduled task of the request flow. Each run: warns requesters whose
 * grants expire soon, then repeatedly claims (with a database lease, so two
 * replicas never work on the same request) and completes one piece of work:
 * apply an approved grant and verify it, expire a due grant, or take away
 * what was added for an ended or failed request. Every step is idempotent,
 * so a run that dies half-way is completed by the next one.
 * @public
 */
export class GrantReconciler {
  readonly #store: AccessRequestStore;
  readonly #settings: AccessRequestsSettings;
  readonly #targets: GrantTargets;
  readonly #source: ClusterAccessDataSource;
  readonly #notifier?: AccessRequestNotifier;
  readonly #auditor?: AuditorService;
  readonly #logger: LoggerService;
  readonly #runnerId: string;
  readonly #leaseSeconds: number;
  readonly #lockWaitMs: number;
  readonly #now: () => Date;

  constructor(options: {
    store: AccessRequestStore;
    settings: AccessRequestsSettings;
    targets: GrantTargets;
    source: ClusterAccessDataSource;
    notifier?: AccessRequestNotifier;
    auditor?: AuditorService;
    logger: LoggerService;
    runnerId?: string;
    leaseSeconds?: number;
    /** How long to wait for another runner's writes on the same principal. */
    lockWaitMs?: number;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#settings = options.settings;
    this.#targets = options.targets;
    this.#source = options.source;
    this.#notifier = options.notifier;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
    this.#runnerId = options.runnerId ?? `eks-access-${randomUUID()}`;
    this.#leaseSeconds = options.leaseSeconds ?? 300;
    this.#lockWaitMs = options.lockWaitMs ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** One pass over all due work. Returns how many requests it handled. */
  async runOnce(): Promise<number> {
    await this.#warnExpiringSoon();
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) {
      const work = await this.#store.claimNextWork({
        runnerId: this.#runnerId,
        leaseSeconds: this.#leaseSeconds,
        now: this.#now(),
        skip: seen,
      });
      if (!work) {
        break;
      }
      seen.push(work.request.id);
      try {
        if (work.kind === 'apply') {
          await this.#apply(work.request);
        } else if (work.kind === 'expire') {
          await this.#expire(work.request);
        } else {
          await this.#remove(work.request);
        }
      } catch (error) {
        this.#logger.error(
          `Access request ${work.request.id}: ${work.kind} failed: ${error}`,
        );
      } finally {
        await this.#store.releaseClaim(work.request.id, this.#runnerId);
      }
    }
    return seen.length;
  }

  async #record(
    request: AccessRequest,
    event: Omit<NewAccessRequestEvent, 'actor'>,
  ) {
    await this.#store.appendEvent(
      request.id,
      { ...event, actor: SYSTEM_ACTOR },
      this.#now(),
    );
  }

  async #audit(
    eventId: string,
    request: AccessRequest,
    meta: Record<string, unknown>,
    error?: Error,
  ) {
    if (!this.#auditor) {
      return;
    }
    const level = this.#settings.levels.find(l => l.name === request.level);
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel: level?.accessPolicyArn?.endsWith(
        '/AmazonEKSClusterAdminPolicy',
      )
        ? 'critical'
        : 'high',
      meta: {
        requestId: request.id,
        cluster: request.cluster.arn,
        principalArn: request.principalArn,
        level: request.level,
        ...meta,
      },
    });
    if (error) {
      await event.fail({ error });
    } else {
      await event.success();
    }
  }

  async #apply(request: AccessRequest): Promise<void> {
    const cluster = grantClusterOf(request);
    const level = this.#settings.levels.find(l => l.name === request.level);
    await this.#record(request, { type: 'apply-started' });
    try {
      if (!level) {
        throw new GrantRefusedError(
          `The access level ${request.level} is no longer configured`,
        );
      }
      const before = await this.#source.readFresh(cluster);
      if (!before.data) {
        throw new Error(`Could not read the cluster: ${before.error}`);
      }
      const mode = before.data.authenticationMode;
      const ctx = {
        store: this.#store,
        request,
        record: (e: Omit<NewAccessRequestEvent, 'actor'>) =>
          this.#record(request, e),
      };
      let grant: GrantRecord;
      if (mode === 'CONFIG_MAP') {
        const entry = awsAuthEntryFor(request, level);
        const client = await this.#targets.awsAuth(cluster);
        grant = await this.#locked(request, () =>
          applyAwsAuthGrant({ ...ctx, entry, client }),
        );
      } else {
        if (!level.accessPolicyArn) {
          throw new GrantRefusedError(
            `The access level ${level.name} has no accessPolicyArn, so it cannot be granted on a ${mode} cluster`,
          );
        }
        const policyArn = level.accessPolicyArn;
        const target = await this.#targets.accessEntries(cluster);
        grant = await this.#locked(request, () =>
          applyAccessEntryGrant({ ...ctx, policyArn, target }),
        );
      }

      const after = await this.#source.readFresh(cluster);
      if (!after.data) {
        throw new Error(`Could not verify the grant: ${after.error}`);
      }
      const verdict = evaluateAccess({
        caller: verificationCaller(request.principalArn),
        cluster: after.data,
        now: this.#now().toISOString(),
      });
      const problem = this.#verificationProblem(request, grant, verdict);
      if (problem) {
        throw new GrantRefusedError(
          `The change was made but ${request.principalArn} does not get the level yet: ${problem}`,
        );
      }
      const activatedAt = this.#now();
      const active = await this.#store.transition({
        id: request.id,
        from: 'approved',
        to: 'active',
        event: {
          type: 'activated',
          actor: SYSTEM_ACTOR,
          details: {
            verdict: {
              decision: verdict.decision,
              via: verdict.via,
              username: verdict.username,
              groups: verdict.groups,
              accessPolicies: verdict.accessPolicies,
            },
          },
        },
        patch: {
          activatedAt,
          expiresAt: new Date(
            activatedAt.getTime() + request.durationSeconds * 1000,
          ),
          error: null,
        },
        now: activatedAt,
      });
      await this.#audit('grant-apply', request, {
        toState: 'active',
        method: grant.method,
      });
      await this.#notifier?.notify('active', active);
    } catch (error) {
      if (error instanceof PrincipalBusyError) {
        // Not a failure: the request stays approved for the next run.
        throw error;
      }
      const message = (error as Error).message;
      const failed = await this.#store.transition({
        id: request.id,
        from: 'approved',
        to: 'failed',
        event: {
          type: 'failed',
          actor: SYSTEM_ACTOR,
          details: {
            error: message,
            refused: error instanceof GrantRefusedError,
          },
        },
        patch: { error: message },
        now: this.#now(),
      });
      await this.#audit(
        'grant-apply',
        request,
        { toState: 'failed' },
        error as Error,
      );
      await this.#notifier?.notify('failed', failed);
    }
  }

  /**
   * Grant writes of one principal on one cluster run one at a time (across
   * replicas), so that an apply and a removal never decide on the same
   * mapping or association from each other's half-done state.
   */
  #locked<T>(request: AccessRequest, fn: () => Promise<T>): Promise<T> {
    return this.#store.withPrincipalLock(
      {
        clusterArn: request.cluster.arn,
        canonicalPrincipalArn: request.canonicalPrincipalArn,
        holder: this.#runnerId,
        leaseSeconds: this.#leaseSeconds,
        now: this.#now,
        waitMs: this.#lockWaitMs,
      },
      fn,
    );
  }

  #verificationProblem(
    request: AccessRequest,
    grant: GrantRecord,
    verdict: AccessVerdict,
  ): string | undefined {
    if (verdict.decision !== 'allowed') {
      return verdictSummary(verdict);
    }
    if (grant.method === 'access-entry') {
      if (verdict.via !== 'access-entry') {
        return `admitted ${verdictSummary(
          verdict,
        )}, not through the access entry`;
      }
      const policy = verdict.accessPolicies?.find(
        p => p.policyArn === grant.accessPolicyArn,
      );
      if (!policy) {
        return `the access entry does not carry ${grant.accessPolicyArn}`;
      }
      const scope: AccessRequestScope =
        policy.accessScope.type === 'cluster'
          ? { type: 'cluster' }
          : {
              type: 'namespace',
              namespaces: policy.accessScope.namespaces ?? [],
            };
      if (!scopeCovers(scope, request.scope)) {
        return `the access entry does not carry ${grant.accessPolicyArn} for the requested scope`;
      }
      return undefined;
    }
    const groups = verdict.groups ?? [];
    const missing = (grant.awsAuthEntry?.groups ?? []).filter(
      g => !groups.includes(g),
    );
    if (missing.length > 0) {
      return `admitted ${verdictSummary(
        verdict,
      )} without the groups ${missing.join(', ')}`;
    }
    return undefined;
  }

  async #expire(request: AccessRequest): Promise<void> {
    const expired = await this.#store.transition({
      id: request.id,
      from: 'active',
      to: 'expired',
      event: { type: 'expired', actor: SYSTEM_ACTOR },
      patch: { endedAt: this.#now() },
      now: this.#now(),
    });
    await this.#remove(expired);
    const final = (await this.#store.getRequest(request.id))!;
    await this.#audit('grant-expire', request, { toState: 'expired' });
    await this.#notifier?.notify('expired', final);
  }

  async #remove(request: AccessRequest): Promise<void> {
    const grant = await this.#store.getGrant(request.id);
    if (!grant || grant.removedAt) {
      return;
    }
    const cluster = grantClusterOf(request);
    const ctx = {
      store: this.#store,
      request,
      record: (e: Omit<NewAccessRequestEvent, 'actor'>) =>
        this.#record(request, e),
    };
    try {
      if (grant.method === 'access-entry') {
        const target = await this.#targets.accessEntries(cluster);
        await this.#locked(request, () =>
          removeAccessEntryGrant({ ...ctx, grant, target }),
        );
      } else {
        const client = await this.#targets.awsAuth(cluster);
        await this.#locked(request, () =>
          removeAwsAuthGrant({ ...ctx, grant, client }),
        );
      }
      await this.#store.saveGrant({
        ...grant,
        removedAt: this.#now(),
        removalError: undefined,
      });
      await this.#record(request, { type: 'removed' });
      await this.#source.readFresh(cluster).catch(() => undefined);
      await this.#audit('grant-remove', request, { state: request.state });
    } catch (error) {
      if (error instanceof PrincipalBusyError) {
        throw error;
      }
      const message = (error as Error).message;
      if (grant.removalError !== message) {
        await this.#record(request, {
          type: 'removal-failed',
          details: { error: message },
        });
        await this.#audit(
          'grant-remove',
          request,
          { state: request.state },
          error as Error,
        );
      }
      await this.#store.saveGrant({ ...grant, removalError: message });
    }
  }

  async #warnExpiringSoon(): Promise<void> {
    const before = new Date(
      this.#now().getTime() + this.#settings.expiryWarningSeconds * 1000,
    );
    for (const request of await this.#store.listExpiringUnnotified(before)) {
      if (await this.#store.markExpiryNotified(request.id, this.#now())) {
        await this.#record(request, { type: 'expiring-soon' });
        await this.#notifier?.notify('expiring-soon', request);
      }
    }
  }
}

/** The task id of the grant reconciler. @public */
export const GRANT_TASK_ID = 'eks-access-requests-grants';

/**
 * Schedules {@link GrantReconciler} as a global task and returns a function
 * that runs it right away (after an approval or a revocation).
 * @public
 */
export async function scheduleGrantReconciler(options: {
  scheduler: SchedulerService;
  reconciler: GrantReconciler;
  schedule: SchedulerServiceTaskScheduleDefinition;
  logger: LoggerService;
}): Promise<{ trigger(): Promise<void> }> {
  await options.scheduler.scheduleTask({
    ...options.schedule,
    scope: 'global',
    id: GRANT_TASK_ID,
    fn: async () => {
      await options.reconciler.runOnce();
    },
  });
  return {
    async trigger() {
      try {
        await options.scheduler.triggerTask(GRANT_TASK_ID);
      } catch (error) {
        // Already running (409) or not yet started: the next run picks it up.
        options.logger.debug(`Could not trigger ${GRANT_TASK_ID}: ${error}`);
      }
    },
  };
}
