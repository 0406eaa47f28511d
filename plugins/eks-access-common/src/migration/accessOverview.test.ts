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

import { clusters } from '../evaluator/__fixtures__/demoClusters';
import { accessOverviewCsv, clusterAccessOverview } from './accessOverview';

describe('clusterAccessOverview', () => {
  it('lists every way into each demo cluster with its source', () => {
    const overview = clusterAccessOverview(clusters['payments-staging']);
    expect(
      overview.rows.map(r => [r.source, r.principal.split(/[:/]/).pop()]),
    ).toMatchSnapshot();
    expect(overview.hygiene.map(h => h.code)).toContain('CONFIG_MAP_MODE');
  });

  it('finds stale SSO suffixes, shadowing, never-matching mappings and parse problems across the demo fleet', () => {
    const iamPrincipals = [
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      'arn:aws:iam::111122223333:role/PlatformAdmin',
      'arn:aws:iam::444455556666:user/engineering/dana',
      'arn:aws:iam::444455556666:role/DataEngineer',
    ];
    const codes = new Set(
      Object.values(clusters).flatMap(c =>
        clusterAccessOverview(c, { iamPrincipals }).hygiene.map(h => h.code),
      ),
    );
    expect([...codes].sort()).toEqual(
      expect.arrayContaining([
        'ADMITS_NOBODY',
        'AWS_AUTH_PROBLEM',
        'CONFIG_MAP_MODE',
        'SHADOWED',
        'SSO_SUFFIX_GONE',
      ]),
    );
  });

  it('marks aws-auth as ignored in API mode', () => {
    const api = Object.values(clusters).find(
      c => c.authenticationMode === 'API' && c.awsAuth,
    )!;
    const rows = clusterAccessOverview(api).rows.filter(r =>
      r.source.startsWith('aws-auth'),
    );
    for (const r of rows) expect(r.shadowedBy).toBe('authentication mode API');
  });
});

describe('clusterAccessOverview with IAM facts per principal', () => {
  const cluster = {
    name: 'c',
    accountId: '111122223333',
    region: 'eu-west-1',
    authenticationMode: 'API_AND_CONFIG_MAP' as const,
    accessEntries: [
      {
        principalArn: 'arn:aws:iam::111122223333:role/Recreated',
        type: 'STANDARD',
        createdAt: '2026-01-01T00:00:00Z',
      },
      {
        principalArn: 'arn:aws:iam::111122223333:role/Same',
        type: 'STANDARD',
        createdAt: '2026-01-01T00:00:00Z',
      },
      {
        principalArn: 'arn:aws:iam::444455556666:role/OtherAccount',
        type: 'STANDARD',
        createdAt: '2026-01-01T00:00:00Z',
      },
    ],
    awsAuth: {
      data: {
        mapRoles:
          '- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_0123456789abcdef\n  username: dev\n  groups: [dev]\n- rolearn: arn:aws:iam::111122223333:role/Gone\n  username: gone\n  groups: [dev]\n',
      },
    },
  };
  const facts: Record<string, { exists: boolean; createdAt?: string }> = {
    'arn:aws:iam::111122223333:role/Recreated': {
      exists: true,
      createdAt: '2026-06-01T00:00:00Z',
    },
    'arn:aws:iam::111122223333:role/Same': {
      exists: true,
      createdAt: '2025-06-01T00:00:00Z',
    },
    'arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_0123456789abcdef': {
      exists: false,
    },
    'arn:aws:iam::111122223333:role/Gone': { exists: false },
  };

  it('reports gone, recreated and re-provisioned principals, and says nothing of those not looked up', () => {
    const hygiene = clusterAccessOverview(cluster, {
      iamPrincipalFacts: arn => facts[arn],
    }).hygiene.filter(h => h.code !== 'SHADOWED');
    expect(hygiene.map(h => [h.code, h.subject.split('/').pop()])).toEqual([
      ['STALE_PRINCIPAL', 'Recreated'],
      ['SSO_SUFFIX_GONE', 'AWSReservedSSO_Dev_0123456789abcdef'],
      ['STALE_PRINCIPAL', 'Gone'],
    ]);
    expect(hygiene[0].message).toContain('created again');
  });
});

describe('accessOverviewCsv', () => {
  it('quotes cells and defuses spreadsheet formulas', () => {
    const csv = accessOverviewCsv([
      {
        cluster: 'c',
        accountId: '1',
        region: 'r',
        mode: 'API',
        principal: 'arn:aws:iam::1:role/A',
        source: 'access-entry',
        username: '=HYPERLINK("x")',
        groups: ['a', 'b'],
        accessPolicies: [],
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'cluster,accountId,region,mode,principal,source,type,username,groups,accessPolicies,shadowedBy',
      `c,1,r,API,arn:aws:iam::1:role/A,access-entry,,"'=HYPERLINK(""x"")",a b,,`,
    ]);
  });
});
