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

import { SandboxState } from './SandboxState';
import { AccessEntryState, ClusterState } from './model';

/**
 * A snapshot of one cluster for test assertions.
 *
 * @public
 */
export interface SandboxClusterView {
  name: string;
  account: string;
  region: string;
  arn: string;
  authenticationMode: string;
  bootstrapClusterCreatorAdminPermissions: boolean;
  creator?: string;
  /** The Kubernetes API endpoint, `https://127.0.0.1:<port>`. */
  endpoint?: string;
  /** PEM of the cluster CA (DescribeCluster returns it base64-encoded). */
  caCertPem: string;
  accessEntries: AccessEntryState[];
  /** The kube-system/aws-auth ConfigMap, or null when absent. */
  awsAuth: { data: Record<string, string>; resourceVersion: string } | null;
}

/**
 * A principal the sandbox's IAM knows.
 *
 * @public
 */
export interface SandboxPrincipalView {
  kind: 'role' | 'user';
  arn: string;
  account: string;
  name: string;
  path: string;
  id: string;
  createDate: string;
}

/**
 * Read-only view of the sandbox state for test assertions. Every call returns a fresh copy.
 *
 * @public
 */
export interface SandboxStateView {
  getCluster(
    name: string,
    region?: string,
    account?: string,
  ): SandboxClusterView | undefined;
  listClusters(): SandboxClusterView[];
  principals(): SandboxPrincipalView[];
}

function clusterView(cluster: ClusterState): SandboxClusterView {
  return structuredClone({
    name: cluster.name,
    account: cluster.account,
    region: cluster.region,
    arn: cluster.arn,
    authenticationMode: cluster.authenticationMode,
    bootstrapClusterCreatorAdminPermissions:
      cluster.bootstrapClusterCreatorAdminPermissions,
    creator: cluster.creator,
    endpoint: cluster.endpoint,
    caCertPem: cluster.certificates.caCertPem,
    accessEntries: [...cluster.accessEntries.values()],
    awsAuth: cluster.awsAuth
      ? {
          data: cluster.awsAuth.data,
          resourceVersion: cluster.awsAuth.resourceVersion,
        }
      : null,
  });
}

export function createStateView(state: SandboxState): SandboxStateView {
  return {
    getCluster(name, region, account) {
      const cluster = state.lookupCluster(name, region, account);
      return cluster ? clusterView(cluster) : undefined;
    },
    listClusters() {
      return [...state.clusters.values()].map(clusterView);
    },
    principals() {
      return [...state.principals.values()].map(p => ({
        kind: p.kind,
        arn: p.arn,
        account: p.account,
        name: p.name,
        path: p.path,
        id: p.id,
        createDate: p.createDate.toISOString(),
      }));
    },
  };
}
