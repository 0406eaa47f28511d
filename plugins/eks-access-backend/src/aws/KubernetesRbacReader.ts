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
 * Reads a cluster's RBAC (ClusterRoles, Roles and their bindings) so the
 * evaluator can tell "signs in" from "can do something". Backstage's
 * cluster role already has list rights on these (see the README).
 */

import * as k8s from '@kubernetes/client-node';
import type { RbacSnapshot } from '@eks-access/plugin-eks-access-common';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import { ClusterClients } from './ClusterClients';
import type { DescribedCluster } from './EksApiSources';
import { withTimeout } from './withTimeout';

/** Reads a cluster's RBAC objects. */
export interface RbacReader {
  readRbac(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<RbacSnapshot>;
}

type Rule = {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
};

function rules(list: Rule[] | undefined) {
  return (list ?? []).map(r => ({
    ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
    ...(r.resources ? { resources: r.resources } : {}),
    verbs: r.verbs,
    ...(r.nonResourceURLs ? { nonResourceURLs: r.nonResourceURLs } : {}),
  }));
}

/** {@link RbacReader} over the cluster's Kubernetes API. */
export class KubernetesRbacReader implements RbacReader {
  readonly #clients: ClusterClients;
  readonly #timeoutMs: number;

  constructor(clients: ClusterClients, options: { timeoutMs: number }) {
    this.#clients = clients;
    this.#timeoutMs = options.timeoutMs;
  }

  async readRbac(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<RbacSnapshot> {
    if (!described.endpoint) {
      throw new Error(
        `DescribeCluster returned no endpoint for ${cluster.name}`,
      );
    }
    const api = await this.#clients.kubernetesApi(
      {
        ...cluster,
        endpoint: described.endpoint,
        certificateAuthorityData: described.certificateAuthorityData,
      },
      k8s.RbacAuthorizationV1Api,
    );
    const timed = <T>(p: Promise<T>, what: string) =>
      withTimeout(p, this.#timeoutMs, `listing ${what} on ${cluster.name}`);
    const [clusterRoles, roles, clusterBindings, bindings] = await Promise.all([
      timed(api.listClusterRole(), 'ClusterRoles'),
      // Roles are optional: a binding to a Role we cannot see never makes
      // the summary say Forbidden (see summarizePermissions).
      timed(api.listRoleForAllNamespaces(), 'Roles').catch(() => ({
        items: [] as k8s.V1Role[],
      })),
      timed(api.listClusterRoleBinding(), 'ClusterRoleBindings'),
      timed(api.listRoleBindingForAllNamespaces(), 'RoleBindings'),
    ]);
    return {
      roles: [
        ...clusterRoles.items.map(r => ({
          name: r.metadata?.name ?? '',
          rules: rules(r.rules),
        })),
        ...roles.items.map(r => ({
          name: r.metadata?.name ?? '',
          namespace: r.metadata?.namespace,
          rules: rules(r.rules),
        })),
      ],
      bindings: [
        ...clusterBindings.items.map(b => ({
          name: b.metadata?.name ?? '',
          roleRef: { kind: 'ClusterRole' as const, name: b.roleRef.name },
          subjects: (b.subjects ?? []).map(s => ({
            kind: s.kind,
            name: s.name,
          })),
        })),
        ...bindings.items.map(b => ({
          name: b.metadata?.name ?? '',
          namespace: b.metadata?.namespace,
          roleRef: {
            kind:
              b.roleRef.kind === 'Role'
                ? ('Role' as const)
                : ('ClusterRole' as const),
            name: b.roleRef.name,
          },
          subjects: (b.subjects ?? []).map(s => ({
            kind: s.kind,
            name: s.name,
          })),
        })),
      ],
    };
  }
}
