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

import type { AccessRequestScope } from '@eks-access/plugin-eks-access-common';

/** Tag keys this plugin puts on the access entries it creates. @public */
export const ACCESS_ENTRY_TAGS = {
  managedBy: 'eks-access.io/managed-by',
  requestId: 'eks-access.io/request-id',
} as const;

/** Value of the `eks-access.io/managed-by` tag. @public */
export const MANAGED_BY_VALUE = 'backstage-eks-access';

/** An access entry as the grant flow needs to see it. @public */
export interface GrantAccessEntry {
  principalArn: string;
  type: string;
  kubernetesGroups: string[];
  tags: Record<string, string>;
  accessPolicies: Array<{ policyArn: string; accessScope: AccessRequestScope }>;
}

/**
 * The EKS access-entry writes of one cluster. Implemented over the AWS SDK by
 * {@link EksAccessEntryGrantTarget}; faked in tests.
 * @public
 */
export interface AccessEntryGrantTarget {
  /** The entry with its tags and associated policies, or null when there is none. */
  describeAccessEntry(principalArn: string): Promise<GrantAccessEntry | null>;
  /**
   * Creates a STANDARD entry. Resolves `false` (instead of failing) when the
   * principal already has an entry (ResourceInUseException).
   */
  createAccessEntry(options: {
    principalArn: string;
    tags: Record<string, string>;
  }): Promise<boolean>;
  /** Associates (or re-scopes) a policy; associating again replaces the scope. */
  associateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
    accessScope: AccessRequestScope;
  }): Promise<void>;
  /** Disassociates a policy; resolves when it was not associated. */
  disassociateAccessPolicy(options: {
    principalArn: string;
    policyArn: string;
  }): Promise<void>;
  /** Deletes the entry; resolves when there was none. */
  deleteAccessEntry(principalArn: string): Promise<void>;
}

/** `kube-system/aws-auth` with the version it was read at. @public */
export interface AwsAuthSnapshot {
  data: Record<string, string>;
  resourceVersion: string;
}

/**
 * Raised by {@link AwsAuthConfigMapClient.replace} when the ConfigMap changed
 * since it was read (HTTP 409).
 * @public
 */
export class AwsAuthConflictError extends Error {
  name = 'AwsAuthConflictError';
}

/**
 * Reads and replaces `kube-system/aws-auth` of one cluster with a
 * `resourceVersion` precondition.
 * @public
 */
export interface AwsAuthConfigMapClient {
  /** The ConfigMap, or null when it does not exist. */
  read(): Promise<AwsAuthSnapshot | null>;
  /**
   * Replaces the data if the ConfigMap is still at `resourceVersion`;
   * throws {@link AwsAuthConflictError} otherwise.
   */
  replace(data: Record<string, string>, resourceVersion: string): Promise<void>;
}

/** A cluster a grant is applied to. @public */
export interface GrantCluster {
  entityRef: string;
  arn: string;
  name: string;
  partition: string;
  accountId: string;
  region: string;
}

/**
 * Builds the write clients for a cluster. The lead wires this to the
 * plugin's `ClusterClients` with {@link createSdkGrantTargets}.
 * @public
 */
export interface GrantTargets {
  accessEntries(cluster: GrantCluster): Promise<AccessEntryGrantTarget>;
  awsAuth(cluster: GrantCluster): Promise<AwsAuthConfigMapClient>;
}
