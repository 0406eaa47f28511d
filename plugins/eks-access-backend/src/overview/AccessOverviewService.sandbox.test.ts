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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import { AccessOverviewService } from './AccessOverviewService';

jest.setTimeout(120_000);

const sandbox = demoSandboxForSuite();

describe('AccessOverviewService on the sandbox', () => {
  it('lists every demo cluster, who can get in and the hygiene findings, reading each cluster once', async () => {
    const services = createSandboxServices({
      sandbox,
      logger: mockServices.logger.mock(),
      entities: loadDemoEntities(),
    });
    const service = new AccessOverviewService({
      snapshots: services.snapshots,
      access: services.access,
    });
    const credentials = mockCredentials.user('user:default/alex');
    const fleet = await service.overview({ credentials });
    expect(fleet.clusters.length).toBeGreaterThanOrEqual(10);
    const staging = fleet.clusters.find(c => c.name === 'payments-staging')!;
    expect(staging).toMatchObject({
      mode: 'CONFIG_MAP',
      migration: { equivalent: true },
    });
    expect(staging.migration!.summary).toMatch(
      /^Equivalent for all \d+ principals$/,
    );
    const sources = new Set(fleet.rows.map(r => r.source));
    expect([...sources].sort()).toEqual([
      'access-entry',
      'aws-auth-account',
      'aws-auth-role',
      'aws-auth-user',
      'cluster-creator',
    ]);
    const codes = new Set(fleet.hygiene.map(h => h.code));
    for (const code of [
      'CONFIG_MAP_MODE',
      'ADMITS_NOBODY',
      'AWS_AUTH_PROBLEM',
    ]) {
      expect(codes).toContain(code);
    }
    for (const h of fleet.hygiene) expect(h.entityRef).toMatch(/^resource:/);

    // A second scan reuses the shared snapshots: no AWS call.
    const describesBefore = sandbox.calls({ operation: 'DescribeCluster' });
    await service.overview({ credentials });
    expect(sandbox.calls({ operation: 'DescribeCluster' })).toBe(
      describesBefore,
    );

    const filtered = await service.overview({
      credentials,
      filter: { mode: 'CONFIG_MAP', principal: 'platformadmin' },
    });
    expect(filtered.clusters.every(c => c.mode === 'CONFIG_MAP')).toBe(true);
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect(
      filtered.rows.every(r =>
        r.principal.toLowerCase().includes('platformadmin'),
      ),
    ).toBe(true);
  });
});
