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

import type {
  ClusterAccessReport,
  Finding,
  IdentityAccess,
} from '@eks-access/plugin-eks-access-common';
import { summarize } from './EksAccessService';

function identity(
  callerArn: string,
  verdict: Partial<IdentityAccess['verdict']> & {
    decision: IdentityAccess['verdict']['decision'];
  },
): IdentityAccess {
  return {
    identity: { callerArn, label: callerArn, source: 'annotation' },
    verdict: { findings: [], ...verdict },
  } as IdentityAccess;
}

function report(identities: IdentityAccess[]): ClusterAccessReport {
  return {
    cluster: { authenticationMode: 'CONFIG_MAP' },
    identities,
    checkedAt: '2026-05-01T12:00:00Z',
  } as unknown as ClusterAccessReport;
}

const keyCase: Finding = {
  code: 'AWS_AUTH_KEY_CASE',
  severity: 'warning',
  message: 'key case',
};
const hasPath: Finding = {
  code: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
  severity: 'error',
  message: 'path',
};

describe('summarize: the root cause of a row', () => {
  it('is the most severe finding of the row’s identity', () => {
    const row = summarize(
      report([
        identity('arn:aws:iam::1:role/a', {
          decision: 'denied',
          findings: [keyCase, hasPath],
        }),
      ]),
    );
    expect(row.status).toBe('denied');
    expect(row.rootCause).toBe('AWS_AUTH_ROLE_ARN_HAS_PATH');
  });

  it('falls back to a warning, and is absent without errors or warnings', () => {
    expect(
      summarize(
        report([
          identity('arn:aws:iam::1:role/a', {
            decision: 'denied',
            findings: [keyCase],
          }),
        ]),
      ).rootCause,
    ).toBe('AWS_AUTH_KEY_CASE');
    expect(
      summarize(
        report([
          identity('arn:aws:iam::1:role/a', {
            decision: 'allowed',
            findings: [
              { code: 'CLUSTER_CREATOR', severity: 'info', message: '' },
            ],
          }),
        ]),
      ),
    ).not.toHaveProperty('rootCause');
  });

  it('is about the identity that gets in, not a denied one', () => {
    const row = summarize(
      report([
        identity('arn:aws:iam::1:user/denied', {
          decision: 'denied',
          findings: [hasPath],
        }),
        identity('arn:aws:iam::1:role/allowed', { decision: 'allowed' }),
      ]),
    );
    expect(row.status).toBe('allowed');
    expect(row.rootCause).toBeUndefined();
  });

  it('is the card’s diagnosis: signed in but Forbidden by RBAC is a forbidden row with RBAC_NOT_BOUND', () => {
    const signedIn = {
      ...identity('arn:aws:iam::1:role/a', {
        decision: 'allowed',
        via: 'aws-auth-role',
        groups: ['eks-access:view'],
        expectForbidden: true,
      }),
      diagnosis: { rootCause: 'RBAC_NOT_BOUND' as const, secondary: [] },
    };
    const row = summarize(report([signedIn]));
    expect(row.status).toBe('forbidden');
    expect(row.rootCause).toBe('RBAC_NOT_BOUND');
  });
});
