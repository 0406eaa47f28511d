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

import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogRequestClusterLookup } from './AccessRequestService';

const ARN = 'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod';

function cluster(name: string, origin: string, arn = ARN): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'amazonaws.com/arn': arn,
        'backstage.io/managed-by-origin-location': origin,
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-payments' },
  };
}

const TRUSTED = 'url:https://github.com/acme/platform-catalog/';

describe('CatalogRequestClusterLookup', () => {
  const credentials = mockCredentials.user('user:default/dana');

  it('trusts the owners of entities from a trusted location only', async () => {
    const lookup = new CatalogRequestClusterLookup(
      catalogServiceMock({
        entities: [
          cluster('payments-prod', `${TRUSTED}blob/main/clusters.yaml`),
          cluster(
            'sandbox',
            'url:https://github.com/dana/anything/catalog.yaml',
            'arn:aws:eks:us-east-1:111122223333:cluster/sandbox',
          ),
        ],
      }),
      { trustedLocations: [TRUSTED] },
    );
    expect(
      await lookup.getCluster('resource:default/payments-prod', credentials),
    ).toMatchObject({ ownerTrusted: true, conflict: undefined });
    expect(
      await lookup.getCluster('resource:default/sandbox', credentials),
    ).toMatchObject({ ownerTrusted: false });
  });

  it('reports two entities that claim the same cluster ARN', async () => {
    const lookup = new CatalogRequestClusterLookup(
      catalogServiceMock({
        entities: [
          cluster('payments-prod', `${TRUSTED}clusters.yaml`),
          cluster('payments-prod-copy', 'url:https://github.com/dana/x.yaml'),
        ],
      }),
      { trustedLocations: [TRUSTED] },
    );
    const found = await lookup.getCluster(
      'resource:default/payments-prod',
      credentials,
    );
    expect(found?.conflict).toContain('2 catalog entities claim');
    expect(found?.conflict).toContain('resource:default/payments-prod-copy');
  });
});
