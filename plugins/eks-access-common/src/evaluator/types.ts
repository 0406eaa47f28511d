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

import type { RbacSnapshot } from './rbac';

/**
 * The EKS authentication modes, as `DescribeCluster` reports them in
 * `cluster.accessConfig.authenticationMode` (eks-auth-spec §5.1).
 * @public
 */
export type AuthenticationMode = 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API';

/**
 * One EKS access entry with its associated access policies, as
 * `DescribeAccessEntry` and `ListAssociatedAccessPolicies` return them
 * (eks-auth-spec §5.4, §5.5).
 * @public
 */
export interface AccessEntryInfo {
  /** The IAM principal ARN of the entry, with the role's path when it has one. */
  principalArn: string;
  /** `STANDARD`, `EC2_LINUX`, `EC2_WINDOWS`, `FARGATE_LINUX`, `HYBRID_LINUX`, `EC2`, `HYPERPOD_LINUX`... */
  type: string;
  /** The Kubernetes username (may contain `{{SessionName}}`); EKS fills a default when absent. */
  username?: string;
  kubernetesGroups?: string[];
  /** ISO 8601. */
  createdAt?: string;
  /** ISO 8601. */
  modifiedAt?: string;
  accessPolicies?: {
    policyArn: string;
    accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
  }[];
}

/**
 * The cluster half of an access check: one cluster's access data as the
 * backend read it.
 * @public
 */
export interface ClusterAccessData {
  /** The real EKS cluster name. */
  name: string;
  accountId: string;
  region: string;
  authenticationMode: AuthenticationMode;
  /** `undefined` = could not be read. Ignored in `CONFIG_MAP` mode. */
  accessEntries?: AccessEntryInfo[];
  /** `undefined` = could not be read; `null` = the ConfigMap does not exist. Ignored in `API` mode. */
  awsAuth?: { data: Record<string, string> } | null;
  /** The IAM ARN that created the cluster, when known. */
  creatorArn?: string;
  /** Kubernetes RBAC (ClusterRoles, Roles, bindings); `undefined` = not read. */
  rbac?: RbacSnapshot;
}

/**
 * The caller half of an access check: who calls the cluster.
 * @public
 */
export interface CallerInfo {
  /**
   * As `aws sts get-caller-identity` prints it: IAM user ARN (with path), STS
   * assumed-role ARN, or federated-user ARN. An IAM role ARN is accepted too
   * and treated as "some session of that role".
   */
  arn: string;
  /** The principal's full IAM ARN including its path, when known (iam:GetRole / GetUser). */
  iamArn?: string;
  /** ISO 8601: when the IAM principal was created, when known. */
  principalCreatedAt?: string;
  /** The access key id that signs the token, when known (for `{{AccessKeyID}}`). */
  accessKeyId?: string;
  /**
   * The `UserId` of the STS `GetCallerIdentity` answer, when known. For role
   * sessions it must be `ROLEID:session`, or EKS rejects the caller
   * (`INVALID_CALLER_ARN`); its session part is the one templates use.
   */
  userId?: string;
}

/**
 * Input of {@link evaluateAccess} with raw cluster data.
 * @public
 */
export interface AccessCheckInput {
  caller: CallerInfo;
  cluster: ClusterAccessData;
  /** ISO 8601, for time-based findings. Without it no time-based finding is produced. */
  now?: string;
}

/**
 * Stable codes of the findings the evaluator produces. See the package README
 * for the meaning of each code and the spec section it comes from.
 * @public
 */
export type FindingCode =
  | 'INVALID_CALLER_ARN'
  | 'NOT_MAPPED'
  | 'AWS_AUTH_ROLE_ARN_HAS_PATH'
  | 'AWS_AUTH_SESSION_ARN'
  | 'AWS_AUTH_SSO_SUFFIX_MISMATCH'
  | 'AWS_AUTH_PARSE_ERROR'
  | 'AWS_AUTH_ENTRY_INVALID'
  | 'AWS_AUTH_KEY_CASE'
  | 'AWS_AUTH_IGNORED_IN_API_MODE'
  | 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH'
  | 'ACCESS_ENTRY_NO_PERMISSIONS'
  | 'ACCESS_ENTRY_STALE'
  | 'ACCESS_ENTRY_NOT_STANDARD'
  | 'NO_GROUPS'
  | 'CASE_MISMATCH'
  | 'EC2_PRIVATE_DNS_TEMPLATE'
  | 'CLUSTER_CREATOR'
  | 'RECENT_CHANGE'
  | 'DATA_UNAVAILABLE'
  // Added codes (not in the original contract):
  /** A field of an aws-auth entry has the wrong type (e.g. `groups` is a string) and is ignored. */
  | 'AWS_AUTH_FIELD_TYPE'
  /** A group like `system:bootstrappers - system:nodes`: two list items merged by an indentation slip. */
  | 'AWS_AUTH_MERGED_GROUPS'
  /** Two aws-auth entries for the same ARN: one of them is ignored. */
  | 'AWS_AUTH_DUPLICATE_ARN'
  /** An `sso:` entry: the matcher is an alpha feature, off by default, so EKS ignores it. */
  | 'AWS_AUTH_SSO_MATCHER'
  /** aws-auth text EKS never reads: an earlier value of a repeated key, a field spelled twice, documents after the first. */
  | 'AWS_AUTH_SHADOWED_DATA'
  /** An access entry whose principal ARN can never authenticate (session ARN, path-stripped SSO role, ...). */
  | 'ACCESS_ENTRY_UNMATCHABLE'
  /** Authenticated, but no RBAC binding or access policy grants its username or groups anything: Forbidden. */
  | 'RBAC_NOT_BOUND';

/**
 * One explained observation about an access check, with a fix when it is an
 * error or a warning.
 * @public
 */
export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning' | 'info';
  /** Plain-language explanation for a developer. */
  message: string;
  /** What to do: a one-line summary and the exact commands to copy. */
  fix?: { summary: string; commands: string[] };
}

/**
 * What EKS would do with the caller, and why.
 * @public
 */
export interface AccessVerdict {
  /** `allowed`: authentication succeeds; `denied`: 401 Unauthorized; `unknown`: data missing. */
  decision: 'allowed' | 'denied' | 'unknown';
  via?:
    | 'access-entry'
    | 'aws-auth-role'
    | 'aws-auth-user'
    | 'aws-auth-account'
    | 'cluster-creator';
  /** The caller's canonical ARN, as the authenticator computes it (§3). */
  canonicalArn?: string;
  /** The Kubernetes username, templates rendered (§4.7). */
  username?: string;
  /** The Kubernetes groups, templates rendered (`system:authenticated` is implied). */
  groups?: string[];
  accessPolicies?: AccessEntryInfo['accessPolicies'];
  /** Authenticated, but no group or access policy grants anything: expect 403 Forbidden. */
  expectForbidden?: boolean;
  /** The principal that admitted the caller (aws-auth ARN, access entry principal ARN, account id). */
  matchedPrincipal?: string;
  findings: Finding[];
}
