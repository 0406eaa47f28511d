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

import type {
  AccessRequestScope,
  AuthenticationMode,
  ClusterAccessData,
} from '@eks-access/plugin-eks-access-common';
import type { ClusterAccessDataSource } from '../requests/GrantReconciler';
import {
  type AccessEntryGrantTarget,
  type AwsAuthConfigMapClient,
  AwsAuthConflictError,
  type GrantAccessEntry,
  type GrantTargets,
} from '../requests/grantTargets';

/**
 * In-memory EKS access entries and aws-auth of one cluster, with the
 * semantics the grant flow relies on (ResourceInUse on a second create,
 * association replaces the scope, resourceVersion preconditions). For tests.
 */
export class InMemoryCluster
  implements AccessEntryGrantTarget, AwsAuthConfigMapClient
{
  mode: AuthenticationMode;
  readonly entries = new Map<
    string,
    {
      type: string;
      tags: Record<string, string>;
      kubernetesGroups: string[];
      policies: Map<string, AccessRequestScope>;
    }
  >();
  awsAuth: { data: Record<string, string>; resourceVersion: number } | null;
  readonly calls: string[] = [];
  /** Called before each aws-auth replace; may change the data (a concurrent writer). */
  beforeReplace?: () => void;
  /** Throws instead of associating, once (a crash between the two steps). */
  crashOnNextAssociate = false;

  constructor(options: {
    mode: AuthenticationMode;
    awsAuth?: Record<string, string> | null;
  }) {
    this.mode = options.mode;
    this.awsAuth =
      options.awsAuth === null
        ? null
        : { data: options.awsAuth ?? {}, resourceVersion: 1 };
  }

  addEntry(
    principalArn: string,
    policies: Record<string, AccessRequestScope> = {},
    tags: Record<string, string> = {},
  ) {
    this.entries.set(principalArn, {
      type: 'STANDARD',
      tags,
      kubernetesGroups: [],
      policies: new Map(Object.entries(policies)),
    });
  }

  async describeAccessEntry(
    principalArn: string,
  ): Promise<GrantAccessEntry | null> {
    this.calls.push(`DescribeAccessEntry ${principalArn}`);
    const entry = this.entries.get(principalArn);
    return entry
      ? {
          principalArn,
          type: entry.type,
          tags: { ...entry.tags },
          kubernetesGroups: [...entry.kubernetesGroups],
          accessPolicies: [...entry.policies].map(
            ([policyArn, accessScope]) => ({ policyArn, accessScope }),
          ),
        }
      : null;
  }

  async createAccessEntry(options: {
    principalArn: string;
    tags: Record<string, string>;
  }) {
    this.calls.push(`CreateAccessEntry ${options.principalArn}`);
    if (this.entries.has(options.principalArn)) {
      return false;
    }
    this.addEntry(options.principalArn, {}, options.tags);
    return true;
  }

  async associateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
    accessScope: AccessRequestScope;
  }) {
    if (this.crashOnNextAssociate) {
      this.crashOnNextAssociate = false;
      throw new Error('simulated crash');
    }
    this.calls.push(
      `AssociateAccessPolicy ${options.policyArn} ${JSON.stringify(
        options.accessScope,
      )}`,
    );
    const entry = this.entries.get(options.principalArn);
    if (!entry) {
      throw Object.assign(new Error('no entry'), {
        name: 'ResourceNotFoundException',
      });
    }
    entry.policies.set(options.policyArn, options.accessScope);
  }

  async disassociateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
  }) {
    this.calls.push(`DisassociateAccessPolicy ${options.policyArn}`);
    this.entries.get(options.principalArn)?.policies.delete(options.policyArn);
  }

  async deleteAccessEntry(principalArn: string) {
    this.calls.push(`DeleteAccessEntry ${principalArn}`);
    this.entries.delete(principalArn);
  }

  async read() {
    return this.awsAuth
      ? {
          data: { ...this.awsAuth.data },
          resourceVersion: String(this.awsAuth.resourceVersion),
        }
      : null;
  }

  async replace(data: Record<string, string>, resourceVersion: string) {
    this.beforeReplace?.();
    if (
      !this.awsAuth ||
      String(this.awsAuth.resourceVersion) !== resourceVersion
    ) {
      this.calls.push('ReplaceConfigMap 409');
      throw new AwsAuthConflictError('conflict');
    }
    this.calls.push('ReplaceConfigMap');
    this.awsAuth = {
      data: { ...data },
      resourceVersion: this.awsAuth.resourceVersion + 1,
    };
  }

  /** Someone else edits aws-auth. */
  externalEdit(data: Record<string, string>) {
    this.awsAuth = {
      data,
      resourceVersion: (this.awsAuth?.resourceVersion ?? 0) + 1,
    };
  }

  accessData(cluster: {
    name: string;
    accountId: string;
    region: string;
  }): ClusterAccessData {
    return {
      ...cluster,
      authenticationMode: this.mode,
      accessEntries:
        this.mode === 'CONFIG_MAP'
          ? undefined
          : [...this.entries].map(([principalArn, e]) => ({
              principalArn,
              type: e.type,
              kubernetesGroups: e.kubernetesGroups,
              accessPolicies: [...e.policies].map(
                ([policyArn, accessScope]) => ({
                  policyArn,
                  accessScope:
                    accessScope.type === 'cluster'
                      ? { type: 'cluster' as const }
                      : {
                          type: 'namespace' as const,
                          namespaces: accessScope.namespaces,
                        },
                }),
              ),
            })),
      awsAuth: this.awsAuth ? { data: this.awsAuth.data } : null,
    };
  }
}

/** Grant targets and a data source over in-memory clusters keyed by ARN. */
export function inMemoryGrantWorld(clusters: Record<string, InMemoryCluster>): {
  targets: GrantTargets;
  source: ClusterAccessDataSource;
} {
  const get = (arn: string) => {
    const cluster = clusters[arn];
    if (!cluster) throw new Error(`no in-memory cluster ${arn}`);
    return cluster;
  };
  return {
    targets: {
      accessEntries: async c => get(c.arn),
      awsAuth: async c => get(c.arn),
    },
    source: {
      async readFresh(c) {
        const cluster = get(c.arn);
        return {
          authenticationMode: cluster.mode,
          data: cluster.accessData(c),
        };
      },
    },
  };
}
