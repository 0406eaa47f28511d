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
 * The demo scenario (docs/demo-scenario.md) end to end: the demo catalog
 * (examples/), the sandbox speaking the EKS, STS, IAM and Kubernetes wire
 * protocols over HTTP, the real AWS SDK and @kubernetes/client-node clients,
 * integration-aws-node's assume-role into account 444455556666.
 */

import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
} from '@aws-sdk/client-eks';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { FixPlan } from '@eks-access/plugin-eks-access-common';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';

jest.setTimeout(120_000);

function loadEntities(): Entity[] {
  return loadDemoEntities().map(entity => {
    // No EKS API tells who created a cluster; the demo records it on the entity.
    if (
      entity.metadata.annotations?.['amazonaws.com/arn']?.endsWith(
        ':cluster/platform-tools',
      ) &&
      !entity.metadata.annotations['eks-access.io/cluster-creator-arn']
    ) {
      return {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            'eks-access.io/cluster-creator-arn': DANA_SSO_ROLE,
          },
        },
      };
    }
    return entity;
  });
}

const sandbox = demoSandboxForSuite();

function createServices(config: object = {}) {
  return createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities: loadEntities(),
    config,
  });
}

const credentials = {
  $$type: '@backstage/BackstageCredentials' as const,
  principal: { type: 'user' as const, userEntityRef: 'user:default/dana' },
};

async function checkDana(
  services: ReturnType<typeof createServices>,
  clusterName: string,
) {
  const entities = await services.access.listClusterEntities(credentials);
  const match = entities.find(
    e =>
      e.entity.metadata.annotations &&
      Object.values(e.entity.metadata.annotations).some(v =>
        v.endsWith(`:cluster/${clusterName}`),
      ),
  );
  if (!match) throw new Error(`no entity for ${clusterName}`);
  const target = await services.access.getClusterEntity(
    match.entityRef,
    credentials,
  );
  const { identities, problems } = await services.access.resolveUserIdentities(
    'user:default/dana',
    credentials,
  );
  expect(problems).toEqual([]);
  const report = await services.access.report(target, identities, problems);
  const verdictOf = (principal: string) => {
    const access = report.identities.find(
      i => i.identity.principalArn === principal,
    );
    if (!access) throw new Error(`no verdict for ${principal}`);
    return {
      decision: access.verdict.decision,
      via: access.verdict.via,
      username: access.verdict.username,
      expectForbidden: access.verdict.expectForbidden ?? false,
      codes: access.verdict.findings.map(f => f.code),
    };
  };
  return {
    report,
    sso: verdictOf(DANA_SSO_ROLE),
    user: verdictOf('arn:aws:iam::444455556666:user/engineering/dana'),
  };
}

describe('demo scenario against the sandbox', () => {
  let services: ReturnType<typeof createServices>;
  beforeAll(() => {
    services = createServices();
  });

  it('1 payments-prod: SSO role in by access entry, which overrides aws-auth', async () => {
    const { sso, user, report } = await checkDana(services, 'payments-prod');
    expect(report.cluster).toMatchObject({
      authenticationMode: 'API_AND_CONFIG_MAP',
      accountId: '111122223333',
      region: 'us-east-1',
    });
    expect(sso).toMatchObject({ decision: 'allowed', via: 'access-entry' });
    expect(sso.codes).toContain('ACCESS_ENTRY_OVERRIDES_AWS_AUTH');
    expect(user.decision).toBe('denied');
    expect(user.codes).toContain('NOT_MAPPED');
  });

  it('2 payments-staging: aws-auth role ARN with a path', async () => {
    const { sso, user } = await checkDana(services, 'payments-staging');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toEqual(
      expect.arrayContaining([
        'AWS_AUTH_ROLE_ARN_HAS_PATH',
        'AWS_AUTH_KEY_CASE',
      ]),
    );
    expect(user.decision).toBe('denied');
    expect(user.codes).toContain('NOT_MAPPED');
  });

  it('3 Data-Lake_01: aws-auth ignored in API mode', async () => {
    const { sso, user, report } = await checkDana(services, 'Data-Lake_01');
    expect(report.cluster.name).toBe('Data-Lake_01');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toContain('NOT_MAPPED');
    expect(user.decision).toBe('denied');
    expect(user.codes).toContain('AWS_AUTH_IGNORED_IN_API_MODE');
  });

  it('4 checkout-dev: access entry without permissions', async () => {
    const { sso, user } = await checkDana(services, 'checkout-dev');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toContain('NOT_MAPPED');
    expect(user).toMatchObject({
      decision: 'allowed',
      via: 'access-entry',
      expectForbidden: true,
    });
    expect(user.codes).toContain('ACCESS_ENTRY_NO_PERMISSIONS');
  });

  it('5 legacy-batch: old SSO suffix, broken mapUsers, maproles key', async () => {
    const { sso, user } = await checkDana(services, 'legacy-batch');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toEqual(
      expect.arrayContaining([
        'AWS_AUTH_SSO_SUFFIX_MISMATCH',
        'AWS_AUTH_PARSE_ERROR',
        'AWS_AUTH_KEY_CASE',
      ]),
    );
    expect(user.decision).toBe('denied');
  });

  it('6 analytics: session ARN in aws-auth', async () => {
    const { sso, user } = await checkDana(services, 'analytics');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toEqual(
      expect.arrayContaining([
        'AWS_AUTH_SESSION_ARN',
        'AWS_AUTH_ENTRY_INVALID',
      ]),
    );
    expect(user.decision).toBe('denied');
  });

  it('7 ml-training: no access for Dana', async () => {
    const { sso, user } = await checkDana(services, 'ml-training');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toContain('NOT_MAPPED');
    expect(user.decision).toBe('denied');
    expect(user.codes).toContain('NOT_MAPPED');
  });

  it('8 search-prod: EC2 private DNS template and wrong case', async () => {
    const { sso, user } = await checkDana(services, 'search-prod');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toContain('EC2_PRIVATE_DNS_TEMPLATE');
    // docs/demo-scenario.md says "denied" here, but eks-auth-spec §4.4: the
    // current authenticator compares user ARNs with EqualFold, so the
    // wrong-case mapping still admits her; the evaluator follows the spec.
    expect(user).toMatchObject({ decision: 'allowed', via: 'aws-auth-user' });
    expect(user.codes).toContain('CASE_MISMATCH');
  });

  it('9 edge-gateway: Kubernetes API unreachable gives unknown', async () => {
    const { sso, user, report } = await checkDana(services, 'edge-gateway');
    expect(report.cluster.sources.awsAuth).toMatchObject({
      state: 'error',
      errorCode: 'Unreachable',
    });
    expect(sso.decision).toBe('unknown');
    expect(sso.codes).toContain('DATA_UNAVAILABLE');
    expect(user.decision).toBe('unknown');
    expect(user.codes).toContain('DATA_UNAVAILABLE');
  });

  it('10 platform-tools: Dana’s role created the cluster', async () => {
    const { sso, user } = await checkDana(services, 'platform-tools');
    expect(sso).toMatchObject({ decision: 'allowed', via: 'cluster-creator' });
    expect(sso.codes).toContain('CLUSTER_CREATOR');
    expect(user.decision).toBe('denied');
  });

  it('11 docs-site: mapped with no groups; the account is mapped', async () => {
    const { sso, user } = await checkDana(services, 'docs-site');
    expect(sso).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-role',
      username: 'dana-example.com',
      expectForbidden: true,
    });
    expect(sso.codes).toContain('NO_GROUPS');
    expect(user).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-account',
    });
  });

  it('12 ci-runners: node-type access entry', async () => {
    const { sso, user } = await checkDana(services, 'ci-runners');
    expect(sso.decision).toBe('denied');
    expect(sso.codes).toContain('ACCESS_ENTRY_NOT_STANDARD');
    expect(user.decision).toBe('denied');
  });

  it('13 reporting: stale access entry, aws-auth admits the user', async () => {
    const { sso, user } = await checkDana(services, 'reporting');
    expect(sso.decision).toBe('denied');
    expect(user).toMatchObject({ decision: 'allowed', via: 'aws-auth-user' });
    expect(user.codes).toContain('ACCESS_ENTRY_STALE');
  });
});

describe('call counts', () => {
  it('the fleet rows are the cards’ verdicts, RBAC included, for no AWS call beyond the cards’', async () => {
    const services = createServices();
    sandbox.resetCalls();
    const { identities } = await services.access.resolveUserIdentities(
      'user:default/dana',
      credentials,
    );
    const page = await services.access.summaries({
      credentials,
      userEntityRef: 'user:default/dana',
      offset: 0,
      limit: 100,
    });
    const fleetCalls = sandbox.calls();
    expect(page.items.length).toBeGreaterThanOrEqual(13);

    // What each card says, row by row: usable, signed in but Forbidden (with
    // the card's root cause), or not in.
    const rows: string[] = [];
    const cards: string[] = [];
    for (const row of page.items.filter(r => r.status !== 'error')) {
      const target = await services.access.getClusterEntity(
        row.entityRef,
        credentials,
      );
      const card = await services.access.report(target, identities, []);
      const allowed = card.identities.filter(
        i => i.verdict.decision === 'allowed',
      );
      const usable = allowed.filter(i => !i.verdict.expectForbidden);
      const forbidden = allowed.filter(i => i.verdict.expectForbidden);
      let expected = 'not in';
      if (usable.length) expected = 'allowed';
      else if (forbidden.length) {
        expected = `forbidden ${[
          ...new Set(forbidden.map(i => i.diagnosis?.rootCause)),
        ].join('|')}`;
      }
      cards.push(`${row.name} ${expected}`);
      let shown = row.status === 'allowed' ? 'allowed' : 'not in';
      if (row.status === 'forbidden') shown = `forbidden ${row.rootCause}`;
      rows.push(`${row.name} ${shown}`);
    }
    expect(rows).toEqual(cards);
    expect(rows.filter(r => r.includes(' forbidden '))).toEqual([
      'checkout-dev forbidden ACCESS_ENTRY_NO_PERMISSIONS',
      'docs-site forbidden NO_GROUPS',
    ]);
    // the cards read nothing the fleet had not read already
    expect(sandbox.calls()).toBe(fleetCalls);
  }, 300_000); // 13 clusters checked twice, on a shared machine

  it('reads a cold cluster once for N concurrent checks, and not at all when warm', async () => {
    const services = createServices();
    sandbox.resetCalls();
    const cluster = { cluster: 'payments-prod', account: '111122223333' };
    await Promise.all(
      Array.from({ length: 8 }, () => checkDana(services, 'payments-prod')),
    );
    expect(
      sandbox.calls({
        service: 'eks',
        operation: 'DescribeCluster',
        ...cluster,
      }),
    ).toBe(1);
    expect(
      sandbox.calls({
        service: 'eks',
        operation: 'ListAccessEntries',
        ...cluster,
      }),
    ).toBe(1);
    // aws-auth once, and each RBAC list once.
    for (const operation of [
      'ReadConfigMap',
      'ListClusterRoles',
      'ListClusterRoleBindings',
      'ListRoleBindingForAllNamespaces',
    ]) {
      expect(sandbox.calls({ service: 'k8s', operation, ...cluster })).toBe(1);
    }

    const before = sandbox.calls();
    await checkDana(services, 'payments-prod');
    expect(sandbox.calls()).toBe(before);
  });

  it('never says allowed when throttling hides the access entries', async () => {
    const services = createServices();
    sandbox.setFaults({
      rules: [
        {
          service: 'eks',
          operation: 'ListAccessEntries',
          throttle: { ratePerSecond: 0.0001, burst: 0 },
        },
      ],
    });
    try {
      // The bucket starts with one token: this read takes it.
      await checkDana(services, 'Data-Lake_01');
      const checkout = await checkDana(services, 'checkout-dev');
      expect(checkout.report.cluster.sources.accessEntries).toMatchObject({
        state: 'error',
        errorCode: 'ThrottlingException',
      });
      expect(checkout.user.decision).toBe('unknown');
      expect(checkout.user.codes).toContain('DATA_UNAVAILABLE');
      const ml = await checkDana(services, 'ml-training');
      expect(ml.sso.decision).toBe('unknown');
      expect(ml.user.decision).toBe('unknown');
    } finally {
      sandbox.resetFaults();
    }
  });
});

// Last: these change the sandbox's clusters.
describe('following the plan shown turns the card green', () => {
  const DANA_USER = 'arn:aws:iam::444455556666:user/engineering/dana';

  /** Runs a plan's access-entry steps with the AWS SDK, as the CLI form would. */
  async function applyAccessEntrySteps(
    services: ReturnType<typeof createServices>,
    cluster: { name: string; region: string; accountId: string; arn: string },
    plan: FixPlan,
  ) {
    const eks = services.clients.eks(cluster);
    for (const step of plan.steps) {
      if (step.op === 'CreateAccessEntry') {
        await eks.send(
          new CreateAccessEntryCommand({
            clusterName: cluster.name,
            principalArn: step.principal.arn,
            type: 'STANDARD',
            username: step.username,
            kubernetesGroups: step.kubernetesGroups,
          }),
        );
      } else if (step.op === 'AssociateAccessPolicy') {
        await eks.send(
          new AssociateAccessPolicyCommand({
            clusterName: cluster.name,
            principalArn: step.principal.arn,
            policyArn: step.policyArn,
            accessScope: step.accessScope,
          }),
        );
      } else {
        throw new Error(`step ${step.op} is not applied by this test`);
      }
    }
    services.snapshots.invalidate(cluster.arn);
  }

  it.each(['Data-Lake_01', 'checkout-dev'])('%s: Dana (user)', async name => {
    const services = createServices();
    const before = await checkDana(services, name);
    const access = before.report.identities.find(
      i => i.identity.principalArn === DANA_USER,
    )!;
    expect(access.diagnosis?.decisionNeeded).toBeUndefined();
    const plan = access.diagnosis?.plan;
    expect(plan).toBeDefined();
    await applyAccessEntrySteps(services, before.report.cluster, plan!);

    const after = await checkDana(services, name);
    expect(after.user).toMatchObject({
      decision: 'allowed',
      expectForbidden: false,
    });
    const again = after.report.identities.find(
      i => i.identity.principalArn === DANA_USER,
    )!;
    expect(again.diagnosis?.rootCause).toBeUndefined();
    expect(again.diagnosis?.plan).toBeUndefined();
    for (const g of plan!.promise!.groups) {
      expect(again.verdict.groups).toContain(g);
    }
  });
});
