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

import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Approval authority from the cluster's own AWS tags: a tag (e.g. `owner`)
 * names the group whose members may approve requests for the cluster. The
 * tag lives on the EKS cluster in AWS, where requesters cannot write (unless
 * they hold `eks:TagResource` on it), unlike the catalog. See the backend
 * README's trust model.
 * @public
 */
export interface ClusterTagApprovers {
  /** The group the cluster's owner tag names, as an entity ref, if any. */
  ownerGroupOf(clusterArn: string): Promise<string | undefined>;
  /** The clusters (of `clusterArns`) whose owner tag names one of the user's groups. */
  approvableArns(
    clusterArns: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>>;
}

/**
 * {@link ClusterTagApprovers} over DescribeCluster's tags (read through the
 * shared snapshot cache) and the user's ownership refs. A tag value
 * `team-data` names `group:default/team-data`; a full ref
 * (`group:platform/team-data`) is taken as it is.
 * @public
 */
export function awsOwnerTagApprovers(options: {
  /** The tag key, e.g. `owner`. */
  tagKey: string;
  /** The cluster's AWS tags, or undefined when it cannot be described. */
  tagsOf(clusterArn: string): Promise<Record<string, string> | undefined>;
  /** The user's ownership entity refs (`userInfo`). */
  ownershipOf(credentials: BackstageCredentials): Promise<string[]>;
}): ClusterTagApprovers {
  const lower = (s: string) => s.toLocaleLowerCase('en-US');
  async function ownerGroupOf(clusterArn: string) {
    const value = (await options.tagsOf(clusterArn).catch(() => undefined))?.[
      options.tagKey
    ]?.trim();
    if (!value) {
      return undefined;
    }
    try {
      return lower(
        stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        ),
      );
    } catch {
      return undefined;
    }
  }
  return {
    ownerGroupOf,
    async approvableArns(clusterArns, credentials) {
      const unique = [...new Set(clusterArns)];
      if (unique.length === 0) {
        return new Set();
      }
      const claims = new Set(
        (await options.ownershipOf(credentials)).map(lower),
      );
      const owners = await Promise.all(unique.map(ownerGroupOf));
      return new Set(
        unique.filter((_, i) => {
          const group = owners[i];
          // the tag names a group; any other kind gives no authority
          return !!group && group.startsWith('group:') && claims.has(group);
        }),
      );
    },
  };
}
