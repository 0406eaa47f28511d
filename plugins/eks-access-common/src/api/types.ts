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

/*
 * The JSON shapes of the EKS Access backend's HTTP API. The backend produces
 * them and the frontend client consumes them; keeping them here means a
 * change on one side is a type error on the other.
 */

import type {
  AccessVerdict,
  AuthenticationMode,
  Finding,
  IdentityDiagnosis,
  KubeconfigGuidance,
} from '../evaluator';

/** Where a resolved identity came from. @public */
export type IdentitySource =
  | 'annotation'
  | 'template'
  | 'pasted'
  | 'identity-center'
  | 'verified';

/**
 * One IAM identity a developer acts as, resolved from the catalog, config
 * templates or pasted by the developer.
 * @public
 */
export interface ResolvedIdentity {
  /** The ARN EKS sees, as `aws sts get-caller-identity` prints it (assumed-role session ARN for roles). */
  callerArn: string;
  /** The IAM principal (role or user ARN, with its path when known). */
  principalArn: string;
  /**
   * The STS `UserId` when the identity came with a real STS answer (pasted
   * `aws sts get-caller-identity` output, a verified kubectl token). The
   * evaluator then checks its shape as the authenticator does.
   */
  userId?: string;
  /** For roles: the session name used to build `callerArn`. */
  sessionName?: string;
  source: IdentitySource;
  /** A short label, e.g. "SSO PaymentsDeveloper" or "IAM user engineering/dana". */
  label: string;
  /** `identity-center`: the permission set whose role this is. */
  permissionSetName?: string;
  /** `identity-center`: how the user got the assignment, e.g. `group payments-developers`, `user`. */
  assignedThrough?: string[];
  /** `verified`: when the developer proved with a kubectl token that they use this identity. */
  verifiedAt?: string;
  /** `annotation`: where the User entity carrying the annotation was read from (its origin location). */
  origin?: string;
  /**
   * Set when the identity comes only from data the developer could have
   * written themselves (an annotation on a User entity read from outside
   * `eksAccess.identity.trustedUserLocations`): why it does not count as
   * verified. Its verdict is shown, but access can be requested for it only
   * once the developer proves with a kubectl token that they use it.
   */
  unverifiedReason?: string;
}

/** How reading one source of a cluster's access data went. @public */
export interface SourceStatus {
  /** `not-used`: the cluster's mode ignores this source, so it was not read. */
  state: 'ok' | 'error' | 'not-used';
  /** e.g. `AccessDeniedException`, `ThrottlingException`, `Unreachable`. */
  errorCode?: string;
  /** Plain-language explanation, safe to show (never contains credentials). */
  message?: string;
  /** For AccessDenied: the IAM action the Backstage role is missing. */
  missingAction?: string;
}

/** Facts about a cluster, from its catalog entity and DescribeCluster. @public */
export interface ClusterFacts {
  entityRef: string;
  title?: string;
  /** The real EKS cluster name (from the ARN). */
  name: string;
  arn: string;
  partition: string;
  accountId: string;
  region: string;
  authenticationMode?: AuthenticationMode;
  status?: string;
  endpoint?: string;
  /** When the shared snapshot this answer was computed from was read (ISO 8601). */
  fetchedAt?: string;
  /**
   * Where the cluster creator is known from (without the ARN, which only
   * admins see), in the modes that admit the creator through aws-auth;
   * `unknown` with the reasons when no source names it.
   */
  creator?: {
    source?: ClusterCreatorSourceKind;
    unknown?: ClusterCreatorUnknown;
  };
  sources: {
    cluster: SourceStatus;
    accessEntries: SourceStatus;
    awsAuth: SourceStatus;
  };
}

/** The verdict for one identity on one cluster. @public */
export interface IdentityAccess {
  identity: ResolvedIdentity;
  verdict: AccessVerdict;
  /** The `aws eks update-kubeconfig ...` command for this identity, when it gets in. */
  kubeconfigCommand?: string;
  /** The same command with its `--role-arn` variant and notes on which credentials to run it with. */
  kubeconfig?: KubeconfigGuidance;
  /**
   * The root cause, the one verified fix plan (other principals' aws-auth
   * data redacted) or the decision an admin must make, the secondary
   * findings, and what the identity can do once in.
   */
  diagnosis?: IdentityDiagnosis;
}

/** Answer of `GET /access` and `POST /access/check`. @public */
export interface ClusterAccessReport {
  cluster: ClusterFacts;
  identities: IdentityAccess[];
  /** Findings about the identities themselves (e.g. none resolved). */
  notes?: Finding[];
  /** Findings about the cluster's own data (aws-auth problems, unreadable sources), once for all identities. */
  clusterFindings?: Finding[];
  checkedAt: string;
}

/** The one-word status a cluster row shows. @public */
export type ClusterAccessStatus =
  | 'allowed'
  | 'forbidden'
  | 'denied'
  | 'unknown'
  | 'no-identities'
  | 'error';

/** One row of "My EKS access". @public */
export interface ClusterAccessSummary {
  entityRef: string;
  title?: string;
  name: string;
  accountId: string;
  region: string;
  authenticationMode?: AuthenticationMode;
  status: ClusterAccessStatus;
  /** The identity that gets in (or the best attempt). */
  identityArn?: string;
  via?: AccessVerdict['via'];
  username?: string;
  findingCount: number;
  /**
   * Why the row's identity is not simply allowed: the code of its most
   * severe finding. Absent when allowed without findings that matter.
   */
  rootCause?: Finding['code'];
  /** Present when status is `error`. */
  error?: string;
}

/** Answer of `GET /clusters`. @public */
export interface ClusterAccessSummaryPage {
  items: ClusterAccessSummary[];
  totalCount: number;
  /** Offset of the next page, absent on the last page. */
  nextOffset?: number;
}

/**
 * One server-sent event of `GET /clusters/stream`, the "My EKS access" rows
 * as each cluster is checked. The SSE event name is the `type`; its data is
 * the rest as JSON. `total` comes first, then one `row` per cluster in the
 * order the clusters resolve, then `done`. A row's `index` is its place in
 * the page's order (the user's likely clusters first), so that rows can be
 * shown in place while others are still being checked. @public
 */
export type ClusterAccessSummaryEvent =
  | { type: 'total'; totalCount: number }
  | { type: 'row'; index: number; item: ClusterAccessSummary }
  | { type: 'done' };

/** Answer of `GET /diagnostics` (admins). @public */
export interface ClusterDiagnostics {
  cluster: ClusterFacts;
  awsAuth: {
    present: boolean;
    mapRoles: number;
    mapUsers: number;
    mapAccounts: number;
    findings: Finding[];
  };
  accessEntries: {
    count: number;
    findings: Finding[];
  };
  /**
   * Who created the cluster (admitted as `kubernetes-admin` in
   * `system:masters` in CONFIG_MAP modes) and where that came from: the
   * catalog annotation, a cluster tag, the authenticator log, or CloudTrail's
   * `CreateCluster` event.
   */
  creator?: {
    arn: string;
    source: ClusterCreatorSourceKind;
  };
  /** When no source names the creator: what was looked at and why each said nothing. */
  creatorUnknown?: ClusterCreatorUnknown;
}

/**
 * Where the cluster creator's ARN came from, in the order they are asked:
 * the catalog annotation (an override), a cluster tag, the authenticator log's
 * `kubernetes-admin` line, CloudTrail's `CreateCluster` event.
 * @public
 */
export type ClusterCreatorSourceKind =
  | 'annotation'
  | 'tag'
  | 'authenticator-log'
  | 'cloudtrail';

/**
 * The creator could not be found: one note per source, in order (for
 * example that CloudTrail keeps 90 days of events only).
 * @public
 */
export interface ClusterCreatorUnknown {
  notes: string[];
}

/**
 * Denials of one ARN for one reason in a cluster's authenticator log
 * (admin diagnostics, `GET /diagnostics/denials`).
 * @public
 */
export interface DenialGroup {
  /** The ARN presented, as the authenticator logs it; absent for token failures that name none. */
  arn?: string;
  /** The authenticator's reason, e.g. `ARN is not mapped`. */
  reason: string;
  count: number;
  /** ISO time of the latest denial. */
  lastSeen: string;
  /**
   * When the ARN looks like a mapping gone wrong, what it resembles and the
   * finding that explains it: `sso-suffix` (a permission set provisioned
   * again), `path` / `session` (the mapping's ARN form), `typo` (a mapped
   * ARN a character or two away), `case` (the same ARN in another case).
   */
  lookalike?: {
    kind: 'sso-suffix' | 'path' | 'session' | 'typo' | 'case';
    /** The ARN that is mapped instead. */
    mappedArn: string;
    finding: Finding;
  };
}

/**
 * Recent denials on one cluster, grouped by ARN and reason, most recent
 * first (`GET /diagnostics/denials`).
 * @public
 */
export interface ClusterDenialsReport {
  /** `off`: the cluster sends no authenticator log to CloudWatch Logs. */
  logging: 'on' | 'off';
  /** `logging: off`: the AWS CLI command that turns authenticator logging on. */
  command?: string;
  windowHours?: number;
  /** How many denied lines were read; `truncated` when the bound cut older ones. */
  read: number;
  truncated?: boolean;
  groups: DenialGroup[];
}

/**
 * A single-use verification code for "Verify the identity my kubectl uses":
 * the user runs `command` and pastes its output.
 * @public
 */
export interface IdentityProofChallenge {
  nonce: string;
  /** `eks-access-proof-<nonce>`, the `--cluster-name` of the command. */
  clusterId: string;
  expiresAt: string;
  /** `aws eks get-token --cluster-name … --output json` */
  command: string;
}

/**
 * The identity kubectl uses, as proven by a token, whether it is one of the
 * user's known identities, and its verdict on a cluster.
 * @public
 */
export interface IdentityProofResult {
  proof?: {
    identity: ResolvedIdentity;
    account: string;
    verifiedAt: string;
    expiresAt: string;
  };
  /** The user's known identity (resolver) that is the same IAM principal. Absent: not one of theirs. */
  matches?: { label: string; source: IdentitySource };
  report?: ClusterAccessReport;
}

/**
 * One line of a cluster's authenticator log: an attempt to sign in to the
 * Kubernetes API with an AWS token.
 * @public
 */
export interface AccessAttempt {
  /** ISO time of the attempt. */
  time: string;
  outcome: 'granted' | 'denied';
  /** The ARN kubectl presented, as the authenticator logs it (session and role path removed). */
  arn?: string;
  /** The Kubernetes username EKS gave (granted attempts). */
  username?: string;
  /** The Kubernetes groups EKS gave (granted attempts). */
  groups?: string[];
  /** Why it was denied, in the authenticator's words, e.g. `ARN is not mapped`. */
  reason?: string;
}

/**
 * The signed-in user's recent attempts on one cluster, per identity
 * (`GET /access/attempts`). Only lines whose ARN is one of the user's own
 * identities (or the kubectl identity they verified) are ever returned.
 * @public
 */
export interface AccessAttemptsReport {
  /** `off`: the cluster sends no authenticator log to CloudWatch Logs. */
  logging: 'on' | 'off';
  /** `logging: off`: the AWS CLI command that turns authenticator logging on. */
  command?: string;
  /** How far back the log was read, in hours. */
  windowHours?: number;
  identities: Array<{
    callerArn: string;
    label: string;
    source?: IdentitySource;
    /**
     * The identity the user proved kubectl uses (`verified`); `mine` is false
     * when it is none of the identities the portal knows for them.
     */
    kubectl?: { mine: boolean };
    /** Newest first. */
    attempts: AccessAttempt[];
  }>;
}
