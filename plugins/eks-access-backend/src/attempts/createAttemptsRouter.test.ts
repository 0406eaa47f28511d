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

import type { ResolvedIdentity } from '@eks-access/plugin-eks-access-common';
import { attemptsOfIdentities } from './createAttemptsRouter';

const ROLE =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_0123456789abcdef';
const dana: ResolvedIdentity = {
  callerArn:
    'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dana@example.com',
  principalArn:
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef',
  sessionName: 'dana@example.com',
  source: 'identity-center',
  label: 'SSO Dev',
};
const granted = (username: string) => ({
  time: '2026-01-01T10:00:00Z',
  outcome: 'granted' as const,
  arn: ROLE,
  username,
  groups: ['dev'],
});

describe('attemptsOfIdentities', () => {
  it('keeps the lines of the role, and drops those that name a colleague’s session of it ({{SessionName}} renders @ as -)', () => {
    const [row] = attemptsOfIdentities(
      [
        granted(
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dana@example.com',
        ),
        granted(
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/sam-example.com',
        ),
        granted(
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dana-example.com',
        ),
        granted('developer'),
        {
          time: '2026-01-01T09:00:00Z',
          outcome: 'denied',
          arn: ROLE,
          reason: 'ARN is not mapped',
        },
      ],
      [dana],
    );
    expect(row.attempts.map(a => a.username ?? a.reason)).toEqual([
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dana@example.com',
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dana-example.com',
      'developer',
      'ARN is not mapped',
    ]);
  });

  it('never returns lines of other ARNs or lines without an ARN', () => {
    const [row] = attemptsOfIdentities(
      [
        { ...granted('x'), arn: 'arn:aws:iam::111122223333:role/Other' },
        {
          time: '2026-01-01T09:00:00Z',
          outcome: 'denied',
          reason: 'bad token',
        },
      ],
      [dana],
    );
    expect(row.attempts).toEqual([]);
  });
});
