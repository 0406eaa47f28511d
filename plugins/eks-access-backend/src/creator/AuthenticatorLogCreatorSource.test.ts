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

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import { AuthenticatorLogCreatorSource } from './AuthenticatorLogCreatorSource';

const cluster = {
  arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments',
  accountId: '111122223333',
  region: 'us-east-1',
  name: 'payments',
} as EksClusterRef;

const CREATOR = 'arn:aws:iam::111122223333:user/creator';
const adminLine = {
  timestamp: 1,
  message: `time="2026-01-01T00:00:00Z" level=info msg="access granted" arn="${CREATOR}" groups="[system:masters]" method=POST path=/authenticate username=kubernetes-admin`,
};
const otherLine = {
  timestamp: 1,
  message:
    'time="2026-01-01T00:00:00Z" level=info msg="access granted" arn="arn:aws:iam::111122223333:role/dev" groups="[dev]" method=POST path=/authenticate username=dev',
};

/** Pages of one event each, forever (a busy log), the given ones first. */
function source(first: Array<typeof adminLine>, maxPages = 3) {
  const send = jest.fn(async (command: { input: { nextToken?: string } }) => {
    const index = Number(command.input.nextToken ?? 0);
    return {
      events: [first[index] ?? otherLine],
      nextToken: String(index + 1),
    };
  });
  const log = new AuthenticatorLogCreatorSource({
    clientFor: () => ({ send } as unknown as CloudWatchLogsClient),
    maxPages,
  });
  return { log, send };
}

describe('AuthenticatorLogCreatorSource', () => {
  it('stops at the first kubernetes-admin line of system:masters', async () => {
    const { log, send } = source([otherLine, adminLine]);
    expect(await log.creatorOf(cluster)).toEqual({ arn: CREATOR });
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[0][0]).toMatchObject({
      input: { logGroupName: '/aws/eks/payments/cluster', limit: 1 },
    });
  });

  it('reads at most maxPages pages of a log without one', async () => {
    const { log, send } = source([], 3);
    expect(await log.creatorOf(cluster)).toEqual({});
    expect(send).toHaveBeenCalledTimes(3);
  });
});
