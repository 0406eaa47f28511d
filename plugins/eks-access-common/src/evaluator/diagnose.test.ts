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

import {
  alex,
  clusters,
  danaSso,
  danaUser,
  DATA_ENGINEER,
  DANA_USER,
  OLD_SSO_ROLE_STRIPPED,
  PLATFORM,
  SSO_ROLE_NAME,
  SSO_ROLE_STRIPPED,
} from './__fixtures__/demoClusters';
import { parseAwsAuth } from './awsAuth';
import {
  clusterWideFindings,
  diagnoseAccess,
  forbiddenWithRbac,
} from './diagnose';
import { evaluateAccess } from './evaluate';
import { redactPlan, type FixPlan } from './fixPlan';
import { renderPlanForms } from './planRender';
import { kubeconfigGuidance } from './kubeconfig';
import { applyPlan, verifyPlan } from './planSimulation';
import type { RbacSnapshot } from './rbac';
import type { CallerInfo, ClusterAccessData } from './types';

const NOW = '2026-01-01T00:00:00Z';

function diagnose(cluster: ClusterAccessData, caller: CallerInfo) {
  const verdict = evaluateAccess({ caller, cluster, now: NOW });
  return { verdict, ...diagnoseAccess({ cluster, caller, verdict, now: NOW }) };
}

const ops = (plan?: FixPlan) => plan?.steps.map(s => s.op) ?? [];

describe('diagnoseAccess on the demo clusters', () => {
  it.each(Object.keys(clusters))(
    '%s: at most one plan per identity, each verified and free of cluster-wide findings',
    name => {
      for (const caller of [danaSso, danaUser]) {
        const d = diagnose(clusters[name], caller);
        // A plan and a decision are never both offered.
        expect(!!d.plan && !!d.decisionNeeded).toBe(false);
        const needsFix =
          d.verdict.decision !== 'allowed' || !!d.verdict.expectForbidden;
        expect(!needsFix || !!(d.plan || d.decisionNeeded)).toBe(true);
        expect(
          !d.plan || verifyPlan(clusters[name], caller, d.plan, NOW).verified,
        ).toBe(true);
        for (const f of d.secondary) {
          expect(f.fix).toBeUndefined();
          expect(f.code).not.toBe(d.rootCause);
          expect([
            'AWS_AUTH_PARSE_ERROR',
            'AWS_AUTH_KEY_CASE',
            'DATA_UNAVAILABLE',
          ]).not.toContain(f.code);
        }
      }
    },
  );

  it('reporting: the stale entry is only deleted, never recreated over aws-auth', () => {
    const d = diagnose(clusters.reporting, danaUser);
    expect(d.verdict.decision).toBe('allowed');
    expect(d.rootCause).toBe('ACCESS_ENTRY_STALE');
    expect(ops(d.plan)).toEqual(['DeleteAccessEntry']);
    const after = applyPlan(clusters.reporting, d.plan!, NOW).cluster;
    const v = evaluateAccess({ caller: danaUser, cluster: after, now: NOW });
    expect(v.groups).toEqual(['reporting-readers']);
    expect(v.username).toBe('dana');
  });

  it('reporting: the old "recreate with the same groups and policies" fix is refused by the simulator', () => {
    const oldFix: FixPlan = {
      summary: 'old',
      steps: [
        { op: 'DeleteAccessEntry', principal: { arn: DANA_USER } },
        { op: 'CreateAccessEntry', principal: { arn: DANA_USER } },
        {
          op: 'AssociateAccessPolicy',
          principal: { arn: DANA_USER },
          policyArn:
            'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
          accessScope: { type: 'cluster' },
        },
      ],
      promise: {
        username: 'dana',
        groups: ['reporting-readers'],
        accessPolicies: [],
      },
    };
    const r = verifyPlan(clusters.reporting, danaUser, oldFix, NOW);
    expect(r.verified).toBe(false);
  });

  it('Data-Lake_01: one access entry, with what aws-auth gave; NOT_MAPPED collapsed without commands', () => {
    const d = diagnose(clusters['Data-Lake_01'], danaUser);
    expect(d.rootCause).toBe('AWS_AUTH_IGNORED_IN_API_MODE');
    expect(ops(d.plan).filter(o => o === 'CreateAccessEntry')).toHaveLength(1);
    expect(d.plan!.promise).toMatchObject({
      username: 'dana',
      groups: ['data-readers'],
    });
    expect(d.secondary.map(f => f.code)).toContain('NOT_MAPPED');
  });

  it('payments-staging: one remap of the path-less role, no second NOT_MAPPED fix', () => {
    const d = diagnose(clusters['payments-staging'], danaSso);
    expect(d.rootCause).toBe('AWS_AUTH_ROLE_ARN_HAS_PATH');
    const upserts = d.plan!.steps.filter(s => s.op === 'AwsAuthUpsertMapping');
    expect(upserts).toEqual([
      expect.objectContaining({
        arn: SSO_ROLE_STRIPPED,
        username: '{{SessionName}}',
        groups: ['payments-devs'],
      }),
    ]);
    expect(d.secondary.find(f => f.code === 'NOT_MAPPED')?.fix).toBeUndefined();
  });

  it('payments-staging (user): the mis-cased userARN key is repaired before mapUsers is written', () => {
    const d = diagnose(clusters['payments-staging'], danaUser);
    expect(ops(d.plan).slice(0, 2)).toEqual([
      'AwsAuthRepairYaml',
      'AwsAuthUpsertMapping',
    ]);
  });

  it('legacy-batch (user): mapUsers YAML is repaired before the mapping is added, and that restores bob', () => {
    const d = diagnose(clusters['legacy-batch'], danaUser);
    expect(ops(d.plan)).toEqual([
      'AwsAuthRepairYaml',
      'AwsAuthUpsertMapping',
      'CreateRoleBinding',
    ]);
    expect(d.plan!.steps[0]).toMatchObject({ key: 'mapUsers' });
    expect(d.plan!.alsoAdmits).toEqual([
      `arn:aws:iam::${PLATFORM}:user/ops/bob`,
    ]);
  });

  it('legacy-batch (user): the redacted plan shows no other principal in any form', () => {
    const d = diagnose(clusters['legacy-batch'], danaUser);
    const redacted = redactPlan(d.plan!);
    for (const text of Object.values(
      renderPlanForms(redacted, clusters['legacy-batch']),
    )) {
      expect(text).not.toContain('user/ops/bob');
      expect(text).not.toContain('PlatformAdmin');
    }
    // The full plan (for admins) writes the exact key, bob included.
    expect(
      renderPlanForms(d.plan!, clusters['legacy-batch']).kubectl,
    ).toContain('user/ops/bob');
    expect(redacted.alsoAdmits).toEqual(['other principal 1']);
  });

  it('legacy-batch (SSO): keeps the old-suffix mapping, clears the ignored "maproles" key first', () => {
    const d = diagnose(clusters['legacy-batch'], danaSso);
    expect(d.rootCause).toBe('AWS_AUTH_SSO_SUFFIX_MISMATCH');
    expect(ops(d.plan)).toEqual(['AwsAuthRepairYaml', 'AwsAuthUpsertMapping']);
    expect(d.plan!.steps[0]).toMatchObject({ key: 'maproles', value: null });
    const after = applyPlan(clusters['legacy-batch'], d.plan!, NOW).cluster;
    const roles = parseAwsAuth(after.awsAuth!.data).mapRoles.map(
      m => m.rolearn,
    );
    expect(roles).toContain(OLD_SSO_ROLE_STRIPPED);
    expect(roles).toContain(SSO_ROLE_STRIPPED);
  });

  it('analytics: a shared SSO role keeps {{SessionName}} in the username, never "dana"', () => {
    const d = diagnose(clusters.analytics, danaSso);
    expect(d.rootCause).toBe('AWS_AUTH_SESSION_ARN');
    const upsert = d.plan!.steps.find(s => s.op === 'AwsAuthUpsertMapping');
    expect(upsert).toMatchObject({
      arn: SSO_ROLE_STRIPPED,
      groups: ['analysts'],
    });
    expect((upsert as any).username).toContain('{{SessionName}}');
    expect(d.plan!.promise!.username).toBe(
      `arn:aws:sts::${PLATFORM}:assumed-role/${SSO_ROLE_NAME}/dana-example.com`,
    );
  });

  it('analytics after a view grant: "authenticates but Forbidden" when nothing binds the group', () => {
    const granted: ClusterAccessData = {
      ...clusters.analytics,
      awsAuth: {
        data: {
          mapRoles: `${
            clusters.analytics.awsAuth!.data.mapRoles
          }- rolearn: ${SSO_ROLE_STRIPPED}\n  username: "{{SessionName}}"\n  groups:\n  - eks-access:view\n`,
        },
      },
      rbac: {
        roles: [
          {
            name: 'view',
            rules: [
              { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
            ],
          },
        ],
        bindings: [],
      },
    };
    const d = diagnose(granted, danaSso);
    expect(d.verdict.decision).toBe('allowed');
    expect(d.permissions?.forbidden).toBe(true);
    expect(d.rootCause).toBe('RBAC_NOT_BOUND');
    expect(d.plan!.steps).toEqual([
      expect.objectContaining({
        op: 'CreateRoleBinding',
        subject: { kind: 'Group', name: 'eks-access:view' },
      }),
    ]);
    // Once bound, the card is green and says what it can do.
    const rbac: RbacSnapshot = {
      ...granted.rbac!,
      bindings: [
        {
          name: 'v',
          roleRef: { kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'Group', name: 'eks-access:view' }],
        },
      ],
    };
    const ok = diagnose({ ...granted, rbac }, danaSso);
    expect(ok.rootCause).toBeUndefined();
    expect(ok.permissions?.scopes).toEqual([
      expect.objectContaining({
        namespace: '*',
        level: 'read',
        secrets: false,
      }),
    ]);
  });

  it('docs-site after the NO_GROUPS plan: a binding naming the username makes the card green', () => {
    const before = diagnose(clusters['docs-site'], danaSso);
    expect(before.rootCause).toBe('NO_GROUPS');
    const bindingStep = before.plan!.steps[0];
    expect(bindingStep.op).toBe('CreateRoleBinding');
    const viewRole = {
      name: 'view',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    // No RBAC read: the evaluator's guess (no groups: Forbidden) stands.
    expect(forbiddenWithRbac(before.verdict, undefined)).toBe(true);
    const unbound = diagnose(
      { ...clusters['docs-site'], rbac: { roles: [viewRole], bindings: [] } },
      danaSso,
    );
    expect(unbound.rootCause).toBe('NO_GROUPS');
    // RBAC read, and the plan's binding there: usable, no stale finding.
    const { cluster: bound } = applyPlan(
      { ...clusters['docs-site'], rbac: { roles: [viewRole], bindings: [] } },
      before.plan!,
    );
    const after = diagnose(bound, danaSso);
    expect(forbiddenWithRbac(after.verdict, after.permissions)).toBe(false);
    expect(after.rootCause).toBeUndefined();
    expect(after.secondary.map(f => f.code)).not.toContain('NO_GROUPS');
    expect(after.permissions?.scopes).toEqual([
      expect.objectContaining({ namespace: '*', level: 'read' }),
    ]);
  });

  it('edge-gateway: DATA_UNAVAILABLE appears once for the cluster, not under each identity', () => {
    const verdicts = [danaSso, danaUser].map(c =>
      evaluateAccess({ caller: c, cluster: clusters['edge-gateway'] }),
    );
    expect(
      clusterWideFindings(verdicts).filter(f => f.code === 'DATA_UNAVAILABLE'),
    ).toHaveLength(1);
    const d = diagnose(clusters['edge-gateway'], danaSso);
    expect(d.plan).toBeUndefined();
    expect(d.decisionNeeded).toMatch(/could not read/);
  });

  it('legacy-batch: parse and key-case problems are cluster-wide, once', () => {
    const verdicts = [danaSso, danaUser].map(c =>
      evaluateAccess({ caller: c, cluster: clusters['legacy-batch'] }),
    );
    const codes = clusterWideFindings(verdicts).map(f => f.code);
    expect(codes.filter(c => c === 'AWS_AUTH_PARSE_ERROR')).toHaveLength(1);
    expect(codes).toContain('AWS_AUTH_KEY_CASE');
  });

  it('ci-runners and search-prod: node mappings are an admin decision, not a plan', () => {
    for (const name of ['ci-runners', 'search-prod']) {
      const d = diagnose(clusters[name], danaSso);
      expect(d.plan).toBeUndefined();
      expect(d.decisionNeeded).toMatch(/node/);
    }
  });
});

describe('kubeconfig guidance never points to a --role-arn variant it does not show', () => {
  it.each(['docs-site', 'ml-training'])(
    '%s, SSO role from another account',
    name => {
      const g = kubeconfigGuidance(
        {
          caller: danaSso,
          cluster: { ...clusters[name], accountId: '999999999999' },
        },
        { decision: 'allowed', findings: [] },
      );
      expect(g.roleArnCommand).toBeUndefined();
      expect(g.notes.join(' ')).not.toMatch(/use the --role-arn variant/);
    },
  );
});

describe('issue #11 "Done when": each identity on each demo cluster shows at most one plan', () => {
  const dataEngineer: CallerInfo = {
    arn: `${DATA_ENGINEER.replace(':iam::', ':sts::').replace(
      ':role/',
      ':assumed-role/',
    )}/sam`,
  };
  const identities: [string, CallerInfo][] = [
    ['Dana (SSO role)', danaSso],
    ['Dana (IAM user)', danaUser],
    ['Alex (PlatformAdmin)', alex],
    ['a DataEngineer session', dataEngineer],
  ];

  it.each(Object.keys(clusters))('%s', name => {
    const cluster = clusters[name];
    const verdicts = identities.map(([, caller]) =>
      evaluateAccess({ caller, cluster, now: NOW }),
    );
    const wide = new Set(
      clusterWideFindings(verdicts).map(f => `${f.code} ${f.message}`),
    );
    identities.forEach(([who, caller], i) => {
      const d = diagnoseAccess({
        cluster,
        caller,
        verdict: verdicts[i],
        now: NOW,
      });
      // What the card shows under the identity: the plan (or the decision
      // an admin must make) and the secondary findings, collapsed.
      const withCommands =
        (d.plan ? 1 : 0) + d.secondary.filter(f => f.fix).length;
      expect([who, withCommands <= 1]).toEqual([who, true]);
      expect([who, !!d.plan && !!d.decisionNeeded]).toEqual([who, false]);
      // Cluster-wide findings are shown once above the identities, never
      // repeated under one.
      for (const f of d.secondary) {
        expect([who, wide.has(`${f.code} ${f.message}`)]).toEqual([who, false]);
      }
      // a plan that is shown has been verified (no plan: nothing to verify)
      const verified = d.plan
        ? verifyPlan(cluster, caller, d.plan, NOW).verified
        : true;
      expect([who, verified]).toEqual([who, true]);
    });
  });
});
