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
  AccessOverview,
  MigrationPreview,
  MigrationProposal,
  MigrationProposalAction,
  ProposeMigrationStage,
} from '@eks-access/plugin-eks-access-common';
import { useCallback, useMemo } from 'react';

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
        ).json()) as AccessOverview,
      csv: async (filter: OverviewFilter) =>
        (await get(`/overview?${query(filter, { format: 'csv' })}`)).text(),
      preview: async (entityRef: string) =>
        (await (
          await get(`/migration/preview?${new URLSearchParams({ entityRef })}`)
        ).json()) as MigrationPreview,
      proposals: async (entityRef: string) =>
        (
          (await (
            await get(
              `/migration/proposals?${new URLSearchParams({ entityRef })}`,
            )
          ).json()) as { items: MigrationProposal[] }
        ).items,
      propose: async (body: ProposeMigrationStage) =>
        (await (
          await get('/migration/proposals', { method: 'POST', body })
        ).json()) as MigrationProposal,
      act: async (id: string, action: MigrationProposalAction, comment?: string) =>
        (await (
          await get(
            `/migration/proposals/${encodeURIComponent(id)}/${action}`,
            { method: 'POST', body: comment ? { comment } : {} },
          )
        ).json()) as MigrationProposal,
    };
  }, [get]);
}
