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

import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import { ClusterClients } from './ClusterClients';
import type { DescribedCluster } from './EksApiSources';
import { withTimeout } from './withTimeout';

/** The aws-auth ConfigMap as a snapshot keeps it. */
export interface AwsAuthConfigMap {
  data: Record<string, string>;
  resourceVersion?: string;
}

/** Reads `kube-system/aws-auth`. */
export interface AwsAuthReader {
  /**
   * The ConfigMap data and its resourceVersion (what a re-read compares to
   * reuse the parsed data), or `null` when the ConfigMap does not exist.
   */
  readAwsAuth(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<AwsAuthConfigMap | null>;
}

/** {@link AwsAuthReader} over the cluster's Kubernetes API. */
export class KubernetesAwsAuthReader implements AwsAuthReader {
  readonly #clients: ClusterClients;
  readonly #timeoutMs: number;

  constructor(clients: ClusterClients, options: { timeoutMs: number }) {
    this.#clients = clients;
    this.#timeoutMs = options.timeoutMs;
  }

  async readAwsAuth(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<AwsAuthConfigMap | null> {
    if (!described.endpoint) {
      throw new Error(
        `DescribeCluster returned no endpoint for ${cluster.name}`,
      );
    }
    const target = {
      ...cluster,
      endpoint: described.endpoint,
      certificateAuthorityData: described.certificateAuthorityData,
    };
    const core = await this.#clients.kubernetesCoreApi(target);
    try {
      const configMap = await withTimeout(
        core.readNamespacedConfigMap({
          name: 'aws-auth',
          namespace: 'kube-system',
        }),
        this.#timeoutMs,
        `reading aws-auth on ${cluster.name}`,
      );
      const resourceVersion = configMap.metadata?.resourceVersion;
      return {
        data: configMap.data ?? {},
        ...(resourceVersion ? { resourceVersion } : {}),
      };
    } catch (error) {
      const status = (error as { code?: unknown }).code;
      if (status === 404) {
        return null;
      }
      if (status === 401) {
        this.#clients.forgetToken(cluster);
      }
      throw error;
    }
  }
}
