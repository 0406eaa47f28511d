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

/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "checkShownPlan"] }] */

/*
 * Property: every plan the diagnosis shows, on the demo clusters and on
 * generated clusters (all three modes, aws-auth with mixed, near-miss and
 * broken entries, stale and node access entries, with and without RBAC),
 * (1) lets the identity in with what it promises and (2) changes nothing for
 * any other principal that had access. The check below is independent of
 * the simulator's own: it probes a fixed pool of principals with other
 * session names, not the snapshot's list.
 */

import fc from 'fast-check';
import { clusters, danaSso, danaUser, alex } from './__fixtures__/demoClusters';
import { canonicalizeArn, stripArnPath } from './arn';
import { serializeAwsAuthEntries } from './awsAuth';
import { diagnoseAccess } from './diagnose';
import { evaluateAccess } from './evaluate';
import { indexClusterAccess, withAccessEntries } from './clusterIndex';
import { applyPlan } from './planSimulation';
import { summarizePermissions, type RbacSnapshot } from './rbac';
import type {
  AccessEntryInfo,
  AccessVerdict,
  CallerInfo,
  ClusterAccessData,
} from './types';

const NOW = '2026-01-01T00:00:00Z';
const ACCT = '111122223333';
const SSO = 'AWSReservedSSO_PS_0123456789abcdef';
const ROLES = [
  `arn:aws:iam::${ACCT}:role/Dev`,
  `arn:aws:iam::${ACCT}:role/team/Ops`,
  `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/${SSO}`,
  // The same permission set provisioned earlier: an SSO suffix near miss.
  `arn:aws:iam::${ACCT}:role/AWSReservedSSO_PS_fedcba9876543210`,
];
const USERS = [
  `arn:aws:iam::${ACCT}:user/alice`,
  `arn:aws:iam::${ACCT}:user/eng/bob`,
];
const POOL = [...ROLES, ...USERS];
const GROUPS = ['devs', 'ops', 'system:masters', 'eks-access-viewers'];
const POLICIES = [
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
];

function sessionOf(arn: string, session: string): string {
  const m = /^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}` : arn;
}

const groupsArb = fc.subarray(GROUPS, { maxLength: 2 });

const entryArb: fc.Arbitrary<AccessEntryInfo> = fc.record(
  {
    principalArn: fc.constantFrom(...POOL),
    type: fc.constantFrom('STANDARD', 'STANDARD', 'STANDARD', 'EC2_LINUX'),
    username: fc.option(fc.constantFrom('fixed', '{{SessionName}}'), {
      nil: undefined,
    }),
    kubernetesGroups: fc.subarray(['devs', 'ops']),
    createdAt: fc.constant('2024-01-01T00:00:00Z'),
    accessPolicies: fc.subarray(
      POLICIES.map(policyArn => ({
        policyArn,
        accessScope: { type: 'cluster' as const },
      })),
      { maxLength: 1 },
    ),
  },
  { requiredKeys: ['principalArn', 'type', 'createdAt'] },
);

const roleArnArb = fc.oneof(
  fc.constantFrom(...ROLES.map(stripArnPath)),
  fc.constantFrom(...ROLES), // with path: a near miss
  fc.constantFrom(...ROLES.map(r => sessionOf(r, 'someone'))), // session ARN
);
const usernameArb = fc.constantFrom(
  '{{SessionName}}',
  'fixed-name',
  'system:node:{{EC2PrivateDNSName}}',
);
const awsAuthArb = fc
  .record({
    roles: fc.array(
      fc.record({
        rolearn: roleArnArb,
        username: usernameArb,
        groups: groupsArb,
      }),
      { maxLength: 4 },
    ),
    users: fc.array(
      fc.record({
        userarn: fc.constantFrom(...USERS),
        username: fc.constantFrom('alice', 'bob', 'u'),
        groups: groupsArb,
      }),
      { maxLength: 3 },
    ),
    accounts: fc.subarray([ACCT]),
    breakage: fc.constantFrom('none', 'none', 'tab', 'miscased-key', 'userARN'),
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
    if (breakage === 'miscased-key') {
      data.maproles = `- rolearn: ${stripArnPath(
        ROLES[0],
      )}\n  username: x\n  groups:\n  - devs\n`;
    }
    if (breakage === 'userARN' && data.mapUsers) {
      data.mapUsers = data.mapUsers.replace('userarn:', 'userARN:');
    }
    return { data };
  });

const rbacArb: fc.Arbitrary<RbacSnapshot | undefined> = fc.option(
  fc.subarray(['devs', 'ops', 'eks-access-viewers']).map(bound => ({
    roles: [
      {
        name: 'view',
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
    ],
    bindings: bound.map(g => ({
      name: g,
      roleRef: { kind: 'ClusterRole' as const, name: 'view' },
      subjects: [{ kind: 'Group', name: g }],
    })),
  })),
  { nil: undefined },
);

const clusterArb: fc.Arbitrary<ClusterAccessData> = fc.record({
  name: fc.constant('generated'),
  accountId: fc.constant(ACCT),
  region: fc.constant('us-east-1'),
  authenticationMode: fc.constantFrom(
    'CONFIG_MAP' as const,
    'API_AND_CONFIG_MAP' as const,
    'API' as const,
  ),
  accessEntries: fc.uniqueArray(entryArb, {
    maxLength: 3,
    selector: e => stripArnPath(e.principalArn),
  }),
  awsAuth: fc.oneof(awsAuthArb, awsAuthArb, fc.constant(null)),
  rbac: rbacArb,
});

const callerArb: fc.Arbitrary<CallerInfo> = fc
  .record({
    principal: fc.constantFrom(...POOL),
    knowsPath: fc.boolean(),
    recreated: fc.boolean(),
  })
  .map(({ principal, knowsPath, recreated }) => ({
    arn: sessionOf(principal, 'dana@example.com'),
    ...(knowsPath ? { iamArn: principal } : {}),
    ...(recreated ? { principalCreatedAt: '2025-01-01T00:00:00Z' } : {}),
  }));

function access(v: AccessVerdict) {
  return JSON.stringify({
    d: v.decision,
    u: v.username,
    g: [...(v.groups ?? [])].sort(),
    p: (v.accessPolicies ?? []).map(p => p.policyArn).sort(),
  });
}

/** Checks the two promises of a shown plan, independently of verifyPlan. */
function checkShownPlan(cluster: ClusterAccessData, caller: CallerInfo) {
  const verdict = evaluateAccess({ caller, cluster, now: NOW });
  const d = diagnoseAccess({ cluster, caller, verdict, now: NOW });
  if (!d.plan) return;
  const after = applyPlan(cluster, d.plan, NOW).cluster;
  const v = evaluateAccess({ caller, cluster: after, now: NOW });
  // 1. The identity gets in with what the plan promises.
  expect(v.decision).toBe('allowed');
  const promise = d.plan.promise!;
  if (promise.username !== undefined) expect(v.username).toBe(promise.username);
  for (const g of promise.groups) expect(v.groups).toContain(g);
  for (const p of promise.accessPolicies) {
    expect(v.accessPolicies?.map(q => q.policyArn)).toContain(p.policyArn);
  }
  if (after.rbac) {
    const can = summarizePermissions(
      {
        username: v.username!,
        groups: v.groups ?? [],
        accessPolicies: v.accessPolicies,
      },
      after.rbac,
    );
    expect(can.forbidden).toBe(false);
  }
  // 2. No one else who had access loses it or changes name, groups, policies.
  const self = canonicalizeArn(caller.arn).toLowerCase();
  const others = [...POOL, alex.iamArn!, ...USERS].filter(
    p =>
      stripArnPath(canonicalizeArn(sessionOf(p, 'x'))).toLowerCase() !==
      stripArnPath(self),
  );
  for (const p of others) {
    for (const session of ['probe-session', 'i-0abcdef1234567890']) {
      const probe = { arn: sessionOf(p, session) };
      const before = evaluateAccess({ caller: probe, cluster });
      if (before.decision !== 'allowed') continue;
      const later = evaluateAccess({ caller: probe, cluster: after });
      expect(access(later)).toBe(access(before));
    }
  }
}

describe('every plan shown is safe and works', () => {
  it.each(Object.keys(clusters))('demo cluster %s', name => {
    for (const caller of [danaSso, danaUser, alex]) {
      checkShownPlan(clusters[name], caller);
    }
  });

  it('generated clusters', () => {
    fc.assert(
      fc.property(clusterArb, callerArb, (cluster, caller) => {
        checkShownPlan(cluster, caller);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifying a plan shares the parsed aws-auth', () => {
  // verifyPlan indexes the cluster after an access-entry plan by swapping
  // the entries into the index before it: that must be the very index a
  // fresh parse of the changed cluster gives.
  it('an index with other entries equals a fresh index of the cluster with them', () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.option(fc.uniqueArray(entryArb, { selector: e => e.principalArn })),
        (cluster, entries) => {
          const changed = { ...cluster, accessEntries: entries ?? undefined };
          expect(
            withAccessEntries(
              indexClusterAccess(cluster),
              changed.accessEntries,
            ),
          ).toEqual(indexClusterAccess(changed));
        },
      ),
      { numRuns: 300 },
    );
  });
});
