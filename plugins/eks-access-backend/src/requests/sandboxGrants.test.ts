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

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { parseAwsAuth } from '@eks-access/plugin-eks-access-common';
import {
  DANA_SSO_ROLE as SSO_ROLE,
  DANA_SSO_ROLE_CANONICAL as SSO_ROLE_STRIPPED,
  EKS_VIEW_POLICY as VIEW,
  ML_TRAINING,
  PAYMENTS_STAGING,
  VIEW_REQUESTS_CONFIG,
} from '../__testUtils__/demoPrincipalsAndClusters';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  migratedRequestStore,
  recordApprovedRequest,
  sdkGrantTargetsFor,
} from '../__testUtils__/grantStack';
import { createSandboxServices } from '../__testUtils__/sandboxServices';
import { readAccessRequestsConfig } from './readAccessRequestsConfig';
import type { NewAccessRequest } from './AccessRequestStore';
import { GrantReconciler, snapshotAccessDataSource } from './GrantReconciler';
import type { GrantTargets } from './grantTargets';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const settings = readAccessRequestsConfig(
  new ConfigReader({
    eksAccess: { requests: VIEW_REQUESTS_CONFIG },
  }),
);

const sandbox = demoSandboxForSuite();

async function setup(wrap: (targets: GrantTargets) => GrantTargets = t => t) {
  const services = createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
  });
  const { store } = await migratedRequestStore(databases, 'SQLITE_3');
  const targets = wrap(sdkGrantTargetsFor(services.clients));
  let now = new Date();
  const makeReconciler = (runnerId: string) =>
    new GrantReconciler({
      store,
      settings,
      targets,
      source: snapshotAccessDataSource(services.snapshots),
      logger: mockServices.logger.mock(),
      runnerId,
      now: () => now,
    });
  return {
    store,
    services,
    reconciler: makeReconciler('sandbox-runner'),
    makeReconciler,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
    now: () => now,
    approve(overrides: Partial<NewAccessRequest>) {
      return recordApprovedRequest(store, {
        cluster: ML_TRAINING,
        requester: 'user:default/dana',
        principalArn: SSO_ROLE,
        canonicalPrincipalArn: SSO_ROLE_STRIPPED,
        level: 'view',
        scope: { type: 'namespace', namespaces: ['ml'] },
        durationSeconds: 3600,
        reason: 'sandbox test',
        approvalsRequired: 1,
        ...overrides,
      });
    },
  };
}

function entryOf(cluster: string, principalArn: string) {
  return sandbox.state
    .getCluster(cluster)!
    .accessEntries.find(e => e.principalArn === principalArn);
}

function meaningOf(data: Record<string, string>) {
  const parsed = parseAwsAuth(data);
  return {
    mapRoles: parsed.mapRoles.filter(r => r.rolearn !== SSO_ROLE_STRIPPED),
    mapUsers: parsed.mapUsers,
    mapAccounts: parsed.mapAccounts,
  };
}

describe('access requests against the sandbox', () => {
  it('ml-training (API): request → approve → access entry → allowed → expiry → removed', async () => {
    const t = await setup();
    expect(entryOf('ml-training', SSO_ROLE)).toBeUndefined();
    const creates = sandbox.calls({
      operation: 'CreateAccessEntry',
      cluster: 'ml-training',
    });
    const id = await t.approve({});

    await t.reconciler.runOnce();
    const active = (await t.store.getRequest(id))!;
    expect(active.error).toBeUndefined();
    expect(active.state).toBe('active');
    const entry = entryOf('ml-training', SSO_ROLE)!;
    expect(entry).toMatchObject({
      type: 'STANDARD',
      tags: {
        'eks-access.io/managed-by': 'backstage-eks-access',
        'eks-access.io/request-id': id,
      },
    });
    expect(entry.associatedPolicies).toEqual([
      expect.objectContaining({
        policyArn: VIEW,
        accessScope: { type: 'namespace', namespaces: ['ml'] },
      }),
    ]);
    expect(
      sandbox.calls({ operation: 'CreateAccessEntry', cluster: 'ml-training' }),
    ).toBe(creates + 1);
    const activated = (await t.store.listEvents(id)).find(
      e => e.type === 'activated',
    )!;
    expect(activated.details).toMatchObject({
      verdict: { decision: 'allowed', via: 'access-entry' },
    });

    t.advance(3601);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('expired');
    expect(entryOf('ml-training', SSO_ROLE)).toBeUndefined();
    // the admin's entry is untouched
    expect(
      entryOf(
        'ml-training',
        'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
      )!.associatedPolicies,
    ).toEqual([
      expect.objectContaining({
        policyArn:
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      }),
    ]);
  });

  it('payments-staging (CONFIG_MAP): adds a path-stripped mapping, keeps the others, removes it on expiry', async () => {
    const t = await setup();
    const before = sandbox.state.getCluster('payments-staging')!.awsAuth!;
    const id = await t.approve({
      cluster: PAYMENTS_STAGING,
      scope: { type: 'namespace', namespaces: ['payments'] },
    });

    await t.reconciler.runOnce();
    const active = (await t.store.getRequest(id))!;
    expect(active.error).toBeUndefined();
    expect(active.state).toBe('active');
    const during = sandbox.state.getCluster('payments-staging')!.awsAuth!;
    expect(during.resourceVersion).not.toBe(before.resourceVersion);
    expect(meaningOf(during.data)).toEqual(meaningOf(before.data));
    expect(parseAwsAuth(during.data).mapRoles).toContainEqual({
      rolearn: SSO_ROLE_STRIPPED,
      username:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}',
      groups: ['eks-access-view-payments'],
    });
    const update = (await t.store.listEvents(id)).find(
      e => e.details?.action === 'aws-auth:update',
    )!;
    expect(update.details).toMatchObject({
      before: before.data,
      after: during.data,
    });

    t.advance(3601);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('expired');
    const after = sandbox.state.getCluster('payments-staging')!.awsAuth!;
    expect(parseAwsAuth(after.data)).toEqual(parseAwsAuth(before.data));
  });

  it('retries the aws-auth write after a real 409 from the Kubernetes API', async () => {
    let interfered = false;
    const t = await setup(targets => ({
      ...targets,
      async awsAuth(cluster) {
        const client = await targets.awsAuth(cluster);
        return {
          read: () => client.read(),
          async replace(data, resourceVersion) {
            if (!interfered) {
              interfered = true;
              // someone else writes aws-auth between our read and our write
              const current = (await client.read())!;
              await client.replace(
                {
                  ...current.data,
                  mapAccounts: '- "999988887777"\n',
                },
                current.resourceVersion,
              );
            }
            return client.replace(data, resourceVersion);
          },
        };
      },
    }));
    const id = await t.approve({
      cluster: PAYMENTS_STAGING,
      scope: { type: 'namespace', namespaces: ['payments-jobs'] },
    });
    await t.reconciler.runOnce();
    const request = (await t.store.getRequest(id))!;
    expect(request.error).toBeUndefined();
    expect(request.state).toBe('active');
    const events = await t.store.listEvents(id);
    expect(
      events.filter(e => e.details?.action === 'aws-auth:conflict'),
    ).toHaveLength(1);
    const parsed = parseAwsAuth(
      sandbox.state.getCluster('payments-staging')!.awsAuth!.data,
    );
    expect(parsed.mapAccounts).toContain('999988887777');
    expect(parsed.mapRoles.map(r => r.rolearn)).toContain(SSO_ROLE_STRIPPED);
    // clean up for the other tests
    t.advance(3601);
    await t.reconciler.runOnce();
  });

  it('completes a grant after a crash between CreateAccessEntry and AssociateAccessPolicy', async () => {
    let crash = true;
    const t = await setup(targets => ({
      ...targets,
      async accessEntries(cluster) {
        const target = await targets.accessEntries(cluster);
        return {
          describeAccessEntry: p => target.describeAccessEntry(p),
          createAccessEntry: o => target.createAccessEntry(o),
          async associateAccessPolicy(o) {
            if (crash) {
              crash = false;
              throw new Error('process died');
            }
            return target.associateAccessPolicy(o);
          },
          disassociateAccessPolicy: o => target.disassociateAccessPolicy(o),
          deleteAccessEntry: p => target.deleteAccessEntry(p),
        };
      },
    }));
    const creates = sandbox.calls({
      operation: 'CreateAccessEntry',
      cluster: 'ml-training',
    });
    const associates = sandbox.calls({
      operation: 'AssociateAccessPolicy',
      cluster: 'ml-training',
    });
    const id = await t.approve({});
    jest
      .spyOn(t.store, 'transition')
      .mockRejectedValueOnce(new Error('process died'));
    await t.makeReconciler('crashing').runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('approved');
    expect(entryOf('ml-training', SSO_ROLE)!.associatedPolicies).toEqual([]);
    await t.store.claimNextWork({
      runnerId: 'crashing',
      leaseSeconds: 300,
      now: t.now(),
    });

    t.advance(301);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('active');
    expect(
      sandbox.calls({ operation: 'CreateAccessEntry', cluster: 'ml-training' }),
    ).toBe(creates + 1);
    expect(
      sandbox.calls({
        operation: 'AssociateAccessPolicy',
        cluster: 'ml-training',
      }),
    ).toBe(associates + 1);
    expect(entryOf('ml-training', SSO_ROLE)!.associatedPolicies).toHaveLength(
      1,
    );
    t.advance(3601);
    await t.reconciler.runOnce();
    expect(entryOf('ml-training', SSO_ROLE)).toBeUndefined();
  });

  it('applies once when two replicas run together, and keeps overlapping grants working', async () => {
    const t = await setup();
    const creates = sandbox.calls({
      operation: 'CreateAccessEntry',
      cluster: 'ml-training',
    });
    const first = await t.approve({
      scope: { type: 'namespace', namespaces: ['ml'] },
    });
    await Promise.all([
      t.makeReconciler('a').runOnce(),
      t.makeReconciler('b').runOnce(),
    ]);
    expect((await t.store.getRequest(first))!.state).toBe('active');
    expect(
      sandbox.calls({ operation: 'CreateAccessEntry', cluster: 'ml-training' }),
    ).toBe(creates + 1);

    t.advance(600);
    const second = await t.approve({
      scope: { type: 'namespace', namespaces: ['ml-jobs'] },
    });
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(second))!.state).toBe('active');
    expect(
      entryOf('ml-training', SSO_ROLE)!.associatedPolicies[0].accessScope,
    ).toEqual({
      type: 'namespace',
      namespaces: ['ml', 'ml-jobs'],
    });

    t.advance(3001);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(first))!.state).toBe('expired');
    expect(
      entryOf('ml-training', SSO_ROLE)!.associatedPolicies[0].accessScope,
    ).toEqual({
      type: 'namespace',
      namespaces: ['ml-jobs'],
    });

    t.advance(600);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(second))!.state).toBe('expired');
    expect(entryOf('ml-training', SSO_ROLE)).toBeUndefined();
  });
});
