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
import {
  evaluateAccess,
  parseAwsAuth,
} from '@eks-access/plugin-eks-access-common';
import { readAccessRequestsConfig } from './readAccessRequestsConfig';
import type { NewAccessRequest } from './AccessRequestStore';
import { GrantReconciler } from './GrantReconciler';
import {
  DANA_SSO_ROLE as SSO_ROLE,
  DANA_SSO_ROLE_CANONICAL as SSO_ROLE_STRIPPED,
  EKS_VIEW_POLICY as VIEW,
} from '../__testUtils__/demoPrincipalsAndClusters';
import { migratedRequestStore } from '../__testUtils__/grantStack';
import {
  InMemoryCluster,
  inMemoryGrantWorld,
} from '../__testUtils__/inMemoryCluster';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const ADMIN =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const API_ARN = 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training';
const CM_ARN = 'arn:aws:eks:us-east-1:111122223333:cluster/payments-staging';
const SSO_SESSION =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';

const AWS_AUTH = {
  mapRoles: `- rolearn: arn:aws:iam::111122223333:role/PlatformAdmin
  username: admin
  groups:
  - system:masters
# node role, keep
- rolearn: arn:aws:iam::111122223333:role/NodeRole
  username: system:node:{{EC2PrivateDNSName}}
  groups:
  - system:bootstrappers
  - system:nodes
`,
  mapUsers: `- userarn: arn:aws:iam::111122223333:user/ops
  username: ops
  groups:
  - ops
`,
};

const settings = readAccessRequestsConfig(
  new ConfigReader({
    eksAccess: {
      requests: {
        expiryWarning: { minutes: 10 },
        levels: [
          {
            name: 'view',
            accessPolicyArn: VIEW,
            kubernetesGroups: [
              'eks-access-view-{namespace}',
              'eks-access-viewers',
            ],
            maxDuration: { hours: 8 },
          },
          {
            name: 'admin',
            accessPolicyArn: ADMIN,
            kubernetesGroups: ['system:masters'],
            maxDuration: { hours: 1 },
          },
        ],
      },
    },
  }),
);

function newRequest(
  overrides: Partial<NewAccessRequest> = {},
): NewAccessRequest {
  return {
    cluster: {
      entityRef: 'resource:default/ml-training',
      arn: API_ARN,
      name: 'ml-training',
      accountId: '444455556666',
      region: 'us-east-2',
    },
    requester: 'user:default/dana',
    principalArn: SSO_ROLE,
    canonicalPrincipalArn: SSO_ROLE_STRIPPED,
    level: 'view',
    scope: { type: 'namespace', namespaces: ['ml'] },
    durationSeconds: 3600,
    reason: 'debugging',
    approvalsRequired: 1,
    ...overrides,
  };
}

const CM_CLUSTER = {
  entityRef: 'resource:default/eks-payments-staging',
  arn: CM_ARN,
  name: 'payments-staging',
  accountId: '111122223333',
  region: 'us-east-1',
};

async function setup() {
  const { store } = await migratedRequestStore(databases, 'SQLITE_3');
  const api = new InMemoryCluster({ mode: 'API' });
  api.addEntry('arn:aws:iam::111122223333:role/PlatformAdmin', {
    [ADMIN]: { type: 'cluster' },
  });
  const configMap = new InMemoryCluster({
    mode: 'CONFIG_MAP',
    awsAuth: AWS_AUTH,
  });
  const world = inMemoryGrantWorld({ [API_ARN]: api, [CM_ARN]: configMap });
  let now = new Date('2026-11-28T10:00:00Z');
  const auditor = mockServices.auditor.mock();
  const makeReconciler = (runnerId: string) =>
    new GrantReconciler({
      store,
      settings,
      ...world,
      auditor,
      logger: mockServices.logger.mock(),
      runnerId,
      now: () => now,
    });
  const approve = async (request: NewAccessRequest) => {
    const created = await store.createRequest(request, { now });
    await store.recordApproval({
      id: created.id,
      approver: 'user:default/alex',
      now,
    });
    return created.id;
  };
  return {
    store,
    api,
    configMap,
    auditor,
    reconciler: makeReconciler('runner-1'),
    makeReconciler,
    approve,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
    now: () => now,
  };
}

function verdictFor(cluster: InMemoryCluster, arn: string) {
  return evaluateAccess({
    caller: { arn: SSO_SESSION, iamArn: SSO_ROLE },
    cluster: cluster.accessData({
      name: 'x',
      accountId: arn.split(':')[4],
      region: 'us-east-1',
    }),
  });
}

describe('GrantReconciler with access entries', () => {
  it('creates a tagged entry, associates the policy, verifies, and removes it all on expiry', async () => {
    const t = await setup();
    const id = await t.approve(newRequest());
    expect(verdictFor(t.api, API_ARN).decision).toBe('denied');

    expect(await t.reconciler.runOnce()).toBe(1);
    const active = (await t.store.getRequest(id))!;
    expect(active.state).toBe('active');
    expect(active.activatedAt).toBe('2026-11-28T10:00:00.000Z');
    expect(active.expiresAt).toBe('2026-11-28T11:00:00.000Z');
    expect(active.grant).toMatchObject({
      method: 'access-entry',
      accessEntryCreated: true,
      policyAssociated: true,
    });
    expect(t.api.entries.get(SSO_ROLE)).toMatchObject({
      type: 'STANDARD',
      tags: {
        'eks-access.io/managed-by': 'backstage-eks-access',
        'eks-access.io/request-id': id,
      },
    });
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['ml'],
    });
    const verdict = verdictFor(t.api, API_ARN);
    expect(verdict).toMatchObject({ decision: 'allowed', via: 'access-entry' });

    // nothing to do until it expires
    t.advance(1800);
    expect(await t.reconciler.runOnce()).toBe(0);
    t.advance(1801);
    expect(await t.reconciler.runOnce()).toBe(1);
    const expired = (await t.store.getRequest(id))!;
    expect(expired.state).toBe('expired');
    expect(expired.grant?.removedAt).toBeDefined();
    expect(t.api.entries.has(SSO_ROLE)).toBe(false);
    expect(
      t.api.entries
        .get('arn:aws:iam::111122223333:role/PlatformAdmin')!
        .policies.get(ADMIN),
    ).toEqual({ type: 'cluster' });
    const types = (await t.store.listEvents(id)).map(e => e.type);
    expect(types).toEqual([
      'created',
      'approval',
      'approved',
      'apply-started',
      'apply-step',
      'apply-step',
      'activated',
      'expiring-soon',
      'expired',
      'removal-step',
      'removal-step',
      'removed',
    ]);
    expect(t.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'grant-apply',
        severityLevel: 'high',
      }),
    );
  });

  it('adds only the association to an entry it did not create, and leaves the entry on removal', async () => {
    const t = await setup();
    const platformAdmin = 'arn:aws:iam::111122223333:role/PlatformAdmin';
    const id = await t.approve(
      newRequest({
        principalArn: platformAdmin,
        canonicalPrincipalArn: platformAdmin,
        scope: { type: 'cluster' },
      }),
    );
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.grant).toMatchObject({
      accessEntryCreated: false,
    });
    expect(t.api.calls.filter(c => c.startsWith('CreateAccessEntry'))).toEqual(
      [],
    );
    const entry = t.api.entries.get(platformAdmin)!;
    expect(entry.tags).toEqual({});
    expect([...entry.policies.keys()].sort()).toEqual([ADMIN, VIEW].sort());
    t.advance(3601);
    await t.reconciler.runOnce();
    expect([...t.api.entries.get(platformAdmin)!.policies.keys()]).toEqual([
      ADMIN,
    ]);
  });

  it('keeps a scope that was associated before us when it removes our part', async () => {
    const t = await setup();
    t.api.addEntry(SSO_ROLE, {
      [VIEW]: { type: 'namespace', namespaces: ['shared'] },
    });
    const id = await t.approve(newRequest());
    await t.reconciler.runOnce();
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['ml', 'shared'],
    });
    await t.store.transition({
      id,
      from: 'active',
      to: 'revoked',
      event: { type: 'revoked', actor: 'user:default/alex' },
    });
    await t.reconciler.runOnce();
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['shared'],
    });
  });

  it('completes a grant after a crash between CreateAccessEntry and AssociateAccessPolicy without a second entry', async () => {
    const t = await setup();
    const id = await t.approve(newRequest());
    // The first runner dies right after creating the entry: its claim stays.
    const crashed = t.makeReconciler('runner-crashed');
    t.api.crashOnNextAssociate = true;
    jest
      .spyOn(t.store, 'transition')
      .mockRejectedValueOnce(new Error('process died'));
    await crashed.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('approved');
    expect(t.api.entries.get(SSO_ROLE)!.policies.size).toBe(0);

    // Another replica cannot take it while the lease holds...
    await t.store.claimNextWork({
      runnerId: 'runner-crashed',
      leaseSeconds: 300,
      now: t.now(),
    });
    expect(await t.reconciler.runOnce()).toBe(0);
    // ...and completes it once the lease has run out.
    t.advance(301);
    expect(await t.reconciler.runOnce()).toBe(1);
    const request = (await t.store.getRequest(id))!;
    expect(request.state).toBe('active');
    expect(request.grant).toMatchObject({
      accessEntryCreated: true,
      policyAssociated: true,
    });
    expect(
      t.api.calls.filter(c => c.startsWith('CreateAccessEntry')),
    ).toHaveLength(1);
    expect(
      t.api.calls.filter(c => c.startsWith('AssociateAccessPolicy')),
    ).toHaveLength(1);
  });

  it('applies a grant once when two replicas run at the same time', async () => {
    const t = await setup();
    const id = await t.approve(newRequest());
    await Promise.all([
      t.makeReconciler('a').runOnce(),
      t.makeReconciler('b').runOnce(),
    ]);
    expect((await t.store.getRequest(id))!.state).toBe('active');
    expect(
      t.api.calls.filter(c => c.startsWith('CreateAccessEntry')),
    ).toHaveLength(1);
    expect(
      t.api.calls.filter(c => c.startsWith('AssociateAccessPolicy')),
    ).toHaveLength(1);
    expect(
      (await t.store.listEvents(id)).filter(e => e.type === 'activated'),
    ).toHaveLength(1);
  });

  it('keeps overlapping grants working when one of them ends', async () => {
    const t = await setup();
    const first = await t.approve(
      newRequest({ scope: { type: 'namespace', namespaces: ['ml'] } }),
    );
    await t.reconciler.runOnce();
    t.advance(600);
    const second = await t.approve(
      newRequest({ scope: { type: 'namespace', namespaces: ['ml-jobs'] } }),
    );
    await t.reconciler.runOnce();
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['ml', 'ml-jobs'],
    });
    expect((await t.store.getRequest(second))!.state).toBe('active');

    t.advance(3001); // first expires, second still has 10 minutes
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(first))!.state).toBe('expired');
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['ml-jobs'],
    });
    expect(verdictFor(t.api, API_ARN).decision).toBe('allowed');

    t.advance(600);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(second))!.state).toBe('expired');
    expect(t.api.entries.has(SSO_ROLE)).toBe(false);
  });

  it('fails with the reason when the principal has a non-STANDARD entry, and can be retried', async () => {
    const t = await setup();
    t.api.addEntry(SSO_ROLE);
    t.api.entries.get(SSO_ROLE)!.type = 'EC2_LINUX';
    const id = await t.approve(newRequest());
    await t.reconciler.runOnce();
    const failed = (await t.store.getRequest(id))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('type EC2_LINUX');
    t.api.entries.get(SSO_ROLE)!.type = 'STANDARD';
    await t.store.transition({
      id,
      from: 'failed',
      to: 'approved',
      event: { type: 'retried', actor: 'user:default/alex' },
      patch: { error: null },
    });
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('active');
  });
});

describe('GrantReconciler with aws-auth', () => {
  const cmRequest = (overrides: Partial<NewAccessRequest> = {}) =>
    newRequest({
      cluster: CM_CLUSTER,
      scope: { type: 'namespace', namespaces: ['payments'] },
      ...overrides,
    });

  it('adds a path-stripped mapping, keeps every other entry, and removes only ours on expiry', async () => {
    const t = await setup();
    const before = parseAwsAuth(AWS_AUTH);
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const request = (await t.store.getRequest(id))!;
    expect(request.state).toBe('active');
    const after = parseAwsAuth(t.configMap.awsAuth!.data);
    expect(after.mapRoles.slice(0, 2)).toEqual(before.mapRoles);
    expect(after.mapUsers).toEqual(before.mapUsers);
    expect(after.mapRoles[2]).toEqual({
      rolearn: SSO_ROLE_STRIPPED,
      username:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}',
      groups: ['eks-access-view-payments', 'eks-access-viewers'],
    });
    // the original text is kept as is, comments included
    expect(
      t.configMap.awsAuth!.data.mapRoles.startsWith(
        AWS_AUTH.mapRoles.trimEnd(),
      ),
    ).toBe(true);
    expect(verdictFor(t.configMap, CM_ARN)).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-role',
    });
    const update = (await t.store.listEvents(id)).find(
      e => e.details?.action === 'aws-auth:update',
    )!;
    expect(update.details).toMatchObject({
      before: AWS_AUTH,
      after: t.configMap.awsAuth!.data,
    });

    t.advance(3601);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('expired');
    const removed = parseAwsAuth(t.configMap.awsAuth!.data);
    expect(removed.mapRoles).toEqual(before.mapRoles);
    expect(removed.mapUsers).toEqual(before.mapUsers);
    expect(t.configMap.awsAuth!.data.mapUsers).toBe(AWS_AUTH.mapUsers);
  });

  it('re-reads and retries on a 409, keeping the entry someone else added meanwhile', async () => {
    const t = await setup();
    const id = await t.approve(cmRequest());
    let raced = false;
    t.configMap.beforeReplace = () => {
      if (!raced) {
        raced = true;
        t.configMap.externalEdit({
          ...t.configMap.awsAuth!.data,
          mapUsers: `${AWS_AUTH.mapUsers}- userarn: arn:aws:iam::111122223333:user/newcomer\n  username: newcomer\n  groups:\n  - ops\n`,
        });
      }
    };
    await t.reconciler.runOnce();
    expect(t.configMap.calls).toEqual([
      'ReplaceConfigMap 409',
      'ReplaceConfigMap',
    ]);
    expect((await t.store.getRequest(id))!.state).toBe('active');
    const parsed = parseAwsAuth(t.configMap.awsAuth!.data);
    expect(parsed.mapUsers.map(u => u.username)).toEqual(['ops', 'newcomer']);
    expect(parsed.mapRoles.map(r => r.rolearn)).toContain(SSO_ROLE_STRIPPED);
    const conflict = (await t.store.listEvents(id)).find(
      e => e.details?.action === 'aws-auth:conflict',
    );
    expect(conflict).toBeDefined();
  });

  it('refuses to edit an aws-auth that does not parse cleanly', async () => {
    const t = await setup();
    const broken = { ...AWS_AUTH, mapRoles: '- rolearn: [unclosed\n\t- bad' };
    t.configMap.externalEdit(broken);
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const failed = (await t.store.getRequest(id))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('aws-auth does not parse cleanly');
    expect(t.configMap.awsAuth!.data).toEqual(broken);
    expect(
      t.configMap.calls.filter(c => c.startsWith('ReplaceConfigMap')),
    ).toEqual([]);
  });

  it('refuses to shadow a mapping it did not add', async () => {
    const t = await setup();
    t.configMap.externalEdit({
      ...AWS_AUTH,
      mapRoles: `${AWS_AUTH.mapRoles}- rolearn: ${SSO_ROLE_STRIPPED}\n  username: dana\n  groups:\n  - readers\n`,
    });
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const failed = (await t.store.getRequest(id))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('with an entry this plugin did not add');
  });

  it('merges overlapping grants into one mapping and keeps the other grant on removal', async () => {
    const t = await setup();
    const first = await t.approve(
      cmRequest({ scope: { type: 'namespace', namespaces: ['payments'] } }),
    );
    await t.reconciler.runOnce();
    t.advance(600);
    const second = await t.approve(
      cmRequest({
        scope: { type: 'namespace', namespaces: ['payments-jobs'] },
      }),
    );
    await t.reconciler.runOnce();
    let ours = parseAwsAuth(t.configMap.awsAuth!.data).mapRoles.filter(
      r => r.rolearn === SSO_ROLE_STRIPPED,
    );
    expect(ours).toHaveLength(1);
    expect(ours[0].groups).toEqual([
      'eks-access-view-payments',
      'eks-access-view-payments-jobs',
      'eks-access-viewers',
    ]);

    t.advance(3001);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(first))!.state).toBe('expired');
    ours = parseAwsAuth(t.configMap.awsAuth!.data).mapRoles.filter(
      r => r.rolearn === SSO_ROLE_STRIPPED,
    );
    expect(ours[0].groups).toEqual([
      'eks-access-view-payments-jobs',
      'eks-access-viewers',
    ]);

    t.advance(600);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(second))!.state).toBe('expired');
    expect(parseAwsAuth(t.configMap.awsAuth!.data).mapRoles).toEqual(
      parseAwsAuth(AWS_AUTH).mapRoles,
    );
  });
});

describe('GrantReconciler removes exactly what each grant added', () => {
  const cmRequest = (overrides: Partial<NewAccessRequest> = {}) =>
    newRequest({
      cluster: CM_CLUSTER,
      scope: { type: 'namespace', namespaces: ['payments'] },
      ...overrides,
    });
  const revoke = (t: Awaited<ReturnType<typeof setup>>, id: string) =>
    t.store.transition({
      id,
      from: 'active',
      to: 'revoked',
      event: { type: 'revoked', actor: 'user:default/alex' },
      patch: { endedAt: t.now() },
    });

  it('removes every aws-auth grant of one principal when all are revoked before the task runs', async () => {
    const t = await setup();
    const ids: string[] = [];
    for (const ns of ['payments', 'payments-jobs', 'payments-web']) {
      ids.push(
        await t.approve(
          cmRequest({ scope: { type: 'namespace', namespaces: [ns] } }),
        ),
      );
      await t.reconciler.runOnce();
    }
    for (const id of ids) {
      expect((await t.store.getRequest(id))!.state).toBe('active');
      await revoke(t, id);
    }
    await t.reconciler.runOnce();
    for (const id of ids) {
      const request = (await t.store.getRequest(id))!;
      expect(request.grant?.removalError).toBeUndefined();
      expect(request.grant?.removedAt).toBeDefined();
    }
    expect(t.configMap.awsAuth!.data).toEqual(AWS_AUTH);
  });

  it('converges when several runners remove the grants of one principal concurrently', async () => {
    const t = await setup();
    const ids: string[] = [];
    for (const ns of ['a', 'b', 'c', 'd', 'e']) {
      ids.push(
        await t.approve(
          cmRequest({ scope: { type: 'namespace', namespaces: [ns] } }),
        ),
      );
    }
    await t.reconciler.runOnce();
    for (const id of ids) {
      await revoke(t, id);
    }
    await Promise.all(
      ['r1', 'r2', 'r3'].map(r => t.makeReconciler(r).runOnce()),
    );
    await t.reconciler.runOnce();
    for (const id of ids) {
      expect((await t.store.getRequest(id))!.grant?.removedAt).toBeDefined();
    }
    expect(t.configMap.awsAuth!.data).toEqual(AWS_AUTH);
  });

  it('adopts nothing: a hand-written mapping that already covers the request is left byte for byte', async () => {
    const t = await setup();
    const handWritten = {
      ...AWS_AUTH,
      mapRoles: `${AWS_AUTH.mapRoles}# the payments team, added by hand
- rolearn: ${SSO_ROLE_STRIPPED}
  username: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}
  groups:
  - eks-access-view-payments
  - eks-access-viewers
  - payments-team
`,
    };
    t.configMap.externalEdit(handWritten);
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const active = (await t.store.getRequest(id))!;
    expect(active.state).toBe('active');
    expect(t.configMap.awsAuth!.data).toEqual(handWritten);
    await revoke(t, id);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.grant?.removedAt).toBeDefined();
    expect(t.configMap.awsAuth!.data).toEqual(handWritten);
  });

  it('never widens a hand-written mapping', async () => {
    const t = await setup();
    const handWritten = {
      ...AWS_AUTH,
      mapRoles: `${AWS_AUTH.mapRoles}- rolearn: ${SSO_ROLE_STRIPPED}
  username: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}
  groups:
  - eks-access-viewers
`,
    };
    t.configMap.externalEdit(handWritten);
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const failed = (await t.store.getRequest(id))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('did not add');
    await t.reconciler.runOnce();
    expect(t.configMap.awsAuth!.data).toEqual(handWritten);
  });

  it('keeps groups a person added to our mapping when our grants end', async () => {
    const t = await setup();
    const id = await t.approve(cmRequest());
    await t.reconciler.runOnce();
    const data = t.configMap.awsAuth!.data;
    t.configMap.externalEdit({
      ...data,
      mapRoles: data.mapRoles.replace(
        '  - eks-access-viewers\n',
        '  - eks-access-viewers\n  - added-by-hand\n',
      ),
    });
    await revoke(t, id);
    await t.reconciler.runOnce();
    const ours = parseAwsAuth(t.configMap.awsAuth!.data).mapRoles.filter(
      r => r.rolearn === SSO_ROLE_STRIPPED,
    );
    expect(ours.map(r => r.groups)).toEqual([['added-by-hand']]);
  });

  it('removes both policy scopes when a grant applies while another one waits for removal', async () => {
    const t = await setup();
    const first = await t.approve(
      newRequest({ scope: { type: 'namespace', namespaces: ['ml'] } }),
    );
    await t.reconciler.runOnce();
    await revoke(t, first);
    // the removal of `first` has not run yet when `second` is applied
    const second = await t.approve(
      newRequest({ scope: { type: 'namespace', namespaces: ['ml-jobs'] } }),
    );
    const claimed = await t.store.claimNextWork({
      runnerId: 'other',
      leaseSeconds: 60,
      now: t.now(),
      skip: [second],
    });
    expect(claimed?.request.id).toBe(first);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(second))!.state).toBe('active');
    await t.store.releaseClaim(first, 'other');
    await t.reconciler.runOnce();
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'namespace',
      namespaces: ['ml-jobs'],
    });
    await revoke(t, second);
    await t.reconciler.runOnce();
    expect(t.api.entries.has(SSO_ROLE)).toBe(false);
  });

  it('leaves an association that covered the request before it untouched', async () => {
    const t = await setup();
    t.api.addEntry(SSO_ROLE, { [VIEW]: { type: 'cluster' } });
    const id = await t.approve(newRequest());
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('active');
    await revoke(t, id);
    await t.reconciler.runOnce();
    expect(t.api.entries.get(SSO_ROLE)!.policies.get(VIEW)).toEqual({
      type: 'cluster',
    });
    expect(
      t.api.calls.filter(c => !c.startsWith('DescribeAccessEntry')),
    ).toEqual([]);
  });

  it('deletes the entry it created when its creator is removed first and another ended grant still holds a policy', async () => {
    // Found by the 10,000-step soak: the creator of the entry was removed
    // while another grant of the principal (other policy) had ended but was
    // not removed yet. The entry could not go (that policy was still
    // associated) and ownership was only handed to live grants, so the last
    // removal found no owner and left the entry behind.
    const t = await setup();
    const view = await t.approve(newRequest());
    await t.reconciler.runOnce();
    const admin = await t.approve(newRequest({ level: 'admin' }));
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(view))!.grant?.accessEntryCreated).toBe(
      true,
    );
    expect((await t.store.getRequest(admin))!.state).toBe('active');
    await revoke(t, view);
    await revoke(t, admin);
    await t.reconciler.runOnce();
    for (const id of [view, admin]) {
      expect((await t.store.getRequest(id))!.grant?.removedAt).toBeDefined();
    }
    expect(t.api.entries.has(SSO_ROLE)).toBe(false);
  });

  it('deletes the entry whichever of two ended grants is removed first', async () => {
    const t = await setup();
    const view = await t.approve(newRequest());
    await t.reconciler.runOnce();
    const admin = await t.approve(newRequest({ level: 'admin' }));
    await t.reconciler.runOnce();
    await revoke(t, admin);
    await revoke(t, view);
    // the grant that did not create the entry goes first
    const claimed = await t.store.claimNextWork({
      runnerId: 'other',
      leaseSeconds: 60,
      now: t.now(),
      skip: [admin],
    });
    expect(claimed?.request.id).toBe(view);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(admin))!.grant?.removedAt).toBeDefined();
    await t.store.releaseClaim(view, 'other');
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(view))!.grant?.removedAt).toBeDefined();
    expect(t.api.entries.has(SSO_ROLE)).toBe(false);
  });

  it('never deletes an access entry it did not create, even one that carries our tag', async () => {
    const t = await setup();
    t.api.addEntry(
      SSO_ROLE,
      {},
      { 'eks-access.io/managed-by': 'backstage-eks-access' },
    );
    const id = await t.approve(newRequest());
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.state).toBe('active');
    await revoke(t, id);
    await t.reconciler.runOnce();
    expect((await t.store.getRequest(id))!.grant?.removedAt).toBeDefined();
    expect(t.api.entries.get(SSO_ROLE)?.policies.size).toBe(0);
  });
});
