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
 * Whether a level, and a request for it, can work on a cluster, decided
 * before anything is written: the request flow refuses what would only fail
 * (or succeed and leave the requester Forbidden) after approval. The checks
 * run on the cluster's shared snapshot through the evaluator's simulator
 * (`grantPreflight`), so they cost no AWS call of their own.
 */

import { ConflictError } from '@backstage/errors';
import {
  type AccessRequest,
  type AccessRequestScope,
  type ClusterAccessData,
  type FixPlan,
  type GrantPreflight,
  type GrantRefusalCode,
  type LevelAvailabilityCode,
  type ClusterAccessIndex,
  type RbacSnapshot,
  canonicalizeArn,
  grantPreflight,
  groupsBound,
  parseAwsAuth,
  stripArnPath,
} from '@eks-access/plugin-eks-access-common';
import type { ClusterSnapshot } from '../snapshots/ClusterSnapshotStore';
import {
  type SnapshotEvaluator,
  snapshotClusterData,
} from '../snapshots/SnapshotEvaluator';
import { awsAuthEntryFor } from './awsAuthGrant';
import type { AccessLevel } from './readAccessRequestsConfig';
import type { GrantCluster } from './grantTargets';

/**
 * A request the flow refuses because of the cluster's state (HTTP 409). The
 * `code` is stable: `LEVEL_NOT_GRANTABLE`, `LEVEL_GROUPS_UNBOUND` or
 * `GRANT_NOT_APPLICABLE`. It extends ConflictError, so every Backstage error
 * handler answers 409 and serializes the code with the message.
 * @public
 */
export class GrantNotApplicableError extends ConflictError {
  constructor(message: string, readonly code: GrantRefusalCode) {
    super(message);
  }
}

/**
 * A cluster's access data as the request flow reads it, with the
 * evaluator's index of the same data when it comes from a snapshot: the
 * preflight then reads aws-auth from it and does not parse it again.
 * @public
 */
export type RequestClusterAccessData = ClusterAccessData & {
  readonly index?: ClusterAccessIndex;
};

/**
 * A cluster's access data as the request flow reads it: the card's shared
 * snapshot (mode, aws-auth, RBAC), or with every access entry in full for
 * a request's preflight. `undefined` when the cluster could not be read.
 * @public
 */
export interface RequestClusterData {
  read(
    cluster: GrantCluster,
    options: { complete: boolean },
  ): Promise<RequestClusterAccessData | undefined>;
}

/**
 * {@link RequestClusterData} over the plugin's snapshot store: the card's
 * shared snapshot for level listings (no extra AWS call when a card was
 * checked), the complete one (every entry) for a request's preflight. A
 * snapshot with any source unread is unknown, never a refusal. With the
 * card's evaluator, aws-auth comes parsed from the snapshot's index, which
 * the card's check built (or builds now, for the next check to reuse).
 * @public
 */
export function snapshotRequestClusterData(
  snapshots: {
    snapshot(cluster: GrantCluster): Promise<ClusterSnapshot>;
    get(cluster: GrantCluster): Promise<ClusterSnapshot>;
    /** The cluster's RBAC (read once per snapshot, shared): decides unbound levels. */
    rbac(snapshot: ClusterSnapshot): Promise<RbacSnapshot | undefined>;
  },
  evaluator?: Pick<SnapshotEvaluator, 'index'>,
): RequestClusterData {
  return {
    async read(cluster, { complete }) {
      const snapshot = complete
        ? await snapshots.get(cluster)
        : await snapshots.snapshot(cluster);
      if (
        !snapshot.described ||
        Object.values(snapshot.sources).some(s => s.state === 'error')
      ) {
        return undefined;
      }
      const data = snapshotClusterData(
        snapshot,
        undefined,
        undefined,
        await snapshots.rbac(snapshot),
      );
      return evaluator
        ? { ...data, index: evaluator.index(snapshot) }
        : data;
    },
  };
}

/** Why a level cannot be granted on a cluster; undefined when it can. @public */
export type LevelUnavailable = {
  code: LevelAvailabilityCode;
  reason: string;
};

const NAMESPACE_PLACEHOLDER = '{namespace}';

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Group names a level configures that no (Cluster)RoleBinding names. */
function unboundGroups(
  groups: string[],
  data: ClusterAccessData,
): string[] | undefined {
  const rbac = data.rbac;
  if (!rbac) return undefined; // RBAC not read: we cannot tell, so we do not refuse
  const named = new Set(
    rbac.bindings.flatMap(b =>
      b.subjects.filter(s => s.kind === 'Group').map(s => s.name),
    ),
  );
  return groups.filter(group => {
    // system:masters is admin without any binding (the authorizer's own rule).
    if (group === 'system:masters') return false;
    if (!group.includes(NAMESPACE_PLACEHOLDER)) {
      return groupsBound(rbac, [group]).length === 0;
    }
    // A per-namespace group is usable when some binding names an instance.
    const pattern = new RegExp(
      `^${group
        .split(NAMESPACE_PLACEHOLDER)
        .map(escapeRegExp)
        .join('[a-z0-9]([-a-z0-9]*[a-z0-9])?')}$`,
    );
    return ![...named].some(n => pattern.test(n));
  });
}

/**
 * Whether the cluster can take a level at all, in the mode it is in: a
 * CONFIG_MAP level needs groups that something in RBAC binds (otherwise the
 * grant admits the identity and leaves it Forbidden), an API level needs an
 * access policy. Unknown data (cluster or RBAC unread) is not a refusal.
 * @public
 */
export function levelUnavailable(
  level: AccessLevel,
  data: ClusterAccessData | undefined,
  clusterName: string,
): LevelUnavailable | undefined {
  if (!data) return undefined;
  if (data.authenticationMode === 'CONFIG_MAP') {
    const groups = level.kubernetesGroups ?? [];
    if (groups.length === 0) {
      return {
        code: 'LEVEL_NOT_GRANTABLE',
        reason: `${clusterName} uses aws-auth only (CONFIG_MAP), and this level configures no Kubernetes groups to map.`,
      };
    }
    const unbound = unboundGroups(groups, data);
    if (unbound?.length) {
      return {
        code: 'LEVEL_GROUPS_UNBOUND',
        reason: `No RoleBinding or ClusterRoleBinding on ${clusterName} names the group${
          unbound.length > 1 ? 's' : ''
        } ${unbound.join(
          ', ',
        )}: a grant would let you sign in but Kubernetes would refuse every request. A cluster admin must bind ${
          unbound.length > 1 ? 'them' : 'it'
        } first.`,
      };
    }
    return undefined;
  }
  if (!level.accessPolicyArn) {
    return {
      code: 'LEVEL_NOT_GRANTABLE',
      reason: `${clusterName} uses access entries (${data.authenticationMode}), and this level configures no access policy to associate.`,
    };
  }
  return undefined;
}

/** The request's fields a grant depends on. */
export type GrantRequest = Pick<
  AccessRequest,
  'principalArn' | 'scope' | 'level'
>;

function accessScopeOf(scope: AccessRequestScope) {
  return scope.type === 'cluster'
    ? { type: 'cluster' as const }
    : { type: 'namespace' as const, namespaces: scope.namespaces };
}

/**
 * The grant the reconciler would make for a request, as a plan the
 * simulator can check: the aws-auth mapping `applyAwsAuthGrant` writes
 * (groups merged into a mapping of ours), or an access entry (created when
 * the principal has none) with the level's policy.
 */
function grantPlanFor(
  request: GrantRequest,
  level: AccessLevel,
  data: RequestClusterAccessData,
): FixPlan | string | LevelUnavailable {
  if (data.authenticationMode === 'CONFIG_MAP') {
    const entry = awsAuthEntryFor(request as AccessRequest, level);
    const parsed =
      data.index?.awsAuth ?? parseAwsAuth(data.awsAuth?.data ?? {});
    const existing = (
      entry.section === 'mapRoles' ? parsed.mapRoles : parsed.mapUsers
    ).filter(m => {
      const arn = 'userarn' in m ? m.userarn : m.rolearn;
      try {
        return (
          !!arn && stripArnPath(arn).toLowerCase() === entry.arn.toLowerCase()
        );
      } catch {
        return false;
      }
    });
    if (
      existing.length > 1 ||
      (existing.length === 1 && existing[0].username !== entry.username)
    ) {
      return `aws-auth already maps ${entry.arn} with an entry this plugin did not add (username ${existing[0].username}); a second entry would override it. Ask a cluster admin to change that mapping instead.`;
    }
    const unbound = unboundGroups(entry.groups, data);
    if (unbound?.length) {
      return {
        code: 'LEVEL_GROUPS_UNBOUND',
        reason: `No RoleBinding or ClusterRoleBinding names the group${
          unbound.length > 1 ? 's' : ''
        } ${unbound.join(
          ', ',
        )} this request would map: the identity would sign in and be refused everything. Ask a cluster admin to bind ${
          unbound.length > 1 ? 'them' : 'it'
        }, or choose other namespaces.`,
      };
    }
    const groups = [
      ...new Set([...(existing[0]?.groups ?? []), ...entry.groups]),
    ].sort();
    return {
      summary: `Map ${entry.arn} in aws-auth`,
      steps: [
        {
          op: 'AwsAuthUpsertMapping',
          section: entry.section,
          arn: entry.arn,
          username: entry.username,
          groups,
        },
      ],
      promise: { groups: entry.groups, accessPolicies: [] },
    };
  }
  const policyArn = level.accessPolicyArn!;
  const accessScope = accessScopeOf(request.scope);
  const principal = { arn: request.principalArn };
  const key = canonicalizeArn(request.principalArn).toLowerCase();
  const hasEntry = (data.accessEntries ?? []).some(e => {
    try {
      return canonicalizeArn(e.principalArn).toLowerCase() === key;
    } catch {
      return false;
    }
  });
  return {
    summary: `Give ${request.principalArn} ${policyArn.split('/').pop()}`,
    steps: [
      ...(hasEntry ? [] : [{ op: 'CreateAccessEntry' as const, principal }]),
      { op: 'AssociateAccessPolicy', principal, policyArn, accessScope },
    ],
    promise: { groups: [], accessPolicies: [{ policyArn, accessScope }] },
  };
}

/**
 * What granting the request would write and whether it works, on the
 * cluster's current data: the level's availability first, then the grant
 * simulated (`grantPreflight`). `undefined` when the cluster could not be
 * read (nothing is known, so nothing is refused).
 * @public
 */
export function requestPreflight(
  request: GrantRequest,
  level: AccessLevel,
  data: RequestClusterAccessData | undefined,
  clusterName: string,
): (GrantPreflight & { code?: GrantRefusalCode }) | undefined {
  if (!data) return undefined;
  const unavailable = levelUnavailable(level, data, clusterName);
  if (unavailable) {
    return {
      writes: [],
      applicable: false,
      risks: [unavailable.reason],
      othersAffected: [],
      code: unavailable.code,
    };
  }
  let grant: FixPlan | string | LevelUnavailable;
  try {
    grant = grantPlanFor(request, level, data);
  } catch (error) {
    grant = (error as Error).message;
  }
  if (typeof grant === 'string') {
    return {
      writes: [],
      applicable: false,
      risks: [grant],
      othersAffected: [],
      code: 'GRANT_NOT_APPLICABLE',
    };
  }
  if ('code' in grant) {
    return {
      writes: [],
      applicable: false,
      risks: [grant.reason],
      othersAffected: [],
      code: grant.code,
    };
  }
  const preflight = grantPreflight({
    cluster: data,
    index: data.index,
    principalArn: request.principalArn,
    grant,
  });
  return preflight.applicable
    ? preflight
    : { ...preflight, code: 'GRANT_NOT_APPLICABLE' };
}
