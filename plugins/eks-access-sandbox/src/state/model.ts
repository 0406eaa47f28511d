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
  AuthenticationMode,
  ScenarioPermission,
  ScenarioRbac,
} from '../scenario/types';
import { ClusterCertificates } from '../kube/clusterCertificates';

/** An IAM role or user the sandbox's IAM knows. */
export interface IamPrincipal {
  kind: 'role' | 'user';
  arn: string;
  account: string;
  name: string;
  path: string;
  /** `AROA…` / `AIDA…`, derived from ARN and creation date, so a recreated principal gets a new id. */
  id: string;
  createDate: Date;
  tags: Record<string, string>;
  description?: string;
  maxSessionDuration: number;
  trustedPrincipals: string[];
  permissions?: ScenarioPermission[];
}

/** An access key the sandbox accepts. */
export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  /** The IAM user or role the key belongs to. */
  principalArn: string;
  session?: {
    sessionToken: string;
    sessionName: string;
    expiration: string;
  };
}

/**
 * @public
 */
export interface AssociatedPolicyState {
  policyArn: string;
  accessScope: { type: string; namespaces: string[] };
  associatedAt: number;
  modifiedAt: number;
}

/**
 * An access entry as EKS stores it (timestamps in epoch seconds).
 *
 * @public
 */
export interface AccessEntryState {
  clusterName: string;
  principalArn: string;
  /** The unique id of the IAM principal when the entry was created (never returned by EKS). */
  principalId?: string;
  type: string;
  username: string;
  kubernetesGroups: string[];
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  accessEntryArn: string;
  associatedPolicies: AssociatedPolicyState[];
}

/**
 * A ConfigMap as the Kubernetes API stores it.
 *
 * @public
 */
export interface ConfigMapState {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  /** When the sandbox last wrote it (rendered as managedFields time). */
  updatedAt?: string;
  /** metadata.annotations (kubectl apply's last-applied-configuration). */
  annotations?: Record<string, string>;
  data: Record<string, string>;
}

/** A pending change to what the cluster's authenticator sees. */
export interface PendingAuthenticatorChange {
  visibleAt: number;
  principalArn: string;
  entry: AccessEntryState | null;
}

/** One cluster: the EKS side and its Kubernetes API. */
export interface ClusterState {
  key: string;
  name: string;
  account: string;
  region: string;
  arn: string;
  authenticationMode: AuthenticationMode;
  bootstrapClusterCreatorAdminPermissions: boolean;
  creator?: string;
  version: string;
  platformVersion: string;
  status: string;
  createdAt: number;
  tags: Record<string, string>;
  accessEntries: Map<string, AccessEntryState>;
  awsAuth: ConfigMapState | null;
  namespaces: string[];
  rbac: Required<ScenarioRbac>;
  resourceVersion: number;
  certificates: ClusterCertificates;
  /** `https://host:port`, set once the Kubernetes API listens. */
  endpoint?: string;
  /** Access entries as the authenticator sees them (lags behind by the propagation delay). */
  authenticatorEntries: Map<string, AccessEntryState>;
  pendingAuthenticatorChanges: PendingAuthenticatorChange[];
  /** Control-plane log types sent to CloudWatch Logs (`logging.clusterLogging`). */
  enabledLogTypes?: string[];
}
