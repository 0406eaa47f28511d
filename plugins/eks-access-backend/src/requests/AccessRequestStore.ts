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
  AccessRequest,
  AccessRequestEvent,
  AccessRequestEventType,
  AccessRequestGrant,
  AccessRequestIdentityProvenance,
  AccessRequestScope,
  AccessRequestState,
} from '@eks-access/plugin-eks-access-common';

/**
 * The grant writes of the principal are held by another runner: try again
 * later (the request keeps its state).
 * @public
 */
export class PrincipalBusyError extends Error {
  name = 'PrincipalBusyError';
}

/** A request as it is created; validated by the caller. @public */
export interface NewAccessRequest {
  cluster: AccessRequest['cluster'];
  requester: string;
  principalArn: string;
  canonicalPrincipalArn: string;
  /** Where the identity came from, recorded on the request and its `created` event. */
  identityProvenance?: AccessRequestIdentityProvenance;
  level: string;
  scope: AccessRequestScope;
  durationSeconds: number;
  reason: string;
  ticketUrl?: string;
  approvalsRequired: number;
}

/** An event to append to a request's trail. @public */
export interface NewAccessRequestEvent {
  type: AccessRequestEventType;
  actor: string;
  comment?: string;
  details?: Record<string, unknown>;
}

/** Columns a transition may set together with the state. @public */
export interface AccessRequestTransitionPatch {
  activatedAt?: Date;
  expiresAt?: Date;
  endedAt?: Date;
  /** `null` clears a previous error. */
  error?: string | null;
}

/** What the plugin changed on the cluster for one request (internal). @public */
export interface GrantRecord {
  requestId: string;
  method: 'access-entry' | 'aws-auth';
  clusterArn: string;
  principalArn: string;
  accessPolicyArn?: string;
  accessScope?: AccessRequestScope;
  /** Scope of an association of the same policy that this plugin did not make. */
  policyScopeBefore?: AccessRequestScope;
  /**
   * This grant created the access entry, or took the entry over from the
   * grant that created it when that one was removed. Only changed through
   * {@link DatabaseAccessRequestStore.addGrantOwnership}.
   */
  accessEntryCreated: boolean;
  /** This grant's scope may be part of the association (set before associating). */
  policyAssociated: boolean;
  /** Like `accessEntryCreated`, for the policy association. */
  policyAssociationCreated?: boolean;
  /** The mapping this grant needs. */
  awsAuthEntry?: NonNullable<AccessRequestGrant['awsAuthEntry']>;
  /** The aws-auth write of this grant may have happened (set before writing). */
  awsAuthAdded: boolean;
  /** Like `accessEntryCreated`, for the aws-auth mapping. */
  awsAuthEntryCreated?: boolean;
  /** Groups this grant added to the mapping (or took over). */
  awsAuthGroupsAdded?: string[];
  appliedAt?: Date;
  removedAt?: Date;
  removalError?: string;
}

/** Selects requests in `listRequests`. @public */
export interface AccessRequestFilter {
  entityRef?: string;
  requester?: string;
  states?: AccessRequestState[];
  ids?: string[];
  limit?: number;
  /**
   * Only requests this user made or that are for one of these clusters
   * (visibility filtered in the query, so a flood of other rows never hides
   * the ones the user may see).
   */
  visibleTo?: {
    requester: string;
    entityRefs: string[];
    /** Clusters (ARNs as stored) the user approves through their AWS owner tag. */
    clusterArns?: string[];
  };
  /** Requests after this one in the list order (newest first). */
  after?: { createdAt: string; id: string };
}

/** Work the scheduled task may claim. @public */
export type GrantWork =
  | { kind: 'apply'; request: AccessRequest }
  | { kind: 'expire'; request: AccessRequest }
  | { kind: 'remove'; request: AccessRequest };

/**
 * Where access requests, their approvals, events and grants are kept. Every
 * state change is atomic and guarded by the current state: a stale or
 * concurrent transition fails with a ConflictError instead of overwriting
 * another one. {@link DatabaseAccessRequestStore} keeps them in the plugin's
 * database.
 * @public
 */
export interface AccessRequestStore {
  createRequest(
    input: NewAccessRequest,
    options?: { now?: Date; comment?: string },
  ): Promise<AccessRequest>;
  getRequest(id: string): Promise<AccessRequest | undefined>;
  listRequests(filter?: AccessRequestFilter): Promise<AccessRequest[]>;
  /** How many requests match, for the caps and the creation rate limit. */
  countRequests(filter: {
    requester?: string;
    clusterArn?: string;
    states?: AccessRequestState[];
    createdSince?: Date;
  }): Promise<number>;
  /** The clusters that have requests, for the visibility filter. */
  listRequestClusterRefs(): Promise<string[]>;
  /** The distinct cluster ARNs of all requests. */
  listRequestClusterArns(): Promise<string[]>;
  listEvents(id: string): Promise<AccessRequestEvent[]>;
  /**
   * Moves a request from one of `from` to `to`, appending an event, in one
   * transaction guarded by the current state.
   */
  transition(options: {
    id: string;
    from: AccessRequestState | AccessRequestState[];
    to: AccessRequestState;
    event: NewAccessRequestEvent;
    patch?: AccessRequestTransitionPatch;
    now?: Date;
  }): Promise<AccessRequest>;
  /**
   * Records one approval of a pending request; when enough distinct
   * approvers have approved, the request becomes approved in the same
   * transaction.
   */
  recordApproval(options: {
    id: string;
    approver: string;
    comment?: string;
    now?: Date;
  }): Promise<{ request: AccessRequest; approved: boolean }>;
  appendEvent(
    id: string,
    event: NewAccessRequestEvent,
    now?: Date,
  ): Promise<void>;
  /**
   * Claims the next piece of work for `runnerId` with a lease, so two
   * replicas never work on the same request at once. Returns undefined when
   * there is nothing to do.
   */
  claimNextWork(options: {
    runnerId: string;
    leaseSeconds: number;
    now?: Date;
    skip?: string[];
  }): Promise<GrantWork | undefined>;
  releaseClaim(id: string, runnerId: string): Promise<void>;
  getGrant(requestId: string): Promise<GrantRecord | undefined>;
  /**
   * Creates or updates the grant row of a request. What the grant owns
   * (`accessEntryCreated`, `policyAssociationCreated`, `awsAuthEntryCreated`,
   * `awsAuthGroupsAdded`) is only written when the row is new; afterwards it
   * only grows through {@link AccessRequestStore.addGrantOwnership},
   * so a stale copy of the record never drops what another grant handed over.
   */
  saveGrant(grant: GrantRecord): Promise<void>;
  /**
   * Adds to what a grant owns (never takes away): used when a grant records
   * what it is about to add, and when a grant that is being removed hands
   * what another live grant still needs over to it.
   */
  addGrantOwnership(
    requestId: string,
    add: {
      accessEntryCreated?: boolean;
      policyAssociationCreated?: boolean;
      awsAuthEntryCreated?: boolean;
      awsAuthGroupsAdded?: string[];
    },
  ): Promise<void>;
  /** Forgets what a grant owned, before it is applied again after its removal. */
  resetGrantOwnership(requestId: string): Promise<void>;
  /**
   * Runs `fn` while holding a lease-based lock for one principal on one
   * cluster, so that the grant writes (apply and removal) of different
   * requests for the same principal never interleave, across replicas too.
   * A holder that died loses the lock when its lease runs out.
   */
  withPrincipalLock<T>(
    options: {
      clusterArn: string;
      canonicalPrincipalArn: string;
      holder: string;
      leaseSeconds: number;
      now: () => Date;
      /** How long to wait for the lock, in milliseconds. */
      waitMs?: number;
    },
    fn: () => Promise<T>,
  ): Promise<T>;
  /**
   * Grants of other requests for the same cluster and principal that have
   * not been removed yet, whatever the state of their request: the live ones
   * (approved or active) still need what they have, the ended ones own what
   * they added until their removal has run.
   */
  listGrantsNotRemoved(options: {
    clusterArn: string;
    canonicalPrincipalArn: string;
    excludeRequestId: string;
  }): Promise<Array<{ grant: GrantRecord; live: boolean }>>;
  /** Active requests expiring before `before` whose requester was not told yet. */
  listExpiringUnnotified(before: Date): Promise<AccessRequest[]>;
  /** Marks the expiry warning as sent; false when another runner did it. */
  markExpiryNotified(id: string, now?: Date): Promise<boolean>;
}
