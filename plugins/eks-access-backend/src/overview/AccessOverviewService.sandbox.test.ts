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
      principals: services.principals,
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
    // From IAM (GetRole / GetUser through the shared principal cache): the
    // permission set provisioned again, and Dana's IAM user recreated after
    // her access entry on reporting.
    expect(
      fleet.hygiene
        .filter(h => ['STALE_PRINCIPAL', 'SSO_SUFFIX_GONE'].includes(h.code))
        .map(h => [h.code, h.cluster, h.subject]),
    ).toEqual([
      [
        'SSO_SUFFIX_GONE',
        'legacy-batch',
        'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_9f8e7d6c5b4a3f2e',
      ],
      [
        'STALE_PRINCIPAL',
        'reporting',
        'arn:aws:iam::444455556666:user/engineering/dana',
      ],
    ]);

    // A second scan reuses the shared snapshots and principal facts: no
    // AWS call.
    const describesBefore = sandbox.calls({ operation: 'DescribeCluster' });
    const iamBefore =
      sandbox.calls({ operation: 'GetRole' }) +
      sandbox.calls({ operation: 'GetUser' });
    expect(iamBefore).toBeGreaterThan(0);
    await service.overview({ credentials });
    expect(sandbox.calls({ operation: 'DescribeCluster' })).toBe(
      describesBefore,
    );
    expect(
      sandbox.calls({ operation: 'GetRole' }) +
        sandbox.calls({ operation: 'GetUser' }),
    ).toBe(iamBefore);

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
