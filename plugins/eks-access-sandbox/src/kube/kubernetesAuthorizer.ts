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

import { accessPolicyName } from '../state/accessPolicies';
import { ClusterState } from '../state/model';
import { ScenarioPolicyRule } from '../scenario/types';
import { KubernetesUser } from './clusterAuthenticator';

/** One Kubernetes API request to authorize. */
export interface ResourceAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace?: string;
  name?: string;
}

const READ_VERBS = ['get', 'list', 'watch'];
const RBAC_RESOURCES = [
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
];

/** What `system:auth-delegator` allows: reviews on behalf of others. */
const DELEGATED_REVIEWS = ['subjectaccessreviews', 'tokenreviews'];

/** Resources that live outside namespaces (the ones the sandbox knows of). */
const CLUSTER_SCOPED = new Set([
  'namespaces',
  'nodes',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'selfsubjectreviews',
  'selfsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'subjectaccessreviews',
  'tokenreviews',
]);

/**
 * Whether a request is about namespaced objects: in one namespace, or (no
 * namespace) in every namespace at once, as `kubectl get pods -A` and a
 * SubjectAccessReview without a namespace ask. A ClusterRoleBinding to
 * `view` allows the latter; Kubernetes checks it cluster-wide.
 */
function namespacedRequest(a: ResourceAttributes): boolean {
  return !!a.namespace || !CLUSTER_SCOPED.has(a.resource.split('/')[0]);
}

/** The built-in ClusterRoles, approximated by what this sandbox serves. */
function builtInRole(
  name: string,
): ((a: ResourceAttributes) => boolean) | undefined {
  switch (name) {
    case 'cluster-admin':
      return () => true;
    case 'system:auth-delegator':
      return a => a.verb === 'create' && DELEGATED_REVIEWS.includes(a.resource);
    case 'admin':
      return a =>
        namespacedRequest(a) ||
        (a.resource === 'namespaces' && READ_VERBS.includes(a.verb));
    case 'edit':
      return a => namespacedRequest(a) && !RBAC_RESOURCES.includes(a.resource);
    case 'view':
      return a =>
        namespacedRequest(a) &&
        READ_VERBS.includes(a.verb) &&
        a.resource !== 'secrets' &&
        !RBAC_RESOURCES.includes(a.resource);
    default:
      return undefined;
  }
}

function ruleAllows(rule: ScenarioPolicyRule, a: ResourceAttributes): boolean {
  const match = (list: string[] | undefined, value: string) =>
    !!list && (list.includes('*') || list.includes(value));
  return (
    match(rule.verbs, a.verb) &&
    match(rule.apiGroups ?? [''], a.apiGroup) &&
    match(rule.resources, a.resource) &&
    (!rule.resourceNames?.length ||
      (!!a.name && rule.resourceNames.includes(a.name)))
  );
}

function roleAllows(
  cluster: ClusterState,
  ref: { kind?: string; name: string },
  namespace: string | undefined,
  a: ResourceAttributes,
): boolean {
  if (ref.kind === 'Role') {
    const role = cluster.rbac.roles.find(
      r => r.name === ref.name && r.namespace === namespace,
    );
    return !!role?.rules.some(rule => ruleAllows(rule, a));
  }
  const custom = cluster.rbac.clusterRoles.find(r => r.name === ref.name);
  if (custom) return custom.rules.some(rule => ruleAllows(rule, a));
  return builtInRole(ref.name)?.(a) ?? false;
}

function namespaceInScope(patterns: string[], namespace: string): boolean {
  return patterns.some(p =>
    p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : p === namespace,
  );
}

/** What an EKS access policy allows, approximated by its Kubernetes ClusterRole. */
function policyAllows(policyArn: string, a: ResourceAttributes): boolean {
  switch (accessPolicyName(policyArn)) {
    case 'AmazonEKSClusterAdminPolicy':
      return true;
    case 'AmazonEKSAdminViewPolicy':
      return READ_VERBS.includes(a.verb);
    case 'AmazonEKSAdminPolicy':
      return builtInRole('admin')!(a);
    case 'AmazonEKSEditPolicy':
      return builtInRole('edit')!(a);
    case 'AmazonEKSViewPolicy':
      return builtInRole('view')!(a);
    default:
      return false;
  }
}

/** RBAC plus EKS access policies: does the user may perform the request? */
export function isAuthorized(
  cluster: ClusterState,
  user: KubernetesUser,
  a: ResourceAttributes,
): boolean {
  if (user.groups.includes('system:masters')) return true;
  if (basicUserAllows(user, a)) return true;
  for (const policy of user.policies) {
    if (policy.accessScope.type === 'namespace') {
      if (
        !a.namespace ||
        !namespaceInScope(policy.accessScope.namespaces, a.namespace)
      )
        continue;
    }
    if (policyAllows(policy.policyArn, a)) return true;
  }
  const subjectMatches = (s: { kind: string; name: string }) =>
    (s.kind === 'User' && s.name === user.username) ||
    (s.kind === 'Group' && user.groups.includes(s.name));
  for (const binding of cluster.rbac.clusterRoleBindings) {
    if (
      binding.subjects.some(subjectMatches) &&
      roleAllows(
        cluster,
        { kind: 'ClusterRole', name: binding.roleRef.name },
        undefined,
        a,
      )
    ) {
      return true;
    }
  }
  if (a.namespace) {
    for (const binding of cluster.rbac.roleBindings) {
      if (
        binding.namespace === a.namespace &&
        binding.subjects.some(subjectMatches) &&
        roleAllows(cluster, binding.roleRef, binding.namespace, a)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** system:basic-user: every authenticated user may review itself. */
const SELF_REVIEWS: ScenarioPolicyRule[] = [
  {
    apiGroups: ['authentication.k8s.io'],
    resources: ['selfsubjectreviews'],
    verbs: ['create'],
  },
  {
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    verbs: ['create'],
  },
];

/** system:discovery and system:public-info-viewer, bound to every authenticated user. */
const DISCOVERY_RULES: ScenarioPolicyRule[] = [
  {
    nonResourceURLs: [
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/version',
      '/version/',
    ],
    verbs: ['get'],
  },
];

function basicUserAllows(user: KubernetesUser, a: ResourceAttributes) {
  return (
    user.groups.includes('system:authenticated') &&
    SELF_REVIEWS.some(rule => ruleAllows(rule, a))
  );
}

/** The resource types the sandbox serves that built-in roles grant (approximation). */
const SERVED_NAMESPACED = [
  'configmaps',
  'events',
  'limitranges',
  'pods',
  'resourcequotas',
  'services',
];

const EVERYTHING: ScenarioPolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
];

/** The built-in ClusterRoles every cluster lists (real clusters serve them as objects). */
export const BUILT_IN_CLUSTER_ROLES = [
  'cluster-admin',
  'admin',
  'edit',
  'view',
  'system:auth-delegator',
];

/** Rules that approximate a built-in ClusterRole; undefined if the name is not built in. */
export function builtInRules(name: string): ScenarioPolicyRule[] | undefined {
  switch (name) {
    case 'system:auth-delegator':
      return [
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['tokenreviews'],
          verbs: ['create'],
        },
        {
          apiGroups: ['authorization.k8s.io'],
          resources: ['subjectaccessreviews'],
          verbs: ['create'],
        },
      ];
    case 'cluster-admin':
    case 'admin':
      return EVERYTHING;
    case 'edit':
      return [
        {
          apiGroups: ['*'],
          resources: [...SERVED_NAMESPACED, 'secrets'],
          verbs: ['*'],
        },
      ];
    case 'view':
      return [
        { apiGroups: ['*'], resources: SERVED_NAMESPACED, verbs: READ_VERBS },
      ];
    default:
      return undefined;
  }
}

function policyRules(policyArn: string): ScenarioPolicyRule[] {
  switch (accessPolicyName(policyArn)) {
    case 'AmazonEKSClusterAdminPolicy':
    case 'AmazonEKSAdminPolicy':
      return EVERYTHING;
    case 'AmazonEKSAdminViewPolicy':
      return [{ apiGroups: ['*'], resources: ['*'], verbs: READ_VERBS }];
    case 'AmazonEKSEditPolicy':
      return builtInRules('edit')!;
    case 'AmazonEKSViewPolicy':
      return builtInRules('view')!;
    default:
      return [];
  }
}

/**
 * What the user may do in a namespace, as rules (SelfSubjectRulesReview).
 * `approximated` is true when built-in roles or access policies contributed:
 * their rules are the sandbox's approximation, not the real role's list.
 */
export function rulesFor(
  cluster: ClusterState,
  user: KubernetesUser,
  namespace: string,
): {
  resourceRules: ScenarioPolicyRule[];
  nonResourceRules: ScenarioPolicyRule[];
  approximated: boolean;
} {
  const resourceRules: ScenarioPolicyRule[] = [...SELF_REVIEWS];
  const nonResourceRules: ScenarioPolicyRule[] = [...DISCOVERY_RULES];
  let approximated = false;
  const addRole = (
    ref: { kind?: string; name: string },
    roleNamespace?: string,
  ) => {
    if (ref.kind === 'Role') {
      const role = cluster.rbac.roles.find(
        r => r.name === ref.name && r.namespace === roleNamespace,
      );
      resourceRules.push(...(role?.rules ?? []));
      return;
    }
    const custom = cluster.rbac.clusterRoles.find(r => r.name === ref.name);
    if (custom) {
      resourceRules.push(...custom.rules.filter(r => !r.nonResourceURLs));
      nonResourceRules.push(...custom.rules.filter(r => r.nonResourceURLs));
      return;
    }
    const builtIn = builtInRules(ref.name);
    if (builtIn) {
      approximated = true;
      resourceRules.push(...builtIn);
    }
  };
  if (user.groups.includes('system:masters')) {
    resourceRules.push(...EVERYTHING);
    nonResourceRules.push({ nonResourceURLs: ['*'], verbs: ['*'] });
  }
  for (const policy of user.policies) {
    if (
      policy.accessScope.type === 'namespace' &&
      !namespaceInScope(policy.accessScope.namespaces, namespace)
    )
      continue;
    const rules = policyRules(policy.policyArn);
    if (rules.length) approximated = true;
    resourceRules.push(...rules);
  }
  const subjectMatches = (s: { kind: string; name: string }) =>
    (s.kind === 'User' && s.name === user.username) ||
    (s.kind === 'Group' && user.groups.includes(s.name));
  for (const binding of cluster.rbac.clusterRoleBindings) {
    if (binding.subjects.some(subjectMatches))
      addRole({ kind: 'ClusterRole', name: binding.roleRef.name });
  }
  for (const binding of cluster.rbac.roleBindings) {
    if (
      binding.namespace === namespace &&
      binding.subjects.some(subjectMatches)
    )
      addRole(binding.roleRef, binding.namespace);
  }
  return { resourceRules, nonResourceRules, approximated };
}
