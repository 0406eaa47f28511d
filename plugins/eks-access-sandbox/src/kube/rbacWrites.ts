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
 * `kubectl create rolebinding|clusterrolebinding` and `kubectl delete` of
 * them, so that a fix plan's kubectl form can be run against the sandbox.
 */

import { ScenarioRbacSubject } from '../scenario/types';
import { ClusterState } from '../state/model';

/** A binding the API server rejects; `reason` is the Status reason. */
export class BindingRejected extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

type BindingResource = 'rolebindings' | 'clusterrolebindings';

const qualified = (resource: BindingResource) =>
  `${resource}.rbac.authorization.k8s.io`;

function parseSubjects(raw: unknown, resource: BindingResource) {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    throw new BindingRejected(
      422,
      'Invalid',
      `${qualified(resource)} is invalid: subjects: must be a list`,
    );
  }
  return raw.map((s, i): ScenarioRbacSubject => {
    const kind = s?.kind;
    if (!['User', 'Group', 'ServiceAccount'].includes(kind) || !s?.name) {
      throw new BindingRejected(
        422,
        'Invalid',
        `${qualified(
          resource,
        )} is invalid: subjects[${i}]: Invalid value: a subject needs kind User, Group or ServiceAccount and a name`,
      );
    }
    return {
      kind,
      name: String(s.name),
      ...(s.namespace ? { namespace: String(s.namespace) } : {}),
    };
  });
}

/**
 * Stores a new (Cluster)RoleBinding. The binding lists are replaced, never
 * mutated: scenario YAML anchors share one list between clusters.
 */
export function createBinding(
  cluster: ClusterState,
  resource: BindingResource,
  namespace: string | undefined,
  object: any,
): void {
  const name = object?.metadata?.name;
  if (typeof name !== 'string' || !name) {
    throw new BindingRejected(
      422,
      'Invalid',
      `${qualified(
        resource,
      )} is invalid: metadata.name: Required value: name or generateName is required`,
    );
  }
  const ref = object?.roleRef;
  const kind = ref?.kind;
  const allowedKinds =
    resource === 'rolebindings' ? ['ClusterRole', 'Role'] : ['ClusterRole'];
  if (!allowedKinds.includes(kind) || typeof ref?.name !== 'string') {
    throw new BindingRejected(
      422,
      'Invalid',
      `${qualified(
        resource,
      )} "${name}" is invalid: roleRef.kind: Unsupported value: "${
        kind ?? ''
      }": supported values: ${allowedKinds.map(k => `"${k}"`).join(', ')}`,
    );
  }
  const subjects = parseSubjects(object?.subjects, resource);
  const exists =
    resource === 'rolebindings'
      ? cluster.rbac.roleBindings.some(
          b => b.name === name && b.namespace === namespace,
        )
      : cluster.rbac.clusterRoleBindings.some(b => b.name === name);
  if (exists) {
    throw new BindingRejected(
      409,
      'AlreadyExists',
      `${qualified(resource)} "${name}" already exists`,
    );
  }
  if (resource === 'rolebindings') {
    cluster.rbac.roleBindings = [
      ...cluster.rbac.roleBindings,
      {
        name,
        namespace: namespace!,
        roleRef: { kind, name: ref.name },
        subjects,
      },
    ];
  } else {
    cluster.rbac.clusterRoleBindings = [
      ...cluster.rbac.clusterRoleBindings,
      { name, roleRef: { kind: 'ClusterRole', name: ref.name }, subjects },
    ];
  }
}

/** Removes a (Cluster)RoleBinding; false when it does not exist. */
export function deleteBinding(
  cluster: ClusterState,
  resource: BindingResource,
  namespace: string | undefined,
  name: string,
): boolean {
  if (resource === 'rolebindings') {
    const before = cluster.rbac.roleBindings;
    cluster.rbac.roleBindings = before.filter(
      b => !(b.name === name && b.namespace === namespace),
    );
    return cluster.rbac.roleBindings.length !== before.length;
  }
  const before = cluster.rbac.clusterRoleBindings;
  cluster.rbac.clusterRoleBindings = before.filter(b => b.name !== name);
  return cluster.rbac.clusterRoleBindings.length !== before.length;
}
