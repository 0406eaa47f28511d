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

/*
 * The background warmer on the sandbox: it keeps recently checked clusters
 * warm, and under AWS throttling its calls queue behind a user's check.
 */

import { mockServices } from '@backstage/backend-test-utils';
import {
  createScaleServices,
  scaleScenario,
  userCredentials,
  withScaleSandbox,
} from '../__testUtils__/scaleScenario';

jest.setTimeout(180_000);

const fleet = scaleScenario({
  accounts: 1,
  clustersPerAccount: 7,
  entriesPerCluster: 150,
  developerEntryEvery: 1,
});

/** A TTL of a minute and a pass every 30 s: each pass reads every snapshot again. */
const WARMER_CONFIG = {
  snapshots: {
    ttl: { seconds: 60 },
    warmer: { enabled: true, interval: { seconds: 30 } },
  },
};

async function clusterTargets(
  services: ReturnType<typeof createScaleServices>,
) {
  const credentials = userCredentials(fleet.userEntityRef);
  const entities = await services.access.listClusterEntities(credentials);
  const targets = await Promise.all(
    entities.map(e =>
      services.access.getClusterEntity(e.entityRef, credentials),
    ),
  );
  const { identities } = await services.access.resolveUserIdentities(
    fleet.userEntityRef,
    credentials,
  );
  return { targets, identities };
}

describe('the snapshot warmer', () => {
  it('is off unless configured', async () => {
    await withScaleSandbox(fleet, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
      });
      expect(services.warmer).toBeUndefined();
    });
  });

  it('reads the snapshots of recently checked clusters again, with what checks read lazily, so the next check costs no call', async () => {
    await withScaleSandbox(fleet, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
        config: WARMER_CONFIG,
      });
      const { targets, identities } = await clusterTargets(services);
      const checked = targets.slice(0, 3);
      for (const target of checked) {
        await services.access.report(target, identities, []);
      }
      expect(services.warmer!.clusters.map(c => c.name)).toEqual(
        checked.map(t => t.cluster.name),
      );

      sandbox.resetCalls();
      expect(await services.warmer!.warmOnce()).toEqual({ refreshed: 3 });
      expect(sandbox.calls({ operation: 'DescribeCluster' })).toBe(3);
      // the developer's entry and the RBAC were read for the old snapshots
      expect(sandbox.calls({ operation: 'DescribeAccessEntry' })).toBe(3);
      expect(sandbox.calls({ operation: 'ListClusterRoles' })).toBe(3);

      sandbox.resetCalls();
      for (const target of checked) {
        const report = await services.access.report(target, identities, []);
        expect(report.identities[0].verdict.decision).toBe('allowed');
      }
      expect(sandbox.calls()).toBe(0);
    });
  });

  it('queues behind a user under EKS throttling: the check finishes first and nothing ends unknown', async () => {
    await withScaleSandbox(fleet, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
        config: WARMER_CONFIG,
        // one cluster at a time per account, so the queue order shows
        rateLimiter: { maxConcurrent: 1 },
      });
      const { targets, identities } = await clusterTargets(services);
      const warmed = targets.slice(0, 6);
      for (const target of warmed) {
        await services.access.report(target, identities, []);
      }
      sandbox.setFaults({
        rules: [{ service: 'eks', throttle: { ratePerSecond: 5 } }],
      });

      const order: string[] = [];
      const warming = services.warmer!.warmOnce().then(result => {
        order.push('warmer');
        return result;
      });
      // a user opens a cluster nobody checked yet, while the warmer runs
      const cold = targets[6];
      const check = services.access
        .report(cold, identities, [])
        .then(report => {
          order.push('user');
          return report;
        });
      const [report, warm] = await Promise.all([check, warming]);

      expect(order).toEqual(['user', 'warmer']);
      expect(report.identities[0].verdict.decision).toBe('allowed');
      expect(warm).toEqual({ refreshed: 6 });
      for (const target of warmed) {
        const again = await services.access.report(target, identities, []);
        expect(again.identities[0].verdict.decision).toBe('allowed');
      }
    });
  });
});
