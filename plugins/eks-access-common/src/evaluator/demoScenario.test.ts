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
 * The 13 clusters of docs/demo-scenario.md, as hand-written fixtures, and the
 * verdicts of its table. One deliberate difference, reported to the lead:
 * cluster 8 (search-prod) "Dana (user)" — the table says denied, but EKS
 * compares aws-auth ARNs ignoring case (eks-auth-spec §4.4, vector #56), so
 * `user/engineering/Dana` does match `user/engineering/dana`: allowed, with a
 * CASE_MISMATCH warning.
 */

/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectVerdict"] }] */

import { evaluateAccess } from './evaluate';
import { indexClusterAccess } from './clusterIndex';
import {
  alex,
  clusters,
  danaSso,
  danaUser,
  PLATFORM,
  SSO_ROLE_NAME,
  type Cluster,
} from './__fixtures__/demoClusters';
import type { AccessCheckInput, FindingCode } from './types';

interface Expect {
  decision: 'allowed' | 'denied' | 'unknown';
  via?: string;
  codes: FindingCode[];
  username?: string;
  expectForbidden?: boolean;
}
const rows: [number, string, Expect, Expect][] = [
  [
    1,
    'payments-prod',
    {
      decision: 'allowed',
      via: 'access-entry',
      codes: ['ACCESS_ENTRY_OVERRIDES_AWS_AUTH'],
    },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    2,
    'payments-staging',
    {
      decision: 'denied',
      codes: ['AWS_AUTH_ROLE_ARN_HAS_PATH', 'AWS_AUTH_KEY_CASE'],
    },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    3,
    'Data-Lake_01',
    { decision: 'denied', codes: ['NOT_MAPPED'] },
    { decision: 'denied', codes: ['AWS_AUTH_IGNORED_IN_API_MODE'] },
  ],
  [
    4,
    'checkout-dev',
    { decision: 'denied', codes: ['NOT_MAPPED'] },
    {
      decision: 'allowed',
      via: 'access-entry',
      codes: ['ACCESS_ENTRY_NO_PERMISSIONS'],
      expectForbidden: true,
    },
  ],
  [
    5,
    'legacy-batch',
    {
      decision: 'denied',
      codes: [
        'AWS_AUTH_SSO_SUFFIX_MISMATCH',
        'AWS_AUTH_PARSE_ERROR',
        'AWS_AUTH_KEY_CASE',
      ],
    },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    6,
    'analytics',
    {
      decision: 'denied',
      codes: ['AWS_AUTH_SESSION_ARN', 'AWS_AUTH_ENTRY_INVALID'],
    },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    7,
    'ml-training',
    { decision: 'denied', codes: ['NOT_MAPPED'] },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    8,
    'search-prod',
    { decision: 'denied', codes: ['EC2_PRIVATE_DNS_TEMPLATE'] },
    // The doc's table says "denied CASE_MISMATCH"; EKS ignores case (§4.4), so this is allowed.
    { decision: 'allowed', via: 'aws-auth-user', codes: ['CASE_MISMATCH'] },
  ],
  [
    9,
    'edge-gateway',
    { decision: 'unknown', codes: ['DATA_UNAVAILABLE'] },
    { decision: 'unknown', codes: ['DATA_UNAVAILABLE'] },
  ],
  [
    10,
    'platform-tools',
    {
      decision: 'allowed',
      via: 'cluster-creator',
      codes: ['CLUSTER_CREATOR'],
      username: 'kubernetes-admin',
    },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    11,
    'docs-site',
    {
      decision: 'allowed',
      via: 'aws-auth-role',
      codes: ['NO_GROUPS'],
      username: 'dana-example.com',
      expectForbidden: true,
    },
    {
      decision: 'allowed',
      via: 'aws-auth-account',
      codes: ['NO_GROUPS'],
      expectForbidden: true,
    },
  ],
  [
    12,
    'ci-runners',
    { decision: 'denied', codes: ['ACCESS_ENTRY_NOT_STANDARD'] },
    { decision: 'denied', codes: ['NOT_MAPPED'] },
  ],
  [
    13,
    'reporting',
    { decision: 'denied', codes: ['NOT_MAPPED'] },
    {
      decision: 'allowed',
      via: 'aws-auth-user',
      codes: ['ACCESS_ENTRY_STALE'],
      username: 'dana',
    },
  ],
];

function expectVerdict(
  cluster: Cluster,
  caller: AccessCheckInput['caller'],
  want: Expect,
) {
  const verdict = evaluateAccess({
    caller,
    cluster,
    now: '2026-01-01T00:00:00Z',
  });
  expect(verdict.decision).toBe(want.decision);
  expect(verdict.via).toBe(want.via);
  const codes = verdict.findings.map(f => f.code);
  expect(codes).toEqual(expect.arrayContaining(want.codes));
  if (want.username) expect(verdict.username).toBe(want.username);
  if (want.expectForbidden !== undefined) {
    expect(verdict.expectForbidden).toBe(want.expectForbidden);
  }
  for (const f of verdict.findings) {
    if (f.severity !== 'info')
      expect(f.fix?.commands.length).toBeGreaterThan(0);
  }
  // The pre-indexed path gives the same answer.
  expect(
    evaluateAccess({
      caller,
      cluster: indexClusterAccess(cluster),
      now: '2026-01-01T00:00:00Z',
    }),
  ).toEqual(verdict);
  return verdict;
}

describe('docs/demo-scenario.md', () => {
  it('covers the 13 clusters', () => {
    expect(Object.keys(clusters)).toHaveLength(13);
    expect(rows.map(r => r[1]).sort()).toEqual(Object.keys(clusters).sort());
  });

  describe.each(rows)('#%s %s', (_n, name, sso, user) => {
    it('Dana (SSO)', () => {
      expectVerdict(clusters[name], danaSso, sso);
    });
    it('Dana (user)', () => {
      expectVerdict(clusters[name], danaUser, user);
    });
    it('Alex (PlatformAdmin) gets in', () => {
      const v = evaluateAccess({ caller: alex, cluster: clusters[name] });
      expect(v.decision).toBe('allowed');
      let via = 'access-entry';
      if (clusters[name].authenticationMode === 'CONFIG_MAP') {
        via = name === 'platform-tools' ? 'aws-auth-role' : 'cluster-creator';
      }
      expect(v.via).toBe(via);
    });
  });

  it('payments-prod: Dana gets the namespaced view policy, not the aws-auth group', () => {
    const v = expectVerdict(clusters['payments-prod'], danaSso, rows[0][2]);
    expect(v.groups).toEqual([]);
    expect(v.accessPolicies?.[0].accessScope.namespaces).toEqual([
      'payments',
      'payments-jobs',
    ]);
    expect(v.username).toBe(
      `arn:aws:sts::${PLATFORM}:assumed-role/${SSO_ROLE_NAME}/dana-example.com`,
    );
  });
});
