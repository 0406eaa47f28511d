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
  type CloudWatchLogsClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudWatchAuthenticatorLogReader,
  parseAuthenticatorLine,
} from './AuthenticatorLogReader';

describe('parseAuthenticatorLine', () => {
  it("reads the article's granted line", () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-05-26T18:55:30Z" level=info msg="access granted" arn="arn:aws:iam::123456789000:user/testuser" client="127.0.0.1:57586" groups="[system:masters]" method=POST path=/authenticate uid="aws-iam-authenticator:123456789000:AROAFFXXXXXXXXXX" username=kubernetes-admin',
      ),
    ).toEqual({
      time: '2022-05-26T18:55:30Z',
      outcome: 'granted',
      arn: 'arn:aws:iam::123456789000:user/testuser',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    });
  });

  it("reads the article's denied lines, with and without an ARN", () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-12-28T15:37:19Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/admin-test-role" client="127.0.0.1:33384" error="ARN is not mapped" method=POST path=/authenticate',
      ),
    ).toEqual({
      time: '2022-12-28T15:37:19Z',
      outcome: 'denied',
      arn: 'arn:aws:iam::111122223333:role/admin-test-role',
      reason: 'ARN is not mapped',
    });
    expect(
      parseAuthenticatorLine(
        'time="2022-12-26T20:46:48Z" level=warning msg="access denied" client="127.0.0.1:43440" error="sts getCallerIdentity failed: error from AWS (expected 200, got 403). Body: {\\"Error\\":{\\"Code\\":\\"InvalidClientTokenId\\"}}" method=POST path=/authenticate',
      ),
    ).toEqual({
      time: '2022-12-26T20:46:48Z',
      outcome: 'denied',
      reason:
        'sts getCallerIdentity failed: error from AWS (expected 200, got 403). Body: {"Error":{"Code":"InvalidClientTokenId"}}',
    });
  });

  it('ignores lines that are not authentication decisions', () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-12-26T20:46:48Z" level=info msg="starting mapper"',
      ),
    ).toBeUndefined();
  });
});

const CLUSTER = {
  name: 'payments',
  accountId: '111122223333',
  region: 'us-east-1',
};

function line(time: number, outcome: 'granted' | 'denied', arn: string) {
  return {
    timestamp: time,
    message: `time="${new Date(
      time,
    ).toISOString()}" level=info msg="access ${outcome}" arn="${arn}" method=POST path=/authenticate`,
  };
}

/** A CloudWatch Logs client answering FilterLogEvents with `pages`, one per call. */
function logsClient(pages: Array<Array<ReturnType<typeof line>> | Error>) {
  const send = jest.fn(async (command: { input: { nextToken?: string } }) => {
    const index = command.input.nextToken ? Number(command.input.nextToken) : 0;
    const page = pages[index];
    if (page instanceof Error) throw page;
    return {
      events: page,
      ...(index + 1 < pages.length ? { nextToken: String(index + 1) } : {}),
    };
  });
  return { send, client: { send } as unknown as CloudWatchLogsClient };
}

describe('CloudWatchAuthenticatorLogReader', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/dev';

  it('reads denials newest first up to maxEvents, and says when the bound cut them', async () => {
    const { send, client } = logsClient([
      [line(1000, 'denied', ROLE)],
      [line(2000, 'denied', ROLE)],
      [line(3000, 'denied', ROLE)],
    ]);
    const reader = new CloudWatchAuthenticatorLogReader({
      clientFor: () => client,
      maxEvents: 2,
      pageSize: 1,
    });
    const denials = await reader.recentDenials(CLUSTER);
    expect(denials?.attempts.map(a => a.time)).toEqual([
      new Date(2000).toISOString(),
      new Date(1000).toISOString(),
    ]);
    expect(denials?.truncated).toBe(true);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[0][0]).toMatchObject({
      input: {
        logGroupName: '/aws/eks/payments/cluster',
        logStreamNamePrefix: 'authenticator',
        limit: 1,
      },
    });
  });

  it('keeps a read for its TTL, shared by callers, and forgets a failed one', async () => {
    const failing = logsClient([new Error('throttled for good')]);
    const working = logsClient([[line(1000, 'granted', ROLE)]]);
    let client = failing.client;
    const reader = new CloudWatchAuthenticatorLogReader({
      clientFor: () => client,
    });
    await expect(reader.recentAttempts(CLUSTER, [ROLE])).rejects.toThrow(
      'throttled for good',
    );
    client = working.client;
    const [a, b] = await Promise.all([
      reader.recentAttempts(CLUSTER, [ROLE]),
      reader.recentAttempts(CLUSTER, [ROLE, ROLE]),
    ]);
    expect(a).toHaveLength(1);
    expect(b).toBe(a);
    expect(working.send).toHaveBeenCalledTimes(1);
  });

  it('answers undefined when the cluster sends no authenticator log', async () => {
    const { client } = logsClient([
      new ResourceNotFoundException({
        message: 'The specified log group does not exist.',
        $metadata: {},
      }),
    ]);
    const reader = new CloudWatchAuthenticatorLogReader({
      clientFor: () => client,
    });
    expect(await reader.recentAttempts(CLUSTER, [ROLE])).toBeUndefined();
    expect(await reader.recentDenials(CLUSTER)).toBeUndefined();
  });
});
