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
 * What checks cost at scale, counted by the sandbox's call counters: a
 * check reads only the entries it can match, throttling never turns a
 * cluster `unknown`, and a real outage still does (never `allowed`).
 */

import { mockServices } from '@backstage/backend-test-utils';
import type {
  RunningSandbox,
  SandboxFaults,
} from '@eks-access/plugin-eks-access-sandbox';
import {
  createScaleServices,
  scaleScenario,
  userCredentials,
  withScaleSandbox,
  type ScaleScenario,
} from '../__testUtils__/scaleScenario';
import { pastedIdentity } from '../identity/pastedIdentity';
import type { EksAccessService, UserFleet } from '../service/EksAccessService';

jest.setTimeout(120_000);

/** The fleet's first cluster and the developer's identities. */
async function firstClusterAndDeveloper(
  services: ReturnType<typeof createScaleServices>,
  fleet: ScaleScenario,
) {
  const credentials = userCredentials(fleet.userEntityRef);
  const [target] = await services.access.listClusterEntities(credentials);
  const cluster = await services.access.getClusterEntity(
    target.entityRef,
    credentials,
  );
  const { identities } = await services.access.resolveUserIdentities(
    fleet.userEntityRef,
    credentials,
  );
  return { cluster, identities };
}

function callsByOperation(sandbox: RunningSandbox) {
  return {
    DescribeCluster: sandbox.calls({ operation: 'DescribeCluster' }),
    ListAccessEntries: sandbox.calls({ operation: 'ListAccessEntries' }),
    DescribeAccessEntry: sandbox.calls({ operation: 'DescribeAccessEntry' }),
    ListAssociatedAccessPolicies: sandbox.calls({
      operation: 'ListAssociatedAccessPolicies',
    }),
    GetRole: sandbox.calls({ operation: 'GetRole' }),
    k8s: sandbox.calls({ service: 'k8s' }),
  };
}

describe('a check at scale', () => {
  const fleet = scaleScenario({
    accounts: 1,
    clustersPerAccount: 1,
    entriesPerCluster: 1000,
    developerEntryEvery: 1,
  });

  it('reads only the entries the caller can match: 2 + ⌈n/100⌉ + 2 × matches + 1, and for an admitted caller 1 refused review + 4 RBAC lists', async () => {
    await withScaleSandbox(fleet, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
      });
      const { cluster, identities } = await firstClusterAndDeveloper(
        services,
        fleet,
      );
      // Backstage's own credentials (STS, once per process) are not a check's cost
      await services.clients.credentialProvider(fleet.accountIds[0])();
      sandbox.resetCalls();

      const report = await services.access.report(cluster, identities, []);
      expect(report.identities[0].verdict).toMatchObject({
        decision: 'allowed',
        via: 'access-entry',
        matchedPrincipal: fleet.developerRoleArn,
      });
      expect(callsByOperation(sandbox)).toEqual({
        DescribeCluster: 1,
        ListAccessEntries: 10,
        DescribeAccessEntry: 1,
        ListAssociatedAccessPolicies: 1,
        GetRole: 1,
        // aws-auth; what the admitted caller can do: one SubjectAccessReview
        // (refused: Backstage may not create them here), then the RBAC lists
        k8s: 1 + 1 + 4,
      });
      expect(sandbox.calls({ operation: 'CreateSubjectAccessReview' })).toBe(1);
      expect(sandbox.calls()).toBe(20);
      expect(sandbox.calls()).toBe(fleet.lowerBound.total);

      // warm: no call at all
      sandbox.resetCalls();
      await services.access.report(cluster, identities, []);
      expect(sandbox.calls()).toBe(0);

      // an assumed-role session of the same role finds the same (cached) entry
      const session = pastedIdentity(
        fleet.developerRoleArn
          .replace(':iam::', ':sts::')
          .replace(':role/', ':assumed-role/')
          .concat('/someone@example.com'),
      );
      const pasted = await services.access.report(cluster, [session], []);
      expect(pasted.identities[0].verdict.decision).toBe('allowed');
      expect(sandbox.calls({ operation: 'DescribeAccessEntry' })).toBe(0);

      // a principal without an entry costs no entry read
      const stranger = pastedIdentity(
        fleet.developerRoleArn.replace('role/Developer', 'role/Stranger'),
      );
      const denied = await services.access.report(cluster, [stranger], []);
      expect(denied.identities[0].verdict.decision).toBe('denied');
      expect(sandbox.calls({ operation: 'DescribeAccessEntry' })).toBe(0);

      // cold, a denied identity whose fix is an access entry with a policy
      // costs no RBAC read and no review: only aws-auth on Kubernetes
      const fresh = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
      });
      await fresh.clients.credentialProvider(fleet.accountIds[0])();
      sandbox.resetCalls();
      const coldDenied = await fresh.access.report(cluster, [stranger], []);
      expect(coldDenied.identities[0].verdict.decision).toBe('denied');
      expect(coldDenied.identities[0].diagnosis?.plan).toBeDefined();
      expect(sandbox.calls({ service: 'k8s' })).toBe(1);
    });
  });

  it('answers unknown (DATA_UNAVAILABLE), never allowed, when the entry cannot be read in a real outage', async () => {
    await withScaleSandbox(fleet, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
        retryBudget: { baseDelayMs: 5 },
      });
      sandbox.setFaults({
        rules: [
          {
            service: 'eks',
            operation: 'DescribeAccessEntry',
            errorRate: 1,
            errorStatus: 503,
          },
        ],
      });
      const { cluster, identities } = await firstClusterAndDeveloper(
        services,
        fleet,
      );
      const report = await services.access.report(cluster, identities, []);
      const { verdict } = report.identities[0];
      expect(verdict.decision).toBe('unknown');
      expect(verdict.findings.map(f => f.code)).toContain('DATA_UNAVAILABLE');
      // the retry budget for server errors was spent: 1 attempt + 2 retries
      expect(sandbox.calls({ operation: 'DescribeAccessEntry' })).toBe(3);
    });
  });
});

describe('a fleet under AWS throttling', () => {
  const fleet = scaleScenario({
    accounts: 5,
    clustersPerAccount: 10,
    entriesPerCluster: 20,
    developerEntryEvery: 2,
  });

  const throttled: SandboxFaults = {
    rules: [{ service: 'eks', throttle: { ratePerSecond: 10 } }],
  };

  /** The fleet on a fresh sandbox with `faults`, as the developer sees it. */
  async function withFleet(
    faults: SandboxFaults,
    body: (run: {
      sandbox: RunningSandbox;
      access: EksAccessService;
      userFleet: UserFleet;
    }) => Promise<void>,
  ) {
    await withScaleSandbox(fleet, async sandbox => {
      const { access } = createScaleServices({
        sandbox,
        fleet,
        logger: mockServices.logger.mock(),
      });
      const userFleet = await access.fleetOf({
        credentials: userCredentials(fleet.userEntityRef),
        userEntityRef: fleet.userEntityRef,
      });
      sandbox.resetCalls();
      sandbox.setFaults(faults);
      await body({ sandbox, access, userFleet });
    });
  }

  it('ends with no cluster unknown when EKS allows 10 calls/s per account', async () => {
    await withFleet(throttled, async ({ access }) => {
      const page = await access.summaries({
        credentials: userCredentials(fleet.userEntityRef),
        userEntityRef: fleet.userEntityRef,
        offset: 0,
        limit: 100,
      });
      expect(page.items).toHaveLength(50);
      const statuses = page.items.map(item => item.status);
      expect(statuses.filter(s => s === 'unknown' || s === 'error')).toEqual(
        [],
      );
      expect(statuses.filter(s => s === 'allowed')).toHaveLength(25);
      expect(statuses.filter(s => s === 'denied')).toHaveLength(25);
    });
  });

  it('streams the fleet with every account at work from the start', async () => {
    await withFleet(throttled, async ({ access, userFleet }) => {
      const arrived: Array<{ index: number; status: string; account: string }> =
        [];
      await access.checkFleet(userFleet, {
        onRow: (index, item) =>
          arrived.push({ index, status: item.status, account: item.accountId }),
      });
      expect(arrived.map(row => row.index).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      expect(
        arrived.filter(
          row => row.status === 'unknown' || row.status === 'error',
        ),
      ).toEqual([]);
      // The likely clusters (the developer's account) come first in the
      // order, yet the other accounts' rows do not wait for them: paging
      // by that order would have kept four accounts idle.
      const firstAccounts = new Set(arrived.slice(0, 10).map(r => r.account));
      expect(firstAccounts.size).toBeGreaterThanOrEqual(4);
      expect(
        userFleet.clusters
          .slice(0, 10)
          .every(c => c.entityRef.startsWith('resource:default/fleet-000')),
      ).toBe(true);
    });
  });

  it('stops starting clusters once the streamed page is left', async () => {
    await withFleet({}, async ({ sandbox, access, userFleet }) => {
      const left = new AbortController();
      let rows = 0;
      await access.checkFleet(userFleet, {
        signal: left.signal,
        onRow: () => {
          rows += 1;
          left.abort();
        },
      });
      expect(rows).toBe(1);
      // only the clusters already in flight (four per account) were read
      expect(
        sandbox.calls({ operation: 'DescribeCluster' }),
      ).toBeLessThanOrEqual(20);
    });
  });

  it('still answers unknown, never allowed, when EKS is down', async () => {
    const small = scaleScenario({
      accounts: 1,
      clustersPerAccount: 4,
      entriesPerCluster: 5,
      developerEntryEvery: 1,
    });
    await withScaleSandbox(small, async sandbox => {
      const services = createScaleServices({
        sandbox,
        fleet: small,
        logger: mockServices.logger.mock(),
        retryBudget: { baseDelayMs: 5 },
      });
      sandbox.setFaults({
        rules: [
          {
            service: 'eks',
            operation: 'ListAccessEntries',
            errorRate: 1,
            errorStatus: 500,
          },
        ],
      });
      const page = await services.access.summaries({
        credentials: userCredentials(small.userEntityRef),
        userEntityRef: small.userEntityRef,
        offset: 0,
        limit: 100,
      });
      expect(page.items.map(item => item.status)).toEqual([
        'unknown',
        'unknown',
        'unknown',
        'unknown',
      ]);
    });
  });
});
