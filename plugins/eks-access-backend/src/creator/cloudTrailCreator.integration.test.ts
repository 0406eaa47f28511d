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
 * The cluster creator from CloudTrail: a CONFIG_MAP cluster with no
 * annotation and authenticator logging off has no other evidence; the
 * sandbox records its CreateCluster event, which CloudTrail keeps 90 days.
 */

import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION } from '@eks-access/plugin-eks-access-common';
import {
  loadScenario,
  startSandbox,
  type RunningSandbox,
} from '@eks-access/plugin-eks-access-sandbox';
import { DANA_SSO_ROLE as PAYMENTS_DEVELOPER } from '../__testUtils__/demoPrincipalsAndClusters';
import {
  createSandboxServices,
  loadDemoEntities,
  pointStsAtSandbox,
} from '../__testUtils__/sandboxServices';
import type { AccountRegion } from '../aws/ClusterClients';

jest.setTimeout(120_000);

const PLATFORM_ADMIN =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c';

let sandbox: RunningSandbox;
let restoreSts: () => void;

beforeAll(async () => {
  const demo = loadScenario('demo');
  // analytics (CONFIG_MAP, logging off) created ten days ago, so within
  // CloudTrail's 90 days; search-prod keeps its 2023 creation date.
  const scenario = {
    ...demo,
    clusters: demo.clusters!.map(c =>
      c.name === 'analytics'
        ? {
            ...c,
            createdAt: new Date(Date.now() - 10 * 86400_000).toISOString(),
          }
        : c,
    ),
  };
  sandbox = await startSandbox({ scenario, port: 0, kubePortBase: 0 });
  restoreSts = pointStsAtSandbox(sandbox);
});

afterAll(async () => {
  restoreSts?.();
  await sandbox?.stop();
});

function services() {
  const entities = loadDemoEntities().map(entity => {
    const annotations = { ...entity.metadata.annotations };
    delete annotations[EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION];
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  });
  return createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities,
  });
}

async function targetOf(s: ReturnType<typeof services>, clusterName: string) {
  const entity = loadDemoEntities().find(e =>
    Object.values(e.metadata.annotations ?? {}).some(v =>
      v.endsWith(`:cluster/${clusterName}`),
    ),
  )!;
  return s.access.getClusterEntity(
    `resource:default/${entity.metadata.name}`,
    mockCredentials.user(),
  );
}

describe('the cluster creator from CloudTrail', () => {
  it('finds the creator of a CONFIG_MAP cluster without the annotation and with logging off', async () => {
    const s = services();
    const target = await targetOf(s, 'analytics');
    const snapshot = await s.snapshots.snapshot(target.cluster);
    expect(snapshot.described?.authenticationMode).toBe('CONFIG_MAP');
    expect(snapshot.described?.authenticatorLogging).toBe(false);
    sandbox.resetCalls();
    expect(await s.access.clusterCreator(target, snapshot)).toEqual({
      arn: PLATFORM_ADMIN,
      source: 'cloudtrail',
    });
    // no log to read: CloudTrail only, one LookupEvents
    expect(sandbox.calls({ service: 'logs' })).toBe(0);
    expect(
      sandbox.calls({ service: 'cloudtrail', operation: 'LookupEvents' }),
    ).toBe(1);
    // kept: asking again costs nothing
    await s.access.clusterCreator(target, snapshot);
    expect(
      sandbox.calls({ service: 'cloudtrail', operation: 'LookupEvents' }),
    ).toBe(1);

    // the admin diagnostics and the card say where it came from
    const diagnostics = await s.diagnostics.diagnose(target);
    expect(diagnostics.creator).toEqual({
      arn: PLATFORM_ADMIN,
      source: 'cloudtrail',
    });
    expect(diagnostics.cluster.creator).toEqual({ source: 'cloudtrail' });
    const report = await s.access.report(target, [], []);
    expect(report.cluster.creator).toEqual({ source: 'cloudtrail' });
    expect(JSON.stringify(report)).not.toContain(PLATFORM_ADMIN);
  });

  it('says that CloudTrail keeps 90 days when the cluster is older, without asking it', async () => {
    const s = services();
    const target = await targetOf(s, 'search-prod');
    const snapshot = await s.snapshots.snapshot(target.cluster);
    sandbox.resetCalls();
    const creator = await s.access.clusterCreator(target, snapshot);
    expect(creator).toEqual({
      unknown: {
        notes: [
          expect.stringMatching(/annotation/),
          'Authenticator logging is off: no kubernetes-admin line to read.',
          expect.stringMatching(
            /CloudTrail keeps 90 days of events only, and the cluster was created on 2023-04-04/,
          ),
        ],
      },
    });
    expect(sandbox.calls({ service: 'cloudtrail' })).toBe(0);
    const diagnostics = await s.diagnostics.diagnose(target);
    expect(diagnostics.creator).toBeUndefined();
    expect(diagnostics.creatorUnknown?.notes).toHaveLength(3);
  });

  it('prefers the authenticator log, and the annotation over both', async () => {
    const s = services();
    const staging = await targetOf(s, 'payments-staging');
    expect(
      await s.access.clusterCreator(
        staging,
        await s.snapshots.snapshot(staging.cluster),
      ),
    ).toMatchObject({ source: 'authenticator-log' });
    const platformTools = await targetOf(s, 'platform-tools');
    const annotated = {
      ...platformTools,
      entity: {
        ...platformTools.entity,
        metadata: {
          ...platformTools.entity.metadata,
          annotations: {
            ...platformTools.entity.metadata.annotations,
            [EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION]: PAYMENTS_DEVELOPER,
          },
        },
      },
    };
    expect(
      await s.access.clusterCreator(
        annotated,
        await s.snapshots.snapshot(platformTools.cluster),
      ),
    ).toEqual({ arn: PAYMENTS_DEVELOPER, source: 'annotation' });
  });

  it.each([
    [
      'cloudtrail',
      (s: ReturnType<typeof services>, at: AccountRegion) =>
        s.clients.cloudTrail(at).send(new LookupEventsCommand({})),
    ],
    [
      'logs',
      (s: ReturnType<typeof services>, at: AccountRegion) =>
        s.clients.logs(at).send(new DescribeLogGroupsCommand({})),
    ],
  ] as const)(
    'waits out a briefly throttled %s through the shared rate limiter',
    async (service, call) => {
      sandbox.setFaults({
        rules: [{ service, throttle: { ratePerSecond: 4, burst: 1 } }],
      });
      try {
        const s = services();
        const { accountId, region } = (await targetOf(s, 'analytics')).cluster;
        sandbox.resetCalls();
        // three at once: one takes the only token, the others are
        // throttled, wait and are asked again, as EKS calls are
        await Promise.all([1, 2, 3].map(() => call(s, { accountId, region })));
        expect(sandbox.throttledCalls({ service })).toBeGreaterThan(0);
        expect(
          s.clients.rateLimiter.rate(`${service}:${accountId}/${region}`),
        ).toBeLessThan(Infinity);
      } finally {
        sandbox.resetFaults();
      }
    },
  );

  it('says CloudTrail could not be read when it is throttled', async () => {
    sandbox.setFaults({
      rules: [
        { service: 'cloudtrail', throttle: { ratePerSecond: 0.001, burst: 1 } },
      ],
    });
    try {
      // the first lookup takes the bucket's only token
      const first = services();
      const target = await targetOf(first, 'analytics');
      expect(
        await first.access.clusterCreator(
          target,
          await first.snapshots.snapshot(target.cluster),
        ),
      ).toMatchObject({ source: 'cloudtrail' });
      const s = services();
      const creator = await s.access.clusterCreator(
        target,
        await s.snapshots.snapshot(target.cluster),
      );
      expect(creator).toEqual({
        unknown: {
          notes: expect.arrayContaining([
            expect.stringMatching(
              /CloudTrail could not be read \(ThrottlingException\)/,
            ),
          ]),
        },
      });
    } finally {
      sandbox.resetFaults();
    }
  });
});
