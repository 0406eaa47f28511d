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

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { ClusterClients } from './ClusterClients';

/** A CloudTrail client for a cluster's account and region (event history is regional). */
export type CloudTrailClientFor = (target: {
  accountId: string;
  region: string;
}) => CloudTrailClient;

/**
 * One CloudTrail client per account and region, with Backstage's own
 * credentials for the account, as for CloudWatch Logs.
 */
export function cloudTrailClients(
  clients: Pick<ClusterClients, 'endpoints' | 'credentialProvider'>,
): CloudTrailClientFor {
  const byTarget = new Map<string, CloudTrailClient>();
  return ({ accountId, region }) => {
    const key = `${accountId}/${region}`;
    let client = byTarget.get(key);
    if (!client) {
      client = new CloudTrailClient({
        region,
        endpoint: clients.endpoints.cloudtrail,
        credentials: clients.credentialProvider(accountId),
      });
      byTarget.set(key, client);
    }
    return client;
  };
}
