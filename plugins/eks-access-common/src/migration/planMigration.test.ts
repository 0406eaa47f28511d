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
import { serializeAwsAuthEntries } from '../evaluator/awsAuth';
import type { ClusterAccessData } from '../evaluator/types';
import { planMigration } from './planMigration';
import { simulateMigration } from './simulateMigration';

const ACCT = '111122223333';
const NODE_ROLE = `arn:aws:iam::${ACCT}:role/NodeInstanceRole`;
const DEV_ROLE = `arn:aws:iam::${ACCT}:role/Dev`;
const ADMIN_ROLE = `arn:aws:iam::${ACCT}:role/Admin`;
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;

const cluster = (
  data: Record<string, string>,
  extra: Partial<ClusterAccessData> = {},
): ClusterAccessData => ({
  name: 'payments',
  accountId: ACCT,
  region: 'eu-west-1',
  authenticationMode: 'CONFIG_MAP',
  awsAuth: { data },
  ...extra,
});

const typical = cluster(
  serializeAwsAuthEntries({
    mapRoles: [
      {
        rolearn: NODE_ROLE,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
      },
      { rolearn: DEV_ROLE, username: 'dev:{{SessionName}}', groups: ['devs'] },
      {
        rolearn: ADMIN_ROLE,
        username: 'admin-{{AccountID}}',
        groups: ['system:masters'],
      },
    ],
    mapUsers: [{ userarn: ALICE, username: 'alice', groups: ['devs'] }],
  }),
  { creatorArn: ADMIN_ROLE },
);

describe('planMigration', () => {
  it('turns each mapping into the entry that gives the same identity', () => {
    const plan = planMigration({ cluster: typical });
    expect(plan.modeChanges).toEqual([
      { from: 'CONFIG_MAP', to: 'API_AND_CONFIG_MAP', final: false },
      { from: 'API_AND_CONFIG_MAP', to: 'API', final: true },
    ]);
    const byArn = Object.fromEntries(plan.entries.map(e => [e.sourceArn, e]));
    expect(byArn[NODE_ROLE]).toMatchObject({
      type: 'EC2_LINUX',
      kubernetesGroups: [],
      principal: { arn: NODE_ROLE, lookupRoleName: 'NodeInstanceRole' },
    });
    expect(byArn[NODE_ROLE].username).toBeUndefined();
    expect(byArn[DEV_ROLE]).toMatchObject({
      type: 'STANDARD',
      username: 'dev:{{SessionName}}',
      kubernetesGroups: ['devs'],
    });
    expect(byArn[ALICE]).toMatchObject({
      username: 'alice',
      kubernetesGroups: ['devs'],
    });
    // The creator's hidden admin access becomes a visible entry; its
    // aws-auth mapping was shadowed by it and is not migrated.
    expect(byArn[ADMIN_ROLE]).toMatchObject({
      source: 'cluster-creator',
      username: 'kubernetes-admin',
      accessPolicies: [
        {
          policyArn:
            'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster' },
        },
      ],
    });
    expect(plan.issues.map(i => i.code)).toEqual(['ALREADY_HAS_ENTRY']);
    const sim = simulateMigration(typical, plan);
    expect(sim.differences).toEqual([]);
    expect(sim.summary).toBe('Equivalent for all 4 principals');
  });

  it('renders {{AccountID}} and carries system:masters as the cluster admin policy', () => {
    const c = cluster(
      serializeAwsAuthEntries({
        mapRoles: [
          {
            rolearn: ADMIN_ROLE,
            username: 'admin-{{AccountID}}',
            groups: ['system:masters', 'ops'],
          },
        ],
      }),
    );
    const plan = planMigration({ cluster: c });
    expect(plan.entries[0]).toMatchObject({
      username: `admin-${ACCT}`,
      kubernetesGroups: ['ops'],
      translatedGroups: ['system:masters'],
    });
    expect(simulateMigration(c, plan).equivalent).toBe(true);
  });

  it('calls out what access entries cannot express, and the simulation lists who changes', () => {
    const c = cluster(
      serializeAwsAuthEntries({
        mapRoles: [
          { rolearn: DEV_ROLE, username: '{{SessionName}}', groups: ['devs'] },
          {
            rolearn: ADMIN_ROLE,
            username: 'system:admin',
            groups: ['ops'],
          },
        ],
        mapAccounts: ['444455556666'],
      }),
    );
    const plan = planMigration({
      cluster: c,
      iamPrincipals: [
        DEV_ROLE,
        ADMIN_ROLE,
        'arn:aws:iam::444455556666:user/carol',
      ],
    });
    expect(plan.issues.map(i => [i.code, i.severity, i.subject])).toEqual([
      ['UNSUPPORTED_TEMPLATE', 'blocker', DEV_ROLE],
      ['RESERVED_USERNAME', 'blocker', ADMIN_ROLE],
      ['MAP_ACCOUNTS', 'blocker', '444455556666'],
    ]);
    // carol's only access is mapAccounts: she gets an entry as her ARN.
    expect(plan.entries).toEqual([
      expect.objectContaining({
        source: 'mapAccounts',
        username: 'arn:aws:iam::444455556666:user/carol',
      }),
    ]);
    const sim = simulateMigration(c, plan, {
      iamPrincipals: [
        DEV_ROLE,
        ADMIN_ROLE,
        'arn:aws:iam::444455556666:user/carol',
      ],
    });
    expect(sim.equivalent).toBe(false);
    expect([...new Set(sim.differences.map(d => d.principal))].sort()).toEqual(
      [ADMIN_ROLE, DEV_ROLE].sort(),
    );
    expect(sim.summary).toBe('2 of 3 principals would change');
  });

  it('keeps the access mapAccounts gives known principals, role paths included', () => {
    const sso = `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PS_0123456789abcdef`;
    const c = cluster(serializeAwsAuthEntries({ mapAccounts: [ACCT] }));
    const plan = planMigration({ cluster: c, iamPrincipals: [sso, ALICE] });
    expect(plan.entries.map(e => [e.principal.arn, e.username])).toEqual([
      [sso, `arn:aws:iam::${ACCT}:role/AWSReservedSSO_PS_0123456789abcdef`],
      [ALICE, ALICE],
    ]);
    expect(
      simulateMigration(c, plan, { iamPrincipals: [sso, ALICE] }).summary,
    ).toBe('Equivalent for all 2 principals');
  });

  it('does not migrate mappings that admit nobody today', () => {
    const c = cluster(
      serializeAwsAuthEntries({
        mapRoles: [
          {
            rolearn: `arn:aws:iam::${ACCT}:role/team/Ops`,
            username: 'ops',
            groups: ['ops'],
          },
          {
            rolearn: `arn:aws:sts::${ACCT}:assumed-role/Dev/someone`,
            username: 'dev',
            groups: ['devs'],
          },
        ],
      }),
    );
    const plan = planMigration({ cluster: c });
    expect(plan.entries).toEqual([]);
    expect(plan.issues.map(i => i.code)).toEqual([
      'NEVER_MATCHES',
      'NEVER_MATCHES',
    ]);
    expect(simulateMigration(c, plan).equivalent).toBe(true);
  });

  it('translates a system: group bound only to a well-known ClusterRole', () => {
    const c = cluster(
      serializeAwsAuthEntries({
        mapRoles: [
          { rolearn: DEV_ROLE, username: 'dev', groups: ['system:viewers'] },
        ],
      }),
      {
        rbac: {
          roles: [
            {
              name: 'view',
              rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
            },
          ],
          bindings: [
            {
              name: 'viewers',
              namespace: 'payments',
              roleRef: { kind: 'ClusterRole', name: 'view' },
              subjects: [{ kind: 'Group', name: 'system:viewers' }],
            },
          ],
        },
      },
    );
    const plan = planMigration({ cluster: c });
    expect(plan.entries[0].accessPolicies).toEqual([
      {
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
        accessScope: { type: 'namespace', namespaces: ['payments'] },
      },
    ]);
    expect(simulateMigration(c, plan).equivalent).toBe(true);
  });

  it('plans every demo cluster: equivalent, or changes only in API mode where a blocker says why', () => {
    const summaries = Object.fromEntries(
      Object.entries(clusters).map(([name, demo]) => {
        const plan = planMigration({ cluster: demo });
        const sim = simulateMigration(demo, plan);
        for (const d of sim.differences) expect(d.stage).toBe('API');
        expect(
          sim.equivalent || plan.issues.some(i => i.severity === 'blocker'),
        ).toBe(true);
        return [name, sim.summary];
      }),
    );
    expect(summaries).toMatchObject({
      'payments-staging': 'Equivalent for all 3 principals',
      'platform-tools': 'Equivalent for all 2 principals',
      analytics: 'Equivalent for all 2 principals',
      'legacy-batch': '1 of 2 principals would change',
      'search-prod': '1 of 3 principals would change',
      'docs-site': '1 of 2 principals would change',
    });
  });
});
