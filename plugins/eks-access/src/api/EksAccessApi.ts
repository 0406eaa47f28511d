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

import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AccessAttemptsReport,
  AccessRequestAction,
  AccessLevelList,
  AccessRequest,
  AccessRequestDetails,
  AccessRequestPreflight,
  AccessRequestList,
  AccessRequestState,
  ClusterAccessReport,
  ClusterAccessSummary,
  ClusterAccessSummaryPage,
  ClusterDenialsReport,
  ClusterDiagnostics,
  CreateAccessRequestBody,
  IdentityProofChallenge,
  IdentityProofResult,
} from '@eks-access/plugin-eks-access-common';

// Re-exported: this package's public API has named it since the card's first release.
export type { AccessRequestAction };

/**
 * What the EKS Access frontend asks of its backend.
 *
 * @public
 */
export interface EksAccessApi {
  /**
   * The signed-in user's access to one EKS cluster entity, for each of their
   * resolved IAM identities. `refresh` asks the backend to re-read the
   * cluster's access data instead of answering from its snapshot.
   */
  getAccess(options: {
    entityRef: string;
    refresh?: boolean;
  }): Promise<ClusterAccessReport>;

  /**
   * Checks an identity the user pasted: an IAM/STS ARN, or the JSON printed
   * by `aws sts get-caller-identity`. Rejects with a 400 `ResponseError` when
   * the backend cannot read it.
   */
  checkIdentity(options: {
    entityRef: string;
    identity: string;
  }): Promise<ClusterAccessReport>;

  /** One page of the signed-in user's status on every EKS cluster. */
  listClusters(options?: {
    offset?: number;
    limit?: number;
  }): Promise<ClusterAccessSummaryPage>;

  /**
   * The signed-in user's status on every EKS cluster, streamed from
   * `GET /clusters/stream` as each cluster is checked, so that one slow AWS
   * account does not hold back the rows of the others. `onTotal` is called
   * first; `onRow` then once per cluster in the order they resolve, with
   * the row's `index` in the page's order. Resolves when the backend says it
   * is done; rejects with a `ResponseError` when it answers with an HTTP
   * error, with an error when the stream ends early, and with an
   * `AbortError` when `signal` aborts.
   */
  streamClusters(options: {
    signal?: AbortSignal;
    onTotal(totalCount: number): void;
    onRow(index: number, item: ClusterAccessSummary): void;
  }): Promise<void>;

  /**
   * The signed-in user's recent kubectl sign-ins on one cluster, from its
   * authenticator log: only lines of their own identities (and of the
   * kubectl identity they verified). `logging: 'off'` when the cluster
   * keeps no authenticator log.
   */
  getAttempts(options: { entityRef: string }): Promise<AccessAttemptsReport>;

  /** What the backend read from one cluster, for administrators. */
  getDiagnostics(options: { entityRef: string }): Promise<ClusterDiagnostics>;

  /**
   * Everyone's recent denials on one cluster, grouped by ARN and reason,
   * for administrators (`eks-access.diagnostics.read`; 403 otherwise).
   */
  getDenials(options: { entityRef: string }): Promise<ClusterDenialsReport>;

  /** The access levels a user may request on one cluster entity. */
  listAccessLevels(options: { entityRef: string }): Promise<AccessLevelList>;

  /**
   * Asks for access. Rejects with a 400 `ResponseError` for invalid input
   * (the message says what) and 403 when the principal is not one of the
   * user's identities.
   */
  createAccessRequest(body: CreateAccessRequestBody): Promise<AccessRequest>;

  /**
   * Access requests the signed-in user may see: all of them for admins,
   * otherwise their own and those they may decide. `mine` keeps only the
   * user's own requests.
   */
  listAccessRequests(options?: {
    entityRef?: string;
    mine?: boolean;
    states?: AccessRequestState[];
    /** Page size (1 to 500; the backend's default is 500). */
    limit?: number;
    /** `nextCursor` of the previous page. */
    cursor?: string;
  }): Promise<AccessRequestList>;

  /** One access request with its event trail. */
  getAccessRequest(options: { id: string }): Promise<AccessRequestDetails>;

  /**
   * For approvers: what approving the request would write on the cluster as
   * it is now, whether it can be applied, and who else it affects. Rejects
   * with 403 for anyone who may not decide the request.
   */
  getAccessRequestPreflight(options: {
    id: string;
  }): Promise<AccessRequestPreflight>;

  /**
   * Approves, rejects, cancels, revokes or retries a request. Rejects with a
   * 403 `ResponseError` when the user may not, and 409 when the request
   * changed in the meantime.
   */
  actOnAccessRequest(options: {
    id: string;
    action: AccessRequestAction;
    comment?: string;
  }): Promise<AccessRequest>;

  /** A single-use code and the `aws eks get-token` command that proves the identity kubectl uses. */
  startIdentityProof(): Promise<IdentityProofChallenge>;

  /**
   * Verifies the pasted output of that command (or its token). Rejects with
   * a 400 `ResponseError` naming the rule the token broke.
   */
  verifyIdentityProof(options: {
    nonce: string;
    token: string;
    entityRef?: string;
  }): Promise<IdentityProofResult>;

  /** The user's current proof (empty when none), with its verdict on a cluster. */
  getIdentityProof(options: {
    entityRef?: string;
  }): Promise<IdentityProofResult>;
}

/**
 * The API reference of {@link EksAccessApi}, shared by the legacy and the new
 * frontend systems.
 *
 * @public
 */
export const eksAccessApiRef = createApiRef<EksAccessApi>().with({
  id: 'plugin.eks-access.client',
  pluginId: 'eks-access',
});
