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
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccessOverviewRow,
  HygieneFinding,
  MigrationFormat,
  MigrationProposal,
  MigrationStageName,
  MigrationPlan,
  MigrationSimulation,
} from '@eks-access/plugin-eks-access-common';
import { useCallback, useMemo } from 'react';

/** One cluster of `GET /overview`. */
export interface OverviewCluster {
  entityRef: string;
  name: string;
  accountId: string;
  region: string;
  mode?: string;
  migration?: { equivalent: boolean; summary: string; blockers: number };
  error?: string;
}

/** `GET /overview`. */
export interface AccessOverviewResponse {
  clusters: OverviewCluster[];
  rows: (AccessOverviewRow & { entityRef: string })[];
  hygiene: (HygieneFinding & { entityRef: string })[];
}

/** `GET /migration/preview`. */
export interface MigrationPreviewResponse {
  cluster: { entityRef: string; name: string };
  plan: MigrationPlan;
  simulation: MigrationSimulation;
  forms: Record<MigrationFormat, string>;
  /** The migration already begun on the cluster, if any. */
  migrationId?: string;
  migration?: {
    id: string;
    createdAt: string;
    startedAt?: string;
    entriesVerifiedAt?: string;
    /** The end of the verification window before the switch to API. */
    finalNotBefore?: string;
  };
}

/** `POST /migration/proposals`. */
export interface ProposeStageBody {
  entityRef: string;
  stage: MigrationStageName;
  accept?: string[];
  comment?: string;
}

/** What an approver (or the proposer) may do with a proposal. */
export type ProposalAction = 'approve' | 'reject' | 'cancel' | 'retry';

export interface OverviewFilter {
  accountId: string;
  mode: string;
  principal: string;
}

/**
 * The admin overview's reads. Kept beside the page (not in EksAccessApi):
 * only this admin page uses them.
 */
export function useAccessOverviewRequests() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const get = useCallback(
    async (path: string, init?: { method: 'POST'; body: unknown }) => {
      const baseUrl = await discoveryApi.getBaseUrl('eks-access');
      const response = await fetchApi.fetch(
        `${baseUrl}${path}`,
        init
          ? {
              method: init.method,
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(init.body),
            }
          : undefined,
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return response;
    },
    [discoveryApi, fetchApi],
  );
  return useMemo(() => {
    const query = (
      filter: OverviewFilter,
      extra: Record<string, string> = {},
    ) =>
      new URLSearchParams(
        Object.entries({ ...filter, ...extra }).filter(([, v]) => v !== ''),
      ).toString();
    return {
      overview: async (filter: OverviewFilter) =>
        (await (
          await get(`/overview?${query(filter)}`)
        ).json()) as AccessOverviewResponse,
      csv: async (filter: OverviewFilter) =>
        (await get(`/overview?${query(filter, { format: 'csv' })}`)).text(),
      preview: async (entityRef: string) =>
        (await (
          await get(`/migration/preview?${new URLSearchParams({ entityRef })}`)
        ).json()) as MigrationPreviewResponse,
      proposals: async (entityRef: string) =>
        (
          (await (
            await get(
              `/migration/proposals?${new URLSearchParams({ entityRef })}`,
            )
          ).json()) as { items: MigrationProposal[] }
        ).items,
      propose: async (body: ProposeStageBody) =>
        (await (
          await get('/migration/proposals', { method: 'POST', body })
        ).json()) as MigrationProposal,
      act: async (id: string, action: ProposalAction, comment?: string) =>
        (await (
          await get(
            `/migration/proposals/${encodeURIComponent(id)}/${action}`,
            { method: 'POST', body: comment ? { comment } : {} },
          )
        ).json()) as MigrationProposal,
    };
  }, [get]);
}
