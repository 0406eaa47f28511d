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
import {
  EventStreamContentType,
  fetchEventSource,
} from '@microsoft/fetch-event-source';
import type {
  AccessAttemptsReport,
  AccessLevelList,
  AccessRequest,
  AccessRequestDetails,
  AccessRequestPreflight,
  AccessRequestList,
  AccessRequestState,
  ClusterAccessReport,
  ClusterAccessSummary,
  ClusterAccessSummaryEvent,
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

  async streamClusters(options: {
    signal?: AbortSignal;
    onTotal(totalCount: number): void;
    onRow(index: number, item: ClusterAccessSummary): void;
  }): Promise<void> {
    const { signal, onTotal, onRow } = options;
    signal?.throwIfAborted();
    const baseUrl = await this.#discoveryApi.getBaseUrl('eks-access');
    signal?.throwIfAborted();
    let done = false;
    await fetchEventSource(`${baseUrl}/clusters/stream`, {
      // through fetchApi, so that the request carries the user's token
      fetch: (input, init) => this.#fetchApi.fetch(input, init),
      signal,
      // Otherwise the library closes the stream while the tab is hidden and
      // opens it again on return, having the backend check every cluster again.
      openWhenHidden: true,
      async onopen(response) {
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        const contentType = response.headers.get('content-type');
        if (!contentType?.startsWith(EventStreamContentType)) {
          throw new Error(
            `Expected ${EventStreamContentType} from /clusters/stream, got ${
              contentType ?? 'no content type'
            }`,
          );
        }
      },
      onmessage(message) {
        const type = message.event as ClusterAccessSummaryEvent['type'];
        if (type === 'total') {
          const data: Extract<ClusterAccessSummaryEvent, { type: 'total' }> =
            JSON.parse(message.data);
          onTotal(data.totalCount);
        } else if (type === 'row') {
          const data: Extract<ClusterAccessSummaryEvent, { type: 'row' }> =
            JSON.parse(message.data);
          onRow(data.index, data.item);
        } else if (type === 'done') {
          done = true;
        }
        // other events are ignored, so that the backend may add some
      },
      onclose() {
        // A proxy timeout or a backend restart cuts the stream without an
        // error; the rows not sent yet would otherwise look like all of them.
        if (!done) {
          throw new Error(
            'The list of clusters ended before every cluster was checked',
          );
        }
      },
      onerror(error) {
        // Rethrown, because returning would have the library retry the whole
        // stream every second, forever, without the caller knowing.
        throw error;
      },
    });
    if (!done) {
      // fetchEventSource resolves quietly when aborted; callers must not
      // take that for a complete list.
      throw signal?.reason ?? new DOMException('Aborted', 'AbortError');
    }
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
