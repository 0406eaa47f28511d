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

import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccessAttemptsReport,
  AccessLevelList,
  AccessRequest,
  AccessRequestDetails,
  AccessRequestPreflight,
  AccessRequestList,
  AccessRequestState,
  ClusterAccessReport,
  ClusterAccessSummaryPage,
  ClusterDenialsReport,
  ClusterDiagnostics,
  CreateAccessRequestBody,
  IdentityProofChallenge,
  IdentityProofResult,
} from '@eks-access/plugin-eks-access-common';
import type { AccessRequestAction, EksAccessApi } from './EksAccessApi';

function jsonInit(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * The HTTP client of the EKS Access backend (plugin id `eks-access`).
 *
 * @public
 */
export class EksAccessClient implements EksAccessApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getAccess(options: {
    entityRef: string;
    refresh?: boolean;
  }): Promise<ClusterAccessReport> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    if (options.refresh) {
      query.set('refresh', 'true');
    }
    return this.#request(`/access?${query}`);
  }

  async checkIdentity(options: {
    entityRef: string;
    identity: string;
  }): Promise<ClusterAccessReport> {
    return this.#request(
      '/access/check',
      jsonInit({ entityRef: options.entityRef, identity: options.identity }),
    );
  }

  async listClusters(options?: {
    offset?: number;
    limit?: number;
  }): Promise<ClusterAccessSummaryPage> {
    const query = new URLSearchParams();
    if (options?.offset !== undefined) {
      query.set('offset', String(options.offset));
    }
    if (options?.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    const search = query.toString();
    return this.#request(`/clusters${search ? `?${search}` : ''}`);
  }

  async getAttempts(options: {
    entityRef: string;
  }): Promise<AccessAttemptsReport> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    return this.#request(`/access/attempts?${query}`);
  }

  async getDiagnostics(options: {
    entityRef: string;
  }): Promise<ClusterDiagnostics> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    return this.#request(`/diagnostics?${query}`);
  }

  async getDenials(options: {
    entityRef: string;
  }): Promise<ClusterDenialsReport> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    return this.#request(`/diagnostics/denials?${query}`);
  }

  async listAccessLevels(options: {
    entityRef: string;
  }): Promise<AccessLevelList> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    return this.#request(`/levels?${query}`);
  }

  async createAccessRequest(
    body: CreateAccessRequestBody,
  ): Promise<AccessRequest> {
    return this.#request('/requests', jsonInit(body));
  }

  async listAccessRequests(options?: {
    entityRef?: string;
    mine?: boolean;
    states?: AccessRequestState[];
    limit?: number;
    cursor?: string;
  }): Promise<AccessRequestList> {
    const query = new URLSearchParams();
    if (options?.entityRef) {
      query.set('entityRef', options.entityRef);
    }
    if (options?.mine) {
      query.set('mine', 'true');
    }
    for (const state of options?.states ?? []) {
      query.append('state', state);
    }
    if (options?.limit) {
      query.set('limit', String(options.limit));
    }
    if (options?.cursor) {
      query.set('cursor', options.cursor);
    }
    const search = query.toString();
    return this.#request(`/requests${search ? `?${search}` : ''}`);
  }

  async getAccessRequest(options: {
    id: string;
  }): Promise<AccessRequestDetails> {
    return this.#request(`/requests/${encodeURIComponent(options.id)}`);
  }

  async getAccessRequestPreflight(options: {
    id: string;
  }): Promise<AccessRequestPreflight> {
    return this.#request(
      `/requests/${encodeURIComponent(options.id)}/preflight`,
    );
  }

  async actOnAccessRequest(options: {
    id: string;
    action: AccessRequestAction;
    comment?: string;
  }): Promise<AccessRequest> {
    const comment = options.comment?.trim();
    return this.#request(
      `/requests/${encodeURIComponent(options.id)}/${options.action}`,
      jsonInit(comment ? { comment } : {}),
    );
  }

  async startIdentityProof(): Promise<IdentityProofChallenge> {
    return this.#request('/identity-proof/challenge', jsonInit({}));
  }

  async verifyIdentityProof(options: {
    nonce: string;
    token: string;
    entityRef?: string;
  }): Promise<IdentityProofResult> {
    return this.#request('/identity-proof/verify', jsonInit(options));
  }

  async getIdentityProof(options: {
    entityRef?: string;
  }): Promise<IdentityProofResult> {
    const query = options.entityRef
      ? `?${new URLSearchParams({ entityRef: options.entityRef })}`
      : '';
    return this.#request(`/identity-proof${query}`);
  }

  async #request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('eks-access');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
