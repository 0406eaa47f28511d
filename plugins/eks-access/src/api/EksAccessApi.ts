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
  ClusterAccessReport,
  ClusterAccessSummaryPage,
  ClusterDiagnostics,
} from '@eks-access/plugin-eks-access-common';

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

  /** What the backend read from one cluster, for administrators. */
  getDiagnostics(options: { entityRef: string }): Promise<ClusterDiagnostics>;
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
