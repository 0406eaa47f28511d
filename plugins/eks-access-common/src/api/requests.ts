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

import type { FixPlan } from '../evaluator';

/*
 * The JSON shapes of the access-request part of the EKS Access HTTP API
 * (`/api/eks-access/requests`, `/api/eks-access/levels`). The backend
 * produces them and the frontend consumes them.
 */

/**
 * Where a request is in its life.
 *
 * pending → approved → active → expired | revoked;
 * pending → rejected | cancelled; approved → failed → approved (retry).
 * @public
 */
export type AccessRequestState = (typeof ACCESS_REQUEST_STATES)[number];

/**
 * Every state of an access request, in lifecycle order: one list for the
 * routes' and actions' validation.
 * @public
 */
export const ACCESS_REQUEST_STATES = [
  'pending',
  'approved',
  'active',
  'expired',
  'revoked',
  'rejected',
  'cancelled',
  'failed',
] as const;

/**
 * What a grant covers: the whole cluster, or a list of namespaces (names or
 * prefix wildcards such as `dev-*` when the level allows them).
 * @public
 */
export type AccessRequestScope =
  | { type: 'cluster' }
  | { type: 'namespace'; namespaces: string[] };

/**
 * Why a level cannot be granted on a cluster, as a stable code:
 * `LEVEL_GROUPS_UNBOUND` — its Kubernetes groups are named by no RoleBinding
 * or ClusterRoleBinding, so a grant would admit the identity and leave it
 * Forbidden; `LEVEL_NOT_GRANTABLE` — it configures nothing the cluster's
 * authentication mode can use (no groups on CONFIG_MAP, no access policy on
 * API clusters).
 * @public
 */
export type LevelAvailabilityCode =
  | 'LEVEL_GROUPS_UNBOUND'
  | 'LEVEL_NOT_GRANTABLE';

/**
 * Codes of a request refused (HTTP 409) because it could not be granted on
 * the cluster as it is: a level's code, or `GRANT_NOT_APPLICABLE` when the
 * simulated grant cannot be written or would not let the identity in.
 * @public
 */
export type GrantRefusalCode = LevelAvailabilityCode | 'GRANT_NOT_APPLICABLE';

/** An access level a cluster offers, as configured. @public */
export interface AccessLevelInfo {
  name: string;
  title: string;
  description?: string;
  /** EKS access policy associated on API / API_AND_CONFIG_MAP clusters. */
  accessPolicyArn?: string;
  /** Kubernetes groups mapped on CONFIG_MAP clusters. */
  kubernetesGroups?: string[];
  /** Scope types a requester may choose. */
  scopes: Array<'cluster' | 'namespace'>;
  /** Whether namespace names may end in `*` (prefix wildcard). */
  namespaceWildcards: boolean;
  /** Longest grant, in seconds. */
  maxDurationSeconds: number;
  /** Distinct approvers needed. */
  approvalsRequired: number;
  /**
   * Set in `GET /levels` when the cluster, as Backstage last read it,
   * cannot use this level: requests for it are refused with the same code.
   */
  unavailable?: { code: LevelAvailabilityCode; reason: string };
}

/** Answer of `GET /levels?entityRef=`. @public */
export interface AccessLevelList {
  entityRef: string;
  levels: AccessLevelInfo[];
  /** Longest accepted request reason, in characters (`eksAccess.requests.maxReasonLength`). */
  maxReasonLength: number;
}

/** Body of `POST /requests`. @public */
export interface CreateAccessRequestBody {
  /** The cluster's catalog entity ref, e.g. `resource:default/ml-training`. */
  entityRef: string;
  /**
   * The IAM role or user ARN to grant. Must be one of the requester's
   * resolved identities (`ResolvedIdentity.principalArn`); never an STS
   * session ARN.
   */
  principalArn: string;
  level: string;
  scope: AccessRequestScope;
  durationSeconds: number;
  reason: string;
  ticketUrl?: string;
}

/**
 * What a user can do to an access request: the last path segment of
 * `POST /requests/:id/{approve,reject,cancel,revoke,retry}`.
 *
 * @public
 */
export const ACCESS_REQUEST_ACTIONS = [
  'approve',
  'reject',
  'cancel',
  'revoke',
  'retry',
] as const;

/**
 * See {@link ACCESS_REQUEST_ACTIONS}.
 *
 * @public
 */
export type AccessRequestAction = (typeof ACCESS_REQUEST_ACTIONS)[number];

/** Body of `POST /requests/:id/{approve,reject,cancel,revoke,retry}`. @public */
export interface AccessRequestActionBody {
  comment?: string;
}

/** One recorded approval. @public */
export interface AccessRequestApproval {
  approver: string;
  at: string;
  comment?: string;
}

/** What this plugin changed on the cluster for a request. @public */
export interface AccessRequestGrant {
  method: 'access-entry' | 'aws-auth';
  /** Access entry: whether this request created the entry. */
  accessEntryCreated?: boolean;
  /** Access entry: the policy this request associated. */
  accessPolicyArn?: string;
  policyAssociated?: boolean;
  /** aws-auth: the entry this request added (section and mapping). */
  awsAuthEntry?: {
    section: 'mapRoles' | 'mapUsers';
    arn: string;
    username: string;
    groups: string[];
  };
  awsAuthAdded?: boolean;
  appliedAt?: string;
  /** When what was added was taken away again. */
  removedAt?: string;
  /** Last error while removing (retried by the scheduled task). */
  removalError?: string;
}

/** Kind of an event in a request's trail. @public */
export type AccessRequestEventType =
  | 'created'
  | 'approval'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'apply-started'
  | 'apply-step'
  | 'activated'
  | 'failed'
  | 'retried'
  | 'expiring-soon'
  | 'expired'
  | 'revoked'
  | 'removal-step'
  | 'removal-failed'
  | 'removed';

/** One event in a request's trail. @public */
export interface AccessRequestEvent {
  id: number;
  type: AccessRequestEventType;
  /** User entity ref, or `system` for the scheduled task. */
  actor: string;
  at: string;
  comment?: string;
  fromState?: AccessRequestState;
  toState?: AccessRequestState;
  /** Step details, e.g. the AWS call made or the aws-auth before/after. */
  details?: Record<string, unknown>;
}

/**
 * Where the identity of a request came from, recorded when the request was
 * made and shown to approvers: a source the requester cannot write (IAM
 * Identity Center, a config template, an annotation on a User entity from a
 * trusted location) or a kubectl token the requester proved.
 * @public
 */
export interface AccessRequestIdentityProvenance {
  source: 'annotation' | 'template' | 'identity-center' | 'verified';
  /** The identity's label when requested, e.g. "SSO PaymentsDeveloper". */
  label: string;
  /**
   * When the identity was verified: the proof's time for `verified`, the
   * time the resolver produced it (the request's creation) otherwise.
   */
  verifiedAt: string;
  /** `identity-center`: the permission set whose role this is. */
  permissionSetName?: string;
  /** `identity-center`: how the user got the assignment, e.g. `group payments-developers`. */
  assignedThrough?: string[];
  /** `annotation`: where the User entity was read from. */
  origin?: string;
}

/**
 * Stable codes of refused requests for an identity (HTTP 403, `error.code`):
 * `IDENTITY_NOT_YOURS`, the ARN is none of the requester's resolved or
 * proven identities (e.g. pasted); `IDENTITY_NOT_VERIFIED`, it is theirs only
 * by data they could have written, and is not proven with a kubectl token.
 * @public
 */
export type AccessRequestIdentityErrorCode =
  | 'IDENTITY_NOT_YOURS'
  | 'IDENTITY_NOT_VERIFIED';

/** An access request. @public */
export interface AccessRequest {
  id: string;
  cluster: {
    entityRef: string;
    arn: string;
    name: string;
    accountId: string;
    region: string;
  };
  requester: string;
  /** The IAM principal granted (role with its path, or user). */
  principalArn: string;
  /** `principalArn` in canonical form (role path stripped). */
  canonicalPrincipalArn: string;
  /** Where the identity came from; absent on requests made before it was recorded. */
  identityProvenance?: AccessRequestIdentityProvenance;
  /** The access level's name (`eksAccess.requests.levels[].name`). */
  level: string;
  /** The level's display title, while the level is still configured. */
  levelTitle?: string;
  scope: AccessRequestScope;
  durationSeconds: number;
  reason: string;
  ticketUrl?: string;
  state: AccessRequestState;
  approvalsRequired: number;
  approvals: AccessRequestApproval[];
  createdAt: string;
  updatedAt: string;
  activatedAt?: string;
  /** Counted from activation. */
  expiresAt?: string;
  endedAt?: string;
  /** Why the grant failed (state `failed`). */
  error?: string;
  grant?: AccessRequestGrant;
  /** What the signed-in user may do with this request now. */
  allowedActions?: AccessRequestAction[];
}

/** Answer of `GET /requests/:id`. @public */
export interface AccessRequestDetails extends AccessRequest {
  events: AccessRequestEvent[];
}

/**
 * Answer of `GET /requests/:id/preflight` (approvers and admins): what
 * granting the request would write on the cluster as it is now, whether it
 * can be applied and works, and whose access besides the requester's it
 * changes (no one, for an applicable grant, except principals it newly lets
 * in).
 * @public
 */
export interface AccessRequestPreflight {
  /** False when Backstage could not read the cluster: nothing is known. */
  known: boolean;
  applicable: boolean;
  /** Set when not applicable. */
  code?: GrantRefusalCode;
  /** One line per write, in order. */
  writes: string[];
  /** Why it cannot be applied, or what the approver should know. */
  risks: string[];
  /** Other principals whose access changes. */
  othersAffected: string[];
  /** The grant as a plan (other principals' aws-auth data removed), for the CLI / kubectl / Terraform forms. */
  plan?: FixPlan;
}

/** Answer of `GET /requests`. @public */
export interface AccessRequestList {
  items: AccessRequest[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The message published on the signals channel `eks-access:requests`
 * whenever a request changes, so that open cards and pages refresh.
 * @public
 */
export interface AccessRequestSignal {
  requestId: string;
  entityRef: string;
  state: AccessRequestState;
}

/** Signals channel for request changes. @public */
export const EKS_ACCESS_REQUESTS_SIGNAL_CHANNEL = 'eks-access:requests';
