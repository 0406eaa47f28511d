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

import type { AccessAttemptsReport } from '@eks-access/plugin-eks-access-common';
import {
  allowedReport,
  danaSsoIdentity,
  danaUserIdentity,
  deniedReport,
} from '../../testing/accessReportFixtures';
import { attemptEvidence, attemptsNewestFirst } from './attemptEvidence';

const SSO_ROLE =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
const OTHER_ROLE = 'arn:aws:iam::111122223333:role/PlatformAdmin';

const denied = (time: string, arn: string) => ({
  time,
  outcome: 'denied' as const,
  arn,
  reason: 'ARN is not mapped',
});

function attempts(
  rows: AccessAttemptsReport['identities'],
): AccessAttemptsReport {
  return { logging: 'on', windowHours: 24, identities: rows };
}

describe('attemptEvidence', () => {
  it('says kubectl uses an identity that is not you when the latest attempt is the verified non-own identity', () => {
    const evidence = attemptEvidence(
      attempts([
        {
          callerArn: danaSsoIdentity.callerArn,
          label: danaSsoIdentity.label,
          attempts: [
            { time: '2026-01-01T09:00:00Z', outcome: 'granted', arn: SSO_ROLE },
          ],
        },
        {
          callerArn:
            'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/dana@example.com',
          label: 'IAM role PlatformAdmin (verified)',
          source: 'verified',
          kubectl: { mine: false },
          attempts: [denied('2026-01-01T10:00:00Z', OTHER_ROLE)],
        },
      ]),
      allowedReport(),
    );
    expect(evidence?.kind).toBe('not-you');
    expect(evidence?.sentence).toMatch(
      /^kubectl is using arn:aws:iam::111122223333:role\/PlatformAdmin, which is not you/,
    );
    expect(evidence?.sentence).toContain('EKS denied it: ARN is not mapped.');
    expect(evidence?.sentence).toContain(
      `SSO PaymentsDeveloper (${SSO_ROLE}) has access`,
    );
    expect(evidence?.commands).toEqual([
      'aws sts get-caller-identity',
      'aws eks update-kubeconfig --name payments-prod --region us-east-1',
    ]);
    expect(evidence?.notes[0]).toContain('--profile');
  });

  it('says kubectl uses an identity that is not the one with access when the latest denied attempt is another of hers', () => {
    const evidence = attemptEvidence(
      attempts([
        {
          callerArn: danaUserIdentity.callerArn,
          label: danaUserIdentity.label,
          attempts: [
            denied('2026-01-01T10:00:00Z', danaUserIdentity.callerArn),
          ],
        },
      ]),
      allowedReport(),
    );
    expect(evidence?.kind).toBe('wrong-identity');
    expect(evidence?.sentence).toMatch(
      /^kubectl is using arn:aws:iam::444455556666:user\/engineering\/dana, which is not the identity that has access\./,
    );
  });

  it('says nothing when the latest attempt was granted, or was denied with the identity that has access, or nobody has access', () => {
    const own = (
      rows: AccessAttemptsReport['identities'][number]['attempts'],
    ) =>
      attempts([
        {
          callerArn: danaSsoIdentity.callerArn,
          label: danaSsoIdentity.label,
          attempts: rows,
        },
      ]);
    expect(
      attemptEvidence(
        own([
          { time: '2026-01-01T10:00:00Z', outcome: 'granted', arn: SSO_ROLE },
          denied('2026-01-01T09:00:00Z', danaUserIdentity.callerArn),
        ]),
        allowedReport(),
      ),
    ).toBeUndefined();
    expect(
      attemptEvidence(
        own([denied('2026-01-01T10:00:00Z', SSO_ROLE)]),
        allowedReport(),
      ),
    ).toBeUndefined();
    expect(
      attemptEvidence(
        own([denied('2026-01-01T10:00:00Z', SSO_ROLE)]),
        deniedReport(),
      ),
    ).toBeUndefined();
    expect(attemptEvidence(own([]), allowedReport())).toBeUndefined();
  });

  it('orders attempts of all identities newest first', () => {
    const list = attemptsNewestFirst(
      attempts([
        {
          callerArn: 'a',
          label: 'A',
          attempts: [denied('2026-01-01T08:00:00Z', SSO_ROLE)],
        },
        {
          callerArn: 'b',
          label: 'B',
          attempts: [denied('2026-01-01T09:00:00Z', SSO_ROLE)],
        },
      ]),
    );
    expect(list.map(a => a.identity.label)).toEqual(['B', 'A']);
  });
});
