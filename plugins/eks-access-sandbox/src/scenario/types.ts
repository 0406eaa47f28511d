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

/**
 * The sandbox scenario: the AWS world the sandbox serves. This is the parsed
 * form of a scenario YAML file (see the package README for the format).
 *
 * @public
 */
export interface SandboxScenario {
  /** A short name, shown in logs. */
  name?: string;
  /** The partition of every ARN in the scenario. Defaults to `aws`. */
  partition?: string;
  /** The region `RunningSandbox.region` reports. Defaults to the first cluster's region, else `us-east-1`. */
  defaultRegion?: string;
  accounts: ScenarioAccount[];
  iam?: {
    roles?: ScenarioRole[];
    users?: ScenarioUser[];
  };
  clusters?: ScenarioCluster[];
  faults?: SandboxFaults;
  /** IAM Identity Center: served by the `identitystore` and `sso-admin` APIs. */
  identityCenter?: ScenarioIdentityCenter;
}

/**
 * One IAM Identity Center instance with its Identity Store. Permission set
 * roles are not created from this section: list them in `iam.roles` with
 * the path `/aws-reserved/sso.amazonaws.com/[<region>/]`, as IAM shows
 * them, so a re-provisioned set (new suffix) is plain IAM data.
 *
 * @public
 */
export interface ScenarioIdentityCenter {
  /** e.g. `arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f` */
  instanceArn: string;
  /** e.g. `d-9067a1b2c3` */
  identityStoreId: string;
  /** The region the instance lives in; requests signed for another region find no instance. */
  region: string;
  /** The management (or delegated administrator) account; only its principals may call. */
  account: string;
  users?: Array<{
    userName: string;
    email?: string;
    displayName?: string;
  }>;
  groups?: Array<{
    displayName: string;
    /** userNames */
    members?: string[];
  }>;
  permissionSets?: Array<{
    name: string;
    description?: string;
    createdDate?: string;
    /** ISO 8601 duration, e.g. `PT8H`. */
    sessionDuration?: string;
  }>;
  /** Account assignments: a permission set in an account for a user or a group. */
  assignments?: Array<{
    permissionSet: string;
    account: string;
    user?: string;
    group?: string;
  }>;
}

/** @public */
export interface ScenarioAccount {
  id: string;
  name?: string;
}

/**
 * What a principal may call. A statement is either an action pattern such as
 * `eks:Describe*`, or an object with action and resource patterns (`*` is a
 * wildcard). When `permissions` is absent the principal may call everything.
 *
 * @public
 */
export type ScenarioPermission =
  | string
  | { action: string | string[]; resource?: string | string[] };

/** @public */
export interface ScenarioRole {
  /** Full IAM ARN including the path, e.g. `arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_X_0123456789abcdef`. */
  arn: string;
  /** ISO date; defaults to 2024-01-01T00:00:00Z. */
  createDate?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
  /**
   * Principals (IAM ARNs, or 12-digit account IDs meaning every principal of that account, or `*`)
   * this role trusts for sts:AssumeRole. Defaults to the role's own account.
   */
  trustedPrincipals?: string[];
  permissions?: ScenarioPermission[];
  /** Documentation only: the role existed once and was deleted (never served by IAM). */
  deleted?: boolean;
}

/** @public */
export interface ScenarioAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** @public */
export interface ScenarioUser {
  arn: string;
  createDate?: string;
  tags?: Record<string, string>;
  /** Long-term keys. When absent, deterministic keys are derived from the ARN (see `credentialsFor`). */
  accessKeys?: ScenarioAccessKey[];
  permissions?: ScenarioPermission[];
}

/** @public */
export type AuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';

/** @public */
export interface ScenarioAccessScope {
  type: 'cluster' | 'namespace';
  namespaces?: string[];
}

/** @public */
export interface ScenarioPolicyAssociation {
  /** A policy name (`AmazonEKSViewPolicy`) or its full ARN. */
  policy: string;
  scope?: ScenarioAccessScope;
  associatedAt?: string;
}

/** @public */
export interface ScenarioAccessEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  tags?: Record<string, string>;
  createdAt?: string;
  modifiedAt?: string;
  policies?: ScenarioPolicyAssociation[];
}

/** @public */
export interface ScenarioRbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

/** @public */
export interface ScenarioPolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** @public */
export interface ScenarioRbac {
  clusterRoles?: { name: string; rules: ScenarioPolicyRule[] }[];
  roles?: { name: string; namespace: string; rules: ScenarioPolicyRule[] }[];
  clusterRoleBindings?: {
    name: string;
    roleRef: { kind?: 'ClusterRole'; name: string };
    subjects: ScenarioRbacSubject[];
  }[];
  roleBindings?: {
    name: string;
    namespace: string;
    roleRef: { kind?: 'ClusterRole' | 'Role'; name: string };
    subjects: ScenarioRbacSubject[];
  }[];
}

/** @public */
export interface ScenarioCluster {
  name: string;
  account: string;
  region: string;
  authenticationMode?: AuthenticationMode;
  bootstrapClusterCreatorAdminPermissions?: boolean;
  /** The IAM ARN (role with path, or user) that created the cluster. */
  creator?: string;
  version?: string;
  platformVersion?: string;
  status?: string;
  createdAt?: string;
  tags?: Record<string, string>;
  accessEntries?: ScenarioAccessEntry[];
  /** The kube-system/aws-auth ConfigMap data; `null`/absent means the ConfigMap does not exist. */
  awsAuth?: { data: Record<string, string> } | null;
  namespaces?: string[];
  rbac?: ScenarioRbac;
  /** Control-plane log types turned on, e.g. `[authenticator]` (see `logging.clusterLogging`). */
  logging?: string[];
}

/**
 * Faults the sandbox injects. Set in the scenario's `faults` section, or at
 * run time with `setFaults` / `PUT /__sandbox/faults`.
 *
 * @public
 */
export interface SandboxFaults {
  rules?: FaultRule[];
  /** Clusters (by name, or `account/region/name`) whose Kubernetes API cannot be reached. */
  unreachableClusters?: string[];
  /** How an unreachable Kubernetes API behaves: `reset` (default) closes every connection at once, `hang` never answers. */
  unreachableMode?: 'reset' | 'hang';
  /** Milliseconds before an access-entry change is seen by the cluster's authenticator. */
  accessEntryPropagationDelayMs?: number;
  /** Milliseconds an UpdateClusterConfig update stays InProgress (another update meanwhile: ResourceInUseException). */
  clusterUpdateDurationMs?: number;
}

/**
 * The services the sandbox serves, as fault rules and call counters name
 * them (`k8s`: the clusters' Kubernetes APIs).
 *
 * @public
 */
export type SandboxService =
  | 'eks'
  | 'sts'
  | 'iam'
  | 'k8s'
  | 'identitystore'
  | 'sso'
  | 'logs'
  | 'cloudtrail';

/**
 * One fault rule. Every filter that is set must match the request.
 *
 * @public
 */
export interface FaultRule {
  service?: SandboxService;
  operation?: string;
  account?: string;
  cluster?: string;
  latency?: { fixedMs?: number; jitterMs?: number };
  /** Token bucket per rule and account; an empty bucket answers ThrottlingException / Throttling / 429. */
  throttle?: { ratePerSecond: number; burst?: number };
  /** Probability 0..1 of answering a server error. */
  errorRate?: number;
  errorStatus?: 500 | 503;
}
