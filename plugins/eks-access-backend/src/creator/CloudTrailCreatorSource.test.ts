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

import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import { CloudTrailCreatorSource } from './CloudTrailCreatorSource';

const cluster = {
  arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments',
  accountId: '111122223333',
  region: 'us-east-1',
  name: 'payments',
} as EksClusterRef;

const creatorEvent = {
  EventSource: 'eks.amazonaws.com',
  CloudTrailEvent: JSON.stringify({
    eventSource: 'eks.amazonaws.com',
    requestParameters: { name: 'payments' },
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/creator',
    },
  }),
};

function source(answers: Array<object | Error>) {
  let clock = 0;
  const send = jest.fn(async () => {
    const next = answers.shift() ?? { Events: [] };
    if (next instanceof Error) throw next;
    return next;
  });
  const trail = new CloudTrailCreatorSource({
    clientFor: () => ({ send } as unknown as CloudTrailClient),
    retryAfterMs: 60_000,
    now: () => clock,
  });
  return {
    trail,
    send,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('CloudTrailCreatorSource', () => {
  it('keeps a creator it found, and reads once for concurrent callers', async () => {
    const { trail, send, advance } = source([{ Events: [creatorEvent] }]);
    const [a, b] = await Promise.all([
      trail.creatorOf(cluster),
      trail.creatorOf(cluster),
    ]);
    expect(a).toEqual({ arn: 'arn:aws:iam::111122223333:user/creator' });
    expect(b).toEqual(a);
    advance(24 * 3600_000);
    await trail.creatorOf(cluster);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('asks again for a creator not found only after retryAfterMs', async () => {
    const { trail, send, advance } = source([
      { Events: [] },
      { Events: [creatorEvent] },
    ]);
    expect((await trail.creatorOf(cluster)).arn).toBeUndefined();
    advance(59_999);
    expect((await trail.creatorOf(cluster)).arn).toBeUndefined();
    expect(send).toHaveBeenCalledTimes(1);
    advance(1);
    expect((await trail.creatorOf(cluster)).arn).toBe(
      'arn:aws:iam::111122223333:user/creator',
    );
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('turns a failed read into a note and tries again after retryAfterMs', async () => {
    const denied = Object.assign(new Error('denied'), {
      name: 'AccessDeniedException',
    });
    const { trail, send, advance } = source([
      denied,
      { Events: [creatorEvent] },
    ]);
    expect((await trail.creatorOf(cluster)).note).toMatch(
      /CloudTrail could not be read \(AccessDeniedException\)/,
    );
    advance(60_000);
    expect((await trail.creatorOf(cluster)).arn).toBeDefined();
    expect(send).toHaveBeenCalledTimes(2);
  });
});
