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
 * Property: for random aws-auth ConfigMaps with the authenticator's quirks
 * (role paths, session ARNs, duplicates, wrong case, tabs, merged groups,
 * templates, system groups, node mappings, mapAccounts), in CONFIG_MAP and
 * API_AND_CONFIG_MAP with existing entries, with and without RBAC, the
 * simulation is never "equivalent" when a principal would change, and it
 * lists exactly the principals that change. The check is independent of
 * the simulation's: other session names, the after-cluster built here, and
 * its own comparison of the evaluator's verdicts.
 */

import fc from 'fast-check';
import { stripArnPath } from '../evaluator/arn';
import { serializeAwsAuthEntries } from '../evaluator/awsAuth';
import { evaluateAccess } from '../evaluator/evaluate';
import { summarizePermissions, type RbacSnapshot } from '../evaluator/rbac';
import type {
  AccessEntryInfo,
  AccessVerdict,
  AuthenticationMode,
  ClusterAccessData,
} from '../evaluator/types';
import { NODE_ENTRY_GROUPS, planMigration } from './planMigration';
import { simulateMigration } from './simulateMigration';
import type { MigrationPlan } from './types';

const ACCT = '111122223333';
const OTHER = '444455556666';
const SSO = 'AWSReservedSSO_PS_0123456789abcdef';
const ROLES = [
  `arn:aws:iam::${ACCT}:role/Dev`,
  `arn:aws:iam::${ACCT}:role/team/Ops`,
  `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/${SSO}`,
  `arn:aws:iam::${ACCT}:role/Nodes`,
  `arn:aws:iam::${OTHER}:role/Partner`,
];
const USERS = [
  `arn:aws:iam::${ACCT}:user/alice`,
  `arn:aws:iam::${ACCT}:user/eng/bob`,
  `arn:aws:iam::${OTHER}:user/carol`,
];
const POOL = [...ROLES, ...USERS];
// Other session names than the simulation's: a node and a person.
const SESSIONS = ['i-0fedcba9876543210', 'sam@corp.example'];

const sessionOf = (arn: string, session: string) => {
  const m = /^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}` : arn;
};

const groupArb = fc.constantFrom(
  'devs',
  'ops',
  'system:masters',
  'system:viewers',
  'system:editors',
  'system:authenticated',
  'system:bootstrappers',
  'system:nodes',
  'system:node-proxier',
  'team-{{AccountID}}',
  'g-{{SessionName}}',
  'system:bootstrappers - system:nodes',
);
const groupsArb = fc.uniqueArray(groupArb, { maxLength: 3 });
const nodeGroupsArb = fc.constantFrom<string[]>(
  ['system:bootstrappers', 'system:nodes'],
  ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
  ['system:nodes'],
);
const usernameArb = fc.constantFrom(
  '{{SessionName}}',
  'dev:{{SessionName}}',
  'fixed-name',
  'acct-{{AccountID}}',
  'raw:{{SessionNameRaw}}',
  'key:{{AccessKeyID}}',
  'system:admin',
  'system:node:{{EC2PrivateDNSName}}',
  'system:node:{{SessionName}}',
  `arn:aws:sts::${ACCT}:assumed-role/Dev/{{SessionName}}`,
);
const roleArnArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ROLES.map(stripArnPath)) },
  { weight: 1, arbitrary: fc.constantFrom(...ROLES) }, // with path: never matches
  {
    weight: 1,
    arbitrary: fc.constantFrom(...ROLES.map(r => sessionOf(r, 'x'))),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...ROLES.map(r =>
        stripArnPath(r).toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam'),
      ),
    ),
  },
);
const roleMappingArb = fc.oneof(
  fc.record({
    rolearn: roleArnArb,
    username: usernameArb,
    groups: groupsArb,
  }),
  fc.record({
    rolearn: roleArnArb,
    username: fc.constantFrom(
      'system:node:{{EC2PrivateDNSName}}',
      'system:node:{{SessionName}}',
    ),
    groups: nodeGroupsArb,
  }),
);
const awsAuthArb = fc
  .record({
    roles: fc.array(roleMappingArb, { maxLength: 5 }),
    users: fc.array(
      fc.record({
        userarn: fc.constantFrom(...USERS),
        username: fc.constantFrom(
          'alice',
          '{{SessionName}}',
          'u-{{AccountID}}',
          'system:bob',
        ),
        groups: groupsArb,
      }),
      { maxLength: 3 },
    ),
    accounts: fc.subarray([ACCT, OTHER], { maxLength: 1 }),
    breakage: fc.constantFrom('none', 'none', 'none', 'tab', 'miscased-key'),
  })
  .map(({ roles, users, accounts, breakage }) => {
    const data = serializeAwsAuthEntries({
      mapRoles: roles,
      mapUsers: users,
      mapAccounts: accounts,
    });
    if (breakage === 'tab' && data.mapUsers) {
      data.mapUsers = data.mapUsers.replace(/\n {2}username/, '\n\tusername');
    }
    if (breakage === 'miscased-key' && data.mapRoles) {
      data.MapRoles = data.mapRoles;
      delete data.mapRoles;
    }
    return { data };
  });

const policy = (name: string) =>
  `arn:aws:eks::aws:cluster-access-policy/${name}`;
const entryArb: fc.Arbitrary<AccessEntryInfo> = fc.record({
  principalArn: fc.constantFrom(...POOL),
  type: fc.constantFrom('STANDARD', 'STANDARD', 'EC2_LINUX'),
  kubernetesGroups: fc.subarray(['devs', 'ops']),
  accessPolicies: fc.subarray([
    {
      policyArn: policy('AmazonEKSViewPolicy'),
      accessScope: { type: 'cluster' as const },
    },
  ]),
});

const rbacArb: fc.Arbitrary<RbacSnapshot | undefined> = fc.option(
  fc
    .record({
      viewers: fc.constantFrom('view', 'custom', 'none'),
      editorsNs: fc.boolean(),
      devs: fc.boolean(),
    })
    .map(({ viewers, editorsNs, devs }) => ({
      roles: [
        {
          name: 'view',
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        },
        {
          name: 'edit',
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }],
        },
        {
          name: 'custom',
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
        },
      ],
      bindings: [
        ...(viewers === 'none'
          ? []
          : [
              {
                name: 'viewers',
                roleRef: { kind: 'ClusterRole' as const, name: viewers },
                subjects: [{ kind: 'Group', name: 'system:viewers' }],
              },
            ]),
        {
          name: 'editors',
          ...(editorsNs ? { namespace: 'shop' } : {}),
          roleRef: { kind: 'ClusterRole' as const, name: 'edit' },
          subjects: [{ kind: 'Group', name: 'system:editors' }],
        },
        ...(devs
          ? [
              {
                name: 'devs',
                roleRef: { kind: 'ClusterRole' as const, name: 'view' },
                subjects: [{ kind: 'Group', name: 'devs' }],
              },
            ]
          : []),
      ],
    })),
  { nil: undefined },
);

const clusterArb: fc.Arbitrary<ClusterAccessData> = fc
  .record({
    mode: fc.constantFrom<AuthenticationMode>(
      'CONFIG_MAP',
      'CONFIG_MAP',
      'API_AND_CONFIG_MAP',
    ),
    entries: fc.uniqueArray(entryArb, {
      maxLength: 2,
      selector: e => stripArnPath(e.principalArn),
    }),
    awsAuth: awsAuthArb,
    rbac: rbacArb,
    creator: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
  })
  .map(({ mode, entries, awsAuth, rbac, creator }) => ({
    name: 'generated',
    accountId: ACCT,
    region: 'us-east-1',
    authenticationMode: mode,
    accessEntries: mode === 'CONFIG_MAP' ? undefined : entries,
    awsAuth,
    rbac,
    creatorArn: creator,
  }));

/** The independent comparison: what a person or node would notice. */
function observed(v: AccessVerdict, cluster: ClusterAccessData) {
  if (v.decision !== 'allowed') return { decision: v.decision };
  const entry =
    v.via === 'access-entry'
      ? cluster.accessEntries?.find(e => e.principalArn === v.matchedPrincipal)
      : undefined;
  const nodeGroups =
    NODE_ENTRY_GROUPS[entry?.type as keyof typeof NODE_ENTRY_GROUPS] ?? [];
  const groups = new Set([...(v.groups ?? []), ...nodeGroups]);
  const summary = summarizePermissions(
    {
      username: v.username ?? '',
      groups: [...groups],
      accessPolicies: v.accessPolicies,
    },
    cluster.rbac,
  );
  const cluster_ = summary.scopes.find(s => s.namespace === '*');
  const levels = ['none', 'read', 'write', 'admin'];
  return {
    decision: v.decision,
    username: v.username,
    // Groups an access entry can carry, and the node groups.
    groups: [...groups]
      .filter(
        g =>
          !g.startsWith('system:') ||
          /^system:(nodes|bootstrappers|node-proxier)$/.test(g),
      )
      .sort(),
    permissions: summary.scopes
      .filter(
        s =>
          s === cluster_ ||
          !cluster_ ||
          levels.indexOf(s.level) > levels.indexOf(cluster_.level) ||
          (s.secrets && !cluster_.secrets),
      )
      .map(s => [s.namespace, s.level, s.secrets])
      .sort(),
    forbidden: summary.forbidden,
  };
}

function afterCluster(
  cluster: ClusterAccessData,
  plan: MigrationPlan,
  mode: AuthenticationMode,
): ClusterAccessData {
  const created: AccessEntryInfo[] = plan.entries.map(e => ({
    principalArn: e.principal.arn,
    type: e.type,
    username: e.username,
    kubernetesGroups: e.kubernetesGroups,
    accessPolicies: e.accessPolicies,
  }));
  return {
    ...cluster,
    authenticationMode: mode,
    accessEntries: [
      ...(cluster.authenticationMode === 'CONFIG_MAP'
        ? []
        : cluster.accessEntries ?? []),
      ...created,
    ],
  };
}

function changedPrincipals(cluster: ClusterAccessData, plan: MigrationPlan) {
  const changed = new Set<string>();
  const stages = plan.modeChanges.map(m => afterCluster(cluster, plan, m.to));
  for (const principal of POOL) {
    const callers = principal.includes(':role/')
      ? SESSIONS.map(s => ({ arn: sessionOf(principal, s) }))
      : [{ arn: principal }];
    for (const caller of callers) {
      const before = JSON.stringify(
        observed(evaluateAccess({ caller, cluster }), cluster),
      );
      for (const after of stages) {
        const seen = JSON.stringify(
          observed(evaluateAccess({ caller, cluster: after }), after),
        );
        if (seen !== before) changed.add(stripArnPath(principal).toLowerCase());
      }
    }
  }
  return changed;
}

describe('simulateMigration (property)', () => {
  it('is equivalent only when nobody changes, and lists exactly who does', () => {
    let equivalent = 0;
    let differing = 0;
    fc.assert(
      fc.property(clusterArb, cluster => {
        const plan = planMigration({ cluster, iamPrincipals: POOL });
        const sim = simulateMigration(cluster, plan, { iamPrincipals: POOL });
        const expected = changedPrincipals(cluster, plan);
        const listed = new Set(
          sim.differences.map(d => stripArnPath(d.principal).toLowerCase()),
        );
        expect([...listed].sort()).toEqual([...expected].sort());
        expect(sim.equivalent).toBe(expected.size === 0);
        if (sim.equivalent) equivalent++;
        else differing++;
      }),
      { numRuns: 300 },
    );
    // Both outcomes occur: the generator exercises the property.
    expect(equivalent).toBeGreaterThan(20);
    expect(differing).toBeGreaterThan(20);
  });

  it('without the IAM principals, never claims equivalence when a mapped principal changes', () => {
    fc.assert(
      fc.property(clusterArb, cluster => {
        const plan = planMigration({ cluster });
        const sim = simulateMigration(cluster, plan);
        const mapped = new Set(
          sim.principals.map(p => stripArnPath(p).toLowerCase()),
        );
        const changed = [...changedPrincipals(cluster, plan)].filter(p =>
          mapped.has(p),
        );
        // Equivalent implies that no simulated principal changes.
        expect(sim.equivalent && changed.length > 0).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
