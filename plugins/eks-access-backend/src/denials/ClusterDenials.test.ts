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

import type { AccessVerdict } from '@eks-access/plugin-eks-access-common';
import {
  editDistance,
  explainDenials,
  typoOf,
} from '../service/denialLookalikes';
import { groupDenials } from './ClusterDenials';

const ROLE = 'arn:aws:iam::111122223333:role/payments-deployer';

describe('groupDenials', () => {
  it('groups by ARN and reason with count and last seen, most recent first', () => {
    const groups = groupDenials([
      {
        time: '2026-01-01T10:00:00Z',
        outcome: 'denied',
        arn: ROLE,
        reason: 'ARN is not mapped',
      },
      {
        time: '2026-01-01T11:00:00Z',
        outcome: 'denied',
        arn: ROLE,
        reason: 'ARN is not mapped',
      },
      {
        time: '2026-01-01T10:30:00Z',
        outcome: 'denied',
        reason: 'token expired',
      },
      { time: '2026-01-01T12:00:00Z', outcome: 'granted', arn: ROLE },
    ]);
    expect(groups).toEqual([
      {
        arn: ROLE,
        reason: 'ARN is not mapped',
        count: 2,
        lastSeen: '2026-01-01T11:00:00Z',
      },
      { reason: 'token expired', count: 1, lastSeen: '2026-01-01T10:30:00Z' },
    ]);
  });
});

describe('typos', () => {
  it('measures edit distance with an early stop', () => {
    expect(editDistance('deployer', 'deplyer', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
  });

  it('finds a mapped ARN one or two characters away in the same account', () => {
    expect(
      typoOf(ROLE, ['arn:aws:iam::111122223333:role/payments-deplyer']),
    ).toBe('arn:aws:iam::111122223333:role/payments-deplyer');
    expect(
      typoOf(ROLE, ['arn:aws:iam::444455556666:role/payments-deployer']),
    ).toBeUndefined();
    expect(typoOf(ROLE, [ROLE])).toBeUndefined();
  });

  it('prefers the evaluator’s near-miss finding, else the typo', () => {
    const verdict = (findings: AccessVerdict['findings']) =>
      ({ decision: 'denied', findings } as unknown as AccessVerdict);
    const [sso, typo, none] = explainDenials(
      [
        {
          arn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_bbbb',
          reason: 'ARN is not mapped',
          count: 1,
          lastSeen: 't',
        },
        { arn: ROLE, reason: 'ARN is not mapped', count: 1, lastSeen: 't' },
        {
          arn: 'arn:aws:iam::111122223333:role/other',
          reason: 'ARN is not mapped',
          count: 1,
          lastSeen: 't',
        },
      ],
      {
        evaluate: identity =>
          verdict(
            identity.callerArn.includes('SSO')
              ? [
                  {
                    code: 'AWS_AUTH_SSO_SUFFIX_MISMATCH',
                    severity: 'error',
                    message:
                      'aws-auth maps arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_aaaa: the same IAM Identity Center permission set (Dev) but another random suffix.',
                  },
                ]
              : [],
          ),
        mappedArns: ['arn:aws:iam::111122223333:role/payments-deplyer'],
      },
    );
    expect(sso.lookalike).toMatchObject({
      kind: 'sso-suffix',
      mappedArn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_aaaa',
      finding: { code: 'AWS_AUTH_SSO_SUFFIX_MISMATCH' },
    });
    expect(typo.lookalike).toMatchObject({
      kind: 'typo',
      mappedArn: 'arn:aws:iam::111122223333:role/payments-deplyer',
    });
    expect(none.lookalike).toBeUndefined();
  });
});
