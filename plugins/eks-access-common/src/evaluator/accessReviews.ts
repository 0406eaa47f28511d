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
 * "What can this identity do?" asked of the cluster itself with
 * SubjectAccessReviews: a few probe questions per scope, each standing for
 * one level of the permission summary. The cluster answers with every
 * authorizer it runs (RBAC and the EKS access-policy webhook), so the
 * answer is exact where the RBAC snapshot is an approximation. Pure: the
 * backend sends the reviews and hands the answers here.
 */

import type { PermissionLevel, PermissionSummary } from './rbac';

/** The question behind one probe, as SubjectAccessReview resourceAttributes. @public */
export interface AccessReviewAttributes {
  verb: string;
  /** API group; '' is the core group. */
  group: string;
  resource: string;
}

/** The probes: what the summary's levels stand for on a real cluster. @public */
export type AccessReviewProbe = 'read' | 'write' | 'admin' | 'secrets';

/**
 * One representative request per level, as the built-in `view`, `edit` and
 * `admin` ClusterRoles (and the EKS View, Edit and Admin access policies
 * that mirror them) grant: `view` lists pods but never reads secrets,
 * `edit` creates pods, `admin` creates RoleBindings.
 * @public
 */
export const ACCESS_REVIEW_PROBES: Record<
  AccessReviewProbe,
  AccessReviewAttributes
> = {
  read: { verb: 'list', group: '', resource: 'pods' },
  write: { verb: 'create', group: '', resource: 'pods' },
  admin: {
    verb: 'create',
    group: 'rbac.authorization.k8s.io',
    resource: 'rolebindings',
  },
  secrets: { verb: 'get', group: '', resource: 'secrets' },
};

/** The probes in the order they are asked. @public */
export const ACCESS_REVIEW_PROBE_NAMES = Object.keys(
  ACCESS_REVIEW_PROBES,
) as AccessReviewProbe[];

/**
 * The cluster's answer to one probe. `namespace` `*` is the whole cluster
 * (a review without a namespace: every namespace at once).
 * @public
 */
export interface AccessReviewAnswer {
  namespace: string;
  probe: AccessReviewProbe;
  allowed: boolean;
}

function levelOf(allowed: Set<AccessReviewProbe>): PermissionLevel {
  if (allowed.has('admin')) return 'admin';
  if (allowed.has('write')) return 'write';
  if (allowed.has('read')) return 'read';
  return 'none';
}

/**
 * The permission summary from the cluster's answers. A namespace is listed
 * only when it allows more than the whole cluster does, the way the RBAC
 * summary lists the scopes bindings add. Nothing allowed anywhere (among
 * the namespaces asked) is Forbidden.
 * @public
 */
export function summarizeAccessReviews(
  answers: readonly AccessReviewAnswer[],
): PermissionSummary {
  const allowed = new Map<string, Set<AccessReviewProbe>>();
  for (const answer of answers) {
    const set = allowed.get(answer.namespace) ?? new Set();
    if (answer.allowed) set.add(answer.probe);
    allowed.set(answer.namespace, set);
  }
  const clusterWide = allowed.get('*') ?? new Set<AccessReviewProbe>();
  const scopes = [...allowed.entries()]
    .filter(
      ([namespace, set]) =>
        set.size > 0 &&
        (namespace === '*' || [...set].some(p => !clusterWide.has(p))),
    )
    .map(([namespace, set]) => {
      const effective = new Set([...set, ...clusterWide]);
      return {
        namespace,
        level: levelOf(effective),
        secrets: effective.has('secrets'),
        sources: ['SubjectAccessReview'],
      };
    })
    .sort(
      (a, b) =>
        (a.namespace === '*' ? 0 : 1) - (b.namespace === '*' ? 0 : 1) ||
        a.namespace.localeCompare(b.namespace),
    );
  return {
    scopes,
    forbidden: scopes.length === 0,
    rbacKnown: true,
    answeredBy: 'SubjectAccessReview',
  };
}
