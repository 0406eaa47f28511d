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
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import {
  AWS_ARN_ANNOTATION,
  AWS_CONFIG_ARN_ANNOTATION,
  EKS_ACCESS_CLUSTER_ARN_ANNOTATION,
  ROADIE_EKS_CLUSTER_ARN_ANNOTATION,
  getEksClusterRef,
  clusterWideFindings,
  iamPrincipalOf,
  isEksClusterEntity,
  parseArn,
  type AccessVerdict,
  type ClusterAccessReport,
  type ClusterAccessStatus,
  type ClusterAccessSummary,
  type ClusterAccessSummaryPage,
  type ClusterFacts,
  type EksClusterRef,
  type Finding,
  type FixPlan,
  type IdentityAccess,
  type PermissionSummary,
  type RbacSnapshot,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import { withCallPriority } from '../aws/AdaptiveRateLimiter';
import {
  declaredClusterCreator,
  type ClusterCreatorResolution,
  type ClusterCreatorResolver,
} from '../creator/ClusterCreatorResolver';
import {
  resolveIdentities,
  type IdentityResolver,
} from '../identity/IdentityResolver';
import { IDENTITY_CENTER_PROBLEM_PREFIX } from '../identity/IdentityCenterIdentityResolver';
import type {
  ClusterSnapshot,
  ClusterSnapshotStore,
} from '../snapshots/ClusterSnapshotStore';
import pLimit from 'p-limit';
import { KeyedConcurrencyLimiter } from '../snapshots/KeyedConcurrencyLimiter';
import { KubernetesPluginClusters } from './KubernetesPluginClusters';
import type { PrincipalFactsCache } from '../snapshots/PrincipalFactsCache';
import type { SnapshotWarmer } from '../snapshots/SnapshotWarmer';
import type {
  SubjectPermissions,
  SubjectPermissionsStore,
} from '../snapshots/SubjectPermissionsStore';
import {
  kubeconfigGuidanceFor,
  SnapshotEvaluator,
  type CallerFacts,
} from '../snapshots/SnapshotEvaluator';

/** A cluster entity the user may see, with its parsed ARN. */
export interface ClusterEntity {
  entity: Entity;
  entityRef: string;
  cluster: EksClusterRef;
}

const CLUSTER_ARN_ANNOTATIONS = [
  EKS_ACCESS_CLUSTER_ARN_ANNOTATION,
  AWS_ARN_ANNOTATION,
  ROADIE_EKS_CLUSTER_ARN_ANNOTATION,
  AWS_CONFIG_ARN_ANNOTATION,
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
];

/** Validates an entity ref from a request; InputError when malformed. */
export function parseClusterEntityRef(entityRef: string): string {
  try {
    const ref = parseEntityRef(entityRef);
    return stringifyEntityRef(ref);
  } catch (error) {
    throw new InputError(
      `Invalid entityRef "${entityRef}": expected kind:namespace/name, e.g. resource:default/payments-prod`,
    );
  }
}

/**
 * Clusters one fleet check reads at once per AWS account: with the
 * account's calls rate-limited anyway, a few in flight keep its rate busy,
 * and the clusters first in the order finish first.
 */
const FLEET_CLUSTERS_PER_ACCOUNT = 4;

/** Clusters checked at once by one fleet check, across all accounts. */
const FLEET_CLUSTERS_IN_FLIGHT = 32;

/** A user's clusters, in the order "My EKS access" shows them, and who the user is in AWS. */
export interface UserFleet {
  clusters: ClusterEntityRow[];
  identities: ResolvedIdentity[];
}

/** A cluster entity of the catalog with its ref. */
export interface ClusterEntityRow {
  entity: Entity;
  entityRef: string;
}

/**
 * Answers "can I reach this cluster?" for developers: finds cluster
 * entities in the catalog on the user's behalf, resolves who the user is in
 * AWS, and evaluates each identity against the cluster's shared snapshot.
 */
export class EksAccessService {
  readonly #catalog: CatalogService;
  readonly #snapshots: ClusterSnapshotStore;
  readonly #principals: PrincipalFactsCache;
  readonly #subjectPermissions?: SubjectPermissionsStore;
  readonly #warmer?: SnapshotWarmer;
  readonly #resolvers: IdentityResolver[];
  readonly #evaluator: SnapshotEvaluator;
  readonly #creators?: ClusterCreatorResolver;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  readonly #kubernetesPluginClusters: KubernetesPluginClusters;

  constructor(options: {
    catalog: CatalogService;
    snapshots: ClusterSnapshotStore;
    principals: PrincipalFactsCache;
    /** Asks clusters what admitted identities can do; without it the RBAC snapshot answers. */
    subjectPermissions?: SubjectPermissionsStore;
    /** Told about every cluster checked, to keep it warm. */
    warmer?: SnapshotWarmer;
    resolvers: IdentityResolver[];
    evaluator: SnapshotEvaluator;
    logger: LoggerService;
    /** The cluster creator from the catalog, the authenticator log or CloudTrail; without it, the catalog and tags only. */
    creators?: ClusterCreatorResolver;
    now?: () => Date;
    /** Clusters declared in `kubernetes.clusterLocatorMethods` (type `config`). */
    kubernetesPluginClusters?: KubernetesPluginClusters;
  }) {
    this.#kubernetesPluginClusters =
      options.kubernetesPluginClusters ?? new KubernetesPluginClusters();
    this.#subjectPermissions = options.subjectPermissions;
    this.#warmer = options.warmer;
    this.#evaluator = options.evaluator;
    this.#creators = options.creators;
    this.#catalog = options.catalog;
    this.#snapshots = options.snapshots;
    this.#principals = options.principals;
    this.#resolvers = options.resolvers;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Whether an entity is an EKS cluster: by its own annotations, or as a
   * cluster the Kubernetes plugin's config declares under its name.
   */
  isClusterEntity(entity: Entity): boolean {
    return (
      isEksClusterEntity(entity) ||
      this.#kubernetesPluginClusters.clusterRefFor(entity) !== undefined
    );
  }

  /**
   * The EKS cluster an entity stands for: from its annotations, else from
   * the Kubernetes plugin's config (the entity needs no EKS annotation).
   */
  clusterRefOf(entity: Entity): EksClusterRef | undefined {
    return (
      getEksClusterRef(entity) ??
      this.#kubernetesPluginClusters.clusterRefFor(entity)
    );
  }

  /** The cluster entity, as the user may see it. NotFoundError otherwise. */
  async getClusterEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ClusterEntity> {
    const ref = parseClusterEntityRef(entityRef);
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} in the catalog`);
    }
    if (!this.isClusterEntity(entity)) {
      throw new NotFoundError(`${ref} is not an Amazon EKS cluster`);
    }
    const cluster = this.clusterRefOf(entity);
    if (!cluster) {
      throw new NotFoundError(
        `${ref} has no EKS cluster ARN: add the annotation ${EKS_ACCESS_CLUSTER_ARN_ANNOTATION}`,
      );
    }
    return { entity, entityRef: ref, cluster };
  }

  /**
   * A cluster entity named the way a person or an assistant would name it:
   * its entity ref, its EKS cluster ARN, or its name (the EKS cluster name or
   * the catalog name). NotFoundError when none matches, InputError when the
   * name is ambiguous.
   */
  async findClusterEntity(
    cluster: string,
    credentials: BackstageCredentials,
  ): Promise<ClusterEntity> {
    const query = cluster.trim();
    if (!query.startsWith('arn:') && /[:/]/.test(query)) {
      return this.getClusterEntity(query, credentials);
    }
    const entities = await this.listClusterEntities(credentials);
    const candidates = entities.flatMap(({ entity, entityRef }) => {
      const ref = this.clusterRefOf(entity);
      return ref ? [{ entity, entityRef, cluster: ref }] : [];
    });
    const byArn = (c: ClusterEntity) => c.cluster.arn === query;
    const byName = (c: ClusterEntity) =>
      c.cluster.name === query || c.entity.metadata.name === query;
    const byNameIgnoringCase = (c: ClusterEntity) =>
      c.cluster.name.toLowerCase() === query.toLowerCase() ||
      c.entity.metadata.name.toLowerCase() === query.toLowerCase();
    for (const matches of query.startsWith('arn:')
      ? [byArn]
      : [byName, byNameIgnoringCase]) {
      const found = candidates.filter(matches);
      if (found.length === 1) return found[0];
      if (found.length > 1) {
        throw new InputError(
          `"${query}" names ${found.length} clusters: ${found
            .map(c => c.entityRef)
            .join(', ')}; use one of these entity refs`,
        );
      }
    }
    throw new NotFoundError(
      `No EKS cluster named "${query}" in the catalog (give an entity ref, a cluster name or a cluster ARN)`,
    );
  }

  /**
   * "Can I reach this cluster?" for the signed-in user: the cluster entity,
   * the user's identities, the shared snapshot and the evaluator, in one
   * straight line. Used by `GET /access` and the check-cluster-access action.
   */
  async checkForUser(options: {
    entityRef: string;
    credentials: BackstageCredentials<BackstageUserPrincipal>;
    refresh?: boolean;
  }): Promise<ClusterAccessReport> {
    const { credentials } = options;
    const target = await this.getClusterEntity(options.entityRef, credentials);
    const resolution = await this.resolveUserIdentities(
      credentials.principal.userEntityRef,
      credentials,
    );
    return this.report(target, resolution.identities, resolution.problems, {
      refresh: options.refresh,
    });
  }

  /** The identities of the signed-in user, from the configured resolvers. */
  async resolveUserIdentities(
    userEntityRef: string,
    credentials: BackstageCredentials,
  ) {
    const userEntity = await this.#catalog
      .getEntityByRef(userEntityRef, { credentials })
      .catch(error => {
        this.#logger.warn(
          `Could not read user entity ${userEntityRef}: ${error}`,
        );
        return undefined;
      });
    return resolveIdentities(this.#resolvers, { userEntityRef, userEntity });
  }

  /** The verdict of every identity on one cluster. */
  async report(
    target: ClusterEntity,
    identities: ResolvedIdentity[],
    identityProblems: string[],
    options: { refresh?: boolean } = {},
  ): Promise<ClusterAccessReport> {
    this.#warmer?.touch(target.cluster);
    const snapshot = await this.#snapshots.snapshot(target.cluster, options);
    const now = this.#now().toISOString();
    const creator = await this.clusterCreator(target, snapshot);
    const creatorArn = creator?.arn;
    const results: IdentityAccess[] = await Promise.all(
      identities.map(async identity => {
        // only the entries this identity can match are read (lazily, shared)
        const [facts, entries] = await Promise.all([
          this.#callerFacts(identity),
          snapshot.accessEntryPrincipals
            ? this.#snapshots.entryDetails(
                snapshot,
                this.#evaluator.candidatePrincipals(
                  snapshot,
                  identity.callerArn,
                ),
                options,
              )
            : undefined,
        ]);
        const context = { creatorArn, now, entries };
        const { verdict, diagnosis } = await this.#diagnose(
          snapshot,
          identity,
          facts,
          this.#evaluator.evaluate(snapshot, identity, facts, context),
          context,
        );
        const kubeconfig = kubeconfigGuidanceFor(
          snapshot,
          identity,
          facts,
          verdict,
        );
        return {
          identity,
          verdict,
          diagnosis,
          ...(kubeconfig
            ? { kubeconfigCommand: kubeconfig.command, kubeconfig }
            : {}),
        };
      }),
    );
    const notes = [
      ...identityNotes(identities, identityProblems),
      ...sourceNotes(snapshot),
    ];
    const clusterWide = clusterWideFindings(results.map(r => r.verdict));
    return {
      cluster: clusterFacts(target, snapshot, creator),
      identities: results,
      ...(notes.length ? { notes } : {}),
      ...(clusterWide.length ? { clusterFindings: clusterWide } : {}),
      checkedAt: now,
    };
  }

  /**
   * Who created the cluster and where that came from, or why no source says
   * (see `ClusterCreatorResolver`); undefined in API mode.
   */
  async clusterCreator(
    target: ClusterEntity,
    snapshot: ClusterSnapshot,
  ): Promise<ClusterCreatorResolution | undefined> {
    if (!this.#creators) {
      return declaredClusterCreator(target.entity, snapshot);
    }
    return this.#creators.resolve(target.entity, target.cluster, snapshot);
  }

  /** Every EKS cluster entity the user may see, sorted by entity ref. */
  async listClusterEntities(
    credentials: BackstageCredentials,
  ): Promise<ClusterEntityRow[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: [
          ...CLUSTER_ARN_ANNOTATIONS.map(key => ({
            kind: 'Resource',
            [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS,
          })),
          ...(this.#kubernetesPluginClusters.names.length > 0
            ? [
                {
                  kind: 'Resource',
                  'metadata.name': this.#kubernetesPluginClusters.names,
                },
              ]
            : []),
        ],
      },
      { credentials },
    );
    const seen = new Set<string>();
    return items
      .filter(entity => this.isClusterEntity(entity))
      .map(entity => ({ entity, entityRef: stringifyEntityRef(entity) }))
      .filter(({ entityRef }) => !seen.has(entityRef) && seen.add(entityRef))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  /** "My EKS access": one summary row per cluster, paginated. */
  async summaries(options: {
    credentials: BackstageCredentials;
    userEntityRef: string;
    offset: number;
    limit: number;
  }): Promise<ClusterAccessSummaryPage> {
    const fleet = await this.fleetOf(options);
    const page = fleet.clusters.slice(
      options.offset,
      options.offset + options.limit,
    );
    const items: ClusterAccessSummary[] = [];
    await this.checkFleet(
      { ...fleet, clusters: page },
      { onRow: (index, item) => (items[index] = item) },
    );
    const next = options.offset + page.length;
    return {
      items,
      totalCount: fleet.clusters.length,
      ...(next < fleet.clusters.length ? { nextOffset: next } : {}),
    };
  }

  /**
   * The user's clusters in the order "My EKS access" shows them (likely
   * ones first, see {@link likelyClustersFirst}) and who the user is in
   * AWS: what a fleet check needs before its first AWS call. Reading the
   * catalog or the user's identities fails here, before any row.
   */
  async fleetOf(options: {
    credentials: BackstageCredentials;
    userEntityRef: string;
  }): Promise<UserFleet> {
    const [entities, resolution] = await Promise.all([
      this.listClusterEntities(options.credentials),
      this.resolveUserIdentities(options.userEntityRef, options.credentials),
    ]);
    return {
      clusters: likelyClustersFirst(entities, resolution.identities),
      identities: resolution.identities,
    };
  }

  /**
   * Checks every cluster of a fleet, handing each row to `onRow` with its
   * place in the fleet as soon as it resolves. Clusters start in the
   * fleet's order, at most {@link FLEET_CLUSTERS_PER_ACCOUNT} per AWS
   * account at once (the account's rate limit is the bottleneck) and at
   * most {@link FLEET_CLUSTERS_IN_FLIGHT} in all, so that every account
   * works from the start instead of the page waiting on the account its
   * first clusters are in. Once `signal` is aborted (the user left),
   * clusters not yet started are skipped; those in flight finish and stay
   * cached.
   */
  async checkFleet(
    fleet: UserFleet,
    options: {
      onRow: (index: number, item: ClusterAccessSummary) => void;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    // Both limits are this fleet check's own: the AWS rate each account
    // allows is shared by everyone through the rate limiter, and slots
    // shared with other users' checks would sit idle behind this one's.
    const perAccount = new KeyedConcurrencyLimiter(FLEET_CLUSTERS_PER_ACCOUNT);
    const inFlight = pLimit(FLEET_CLUSTERS_IN_FLIGHT);
    // a fleet's AWS calls queue behind any single-cluster check
    await withCallPriority('fleet', () =>
      Promise.all(
        fleet.clusters.map(({ entity, entityRef }, index) =>
          perAccount.run(this.clusterRefOf(entity)?.accountId ?? '', () =>
            inFlight(async () => {
              if (options.signal?.aborted) return;
              const item = await this.#summary(
                entity,
                entityRef,
                fleet.identities,
              );
              if (!options.signal?.aborted) options.onRow(index, item);
            }),
          ),
        ),
      ),
    );
  }

  async #summary(
    entity: Entity,
    entityRef: string,
    identities: ResolvedIdentity[],
  ): Promise<ClusterAccessSummary> {
    const cluster = this.clusterRefOf(entity);
    const base = {
      entityRef,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      name: cluster?.name ?? entity.metadata.name,
      accountId: cluster?.accountId ?? '',
      region: cluster?.region ?? '',
    };
    if (!cluster) {
      return {
        ...base,
        status: 'error',
        findingCount: 0,
        error: `No EKS cluster ARN: add the annotation ${EKS_ACCESS_CLUSTER_ARN_ANNOTATION}`,
      };
    }
    try {
      const report = await this.report(
        { entity, entityRef, cluster },
        identities,
        [],
      );
      return { ...base, ...summarize(report) };
    } catch (error) {
      this.#logger.warn(`Could not check ${entityRef}: ${error}`);
      return {
        ...base,
        status: 'error',
        findingCount: 0,
        error: 'The check failed; see the backend logs.',
      };
    }
  }

  /**
   * The diagnosis, with what an admitted identity can do answered by the
   * cluster itself (SubjectAccessReviews) when Backstage may ask, else by
   * the evaluator over the RBAC snapshot. RBAC is read only when it
   * decides something: the permissions of an identity that gets in and the
   * cluster did not answer, or a fix plan whose binding step or promise
   * depends on it. A denied identity without such a plan costs no RBAC read.
   */
  async #diagnose(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    facts: CallerFacts,
    evaluated: AccessVerdict,
    context: Parameters<SnapshotEvaluator['diagnose']>[4],
  ) {
    let rbac: RbacSnapshot | undefined;
    let read = false;
    let permissions: PermissionSummary | undefined;
    let fallbackReason: string | undefined;
    const readRbac = async () => {
      rbac = await this.#snapshots.rbac(snapshot);
      read = true;
    };
    if (evaluated.decision === 'allowed') {
      const asked = await this.#askCluster(snapshot, identity, evaluated);
      if (asked.state === 'answered') {
        permissions = asked.summary;
      } else {
        fallbackReason = asked.reason;
        await readRbac();
      }
    }
    let result = this.#evaluator.diagnose(
      snapshot,
      identity,
      facts,
      evaluated,
      {
        ...context,
        rbac,
        permissions,
      },
    );
    if (!read && planNeedsRbac(result.diagnosis.plan)) {
      await readRbac();
      result = this.#evaluator.diagnose(snapshot, identity, facts, evaluated, {
        ...context,
        rbac,
        permissions,
      });
    }
    const summary = result.diagnosis.permissions;
    if (summary && !summary.answeredBy) {
      result.diagnosis.permissions = {
        ...summary,
        answeredBy: rbac ? 'RbacSnapshot' : 'AccessPoliciesOnly',
        ...(fallbackReason ? { fallbackReason } : {}),
      };
    }
    return result;
  }

  /** SubjectAccessReviews for an admitted identity, as EKS's authenticator would present it. */
  async #askCluster(
    snapshot: ClusterSnapshot,
    identity: ResolvedIdentity,
    verdict: AccessVerdict,
  ): Promise<SubjectPermissions> {
    if (!this.#subjectPermissions) {
      return {
        state: 'fallback',
        reason:
          'SubjectAccessReviews are turned off (eksAccess.kubernetes.subjectAccessReview.enabled)',
      };
    }
    if (!verdict.username) {
      return { state: 'fallback', reason: 'EKS assigns no username' };
    }
    return this.#subjectPermissions.permissions(snapshot, {
      username: verdict.username,
      groups: [...(verdict.groups ?? []), 'system:authenticated'],
      // EKS puts the caller's ARN in the user's extra fields; the
      // access-policy authorizer finds the access entry by it.
      extra: {
        arn: [identity.callerArn],
        canonicalArn: [identity.principalArn],
      },
    });
  }

  async #callerFacts(identity: ResolvedIdentity): Promise<CallerFacts> {
    const principal = iamPrincipalOf(identity.callerArn);
    const facts = principal ? await this.#principals.get(principal) : undefined;
    return {
      iamArn:
        facts?.arn ??
        (identity.principalArn.includes(':iam::')
          ? identity.principalArn
          : undefined),
      principalCreatedAt: facts?.createdAt,
    };
  }
}

/**
 * Whether RBAC decides a plan: a step that creates a binding (skipped when
 * RBAC shows the group bound already) or a promise without access
 * policies (then only RBAC says whether the identity can do anything, and
 * the plan is verified against it).
 */
function planNeedsRbac(plan: FixPlan | undefined): boolean {
  if (!plan) return false;
  return (
    plan.steps.some(step => step.op === 'CreateRoleBinding') ||
    (!!plan.promise && plan.promise.accessPolicies.length === 0)
  );
}

/**
 * The user's likely clusters first: those in an AWS account of one of the
 * user's identities, then the rest. Within each group the accounts take
 * turns (one cluster of each, in entity-ref order), because AWS rate-limits
 * per account: a page of clusters from one account would wait on that
 * account's limit while the others sat idle.
 */
export function likelyClustersFirst<T extends { entity: Entity }>(
  entities: T[],
  identities: ResolvedIdentity[],
): T[] {
  const accounts = new Set(
    identities.flatMap(identity => {
      try {
        return [parseArn(identity.principalArn).accountId];
      } catch {
        return [];
      }
    }),
  );
  const accountOf = (item: T) => getEksClusterRef(item.entity)?.accountId ?? '';
  const likely = entities.filter(item => accounts.has(accountOf(item)));
  const rest = entities.filter(item => !accounts.has(accountOf(item)));
  return [
    ...accountsTakingTurns(likely, accountOf),
    ...accountsTakingTurns(rest, accountOf),
  ];
}

/** One item of each account in turn, keeping the order within an account. */
function accountsTakingTurns<T>(
  items: T[],
  accountOf: (item: T) => string,
): T[] {
  const byAccount = new Map<string, T[]>();
  for (const item of items) {
    const list = byAccount.get(accountOf(item)) ?? [];
    list.push(item);
    byAccount.set(accountOf(item), list);
  }
  const lists = [...byAccount.values()];
  const ordered: T[] = [];
  for (let turn = 0; ordered.length < items.length; turn++) {
    for (const list of lists) {
      if (turn < list.length) ordered.push(list[turn]);
    }
  }
  return ordered;
}

/** Facts about a cluster from its entity and snapshot. */
export function clusterFacts(
  target: ClusterEntity,
  snapshot: ClusterSnapshot,
  /** Where the creator is known from; its ARN stays out of the facts (admins see it in the diagnostics). */
  creator?: ClusterCreatorResolution,
): ClusterFacts {
  const { cluster, entity } = target;
  return {
    entityRef: target.entityRef,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    name: cluster.name,
    arn: cluster.arn,
    partition: cluster.partition,
    accountId: cluster.accountId,
    region: cluster.region,
    ...(snapshot.described
      ? {
          authenticationMode:
            snapshot.described.authenticationMode ?? 'CONFIG_MAP',
          status: snapshot.described.status,
          endpoint: snapshot.described.endpoint,
        }
      : {}),
    fetchedAt: snapshot.fetchedAt,
    ...(creator
      ? {
          creator:
            'unknown' in creator
              ? { unknown: creator.unknown }
              : { source: creator.source },
        }
      : {}),
    sources: snapshot.sources,
  };
}

function identityNotes(
  identities: ResolvedIdentity[],
  problems: string[],
): Finding[] {
  const notes: Finding[] = problems.map(problem =>
    problem.startsWith(IDENTITY_CENTER_PROBLEM_PREFIX)
      ? identityCenterNote(problem)
      : {
          code: 'INVALID_CALLER_ARN',
          severity: 'warning',
          message: problem,
          fix: {
            summary:
              'Correct the eks-access.io/iam-principals annotation on your User entity.',
            commands: ['aws sts get-caller-identity'],
          },
        },
  );
  if (identities.length === 0) {
    notes.push({
      code: 'NOT_MAPPED',
      severity: 'info',
      message:
        'Backstage does not know which AWS identity you use. Paste the output of `aws sts get-caller-identity` to check it, or list your IAM roles and users in the eks-access.io/iam-principals annotation of your User entity.',
      fix: {
        summary: 'Find out which AWS identity you use.',
        commands: ['aws sts get-caller-identity'],
      },
    });
  }
  return notes;
}

/** A problem of the IAM Identity Center resolver: Backstage's side, not the user's annotation. */
function identityCenterNote(problem: string): Finding {
  const action = /IAM permission ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(problem)?.[1];
  return {
    code: 'DATA_UNAVAILABLE',
    severity: 'warning',
    message: problem,
    fix: {
      summary: action
        ? `Grant Backstage ${action} (see the EKS Access backend README, IAM Identity Center).`
        : 'Ask your AWS administrators to check your IAM Identity Center user and assignments.',
      commands: [],
    },
  };
}

/** One note per source Backstage could not read, naming what it lacks. */
function sourceNotes(snapshot: ClusterSnapshot): Finding[] {
  return Object.values(snapshot.sources)
    .filter(
      source => source.state === 'error' && source.errorCode !== 'NotRead',
    )
    .map(source => ({
      code: 'DATA_UNAVAILABLE',
      severity: 'warning',
      message: source.message ?? 'Backstage could not read this cluster.',
      ...(source.missingAction
        ? {
            fix: {
              summary: `Grant Backstage ${source.missingAction} (see the EKS Access backend README).`,
              commands: [],
            },
          }
        : {}),
    }));
}

/** The one-word status of a cluster row and the identity it is about. */
export function summarize(
  report: ClusterAccessReport,
): Pick<
  ClusterAccessSummary,
  | 'authenticationMode'
  | 'status'
  | 'identityArn'
  | 'via'
  | 'username'
  | 'findingCount'
  | 'rootCause'
> {
  const rank = (access: IdentityAccess): number => {
    const { verdict } = access;
    if (verdict.decision === 'allowed') return verdict.expectForbidden ? 1 : 0;
    if (verdict.decision === 'unknown') return 2;
    return 3;
  };
  const best = [...report.identities].sort((a, b) => rank(a) - rank(b))[0];
  const statusOf = (
    access: IdentityAccess | undefined,
  ): ClusterAccessStatus => {
    if (!access) return 'no-identities';
    return (['allowed', 'forbidden', 'unknown', 'denied'] as const)[
      rank(access)
    ];
  };
  const findingCount = new Set(
    report.identities.flatMap(access =>
      access.verdict.findings
        .filter(f => f.severity !== 'info')
        .map(f => `${f.code}:${f.message}`),
    ),
  ).size;
  return {
    ...(report.cluster.authenticationMode
      ? { authenticationMode: report.cluster.authenticationMode }
      : {}),
    status: statusOf(best),
    ...(best ? { identityArn: best.identity.callerArn } : {}),
    ...(best?.verdict.via ? { via: best.verdict.via } : {}),
    ...(best?.verdict.username ? { username: best.verdict.username } : {}),
    findingCount,
    ...rootCauseOf(best),
  };
}

/**
 * The root cause of a row's identity, for "My EKS access": the card's own
 * diagnosis (the same evaluator path, so RBAC counts: an identity that signs
 * in but is Forbidden shows RBAC_NOT_BOUND or NO_GROUPS), else the most
 * severe error or warning of its verdict.
 */
function rootCauseOf(
  access: IdentityAccess | undefined,
): Pick<ClusterAccessSummary, 'rootCause'> {
  if (access?.diagnosis?.rootCause) {
    return { rootCause: access.diagnosis.rootCause };
  }
  const findings = access?.verdict.findings ?? [];
  const cause =
    findings.find(f => f.severity === 'error') ??
    findings.find(f => f.severity === 'warning');
  return cause ? { rootCause: cause.code } : {};
}
