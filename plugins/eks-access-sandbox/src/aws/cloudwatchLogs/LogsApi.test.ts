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

import * as k8s from '@kubernetes/client-node';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClusterCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { loadScenario } from '../../scenario/loadScenario';
import { RunningSandbox, startSandbox } from '../../startSandbox';
import {
  DEMO,
  kubeConfigFor,
  sandboxClients,
  tokenFor,
} from '../../__testUtils__/sandboxClients';

const EKS_ONLY = 'arn:aws:iam::111122223333:user/eks-only';

jest.setTimeout(60_000);

const STAGING_GROUP = '/aws/eks/payments-staging/cluster';
// The article's creator query, as written there (note `@logstream`).
const CREATOR_QUERY = `fields @logstream, @timestamp, @message
| sort @timestamp desc
| filter @logStream like /authenticator/
| filter @message like "username=kubernetes-admin"
| limit 50`;

describe('CloudWatch Logs and the authenticator log', () => {
  let sandbox: RunningSandbox;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    const demo = loadScenario('demo');
    sandbox = await startSandbox({
      scenario: {
        ...demo,
        // someone allowed EKS reads only, to be refused CloudWatch Logs
        iam: {
          ...demo.iam,
          users: [
            ...(demo.iam?.users ?? []),
            { arn: EKS_ONLY, permissions: ['eks:DescribeCluster'] },
          ],
        },
      },
    });
    logs = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(DEMO.backstageUser),
      maxAttempts: 1,
    });
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.resetFaults());

  /** Reads /version with a token; returns the HTTP status. */
  const attempt = async (cluster: string, token: string) => {
    try {
      await kubeConfigFor(sandbox, cluster, token)
        .makeApiClient(k8s.CoreV1Api)
        .listNamespace();
      return 200;
    } catch (error) {
      return (error as { code?: number }).code;
    }
  };

  const messages = async (
    group: string,
    filterPattern: string,
    startTime?: number,
  ) =>
    (
      await logs.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          logStreamNamePrefix: 'authenticator-',
          filterPattern,
          startTime,
        }),
      )
    ).events?.map(e => e.message) ?? [];

  it('lists the log groups of clusters with control-plane logging on, with paging', async () => {
    const all = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/' }),
    );
    expect(all.logGroups?.map(g => g.logGroupName)).toEqual([
      '/aws/eks/payments-prod/cluster',
      STAGING_GROUP,
    ]);
    const first = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: '/aws/eks/',
        limit: 1,
      }),
    );
    expect(first.logGroups).toHaveLength(1);
    const second = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: '/aws/eks/',
        limit: 1,
        nextToken: first.nextToken,
      }),
    );
    expect(second.logGroups?.[0].logGroupName).toBe(STAGING_GROUP);
    expect(second.nextToken).toBeUndefined();
  });

  it('records the hidden creator of a CONFIG_MAP cluster as kubernetes-admin in system:masters', async () => {
    const lines = await messages(STAGING_GROUP, '"username=kubernetes-admin"');
    expect(lines).toEqual([
      expect.stringMatching(
        /^time="2023-06-02T09:10:00Z" level=info msg="access granted" arn="arn:aws:iam::111122223333:role\/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c" client="127\.0\.0\.1:\d+" groups="\[system:masters\]" method=POST path=\/authenticate uid="aws-iam-authenticator:111122223333:AROA\w+" username=kubernetes-admin$/,
      ),
    ]);
  });

  it('writes a line for every granted and denied attempt, with the ARN presented and the reason', async () => {
    const since = Date.now() - 1000;
    const dana = sandbox.issueSessionCredentials(
      DEMO.ssoRole,
      'dana@example.com',
    );
    expect(
      await attempt(
        'payments-staging',
        await tokenFor('payments-staging', dana),
      ),
    ).toBe(401);
    const backstage = sandbox.credentialsFor(DEMO.backstageUser);
    expect(
      await attempt(
        'payments-staging',
        await tokenFor('payments-staging', backstage),
      ),
    ).toBe(200);
    expect(await attempt('payments-staging', 'k8s-aws-v1.not-a-token!')).toBe(
      401,
    );

    const denied = await messages(STAGING_GROUP, '"access denied"', since);
    expect(denied).toEqual([
      expect.stringMatching(
        new RegExp(
          `^time="[^"]+" level=warning msg="access denied" arn="${DEMO.ssoRoleNoPath}" client="127\\.0\\.0\\.1:\\d+" error="ARN is not mapped" method=POST path=/authenticate$`,
        ),
      ),
      expect.stringContaining(
        'error="input token was not properly formatted: illegal base64 data"',
      ),
    ]);
    const granted = await messages(
      STAGING_GROUP,
      '"access granted" backstage-eks-access',
      since,
    );
    expect(granted).toEqual([
      expect.stringMatching(
        /msg="access granted" arn="arn:aws:iam::111122223333:user\/backstage-eks-access" client="[^"]+" groups="\[eks-access:aws-auth-editors\]" method=POST path=\/authenticate uid="aws-iam-authenticator:111122223333:AIDA\w+" username=backstage-eks-access$/,
      ),
    ]);
  });

  it('pages FilterLogEvents with limit and nextToken, oldest first', async () => {
    const first = await logs.send(
      new FilterLogEventsCommand({ logGroupName: STAGING_GROUP, limit: 1 }),
    );
    expect(first.events?.[0].message).toContain('username=kubernetes-admin');
    expect(first.nextToken).toBeDefined();
    const rest = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: STAGING_GROUP,
        limit: 10000,
        nextToken: first.nextToken,
      }),
    );
    expect(rest.events?.length).toBeGreaterThan(0);
    expect(rest.nextToken).toBeUndefined();
    await expect(
      logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/aws/eks/payments-prod/cluster',
          nextToken: first.nextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('answers ResourceNotFoundException for a cluster without logging, and InvalidParameterException for bad input', async () => {
    await expect(
      logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/aws/eks/analytics/cluster',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      logs.send(
        new FilterLogEventsCommand({
          logGroupName: STAGING_GROUP,
          startTime: 10,
          endTime: 5,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      logs.send(
        new FilterLogEventsCommand({
          logGroupName: STAGING_GROUP,
          filterPattern: '"open',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it("runs the article's creator query through Scheduled, Running and Complete", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: STAGING_GROUP,
        startTime: 0,
        endTime: now,
        queryString: CREATOR_QUERY,
      }),
    );
    const statuses: string[] = [];
    let results;
    for (let i = 0; i < 5; i++) {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      statuses.push(r.status!);
      results = r.results;
      if (r.status === 'Complete') break;
    }
    expect(statuses).toEqual(['Scheduled', 'Running', 'Complete']);
    expect(results).toHaveLength(1);
    const row = Object.fromEntries(results![0].map(f => [f.field, f.value]));
    expect(row['@logStream']).toMatch(/^authenticator-[0-9a-f]{32}$/);
    expect(row['@timestamp']).toBe('2023-06-02 09:10:00.000');
    expect(row['@message']).toContain('groups="[system:masters]"');
    expect(row['@ptr']).toBeDefined();
  });

  it('sorts, limits and filters with a regex; stops a running query once', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: STAGING_GROUP,
        startTime: 0,
        endTime: now + 60,
        queryString:
          'fields @timestamp, @message | filter @logStream like /authenticator/ | filter @message like /access (granted|denied)/ | sort @timestamp desc | limit 2',
      }),
    );
    let r;
    do r = await logs.send(new GetQueryResultsCommand({ queryId }));
    while (r.status !== 'Complete');
    expect(r.results).toHaveLength(2);
    const times = r.results!.map(
      row => row.find(f => f.field === '@timestamp')!.value!,
    );
    expect(times[0] >= times[1]).toBe(true);
    await expect(
      logs.send(new StopQueryCommand({ queryId })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    const running = await logs.send(
      new StartQueryCommand({
        logGroupName: STAGING_GROUP,
        startTime: 0,
        endTime: now,
        queryString: 'limit 5',
      }),
    );
    expect(
      await logs.send(new StopQueryCommand({ queryId: running.queryId })),
    ).toMatchObject({
      success: true,
    });
    expect(
      (
        await logs.send(
          new GetQueryResultsCommand({ queryId: running.queryId }),
        )
      ).status,
    ).toBe('Cancelled');
  });

  it('rejects malformed queries and unknown log groups with their real error shapes', async () => {
    await expect(
      logs.send(
        new StartQueryCommand({
          logGroupName: STAGING_GROUP,
          startTime: 0,
          endTime: 1,
          queryString: 'stats count(*) by bin(5m)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'MalformedQueryException' });
    await expect(
      logs.send(
        new StartQueryCommand({
          logGroupName: '/aws/eks/nope/cluster',
          startTime: 0,
          endTime: 1,
          queryString: 'limit 1',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      logs.send(new GetQueryResultsCommand({ queryId: 'no-such-query' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('throttles with ThrottlingException through the fault injector', async () => {
    sandbox.setFaults({
      rules: [
        {
          service: 'logs',
          operation: 'FilterLogEvents',
          throttle: { ratePerSecond: 0.001, burst: 1 },
        },
      ],
    });
    await logs.send(
      new FilterLogEventsCommand({ logGroupName: STAGING_GROUP, limit: 1 }),
    );
    await expect(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: STAGING_GROUP, limit: 1 }),
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('refuses a caller without the logs: permission, naming the action and resource', async () => {
    const eksOnly = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(EKS_ONLY),
      maxAttempts: 1,
    });
    await expect(
      eksOnly.send(new DescribeLogGroupsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /not authorized to perform: logs:DescribeLogGroups on resource: \*$/,
      ),
    });
  });

  it('rejects a request signed with an unknown key', async () => {
    const stranger = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: {
        accessKeyId: 'AKIAUNKNOWNKEY000000',
        secretAccessKey: 'x',
      },
      maxAttempts: 1,
    });
    await expect(
      stranger.send(new DescribeLogGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('turns authenticator logging on with UpdateClusterConfig; lines start from then', async () => {
    const { eks } = sandboxClients(sandbox, {
      credentials: sandbox.issueSessionCredentials(DEMO.platformAdmin, 'admin'),
    });
    const before = await eks.send(
      new DescribeClusterCommand({ name: 'analytics' }),
    );
    expect(before.cluster?.logging?.clusterLogging).toEqual([
      {
        types: [
          'api',
          'audit',
          'authenticator',
          'controllerManager',
          'scheduler',
        ],
        enabled: false,
      },
    ]);
    const update = await eks.send(
      new UpdateClusterConfigCommand({
        name: 'analytics',
        logging: {
          clusterLogging: [{ types: ['authenticator'], enabled: true }],
        },
      }),
    );
    expect(update.update).toMatchObject({
      type: 'LoggingUpdate',
      status: 'InProgress',
    });
    const after = await eks.send(
      new DescribeClusterCommand({ name: 'analytics' }),
    );
    expect(after.cluster?.logging?.clusterLogging).toEqual([
      { types: ['authenticator'], enabled: true },
      {
        types: ['api', 'audit', 'controllerManager', 'scheduler'],
        enabled: false,
      },
    ]);
    await expect(
      eks.send(
        new UpdateClusterConfigCommand({
          name: 'analytics',
          logging: {
            clusterLogging: [{ types: ['authenticator'], enabled: true }],
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const dana = sandbox.issueSessionCredentials(DEMO.ssoRole, 'dana');
    await attempt('analytics', await tokenFor('analytics', dana));
    expect(
      await messages('/aws/eks/analytics/cluster', '"access denied"'),
    ).toHaveLength(1);
  });
});
