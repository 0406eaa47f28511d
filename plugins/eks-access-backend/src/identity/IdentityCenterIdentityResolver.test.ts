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
 * The IAM Identity Center resolver against the sandbox, through the real
 * @aws-sdk/client-identitystore, client-sso-admin and client-iam clients.
 */

import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  loadScenario,
  startSandbox,
  type RunningSandbox,
  type SandboxScenario,
} from '@eks-access/plugin-eks-access-sandbox';
import type { IdentityAccess } from '@eks-access/plugin-eks-access-common';
import {
  createSandboxServices,
  loadDemoEntities,
  pointStsAtSandbox,
} from '../__testUtils__/sandboxServices';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import {
  IdentityCenterIdentityResolver,
  type IdentityCenterConfig,
} from './IdentityCenterIdentityResolver';

jest.setTimeout(180_000);

/** The demo's Identity Center, as app-config.yaml configures it. */
const DEMO_IDENTITY_CENTER = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f',
  identityStoreId: 'd-9067a1b2c3',
  region: 'eu-west-1',
  accountId: '111122223333',
};

function userEntity(name: string): Entity {
  const entity = loadDemoEntities().find(
    e => e.kind === 'User' && e.metadata.name === name,
  );
  if (!entity) throw new Error(`no demo user ${name}`);
  return entity;
}

function resolverFor(
  sandbox: RunningSandbox,
  options: {
    config?: Partial<IdentityCenterConfig>;
    pageSize?: number;
    now?: () => number;
  } = {},
) {
  const services = createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
  });
  return new IdentityCenterIdentityResolver({
    config: {
      ...DEMO_IDENTITY_CENTER,
      userFrom: 'email',
      userAnnotation: 'eks-access.io/identity-center-user',
      matchAttribute: 'userName',
      cacheTtlMs: 60_000,
      endpoints: { identitystore: sandbox.endpoint, sso: sandbox.endpoint },
      ...options.config,
    },
    aws: services.clients,
    pageSize: options.pageSize,
    now: options.now,
  });
}

const context = (name: string) => ({
  userEntityRef: `user:default/${name}`,
  userEntity: userEntity(name),
});

describe('IdentityCenterIdentityResolver on the demo sandbox', () => {
  const sandbox = demoSandboxForSuite();
  beforeEach(() => sandbox.resetCalls());

  it("finds Dana's permission set role through her group, paging every list call", async () => {
    const resolver = resolverFor(sandbox, { pageSize: 1 });
    const result = await resolver.resolve(context('dana'));
    expect(result.problems).toEqual([]);
    expect(result.identities).toEqual([
      {
        callerArn:
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
        principalArn: DANA_SSO_ROLE,
        sessionName: 'dana@example.com',
        source: 'identity-center',
        label: 'SSO PaymentsDeveloper',
        permissionSetName: 'PaymentsDeveloper',
        assignedThrough: ['group payments-developers'],
      },
    ]);
    // Two groups, one per page: two ListGroupMembershipsForMember calls.
    expect(
      sandbox.calls({
        service: 'identitystore',
        operation: 'ListGroupMembershipsForMember',
      }),
    ).toBe(2);
    // The user and both groups: three principals, each one page (the group
    // with an assignment: one item on the page).
    expect(
      sandbox.calls({
        service: 'sso',
        operation: 'ListAccountAssignmentsForPrincipal',
      }),
    ).toBe(3);
    // Two SSO roles in 111122223333 (PaymentsDeveloper, Alex's
    // PlatformAdmin), on pages of one.
    expect(sandbox.calls({ service: 'iam', operation: 'ListRoles' })).toBe(2);
  });

  it('re-provisioned permission set: the current role suffix, not the deleted one', async () => {
    const { identities } = await resolverFor(sandbox).resolve(context('dana'));
    expect(identities.map(i => i.principalArn)).toEqual([DANA_SSO_ROLE]);
    expect(identities[0].principalArn).not.toContain('9f8e7d6c5b4a3f2e');
  });

  it('caches per user for the TTL, then asks AWS again', async () => {
    let now = 1_000_000;
    const resolver = resolverFor(sandbox, { now: () => now });
    await resolver.resolve(context('dana'));
    const calls = sandbox.calls();
    await resolver.resolve(context('dana'));
    expect(sandbox.calls()).toBe(calls);
    await resolver.resolve(context('alex'));
    expect(sandbox.calls()).toBeGreaterThan(calls);
    const afterAlex = sandbox.calls();
    now += 61_000;
    await resolver.resolve(context('dana'));
    expect(sandbox.calls()).toBeGreaterThan(afterAlex);
  });

  it('Alex and Sam get their permission-set roles through their groups', async () => {
    const resolver = resolverFor(sandbox);
    const alex = await resolver.resolve(context('alex'));
    expect(alex.problems).toEqual([]);
    expect(alex.identities).toEqual([
      expect.objectContaining({
        principalArn:
          'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
        sessionName: 'alex@example.com',
        permissionSetName: 'PlatformAdmin',
        assignedThrough: ['group platform-team'],
      }),
    ]);
    const sam = await resolver.resolve(context('sam'));
    expect(sam.identities).toEqual([
      expect.objectContaining({
        principalArn:
          'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataEngineer_3c4d5e6f7a8b9c0d',
        sessionName: 'sam@example.com',
        permissionSetName: 'DataEngineer',
        assignedThrough: ['group team-data'],
      }),
    ]);
  });

  it('finds the user by entity name or annotation; says so when there is none', async () => {
    const byAnnotation = resolverFor(sandbox, {
      config: { userFrom: 'annotation' },
    });
    const dana = userEntity('dana');
    const annotated = {
      ...dana,
      metadata: {
        ...dana.metadata,
        annotations: {
          ...dana.metadata.annotations,
          'eks-access.io/identity-center-user': 'dana@example.com',
        },
      },
    };
    expect(
      (
        await byAnnotation.resolve({
          userEntityRef: 'user:default/dana',
          userEntity: annotated,
        })
      ).identities,
    ).toHaveLength(1);
    expect((await byAnnotation.resolve(context('dana'))).problems).toEqual([
      'IAM Identity Center: user:default/dana has no eks-access.io/identity-center-user annotation to find its Identity Store user by.',
    ]);
    const byName = resolverFor(sandbox, { config: { userFrom: 'entityName' } });
    expect((await byName.resolve(context('dana'))).problems).toEqual([
      'IAM Identity Center: the Identity Store has no user whose userName is dana.',
    ]);
  });

  it('matches by email and then uses the userName as session name', async () => {
    const resolver = resolverFor(sandbox, {
      config: { matchAttribute: 'email' },
    });
    const { identities, problems } = await resolver.resolve(context('dana'));
    expect(problems).toEqual([]);
    expect(identities[0].sessionName).toBe('dana@example.com');
  });
});

describe('IdentityCenterIdentityResolver on edited demo scenarios', () => {
  function demoWith(edit: (scenario: SandboxScenario) => void) {
    const scenario = structuredClone(loadScenario('demo'));
    edit(scenario);
    return scenario;
  }

  async function withSandbox(
    scenario: SandboxScenario,
    run: (sandbox: RunningSandbox) => Promise<void>,
  ) {
    const sandbox = await startSandbox({ scenario });
    const restore = pointStsAtSandbox(sandbox);
    try {
      await run(sandbox);
    } finally {
      restore();
      await sandbox.stop();
    }
  }

  it('merges a direct and a group assignment, and reports a set not provisioned in an account', async () => {
    const scenario = demoWith(s => {
      s.identityCenter!.permissionSets!.push({ name: 'PaymentsReadOnly' });
      s.identityCenter!.assignments!.push(
        {
          permissionSet: 'PaymentsDeveloper',
          account: '111122223333',
          user: 'dana@example.com',
        },
        {
          permissionSet: 'PaymentsReadOnly',
          account: '444455556666',
          group: 'everyone',
        },
      );
    });
    await withSandbox(scenario, async sandbox => {
      const result = await resolverFor(sandbox, { pageSize: 1 }).resolve(
        context('dana'),
      );
      expect(result.identities).toHaveLength(1);
      expect(result.identities[0].assignedThrough).toEqual([
        'group payments-developers',
        'user',
      ]);
      expect(result.problems).toEqual([
        'IAM Identity Center: you are assigned the permission set PaymentsReadOnly in account 444455556666, but IAM there has no role AWSReservedSSO_PaymentsReadOnly_…: the permission set is not provisioned in that account yet.',
      ]);
    });
  });

  it.each([
    [
      'sso:ListAccountAssignmentsForPrincipal',
      'list your Identity Center account assignments',
    ],
    [
      'iam:ListRoles',
      'list the IAM Identity Center roles in account 111122223333',
    ],
  ])(
    'turns a missing %s into a problem naming the action',
    async (action, what) => {
      const scenario = demoWith(s => {
        const backstage = s.iam!.users!.find(u =>
          u.arn.endsWith(':user/backstage-eks-access'),
        )!;
        backstage.permissions = backstage.permissions!.filter(
          p => p !== action,
        );
      });
      await withSandbox(scenario, async sandbox => {
        const result = await resolverFor(sandbox).resolve(context('dana'));
        expect(result.identities).toEqual([]);
        expect(result.problems).toEqual([
          `IAM Identity Center: Backstage's AWS role is not allowed to ${what}: it needs the IAM permission ${action}.`,
        ]);
      });
    },
  );
});

describe('Identity Center alone gives the demo users the verdicts of today', () => {
  const sandbox = demoSandboxForSuite();

  function services(identity: object) {
    return createSandboxServices({
      sandbox,
      logger: mockServices.logger.mock(),
      entities: loadDemoEntities(),
      config: { identity },
    });
  }

  async function verdicts(
    s: ReturnType<typeof services>,
    user: string,
  ): Promise<Map<string, Map<string, IdentityAccess['verdict']>>> {
    const credentials = {
      $$type: '@backstage/BackstageCredentials' as const,
      principal: {
        type: 'user' as const,
        userEntityRef: `user:default/${user}`,
      },
    };
    const { identities, problems } = await s.access.resolveUserIdentities(
      `user:default/${user}`,
      credentials,
    );
    expect(problems).toEqual([]);
    const out = new Map<string, Map<string, IdentityAccess['verdict']>>();
    for (const { entityRef } of await s.access.listClusterEntities(
      credentials,
    )) {
      const target = await s.access.getClusterEntity(entityRef, credentials);
      const report = await s.access.report(target, identities, problems);
      for (const access of report.identities) {
        const byCluster = out.get(access.identity.callerArn) ?? new Map();
        byCluster.set(entityRef, access.verdict);
        out.set(access.identity.callerArn, byCluster);
      }
    }
    return out;
  }

  it('Dana, Alex and Sam: with Identity Center alone, the same verdicts on every demo cluster as with their annotations', async () => {
    const today = services({});
    const identityCenterOnly = services({
      resolvers: ['identityCenter'],
      identityCenter: DEMO_IDENTITY_CENTER,
    });
    const danaToday = await verdicts(today, 'dana');
    const danaIc = await verdicts(identityCenterOnly, 'dana');
    const ssoCaller =
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';
    expect([...danaIc.keys()]).toEqual([ssoCaller]);
    const icByCluster = danaIc.get(ssoCaller)!;
    const todayByCluster = danaToday.get(ssoCaller)!;
    expect(icByCluster.size).toBe(13);
    for (const [cluster, verdict] of todayByCluster) {
      expect({ cluster, verdict: icByCluster.get(cluster) }).toEqual({
        cluster,
        verdict,
      });
    }
    // The SSO-suffix diagnosis on legacy-batch now comes from Identity Center data.
    expect(
      icByCluster
        .get('resource:default/eks-legacy-batch')!
        .findings.map(f => f.code),
    ).toContain('AWS_AUTH_SSO_SUFFIX_MISMATCH');

    // Alex's and Sam's annotated roles are their permission-set roles: each
    // caller the annotations give has the same verdict on all 13 clusters.
    const annotationsOnly = services({ resolvers: ['annotation'] });
    for (const user of ['alex', 'sam']) {
      const annotated = await verdicts(annotationsOnly, user);
      const ic = await verdicts(identityCenterOnly, user);
      expect([...ic.keys()]).toEqual([...annotated.keys()]);
      expect(ic.size).toBe(1);
      for (const [caller, byCluster] of annotated) {
        expect(byCluster.size).toBe(13);
        for (const [cluster, verdict] of byCluster) {
          expect({
            user,
            cluster,
            verdict: ic.get(caller)!.get(cluster),
          }).toEqual({ user, cluster, verdict });
        }
      }
    }
  });
});
