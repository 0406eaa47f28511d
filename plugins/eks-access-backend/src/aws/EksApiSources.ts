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

import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  paginateListAccessEntries,
  paginateListAssociatedAccessPolicies,
} from '@aws-sdk/client-eks';
import type {
  AccessEntryInfo,
  AuthenticationMode,
  EksClusterRef,
} from '@eks-access/plugin-eks-access-common';
import { ClusterClients } from './ClusterClients';

/** What DescribeCluster tells us about a cluster. */
export interface DescribedCluster {
  authenticationMode?: AuthenticationMode;
  status?: string;
  endpoint?: string;
  /** Base64 of the PEM CA bundle. */
  certificateAuthorityData?: string;
  tags: Record<string, string>;
  /** Whether the control plane sends its `authenticator` log to CloudWatch Logs. */
  authenticatorLogging?: boolean;
  /** When the cluster was created (ISO 8601): bounds the CloudTrail lookup for its creator. */
  createdAt?: string;
}

/** Reads a cluster's description (DescribeCluster). */
export interface ClusterDescriber {
  describeCluster(cluster: EksClusterRef): Promise<DescribedCluster>;
}

/** Reads a cluster's access entries. */
export interface AccessEntrySource {
  /** Every access entry's principal ARN (all pages). */
  listAccessEntries(cluster: EksClusterRef): Promise<string[]>;
  /** One entry with its associated access policies (all pages). */
  describeAccessEntry(
    cluster: EksClusterRef,
    principalArn: string,
  ): Promise<AccessEntryInfo>;
}

export function toIso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** {@link ClusterDescriber} and {@link AccessEntrySource} over the EKS API. */
export class EksApiSources implements ClusterDescriber, AccessEntrySource {
  readonly #clients: ClusterClients;

  constructor(clients: ClusterClients) {
    this.#clients = clients;
  }

  async describeCluster(cluster: EksClusterRef): Promise<DescribedCluster> {
    const { cluster: described } = await this.#clients
      .eks(cluster)
      .send(new DescribeClusterCommand({ name: cluster.name }));
    return {
      authenticationMode: described?.accessConfig?.authenticationMode as
        | AuthenticationMode
        | undefined,
      status: described?.status,
      endpoint: described?.endpoint,
      certificateAuthorityData: described?.certificateAuthority?.data,
      tags: described?.tags ?? {},
      authenticatorLogging: (described?.logging?.clusterLogging ?? []).some(
        setup => setup.enabled && setup.types?.includes('authenticator'),
      ),
      ...(described?.createdAt
        ? { createdAt: described.createdAt.toISOString() }
        : {}),
    };
  }

  async listAccessEntries(cluster: EksClusterRef): Promise<string[]> {
    const principals: string[] = [];
    for await (const page of paginateListAccessEntries(
      { client: this.#clients.eks(cluster), pageSize: 100 },
      { clusterName: cluster.name },
    )) {
      principals.push(...(page.accessEntries ?? []));
    }
    return principals;
  }

  async describeAccessEntry(
    cluster: EksClusterRef,
    principalArn: string,
  ): Promise<AccessEntryInfo> {
    const client = this.#clients.eks(cluster);
    const { accessEntry } = await client.send(
      new DescribeAccessEntryCommand({
        clusterName: cluster.name,
        principalArn,
      }),
    );
    const accessPolicies: NonNullable<AccessEntryInfo['accessPolicies']> = [];
    for await (const page of paginateListAssociatedAccessPolicies(
      { client, pageSize: 100 },
      { clusterName: cluster.name, principalArn },
    )) {
      for (const policy of page.associatedAccessPolicies ?? []) {
        if (!policy.policyArn) {
          continue;
        }
        accessPolicies.push({
          policyArn: policy.policyArn,
          accessScope: {
            type:
              policy.accessScope?.type === 'namespace'
                ? 'namespace'
                : 'cluster',
            ...(policy.accessScope?.namespaces?.length
              ? { namespaces: policy.accessScope.namespaces }
              : {}),
          },
        });
      }
    }
    return {
      principalArn: accessEntry?.principalArn ?? principalArn,
      type: accessEntry?.type ?? 'STANDARD',
      username: accessEntry?.username,
      kubernetesGroups: accessEntry?.kubernetesGroups ?? [],
      createdAt: toIso(accessEntry?.createdAt),
      modifiedAt: toIso(accessEntry?.modifiedAt),
      accessPolicies,
    };
  }
}
