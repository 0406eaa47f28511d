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
 * The Kubernetes resource types each sandbox cluster serves: what discovery
 * advertises, what kubectl's REST mapper resolves names against, and how the
 * objects are stored (read from ClusterState).
 */

import { ClusterState } from '../state/model';
import { BUILT_IN_CLUSTER_ROLES, builtInRules } from './kubernetesAuthorizer';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

const READ = ['get', 'list', 'watch'];
const ALL = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** One resource type of one API group version. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, as in URLs: `configmaps`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/** Every resource type the sandbox advertises, in discovery order. */
export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: ALL,
    shortNames: ['cm'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    verbs: READ,
    shortNames: ['ev'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'limitranges',
    singular: 'limitrange',
    kind: 'LimitRange',
    namespaced: true,
    verbs: READ,
    shortNames: ['limits'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    verbs: READ,
    shortNames: ['ns'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: READ,
    shortNames: ['po'],
    categories: ['all'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'resourcequotas',
    singular: 'resourcequota',
    kind: 'ResourceQuota',
    namespaced: true,
    verbs: READ,
    shortNames: ['quota'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    verbs: READ,
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    verbs: READ,
    shortNames: ['svc'],
    categories: ['all'],
  },
  {
    group: AUTHENTICATION_GROUP,
    version: 'v1',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    kind: 'SelfSubjectReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: AUTHORIZATION_GROUP,
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: AUTHORIZATION_GROUP,
    version: 'v1',
    resource: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: AUTHORIZATION_GROUP,
    version: 'v1',
    resource: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    kind: 'SubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    kind: 'ClusterRoleBinding',
    namespaced: false,
    verbs: ALL,
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'clusterroles',
    singular: 'clusterrole',
    kind: 'ClusterRole',
    namespaced: false,
    verbs: READ,
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'rolebindings',
    singular: 'rolebinding',
    kind: 'RoleBinding',
    namespaced: true,
    verbs: ALL,
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'roles',
    singular: 'role',
    kind: 'Role',
    namespaced: true,
    verbs: READ,
  },
];

export function groupVersion(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function findResourceType(
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.resource === resource,
  );
}

/** The API groups (besides the legacy core group) and their versions. */
export function apiGroups(): { name: string; versions: string[] }[] {
  const groups = new Map<string, Set<string>>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    groups.set(t.group, (groups.get(t.group) ?? new Set()).add(t.version));
  }
  return [...groups].map(([name, versions]) => ({
    name,
    versions: [...versions],
  }));
}

const FIXED_CREATION = '2024-01-01T00:00:00Z';

export const kubeTimestamp = (epochMs: number) =>
  new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

function subjectJson(s: { kind: string; name: string; namespace?: string }) {
  return s.kind === 'ServiceAccount'
    ? { kind: s.kind, name: s.name, namespace: s.namespace }
    : { kind: s.kind, apiGroup: RBAC_GROUP, name: s.name };
}

/** A JSON object as the API serves it (kind and apiVersion set). */
export type KubeObject = {
  kind: string;
  apiVersion: string;
  metadata: {
    name: string;
    namespace?: string;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/**
 * The stored objects of one resource type, optionally in one namespace.
 * ConfigMaps are handled by the caller (only kube-system/aws-auth exists);
 * pods, events, services… exist in no namespace of the sandbox.
 */
export function storedObjects(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string | undefined,
): KubeObject[] {
  const apiVersion = groupVersion(type);
  const base = (
    name: string,
    uid: string,
    ns?: string,
    created = FIXED_CREATION,
  ) => ({
    name,
    ...(ns ? { namespace: ns } : {}),
    uid,
    resourceVersion: '42',
    creationTimestamp: created,
  });
  const inScope = (ns: string) => !namespace || ns === namespace;
  switch (type.resource) {
    case 'namespaces':
      return cluster.namespaces.map(name => ({
        kind: 'Namespace',
        apiVersion,
        metadata: {
          ...base(
            name,
            `ns-${name}`,
            undefined,
            kubeTimestamp(cluster.createdAt * 1000),
          ),
          resourceVersion: '1',
          labels: { 'kubernetes.io/metadata.name': name },
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      }));
    case 'clusterroles':
      // the scenario's own roles, then the built-in ones it does not override
      return [
        ...cluster.rbac.clusterRoles,
        ...BUILT_IN_CLUSTER_ROLES.filter(
          name => !cluster.rbac.clusterRoles.some(r => r.name === name),
        ).map(name => ({ name, rules: builtInRules(name)! })),
      ].map(role => ({
        kind: 'ClusterRole',
        apiVersion,
        metadata: base(role.name, `cr-${role.name}`),
        rules: role.rules,
      }));
    case 'clusterrolebindings':
      return cluster.rbac.clusterRoleBindings.map(b => ({
        kind: 'ClusterRoleBinding',
        apiVersion,
        metadata: base(b.name, `crb-${b.name}`),
        roleRef: {
          apiGroup: RBAC_GROUP,
          kind: 'ClusterRole',
          name: b.roleRef.name,
        },
        subjects: b.subjects.map(subjectJson),
      }));
    case 'roles':
      return cluster.rbac.roles
        .filter(r => inScope(r.namespace))
        .map(role => ({
          kind: 'Role',
          apiVersion,
          metadata: base(
            role.name,
            `role-${role.namespace}-${role.name}`,
            role.namespace,
          ),
          rules: role.rules,
        }));
    case 'rolebindings':
      return cluster.rbac.roleBindings
        .filter(b => inScope(b.namespace))
        .map(b => ({
          kind: 'RoleBinding',
          apiVersion,
          metadata: base(b.name, `rb-${b.namespace}-${b.name}`, b.namespace),
          roleRef: {
            apiGroup: RBAC_GROUP,
            kind: b.roleRef.kind ?? 'ClusterRole',
            name: b.roleRef.name,
          },
          subjects: b.subjects.map(subjectJson),
        }));
    default:
      return [];
  }
}
