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

import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  eksClusterRefFromKubernetesCluster,
  EKS_ACCESS_CLUSTER_ARN_ANNOTATION,
  type EksClusterRef,
} from '@eks-access/plugin-eks-access-common';

/**
 * The EKS clusters a Backstage instance already declares for the Kubernetes
 * plugin in `kubernetes.clusterLocatorMethods` of type `config` with
 * `authProvider: aws`. Their cluster entities need no EKS annotation: a
 * `Resource` named like the cluster gets the card, and the cluster is read
 * with the declared `kubernetes.io/aws-assume-role` and
 * `kubernetes.io/aws-external-id`, as the Kubernetes plugin reads it.
 * (Clusters of the `catalog` locator are entities with the Kubernetes
 * plugin's annotations; `getEksClusterRef` reads those.)
 */
export class KubernetesPluginClusters {
  readonly #byName: Map<string, EksClusterRef>;

  static fromConfig(
    config: Config,
    logger?: LoggerService,
  ): KubernetesPluginClusters {
    const byName = new Map<string, EksClusterRef>();
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    for (const method of methods) {
      if (method.getOptionalString('type') !== 'config') {
        continue;
      }
      for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
        const authProvider = cluster.getOptionalString('authProvider');
        if (authProvider !== 'aws') {
          continue;
        }
        const name = cluster.getString('name');
        const ref = eksClusterRefFromKubernetesCluster({
          name,
          url: cluster.getOptionalString('url'),
          authProvider,
          authMetadata: stringRecord(
            cluster.getOptionalConfig('authMetadata')?.get(),
          ),
        });
        if (!ref) {
          logger?.warn(
            `kubernetes.clusterLocatorMethods: cannot tell which EKS cluster "${name}" is (its url is not an EKS endpoint, or no account is given by kubernetes.io/aws-account-id or kubernetes.io/aws-assume-role); add ${EKS_ACCESS_CLUSTER_ARN_ANNOTATION} to its authMetadata`,
          );
          continue;
        }
        byName.set(name.toLocaleLowerCase('en-US'), ref);
      }
    }
    return new KubernetesPluginClusters(byName);
  }

  constructor(byName: Map<string, EksClusterRef> = new Map()) {
    this.#byName = byName;
  }

  /** The declared cluster names, lower-cased, as catalog entity names match them. */
  get names(): string[] {
    return [...this.#byName.keys()];
  }

  /**
   * The declared cluster a catalog entity stands for: a `Resource` whose name
   * is the cluster's name (entity names compare without case).
   */
  clusterRefFor(entity: Entity): EksClusterRef | undefined {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'resource') {
      return undefined;
    }
    return this.#byName.get(entity.metadata.name.toLocaleLowerCase('en-US'));
  }
}

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string') record[key] = v;
    }
  }
  return record;
}
