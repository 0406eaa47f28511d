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
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DisassociateAccessPolicyCommand,
  type EKSClient,
  ListAssociatedAccessPoliciesCommand,
} from '@aws-sdk/client-eks';
import type { AccessRequestScope } from '@eks-access/plugin-eks-access-common';
import type { CoreV1Api } from '@kubernetes/client-node';
import {
  type AccessEntryGrantTarget,
  type AwsAuthConfigMapClient,
  AwsAuthConflictError,
  type AwsAuthSnapshot,
  type GrantAccessEntry,
  type GrantCluster,
  type GrantTargets,
} from './grantTargets';
import type { KubernetesTarget } from '../aws/ClusterClients';

function errorName(error: unknown): string | undefined {
  return (error as { name?: string })?.name;
}

function toScope(scope: {
  type?: string;
  namespaces?: string[];
}): AccessRequestScope {
  return scope.type === 'namespace'
    ? { type: 'namespace', namespaces: scope.namespaces ?? [] }
    : { type: 'cluster' };
}

/**
 * {@link AccessEntryGrantTarget} over the EKS API (AWS SDK v3).
 * @public
 */
export class EksAccessEntryGrantTarget implements AccessEntryGrantTarget {
  readonly #eks: EKSClient;
  readonly #clusterName: string;

  constructor(eks: EKSClient, clusterName: string) {
    this.#eks = eks;
    this.#clusterName = clusterName;
  }

  async describeAccessEntry(
    principalArn: string,
  ): Promise<GrantAccessEntry | null> {
    let entry;
    try {
      ({ accessEntry: entry } = await this.#eks.send(
        new DescribeAccessEntryCommand({
          clusterName: this.#clusterName,
          principalArn,
        }),
      ));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        return null;
      }
      throw error;
    }
    const accessPolicies: GrantAccessEntry['accessPolicies'] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#eks.send(
        new ListAssociatedAccessPoliciesCommand({
          clusterName: this.#clusterName,
          principalArn,
          nextToken,
        }),
      );
      for (const policy of page.associatedAccessPolicies ?? []) {
        accessPolicies.push({
          policyArn: policy.policyArn!,
          accessScope: toScope(policy.accessScope ?? {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return {
      principalArn: entry?.principalArn ?? principalArn,
      type: entry?.type ?? 'STANDARD',
      kubernetesGroups: entry?.kubernetesGroups ?? [],
      tags: entry?.tags ?? {},
      accessPolicies,
    };
  }

  async createAccessEntry(options: {
    principalArn: string;
    tags: Record<string, string>;
  }): Promise<boolean> {
    try {
      await this.#eks.send(
        new CreateAccessEntryCommand({
          clusterName: this.#clusterName,
          principalArn: options.principalArn,
          type: 'STANDARD',
          tags: options.tags,
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') {
        return false;
      }
      throw error;
    }
  }

  async associateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
    accessScope: AccessRequestScope;
  }): Promise<void> {
    await this.#eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: this.#clusterName,
        principalArn: options.principalArn,
        policyArn: options.policyArn,
        accessScope:
          options.accessScope.type === 'cluster'
            ? { type: 'cluster' }
            : { type: 'namespace', namespaces: options.accessScope.namespaces },
      }),
    );
  }

  async disassociateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
  }): Promise<void> {
    try {
      await this.#eks.send(
        new DisassociateAccessPolicyCommand({
          clusterName: this.#clusterName,
          principalArn: options.principalArn,
          policyArn: options.policyArn,
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') {
        throw error;
      }
    }
  }

  async deleteAccessEntry(principalArn: string): Promise<void> {
    try {
      await this.#eks.send(
        new DeleteAccessEntryCommand({
          clusterName: this.#clusterName,
          principalArn,
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') {
        throw error;
      }
    }
  }
}

/**
 * {@link AwsAuthConfigMapClient} over a cluster's Kubernetes API
 * (`@kubernetes/client-node` CoreV1Api).
 * @public
 */
export class KubernetesAwsAuthConfigMapClient
  implements AwsAuthConfigMapClient
{
  readonly #core: CoreV1Api;

  constructor(core: CoreV1Api) {
    this.#core = core;
  }

  async read(): Promise<AwsAuthSnapshot | null> {
    try {
      const configMap = await this.#core.readNamespacedConfigMap({
        name: 'aws-auth',
        namespace: 'kube-system',
      });
      return {
        data: configMap.data ?? {},
        resourceVersion: configMap.metadata?.resourceVersion ?? '',
      };
    } catch (error) {
      if ((error as { code?: number }).code === 404) {
        return null;
      }
      throw error;
    }
  }

  async replace(
    data: Record<string, string>,
    resourceVersion: string,
  ): Promise<void> {
    try {
      await this.#core.replaceNamespacedConfigMap({
        name: 'aws-auth',
        namespace: 'kube-system',
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'aws-auth',
            namespace: 'kube-system',
            resourceVersion,
          },
          data,
        },
      });
    } catch (error) {
      if ((error as { code?: number }).code === 409) {
        throw new AwsAuthConflictError(
          `aws-auth changed since it was read (resourceVersion ${resourceVersion})`,
        );
      }
      throw error;
    }
  }
}

/**
 * What {@link createSdkGrantTargets} needs from the plugin's cluster clients
 * (`ClusterClients` and `EksApiSources` satisfy it).
 * @public
 */
export interface GrantClusterClients {
  eks(target: { accountId: string; region: string }): EKSClient;
  kubernetesCoreApi(target: KubernetesTarget): Promise<CoreV1Api>;
}

/** Reads a cluster's API endpoint and CA (DescribeCluster). @public */
export interface GrantClusterDescriber {
  describeCluster(cluster: GrantCluster): Promise<{
    endpoint?: string;
    certificateAuthorityData?: string;
  }>;
}

/**
 * {@link GrantTargets} over the real AWS SDK and Kubernetes clients.
 * @public
 */
export function createSdkGrantTargets(options: {
  clients: GrantClusterClients;
  describer: GrantClusterDescriber;
}): GrantTargets {
  // Writes use Backstage's own credentials for the account, never a
  // cluster's read role (`kubernetes.io/aws-assume-role`): that role is the
  // Kubernetes plugin's, and is usually read-only.
  const own = <T extends object>(cluster: T): T => ({
    ...cluster,
    assumeRole: undefined,
  });
  return {
    async accessEntries(target) {
      const cluster = own(target);
      return new EksAccessEntryGrantTarget(
        options.clients.eks(cluster),
        cluster.name,
      );
    },
    async awsAuth(target) {
      const cluster = own(target);
      const described = await options.describer.describeCluster(cluster);
      if (!described.endpoint) {
        throw new Error(
          `DescribeCluster returned no endpoint for ${cluster.name}`,
        );
      }
      const core = await options.clients.kubernetesCoreApi({
        ...cluster,
        endpoint: described.endpoint,
        certificateAuthorityData: described.certificateAuthorityData,
      });
      return new KubernetesAwsAuthConfigMapClient(core);
    },
  };
}
