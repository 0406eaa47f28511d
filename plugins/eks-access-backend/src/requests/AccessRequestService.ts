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
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  accessRequestProblems,
  type AccessRequest,
  type AccessRequestDetails,
  type AccessRequestPreflight,
  type AccessRequestState,
  canonicalPrincipalArn,
  type CreateAccessRequestBody,
  eksAccessRequestAdminPermission,
  eksAccessRequestApprovePermission,
  eksAccessRequestCreatePermission,
  getEksClusterRef,
  iamPrincipalOf,
  isStsSessionArn,
  type EksClusterRef,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import type { AccessRequestNotifier } from './AccessRequestNotifier';
import type { ClusterTagApprovers } from './awsOwnerTagApprovers';
import {
  type AccessLevel,
  type AccessRequestsSettings,
  levelsForCluster,
} from './readAccessRequestsConfig';
import type { AccessRequestStore } from './AccessRequestStore';
import type { GrantCluster } from './grantTargets';
import { eventsForViewer } from './eventRedaction';
import {
  GrantNotApplicableError,
  levelUnavailable,
  type LevelUnavailable,
  type RequestClusterData,
  requestPreflight,
} from './requestPreflight';
import { requestedIdentity } from './requesterIdentity';

/** A cluster entity as the request flow needs it. @public */
export interface RequestCluster extends GrantCluster {
  /** The entity's `spec.owner`, as a full entity ref. */
  ownerRef?: string;
  /**
   * Whether the entity's owners may approve: false when the entity does not
   * come from a trusted location or provider (see the backend README's trust
   * model). Admins approve regardless.
   */
  ownerTrusted?: boolean;
  /**
   * Set when more than one catalog entity claims the cluster's ARN: requests
   * for it are refused until an admin resolves the duplicate.
   */
  conflict?: string;
}

/** Finds cluster entities the caller may see. @public */
export interface RequestClusterLookup {
  getCluster(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RequestCluster | undefined>;
}

/**
 * The IAM identities a user acts as: the plugin's identity resolvers' and the
 * one they proved with a kubectl token (source `verified`). Only those from
 * a source the user cannot write, or proven, may be requested.
 * @public
 */
export interface RequesterIdentities {
  resolve(
    userEntityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ResolvedIdentity[]>;
}

/** The annotation the catalog sets to where an entity was read from. */
const ORIGIN_LOCATION_ANNOTATION = 'backstage.io/managed-by-origin-location';

/**
 * {@link RequestClusterLookup} over the catalog. The owners of a cluster
 * entity may approve only when the entity comes from one of
 * `trustedLocations` (prefixes of its `backstage.io/managed-by-origin-location`,
 * e.g. `url:https://github.com/acme/platform-catalog/` or an entity
 * provider's `provider:` origin), a place requesters cannot write to.
 * @public
 */
export class CatalogRequestClusterLookup implements RequestClusterLookup {
  readonly #catalog: CatalogService;
  readonly #trustedLocations: string[];
  readonly #serviceCredentials?: () => Promise<BackstageCredentials>;
  readonly #clusterRefOf: (entity: Entity) => EksClusterRef | undefined;

  constructor(
    catalog: CatalogService,
    options: {
      trustedLocations?: string[];
      /** Credentials that see every cluster entity, to find duplicates. */
      serviceCredentials?: () => Promise<BackstageCredentials>;
      /**
       * The cluster an entity stands for; by default its annotations
       * (`getEksClusterRef`). The plugin adds the clusters declared in
       * `kubernetes.clusterLocatorMethods`.
       */
      clusterRefOf?: (entity: Entity) => EksClusterRef | undefined;
    } = {},
  ) {
    this.#clusterRefOf = options.clusterRefOf ?? getEksClusterRef;
    this.#catalog = catalog;
    this.#trustedLocations = options.trustedLocations ?? [];
    this.#serviceCredentials = options.serviceCredentials;
  }

  /** Other cluster entities that claim the same ARN. */
  async #duplicates(
    arn: string,
    self: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const { items } = await this.#catalog.getEntities(
      { filter: { kind: 'Resource' } },
      {
        credentials: this.#serviceCredentials
          ? await this.#serviceCredentials()
          : credentials,
      },
    );
    return items
      .filter(
        e => this.#clusterRefOf(e)?.arn.toLowerCase() === arn.toLowerCase(),
      )
      .map(e => stringifyEntityRef(e))
      .filter(ref => ref !== self);
  }

  async getCluster(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RequestCluster | undefined> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    const ref = entity && this.#clusterRefOf(entity);
    if (!entity || !ref) {
      return undefined;
    }
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    const self = stringifyEntityRef(entity);
    const origin =
      entity.metadata.annotations?.[ORIGIN_LOCATION_ANNOTATION] ?? '';
    const duplicates = await this.#duplicates(ref.arn, self, credentials);
    return {
      ownerTrusted: this.#trustedLocations.some(
        prefix => prefix !== '' && origin.startsWith(prefix),
      ),
      conflict: duplicates.length
        ? `${duplicates.length + 1} catalog entities claim the cluster ${
            ref.arn
          } (${[self, ...duplicates].join(
            ', ',
          )}); requests for it are refused until an EKS access admin removes the duplicate`
        : undefined,
      entityRef: self,
      arn: ref.arn,
      name: ref.name,
      partition: ref.partition,
      accountId: ref.accountId,
      region: ref.region,
      ownerRef:
        typeof owner === 'string' && owner
          ? stringifyEntityRef(
              parseEntityRef(owner, {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            )
          : undefined,
    };
  }
}

/**
 * Too many requests (HTTP 429): a creation rate limit or a cap on open
 * requests. `@backstage/errors` has no 429 error, so the router answers it.
 * @public
 */
export class TooManyRequestsError extends Error {
  name = 'TooManyRequestsError';
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** Who is acting, as the HTTP layer resolved them. @public */
export interface RequestActor {
  userEntityRef: string;
  credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>;
}

/**
 * The rules of the request flow: who may ask for what, who may decide, and
 * what each decision does. The router is a thin layer over it.
 * @public
 */
export class AccessRequestService {
  readonly #store: AccessRequestStore;
  readonly #settings: AccessRequestsSettings;
  readonly #permissions: PermissionsService;
  readonly #clusters: RequestClusterLookup;
  readonly #identities: RequesterIdentities;
  readonly #notifier?: AccessRequestNotifier;
  readonly #auditor?: AuditorService;
  readonly #triggerGrants: () => Promise<void>;
  readonly #tagApprovers?: ClusterTagApprovers;
  readonly #clusterData?: RequestClusterData;

  constructor(options: {
    store: AccessRequestStore;
    settings: AccessRequestsSettings;
    permissions: PermissionsService;
    clusters: RequestClusterLookup;
    identities: RequesterIdentities;
    notifier?: AccessRequestNotifier;
    auditor?: AuditorService;
    /** Runs the grant task now (after approve, revoke, retry). */
    triggerGrants?: () => Promise<void>;
    /**
     * Approval authority from the cluster's AWS owner tag
     * (`eksAccess.requests.approvers.awsOwnerTag`), besides the admins and
     * the owners of cluster entities from trusted locations.
     */
    tagApprovers?: ClusterTagApprovers;
    /**
     * The clusters' access data (the card's snapshots), to refuse levels
     * and requests that cannot work and to show approvers what a grant
     * writes. Without it nothing is checked before approval.
     */
    clusterData?: RequestClusterData;
  }) {
    this.#store = options.store;
    this.#settings = options.settings;
    this.#permissions = options.permissions;
    this.#clusters = options.clusters;
    this.#identities = options.identities;
    this.#notifier = options.notifier;
    this.#auditor = options.auditor;
    this.#triggerGrants = options.triggerGrants ?? (async () => {});
    this.#tagApprovers = options.tagApprovers;
    this.#clusterData = options.clusterData;
  }

  /** The clusters (by ARN) whose AWS owner tag makes the user an approver. */
  async #tagApprovable(
    clusterArns: string[],
    actor: RequestActor,
  ): Promise<Set<string>> {
    if (!this.#tagApprovers) {
      return new Set();
    }
    return this.#tagApprovers.approvableArns(clusterArns, actor.credentials);
  }

  /** The cluster's access data, or undefined when it is unknown or unread. */
  async #data(cluster: GrantCluster, complete: boolean) {
    if (!this.#clusterData) return undefined;
    try {
      return await this.#clusterData.read(cluster, { complete });
    } catch {
      // an unreadable cluster refuses nothing: the grant task reports it
      return undefined;
    }
  }

  async #cluster(entityRef: string, actor: RequestActor) {
    let normalized: string;
    try {
      normalized = stringifyEntityRef(parseEntityRef(entityRef));
    } catch {
      throw new InputError(`"${entityRef}" is not an entity ref`);
    }
    const cluster = await this.#clusters.getCluster(
      normalized,
      actor.credentials,
    );
    if (!cluster) {
      throw new NotFoundError(`No EKS cluster entity ${normalized}`);
    }
    return cluster;
  }

  async #isAdmin(actor: RequestActor): Promise<boolean> {
    const [decision] = await this.#permissions.authorize(
      [{ permission: eksAccessRequestAdminPermission }],
      { credentials: actor.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async #approvableClusters(
    refs: string[],
    actor: RequestActor,
  ): Promise<Set<string>> {
    const unique = [...new Set(refs)];
    if (unique.length === 0) {
      return new Set();
    }
    const decisions = await this.#permissions.authorize(
      unique.map(resourceRef => ({
        permission: eksAccessRequestApprovePermission,
        resourceRef,
      })),
      { credentials: actor.credentials },
    );
    return new Set(
      unique.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
  }

  /** Longest accepted request reason, in characters. */
  get maxReasonLength(): number {
    return this.#settings.maxReasonLength;
  }

  /**
   * The levels offered on a cluster, each marked `unavailable` (with a
   * stable code and the reason) when the cluster as last read cannot use
   * it. Reads only the card's shared snapshot.
   */
  async listLevels(
    entityRef: string,
    actor: RequestActor,
  ): Promise<Array<AccessLevel & { unavailable?: LevelUnavailable }>> {
    const cluster = await this.#cluster(entityRef, actor);
    const levels = levelsForCluster(this.#settings.levels, cluster);
    const data = await this.#data(cluster, false);
    return levels.map(level => {
      const unavailable = levelUnavailable(level, data, cluster.name);
      return unavailable ? { ...level, unavailable } : level;
    });
  }

  async create(
    body: CreateAccessRequestBody,
    actor: RequestActor,
  ): Promise<AccessRequest> {
    const [decision] = await this.#permissions.authorize(
      [{ permission: eksAccessRequestCreatePermission }],
      { credentials: actor.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You are not allowed to request EKS access');
    }
    const cluster = await this.#cluster(body.entityRef, actor);
    if (cluster.conflict) {
      throw new ConflictError(cluster.conflict);
    }
    const level = levelsForCluster(this.#settings.levels, cluster).find(
      l => l.name === body.level,
    );
    if (!level) {
      throw new InputError(
        `The access level "${body.level}" is not offered on ${cluster.name}`,
      );
    }
    // The form's own rules (-common), enforced here.
    const problems = Object.entries(
      accessRequestProblems(body, level, {
        maxReasonLength: this.#settings.maxReasonLength,
      }),
    );
    if (problems.length > 0) {
      throw new InputError(
        `Invalid request: ${problems
          .map(([field, problem]) => `${field}: ${problem}`)
          .join('; ')}`,
      );
    }
    const reason = body.reason.trim();

    const principalArn = body.principalArn.trim();
    if (isStsSessionArn(principalArn)) {
      throw new InputError(
        `${principalArn} is an STS session ARN; access is granted to the IAM role or user behind it (e.g. arn:aws:iam::<account>:role/<name>), not to one session`,
      );
    }
    if (!iamPrincipalOf(principalArn)) {
      throw new InputError(`${principalArn} is not an IAM role or user ARN`);
    }
    const identity = requestedIdentity(
      principalArn,
      await this.#identities.resolve(actor.userEntityRef, actor.credentials),
      { requester: actor.userEntityRef },
    );

    // Refused now, with the reason, rather than accepted to fail after approval.
    const preflight = requestPreflight(
      {
        principalArn: identity.principalArn,
        scope: body.scope,
        level: level.name,
      },
      level,
      await this.#data(cluster, true),
      cluster.name,
    );
    if (preflight && !preflight.applicable) {
      throw new GrantNotApplicableError(
        `The access level ${level.name} cannot be granted to ${
          identity.principalArn
        } on ${cluster.name}: ${preflight.risks.join(' ')}`,
        preflight.code ?? 'GRANT_NOT_APPLICABLE',
      );
    }

    await this.#checkLimits(actor, cluster);
    const request = await this.#store.createRequest({
      cluster: {
        entityRef: cluster.entityRef,
        arn: cluster.arn,
        name: cluster.name,
        accountId: cluster.accountId,
        region: cluster.region,
      },
      requester: actor.userEntityRef,
      principalArn: identity.principalArn,
      canonicalPrincipalArn: canonicalPrincipalArn(identity.principalArn),
      identityProvenance: identity.provenance,
      level: level.name,
      scope:
        body.scope.type === 'cluster'
          ? { type: 'cluster' }
          : {
              type: 'namespace',
              namespaces: [...new Set(body.scope.namespaces)].sort(),
            },
      durationSeconds: body.durationSeconds,
      reason,
      ticketUrl: body.ticketUrl,
      approvalsRequired: level.approvalsRequired,
    });
    await this.#audit('request-create', 'medium', request, actor);
    const tagOwner = await this.#tagApprovers
      ?.ownerGroupOf(cluster.arn)
      .catch(() => undefined);
    await this.#notifier?.notify('created', request, {
      actor: actor.userEntityRef,
      approverRefs: [cluster.ownerRef, tagOwner].filter(
        (ref): ref is string => !!ref,
      ),
    });
    return this.#withActions(request, actor, {
      admin: false,
      approvable: new Set(),
    });
  }

  /**
   * Flood protection, counted in the database so that it holds across
   * replicas: open requests per user and per cluster, and a creation rate
   * per user.
   */
  async #checkLimits(actor: RequestActor, cluster: RequestCluster) {
    const limits = this.#settings.limits;
    const open: AccessRequestState[] = ['pending', 'approved'];
    const recent = await this.#store.countRequests({
      requester: actor.userEntityRef,
      createdSince: new Date(Date.now() - limits.createWindowSeconds * 1000),
    });
    if (recent >= limits.createPerWindow) {
      throw new TooManyRequestsError(
        `You created ${recent} access requests in the last ${limits.createWindowSeconds} seconds; wait a moment before creating another`,
        limits.createWindowSeconds,
      );
    }
    const mine = await this.#store.countRequests({
      requester: actor.userEntityRef,
      states: open,
    });
    if (mine >= limits.maxOpenPerUser) {
      throw new TooManyRequestsError(
        `You already have ${mine} open access requests (the limit is ${limits.maxOpenPerUser}); cancel some or wait for decisions first`,
      );
    }
    const onCluster = await this.#store.countRequests({
      clusterArn: cluster.arn,
      states: open,
    });
    if (onCluster >= limits.maxOpenPerCluster) {
      throw new TooManyRequestsError(
        `${cluster.name} already has ${onCluster} open access requests (the limit is ${limits.maxOpenPerCluster}); try again once its approvers have decided`,
      );
    }
  }

  /**
   * The requests the user may see, newest first, a page at a time: admins
   * all, others their own and those of clusters they may approve. The
   * visibility is part of the query, so no number of other rows hides them.
   */
  async list(
    filter: {
      entityRef?: string;
      mine?: boolean;
      states?: AccessRequestState[];
      limit?: number;
      cursor?: string;
    },
    actor: RequestActor,
  ): Promise<{ items: AccessRequest[]; nextCursor?: string }> {
    const admin = await this.#isAdmin(actor);
    const approvable = admin
      ? new Set<string>()
      : await this.#approvableClusters(
          await this.#store.listRequestClusterRefs(),
          actor,
        );
    const approvableArns =
      admin || !this.#tagApprovers
        ? new Set<string>()
        : await this.#tagApprovable(
            await this.#store.listRequestClusterArns(),
            actor,
          );
    const limit = filter.limit ?? 500;
    let after: { createdAt: string; id: string } | undefined;
    if (filter.cursor) {
      try {
        after = JSON.parse(Buffer.from(filter.cursor, 'base64url').toString());
      } catch {
        throw new InputError('Invalid cursor');
      }
      if (
        typeof after?.createdAt !== 'string' ||
        typeof after?.id !== 'string' ||
        Number.isNaN(Date.parse(after.createdAt))
      ) {
        throw new InputError('Invalid cursor');
      }
    }
    const rows = await this.#store.listRequests({
      entityRef: filter.entityRef,
      states: filter.states,
      requester: filter.mine ? actor.userEntityRef : undefined,
      visibleTo: admin
        ? undefined
        : {
            requester: actor.userEntityRef,
            entityRefs: [...approvable],
            clusterArns: [...approvableArns],
          },
      after,
      limit: limit + 1,
    });
    const items = rows
      .slice(0, limit)
      .map(r =>
        this.#withActions(r, actor, { admin, approvable, approvableArns }),
      );
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(
              JSON.stringify({ createdAt: last.createdAt, id: last.id }),
            ).toString('base64url')
          : undefined,
    };
  }

  async get(id: string, actor: RequestActor): Promise<AccessRequestDetails> {
    const { request, admin, approver } = await this.#visible(id, actor);
    return {
      ...this.#withActions(request, actor, {
        admin,
        approvable: new Set(approver ? [request.cluster.entityRef] : []),
      }),
      events: eventsForViewer(await this.#store.listEvents(id), { admin }),
    };
  }

  /**
   * What approving would write on the cluster as it is now, whether it can
   * be applied, and whose access besides the requester's it changes. For the
   * cluster's approvers and admins only: it names the cluster's state.
   */
  async preflight(
    id: string,
    actor: RequestActor,
  ): Promise<AccessRequestPreflight> {
    const { request, approver } = await this.#visible(id, actor);
    if (!approver) {
      throw new NotAllowedError(
        `Only the approvers of ${request.cluster.entityRef} and EKS access admins see what a grant would change`,
      );
    }
    const level = this.#settings.levels.find(l => l.name === request.level);
    if (!level) {
      return {
        known: true,
        applicable: false,
        code: 'LEVEL_NOT_GRANTABLE',
        writes: [],
        risks: [`The access level ${request.level} is no longer configured.`],
        othersAffected: [],
      };
    }
    const cluster = {
      ...request.cluster,
      partition: request.cluster.arn.split(':')[1] ?? 'aws',
    };
    const result = requestPreflight(
      request,
      level,
      await this.#data(cluster, true),
      request.cluster.name,
    );
    if (!result) {
      return {
        known: false,
        applicable: false,
        writes: [],
        risks: [
          `Backstage could not read ${request.cluster.name}, so it cannot tell what the grant would change.`,
        ],
        othersAffected: [],
      };
    }
    const { code, ...rest } = result;
    return {
      known: true,
      ...rest,
      ...(code ? { code } : {}),
    };
  }

  async #visible(id: string, actor: RequestActor) {
    const request = await this.#store.getRequest(id);
    if (!request) {
      throw new NotFoundError(`No access request with id ${id}`);
    }
    const admin = await this.#isAdmin(actor);
    const tagOwner =
      !admin &&
      (await this.#tagApprovable([request.cluster.arn], actor)).size > 0;
    const approver =
      admin ||
      tagOwner ||
      (await this.#approvableClusters([request.cluster.entityRef], actor)).has(
        request.cluster.entityRef,
      );
    if (!admin && !approver && request.requester !== actor.userEntityRef) {
      throw new NotFoundError(`No access request with id ${id}`);
    }
    return { request, admin, approver, tagOwner };
  }

  async #assertApprover(
    request: AccessRequest,
    actor: RequestActor,
    rights: { approver: boolean; tagOwner?: boolean },
    verb: string,
  ) {
    const { approver, tagOwner } = rights;
    if (request.requester === actor.userEntityRef) {
      await this.#refuse(
        `request-${verb}`,
        request,
        actor,
        `You cannot ${verb} your own access request; another approver of ${request.cluster.name} must do it`,
      );
    }
    if (!approver) {
      await this.#refuse(
        `request-${verb}`,
        request,
        actor,
        `Only the owners of ${request.cluster.entityRef} and EKS access admins may ${verb} requests for it`,
      );
    }
    if (tagOwner || (await this.#isAdmin(actor))) {
      // The cluster's AWS owner tag names one of the actor's groups: that
      // authority comes from AWS, not from the catalog, so the catalog
      // checks below do not apply.
      return;
    }
    // Owners decide only when the catalog entity that makes them owners
    // comes from a trusted source and is the only one claiming the cluster.
    const cluster = await this.#clusters.getCluster(
      request.cluster.entityRef,
      actor.credentials,
    );
    if (
      !cluster ||
      cluster.arn.toLowerCase() !== request.cluster.arn.toLowerCase()
    ) {
      await this.#refuse(
        `request-${verb}`,
        request,
        actor,
        `${request.cluster.entityRef} no longer describes ${request.cluster.arn}; only EKS access admins may ${verb} this request`,
      );
    }
    if (cluster!.conflict) {
      await this.#refuse(`request-${verb}`, request, actor, cluster!.conflict);
    }
    if (cluster!.ownerTrusted === false) {
      await this.#refuse(
        `request-${verb}`,
        request,
        actor,
        `${request.cluster.entityRef} does not come from a trusted catalog location, so its owners cannot ${verb} requests for it; ask an EKS access admin`,
      );
    }
  }

  /**
   * Why the actor may not approve changes to a cluster under the request
   * flow's rules, or undefined when they may: EKS access admins, the
   * members of the group the cluster's AWS owner tag names, and the owners
   * of its catalog entity when that entity comes from a trusted location
   * and is the only one claiming the cluster. Other approval flows (the
   * migration's stages) use it so that one source decides who approves.
   */
  async approverRefusal(
    cluster: { entityRef: string; arn: string; name: string },
    actor: RequestActor,
    verb = 'approve',
  ): Promise<string | undefined> {
    if (await this.#isAdmin(actor)) return undefined;
    if ((await this.#tagApprovable([cluster.arn], actor)).size > 0) {
      return undefined;
    }
    if (
      !(await this.#approvableClusters([cluster.entityRef], actor)).has(
        cluster.entityRef,
      )
    ) {
      return `Only the owners of ${cluster.entityRef} and EKS access admins may ${verb} changes to it`;
    }
    const current = await this.#clusters.getCluster(
      cluster.entityRef,
      actor.credentials,
    );
    if (!current || current.arn.toLowerCase() !== cluster.arn.toLowerCase()) {
      return `${cluster.entityRef} no longer describes ${cluster.arn}; only EKS access admins may ${verb} this`;
    }
    if (current.conflict) return current.conflict;
    if (current.ownerTrusted === false) {
      return `${cluster.entityRef} does not come from a trusted catalog location, so its owners cannot ${verb} changes to it; ask an EKS access admin`;
    }
    return undefined;
  }

  async approve(id: string, comment: string | undefined, actor: RequestActor) {
    const { request, ...rights } = await this.#visible(id, actor);
    await this.#assertApprover(request, actor, rights, 'approve');
    const result = await this.#store.recordApproval({
      id,
      approver: actor.userEntityRef,
      comment,
    });
    await this.#audit('request-approve', 'high', result.request, actor, {
      approved: result.approved,
    });
    if (result.approved) {
      await this.#notifier?.notify('approved', result.request, {
        actor: actor.userEntityRef,
        comment,
      });
      await this.#triggerGrants();
    } else {
      await this.#notifier?.notify('created', result.request, {
        actor: actor.userEntityRef,
      });
    }
    return this.get(id, actor);
  }

  async reject(id: string, comment: string | undefined, actor: RequestActor) {
    const { request, ...rights } = await this.#visible(id, actor);
    await this.#assertApprover(request, actor, rights, 'reject');
    const rejected = await this.#store.transition({
      id,
      from: 'pending',
      to: 'rejected',
      event: { type: 'rejected', actor: actor.userEntityRef, comment },
      patch: { endedAt: new Date() },
    });
    await this.#audit('request-reject', 'medium', rejected, actor);
    await this.#notifier?.notify('rejected', rejected, {
      actor: actor.userEntityRef,
      comment,
    });
    return this.get(id, actor);
  }

  async cancel(id: string, comment: string | undefined, actor: RequestActor) {
    const { request } = await this.#visible(id, actor);
    if (request.requester !== actor.userEntityRef) {
      await this.#refuse(
        'request-cancel',
        request,
        actor,
        'Only the requester can cancel a request',
      );
    }
    const cancelled = await this.#store.transition({
      id,
      from: 'pending',
      to: 'cancelled',
      event: { type: 'cancelled', actor: actor.userEntityRef, comment },
      patch: { endedAt: new Date() },
    });
    await this.#audit('request-cancel', 'medium', cancelled, actor);
    await this.#notifier?.notify('cancelled', cancelled, {
      actor: actor.userEntityRef,
    });
    return this.get(id, actor);
  }

  async revoke(id: string, comment: string | undefined, actor: RequestActor) {
    const { request, admin, approver } = await this.#visible(id, actor);
    if (!admin && !approver && request.requester !== actor.userEntityRef) {
      await this.#refuse(
        'request-revoke',
        request,
        actor,
        'Only the requester, the cluster owners and EKS access admins can revoke a grant',
      );
    }
    const revoked = await this.#store.transition({
      id,
      from: 'active',
      to: 'revoked',
      event: { type: 'revoked', actor: actor.userEntityRef, comment },
      patch: { endedAt: new Date() },
    });
    await this.#audit('request-revoke', 'high', revoked, actor);
    await this.#notifier?.notify('revoked', revoked, {
      actor: actor.userEntityRef,
      comment,
    });
    await this.#triggerGrants();
    return this.get(id, actor);
  }

  async retry(id: string, comment: string | undefined, actor: RequestActor) {
    const { request, ...rights } = await this.#visible(id, actor);
    await this.#assertApprover(request, actor, rights, 'retry');
    const retried = await this.#store.transition({
      id,
      from: 'failed',
      to: 'approved',
      event: { type: 'retried', actor: actor.userEntityRef, comment },
      patch: { error: null },
    });
    await this.#audit('request-retry', 'high', retried, actor);
    await this.#triggerGrants();
    return this.get(id, actor);
  }

  #withActions(
    request: AccessRequest,
    actor: RequestActor,
    rights: {
      admin: boolean;
      approvable: Set<string>;
      /** Cluster ARNs whose AWS owner tag names one of the actor's groups. */
      approvableArns?: Set<string>;
    },
  ): AccessRequest {
    const own = request.requester === actor.userEntityRef;
    const approver =
      !own &&
      (rights.admin ||
        rights.approvable.has(request.cluster.entityRef) ||
        !!rights.approvableArns?.has(request.cluster.arn));
    const alreadyApproved = request.approvals.some(
      a => a.approver === actor.userEntityRef,
    );
    const actions: NonNullable<AccessRequest['allowedActions']> = [];
    if (request.state === 'pending') {
      if (approver && !alreadyApproved) actions.push('approve');
      if (approver) actions.push('reject');
      if (own) actions.push('cancel');
    }
    if (request.state === 'active' && (own || approver || rights.admin)) {
      actions.push('revoke');
    }
    if (request.state === 'failed' && approver) {
      actions.push('retry');
    }
    const levelTitle = this.#settings.levels.find(
      l => l.name === request.level,
    )?.title;
    return {
      ...request,
      ...(levelTitle ? { levelTitle } : {}),
      allowedActions: actions,
    };
  }

  #auditMeta(request: AccessRequest, actor: RequestActor) {
    return {
      actor: actor.userEntityRef,
      requestId: request.id,
      cluster: request.cluster.arn,
      principalArn: request.principalArn,
      identitySource: request.identityProvenance?.source,
      identityVerifiedAt: request.identityProvenance?.verifiedAt,
      level: request.level,
      state: request.state,
    };
  }

  async #audit(
    eventId: string,
    severityLevel: 'low' | 'medium' | 'high' | 'critical',
    request: AccessRequest,
    actor: RequestActor,
    meta: Record<string, unknown> = {},
  ) {
    if (!this.#auditor) {
      return;
    }
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel,
      meta: { ...this.#auditMeta(request, actor), ...meta },
    });
    await event.success();
  }

  /**
   * Refuses an action with a 403, and audits the attempt: someone trying to
   * approve their own request is exactly what an auditor wants to see.
   */
  async #refuse(
    eventId: string,
    request: AccessRequest,
    actor: RequestActor,
    message: string,
  ): Promise<never> {
    const error = new NotAllowedError(message);
    if (this.#auditor) {
      const event = await this.#auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        meta: this.#auditMeta(request, actor),
      });
      await event.fail({ error });
    }
    throw error;
  }
}
