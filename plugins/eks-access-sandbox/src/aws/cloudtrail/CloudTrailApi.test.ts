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
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { loadScenario } from '../../scenario/loadScenario';
import { RunningSandbox, startSandbox } from '../../startSandbox';
import { DEMO } from '../../__testUtils__/sandboxClients';

jest.setTimeout(60_000);

const DAY = 24 * 3600 * 1000;
const EKS_ONLY = 'arn:aws:iam::111122223333:user/eks-only';
const RECENT = Date.now() - 10 * DAY;
const OLDER = Date.now() - 20 * DAY;

/** The demo, with two CONFIG_MAP clusters created within CloudTrail's 90 days. */
function scenario() {
  const demo = loadScenario('demo');
  return {
    ...demo,
    // someone allowed EKS reads only, to be refused CloudTrail
    iam: {
      ...demo.iam,
      users: [
        ...(demo.iam?.users ?? []),
        { arn: EKS_ONLY, permissions: ['eks:DescribeCluster'] },
      ],
    },
    clusters: demo.clusters!.map(c => {
      if (c.name === 'platform-tools') {
        return { ...c, createdAt: new Date(RECENT).toISOString() };
      }
      if (c.name === 'analytics') {
        return { ...c, createdAt: new Date(OLDER).toISOString() };
      }
      return c;
    }),
  };
}

describe('CloudTrail LookupEvents', () => {
  let sandbox: RunningSandbox;
  let trail: CloudTrailClient;
  const lookup = (input: LookupEventsCommandInput) =>
    trail.send(new LookupEventsCommand(input));
  const createCluster = {
    LookupAttributes: [
      { AttributeKey: 'EventName' as const, AttributeValue: 'CreateCluster' },
    ],
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: scenario() });
    trail = new CloudTrailClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(DEMO.backstageUser),
      maxAttempts: 1,
    });
  });
  afterAll(() => sandbox?.stop());
  afterEach(() => sandbox.resetFaults());

  it('returns the CreateCluster events of the last 90 days, newest first, with the creator in CloudTrailEvent', async () => {
    const { Events, NextToken } = await lookup(createCluster);
    // every other demo cluster was created years ago: past the 90 days
    expect(Events!.map(e => e.Resources?.[0]?.ResourceName)).toEqual([
      'platform-tools',
      'analytics',
    ]);
    expect(NextToken).toBeUndefined();
    const [event] = Events!;
    expect(event).toMatchObject({
      EventName: 'CreateCluster',
      EventSource: 'eks.amazonaws.com',
      ReadOnly: 'false',
      Username: 'cluster-creator',
      Resources: [
        { ResourceType: 'AWS::EKS::Cluster', ResourceName: 'platform-tools' },
      ],
    });
    expect(Math.abs(event.EventTime!.getTime() - RECENT)).toBeLessThan(1000);
    const record = JSON.parse(event.CloudTrailEvent!);
    expect(record).toMatchObject({
      eventName: 'CreateCluster',
      eventSource: 'eks.amazonaws.com',
      eventID: event.EventId,
      requestParameters: { name: 'platform-tools' },
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/cluster-creator',
        sessionContext: { sessionIssuer: { type: 'Role', arn: DEMO.ssoRole } },
      },
    });
  });

  it('pages with MaxResults and NextToken, and refuses a token for another request', async () => {
    const first = await lookup({ ...createCluster, MaxResults: 1 });
    expect(first.Events).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    const second = await lookup({
      ...createCluster,
      MaxResults: 1,
      NextToken: first.NextToken,
    });
    expect(second.Events!.map(e => e.Resources?.[0]?.ResourceName)).toEqual([
      'analytics',
    ]);
    expect(second.NextToken).toBeUndefined();
    await expect(
      lookup({ MaxResults: 1, NextToken: first.NextToken }),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('matches one lookup attribute: ResourceName, Username, EventSource', async () => {
    const byName = await lookup({
      LookupAttributes: [
        { AttributeKey: 'ResourceName', AttributeValue: 'analytics' },
      ],
    });
    expect(byName.Events!.map(e => e.EventName)).toEqual(['CreateCluster']);
    const none = await lookup({
      LookupAttributes: [
        { AttributeKey: 'ResourceName', AttributeValue: 'payments-staging' },
      ],
    });
    expect(none.Events).toEqual([]);
    const bySource = await lookup({
      LookupAttributes: [
        { AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' },
      ],
    });
    expect(bySource.Events).toEqual([]);
  });

  it('filters by StartTime and EndTime, and refuses a reversed range', async () => {
    const recent = await lookup({
      ...createCluster,
      StartTime: new Date(Date.now() - 15 * DAY),
      EndTime: new Date(),
    });
    expect(recent.Events!.map(e => e.Resources?.[0]?.ResourceName)).toEqual([
      'platform-tools',
    ]);
    await expect(
      lookup({ StartTime: new Date(), EndTime: new Date(Date.now() - DAY) }),
    ).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
  });

  it('answers the real validation errors', async () => {
    await expect(
      lookup({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'CreateCluster' },
          { AttributeKey: 'ResourceName', AttributeValue: 'analytics' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    await expect(lookup({ MaxResults: 51 })).rejects.toMatchObject({
      name: 'InvalidMaxResultsException',
    });
  });

  it('throttles with ThrottlingException through the fault injector', async () => {
    sandbox.setFaults({
      rules: [
        {
          service: 'cloudtrail',
          operation: 'LookupEvents',
          throttle: { ratePerSecond: 0.001, burst: 1 },
        },
      ],
    });
    await lookup(createCluster);
    await expect(lookup(createCluster)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(
      sandbox.calls({ service: 'cloudtrail', operation: 'LookupEvents' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('refuses a caller without cloudtrail:LookupEvents', async () => {
    const eksOnly = new CloudTrailClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(EKS_ONLY),
      maxAttempts: 1,
    });
    await expect(
      eksOnly.send(new LookupEventsCommand(createCluster)),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows/,
      ),
    });
  });
});
