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
 * What an authenticated username and groups can do: the EKS access
 * policies' documented permissions together with Kubernetes RBAC
 * (ClusterRoles, Roles and their bindings, as the snapshot read them).
 * A coarse summary per scope — read / write / admin, secrets yes or no —
 * enough to tell "green" from "authenticates but Forbidden". Pure.
 */

import type { AccessEntryInfo } from './types';

/** One RBAC PolicyRule. @public */
export interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** A ClusterRole (no namespace) or a Role. @public */
export interface RbacRole {
  name: string;
  namespace?: string;
  rules: RbacRule[];
}

/** A ClusterRoleBinding (no namespace) or a RoleBinding. @public */
export interface RbacBinding {
  name: string;
  namespace?: string;
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

/** The RBAC objects of a cluster. @public */
export interface RbacSnapshot {
  roles: RbacRole[];
  bindings: RbacBinding[];
}

/** How much a scope allows. @public */
export type PermissionLevel = 'none' | 'read' | 'write' | 'admin';

/** What the identity can do in one scope. @public */
export interface ScopePermissions {
  /** `*` = the whole cluster; otherwise one namespace. */
  namespace: string;
  level: PermissionLevel;
  secrets: boolean;
  /** Where it comes from: access policy names and binding names. */
  sources: string[];
}

/** The summary the card shows. @public */
export interface PermissionSummary {
  scopes: ScopePermissions[];
  /** Nothing at all binds: every request is Forbidden. */
  forbidden: boolean;
  /** False when RBAC could not be read: only access policies and system:masters count. */
  rbacKnown: boolean;
  /**
   * Who answered: the cluster itself (SubjectAccessReview), Backstage's
   * evaluator over the RBAC objects it read, or the access policies alone
   * (RBAC unreadable). Set by the backend.
   */
  answeredBy?: 'SubjectAccessReview' | 'RbacSnapshot' | 'AccessPoliciesOnly';
  /** Why the cluster was not asked, when it was not (e.g. Backstage may not create SubjectAccessReviews). */
  fallbackReason?: string;
}

const LEVEL_ORDER: PermissionLevel[] = ['none', 'read', 'write', 'admin'];

function maxLevel(a: PermissionLevel, b: PermissionLevel): PermissionLevel {
  return LEVEL_ORDER.indexOf(a) >= LEVEL_ORDER.indexOf(b) ? a : b;
}

/**
 * The AWS-managed access policies, as their documented Kubernetes
 * equivalents (EKS user guide, "Access policy permissions").
 */
const ACCESS_POLICY_LEVELS: Record<
  string,
  { level: PermissionLevel; secrets: boolean; clusterOnly?: boolean }
> = {
  AmazonEKSClusterAdminPolicy: { level: 'admin', secrets: true },
  AmazonEKSAdminPolicy: { level: 'admin', secrets: true },
  AmazonEKSEditPolicy: { level: 'write', secrets: true },
  AmazonEKSViewPolicy: { level: 'read', secrets: false },
  AmazonEKSAdminViewPolicy: { level: 'read', secrets: true },
};

/** Review and discovery APIs every authenticated user has; they grant no access to objects. */
const SELF_SERVICE_GROUPS = new Set([
  'authorization.k8s.io',
  'authentication.k8s.io',
]);

const READ_VERBS = new Set(['get', 'list', 'watch', '*']);
const WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  '*',
]);

/** The level and secrets access one rule gives. */
export function ruleLevel(rule: RbacRule): {
  level: PermissionLevel;
  secrets: boolean;
} {
  const resources = rule.resources ?? [];
  const groups = rule.apiGroups ?? [''];
  if (!resources.length) return { level: 'none', secrets: false };
  if (groups.length && groups.every(g => SELF_SERVICE_GROUPS.has(g))) {
    return { level: 'none', secrets: false };
  }
  const verbs = rule.verbs.map(v => v.toLowerCase());
  const reads = verbs.some(v => READ_VERBS.has(v));
  const writes = verbs.some(v => WRITE_VERBS.has(v));
  const all = resources.includes('*');
  let level: PermissionLevel = 'none';
  if (reads) level = 'read';
  if (writes) level = 'write';
  const rbacGroup =
    groups.includes('*') || groups.includes('rbac.authorization.k8s.io');
  if (
    (all && verbs.includes('*') && groups.includes('*')) ||
    (writes &&
      rbacGroup &&
      (all || resources.some(r => r === 'roles' || r === 'rolebindings')))
  ) {
    level = 'admin';
  }
  const secrets =
    reads &&
    (groups.includes('') || groups.includes('*')) &&
    (all || resources.includes('secrets'));
  return { level, secrets };
}

/**
 * What `username` in `groups` (plus `system:authenticated`) can do, from
 * its access policies and, when known, RBAC.
 * @public
 */
export function summarizePermissions(
  subject: {
    username: string;
    groups: string[];
    accessPolicies?: AccessEntryInfo['accessPolicies'];
  },
  rbac: RbacSnapshot | undefined,
): PermissionSummary {
  const scopes = new Map<string, ScopePermissions>();
  const grant = (
    namespace: string,
    level: PermissionLevel,
    secrets: boolean,
    source: string,
  ) => {
    if (level === 'none' && !secrets) return;
    const s = scopes.get(namespace) ?? {
      namespace,
      level: 'none' as PermissionLevel,
      secrets: false,
      sources: [],
    };
    s.level = maxLevel(s.level, level);
    s.secrets = s.secrets || secrets;
    if (!s.sources.includes(source)) s.sources.push(source);
    scopes.set(namespace, s);
  };

  const groups = new Set([...subject.groups, 'system:authenticated']);
  if (groups.has('system:masters')) grant('*', 'admin', true, 'system:masters');

  for (const p of subject.accessPolicies ?? []) {
    const name = p.policyArn.split('/').pop() ?? p.policyArn;
    const known = ACCESS_POLICY_LEVELS[name];
    if (!known) continue;
    const namespaces =
      p.accessScope.type === 'namespace' &&
      name !== 'AmazonEKSClusterAdminPolicy'
        ? p.accessScope.namespaces ?? []
        : ['*'];
    for (const ns of namespaces) grant(ns, known.level, known.secrets, name);
  }

  let unknownGrant = false;
  if (rbac) {
    const roles = new Map<string, RbacRole>();
    for (const r of rbac.roles) {
      roles.set(`${r.namespace ?? ''}/${r.name}`, r);
    }
    for (const b of rbac.bindings) {
      const applies = b.subjects.some(
        s =>
          (s.kind === 'User' && s.name === subject.username) ||
          (s.kind === 'Group' && groups.has(s.name)),
      );
      if (!applies) continue;
      const role =
        b.roleRef.kind === 'ClusterRole'
          ? roles.get(`/${b.roleRef.name}`)
          : roles.get(`${b.namespace ?? ''}/${b.roleRef.name}`);
      if (!role) {
        // Bound to a role we cannot see: it may grant something.
        unknownGrant = true;
        continue;
      }
      let level: PermissionLevel = 'none';
      let secrets = false;
      for (const rule of role.rules) {
        const r = ruleLevel(rule);
        level = maxLevel(level, r.level);
        secrets = secrets || r.secrets;
      }
      grant(b.namespace ?? '*', level, secrets, b.name);
    }
  }

  // The whole cluster first, then namespaces by name.
  const rank = (s: ScopePermissions) => (s.namespace === '*' ? 0 : 1);
  const list = [...scopes.values()].sort(
    (a, b) => rank(a) - rank(b) || a.namespace.localeCompare(b.namespace),
  );
  return {
    scopes: list,
    forbidden: list.length === 0 && !unknownGrant,
    rbacKnown: !!rbac,
  };
}

/** "read, secrets no" style text for one scope. @public */
export function describeScope(s: ScopePermissions): string {
  return `${
    s.namespace === '*' ? 'whole cluster' : `namespace ${s.namespace}`
  }: ${s.level}, secrets ${s.secrets ? 'yes' : 'no'}`;
}

/** Whether any ClusterRoleBinding or RoleBinding names one of `groups`. @public */
export function groupsBound(rbac: RbacSnapshot, groups: string[]): string[] {
  return groups.filter(g =>
    rbac.bindings.some(b =>
      b.subjects.some(s => s.kind === 'Group' && s.name === g),
    ),
  );
}
