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
  mockServices,
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { NewAccessRequest } from './AccessRequestStore';
import { DatabaseAccessRequestStore } from './DatabaseAccessRequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

const ROLE =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

function newRequest(
  overrides: Partial<NewAccessRequest> = {},
): NewAccessRequest {
  return {
    cluster: {
      entityRef: 'resource:default/ml-training',
      arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
      name: 'ml-training',
      accountId: '444455556666',
      region: 'us-east-2',
    },
    requester: 'user:default/dana',
    principalArn: ROLE,
    canonicalPrincipalArn:
      'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
    level: 'view',
    scope: { type: 'namespace', namespaces: ['ml', 'ml-jobs'] },
    durationSeconds: 3600,
    reason: 'Debug the training job',
    approvalsRequired: 1,
    ...overrides,
  };
}

describe('TestDatabases setup', () => {
  it('runs against PostgreSQL whenever its connection string is set', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const expected = process.env
      .BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
      ? ['SQLITE_3', 'POSTGRES_15']
      : ['SQLITE_3'];
    expect(ids).toEqual(expected);
  });
});

describe.each(databases.eachSupportedId())(
  'DatabaseAccessRequestStore (%s)',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      const store = await DatabaseAccessRequestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('creates a pending request with a created event', async () => {
      const { store } = await createStore(databaseId);
      const created = await store.createRequest(
        newRequest({ ticketUrl: 'https://jira.example.com/OPS-1' }),
        {
          now: new Date('2026-11-28T10:00:00Z'),
        },
      );
      expect(created).toMatchObject({
        state: 'pending',
        requester: 'user:default/dana',
        principalArn: ROLE,
        scope: { type: 'namespace', namespaces: ['ml', 'ml-jobs'] },
        durationSeconds: 3600,
        ticketUrl: 'https://jira.example.com/OPS-1',
        approvals: [],
        createdAt: '2026-11-28T10:00:00.000Z',
      });
      const events = await store.listEvents(created.id);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'created',
          actor: 'user:default/dana',
          toState: 'pending',
          at: '2026-11-28T10:00:00.000Z',
        }),
      ]);
    });

    it('guards transitions by the current state', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.transition({
        id,
        from: 'pending',
        to: 'cancelled',
        event: {
          type: 'cancelled',
          actor: 'user:default/dana',
          comment: 'not needed',
        },
      });
      await expect(
        store.transition({
          id,
          from: 'pending',
          to: 'rejected',
          event: { type: 'rejected', actor: 'user:default/alex' },
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('is cancelled, not pending'),
      });
      await expect(
        store.transition({
          id: 'nope',
          from: 'pending',
          to: 'rejected',
          event: { type: 'rejected', actor: 'user:default/alex' },
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      const events = await store.listEvents(id);
      expect(
        events.map(e => [e.type, e.fromState, e.toState, e.comment]),
      ).toEqual([
        ['created', undefined, 'pending', undefined],
        ['cancelled', 'pending', 'cancelled', 'not needed'],
      ]);
    });

    it('refuses transitions the state machine does not allow', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await expect(
        store.transition({
          id,
          from: 'pending',
          to: 'active',
          event: { type: 'activated', actor: 'system' },
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await store.getRequest(id))!.state).toBe('pending');
    });

    it('needs N distinct approvers', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(
        newRequest({ approvalsRequired: 2 }),
      );
      const first = await store.recordApproval({
        id,
        approver: 'user:default/alex',
        comment: 'ok',
      });
      expect(first.approved).toBe(false);
      expect(first.request.state).toBe('pending');
      await expect(
        store.recordApproval({ id, approver: 'user:default/alex' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('has already approved'),
      });
      const second = await store.recordApproval({
        id,
        approver: 'user:default/sam',
      });
      expect(second.approved).toBe(true);
      expect(second.request.state).toBe('approved');
      expect(second.request.approvals.map(a => a.approver)).toEqual([
        'user:default/alex',
        'user:default/sam',
      ]);
      await expect(
        store.recordApproval({ id, approver: 'user:default/other' }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const types = (await store.listEvents(id)).map(e => e.type);
      expect(types).toEqual(['created', 'approval', 'approval', 'approved']);
    });

    it('lets exactly one of two concurrent approvals approve', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      const results = await Promise.allSettled([
        store.recordApproval({ id, approver: 'user:default/alex' }),
        store.recordApproval({ id, approver: 'user:default/sam' }),
      ]);
      const fulfilled = results.filter(r => r.status === 'fulfilled');
      const rejected = results.filter(r => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason.name).toBe(
        'ConflictError',
      );
      const events = await store.listEvents(id);
      expect(events.filter(e => e.type === 'approved')).toHaveLength(1);
    });

    it('sets activation and expiry together with the state', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.recordApproval({ id, approver: 'user:default/alex' });
      const activatedAt = new Date('2026-11-28T11:00:00Z');
      const expiresAt = new Date('2026-11-28T12:00:00Z');
      const active = await store.transition({
        id,
        from: 'approved',
        to: 'active',
        event: { type: 'activated', actor: 'system' },
        patch: { activatedAt, expiresAt },
        now: activatedAt,
      });
      expect(active).toMatchObject({
        state: 'active',
        activatedAt: '2026-11-28T11:00:00.000Z',
        expiresAt: '2026-11-28T12:00:00.000Z',
      });
    });

    it('keeps and clears the error of a failed grant', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.recordApproval({ id, approver: 'user:default/alex' });
      const failed = await store.transition({
        id,
        from: 'approved',
        to: 'failed',
        event: { type: 'failed', actor: 'system' },
        patch: { error: 'aws-auth does not parse' },
      });
      expect(failed.error).toBe('aws-auth does not parse');
      const retried = await store.transition({
        id,
        from: 'failed',
        to: 'approved',
        event: { type: 'retried', actor: 'user:default/alex' },
        patch: { error: null },
      });
      expect(retried.state).toBe('approved');
      expect(retried.error).toBeUndefined();
    });

    it('hands each piece of work to one runner at a time', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.recordApproval({ id, approver: 'user:default/alex' });
      const now = new Date();
      const a = await store.claimNextWork({
        runnerId: 'a',
        leaseSeconds: 60,
        now,
      });
      const b = await store.claimNextWork({
        runnerId: 'b',
        leaseSeconds: 60,
        now,
      });
      expect(a).toMatchObject({ kind: 'apply', request: { id } });
      expect(b).toBeUndefined();
      // an expired lease can be taken over
      const later = new Date(now.getTime() + 61_000);
      const c = await store.claimNextWork({
        runnerId: 'c',
        leaseSeconds: 60,
        now: later,
      });
      expect(c).toMatchObject({ kind: 'apply', request: { id } });
      await store.releaseClaim(id, 'c');
      const d = await store.claimNextWork({
        runnerId: 'd',
        leaseSeconds: 60,
        now: later,
      });
      expect(d).toMatchObject({ kind: 'apply' });
    });

    it('finds due expiries and grants left to remove', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.recordApproval({ id, approver: 'user:default/alex' });
      const t0 = new Date('2026-11-28T10:00:00Z');
      await store.transition({
        id,
        from: 'approved',
        to: 'active',
        event: { type: 'activated', actor: 'system' },
        patch: { activatedAt: t0, expiresAt: new Date('2026-11-28T11:00:00Z') },
      });
      await store.saveGrant({
        requestId: id,
        method: 'access-entry',
        clusterArn: newRequest().cluster.arn,
        principalArn: ROLE,
        accessPolicyArn:
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
        accessScope: { type: 'cluster' },
        accessEntryCreated: true,
        policyAssociated: true,
        awsAuthAdded: false,
        appliedAt: t0,
      });
      expect(
        await store.claimNextWork({
          runnerId: 'a',
          leaseSeconds: 60,
          now: new Date('2026-11-28T10:30:00Z'),
        }),
      ).toBeUndefined();
      const work = await store.claimNextWork({
        runnerId: 'a',
        leaseSeconds: 60,
        now: new Date('2026-11-28T11:00:01Z'),
      });
      expect(work).toMatchObject({ kind: 'expire', request: { id } });
      await store.transition({
        id,
        from: 'active',
        to: 'expired',
        event: { type: 'expired', actor: 'system' },
      });
      await store.releaseClaim(id, 'a');
      const removal = await store.claimNextWork({
        runnerId: 'a',
        leaseSeconds: 60,
      });
      expect(removal).toMatchObject({
        kind: 'remove',
        request: {
          id,
          grant: { method: 'access-entry', accessEntryCreated: true },
        },
      });
      const grant = (await store.getGrant(id))!;
      await store.saveGrant({ ...grant, removedAt: new Date() });
      await store.releaseClaim(id, 'a');
      expect(
        await store.claimNextWork({ runnerId: 'a', leaseSeconds: 60 }),
      ).toBeUndefined();
    });

    it('lists the other grants not removed yet, telling which are live', async () => {
      const { store } = await createStore(databaseId);
      const base = newRequest();
      const one = await store.createRequest(base);
      const two = await store.createRequest(base);
      const three = await store.createRequest(base);
      for (const r of [one, two, three]) {
        await store.recordApproval({ id: r.id, approver: 'user:default/alex' });
        await store.saveGrant({
          requestId: r.id,
          method: 'access-entry',
          clusterArn: base.cluster.arn,
          principalArn: ROLE,
          accessEntryCreated: r === one,
          policyAssociated: true,
          awsAuthAdded: false,
        });
      }
      await store.transition({
        id: three.id,
        from: 'approved',
        to: 'failed',
        event: { type: 'failed', actor: 'system' },
      });
      const others = await store.listGrantsNotRemoved({
        clusterArn: base.cluster.arn,
        canonicalPrincipalArn: base.canonicalPrincipalArn,
        excludeRequestId: one.id,
      });
      expect(others.map(o => [o.grant.requestId, o.live]).sort()).toEqual(
        [
          [two.id, true],
          [three.id, false],
        ].sort(),
      );
      expect(others[0].grant.accessEntryCreated).toBe(false);
    });

    it('only adds to what a grant owns, whatever a stale save says', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      const grant = {
        requestId: id,
        method: 'aws-auth' as const,
        clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/x',
        principalArn: ROLE,
        accessEntryCreated: false,
        policyAssociated: false,
        awsAuthAdded: true,
      };
      await store.saveGrant(grant);
      await store.addGrantOwnership(id, { awsAuthGroupsAdded: ['b', 'a'] });
      await store.addGrantOwnership(id, {
        awsAuthGroupsAdded: ['c'],
        awsAuthEntryCreated: true,
      });
      await store.saveGrant({ ...grant, awsAuthGroupsAdded: [] });
      expect(await store.getGrant(id)).toMatchObject({
        awsAuthEntryCreated: true,
        awsAuthGroupsAdded: ['a', 'b', 'c'],
      });
      await store.resetGrantOwnership(id);
      expect(await store.getGrant(id)).toMatchObject({
        awsAuthEntryCreated: false,
        awsAuthGroupsAdded: [],
      });
    });

    it('lets one holder at a time hold the lock of a principal, until its lease ends', async () => {
      const { store } = await createStore(databaseId);
      let now = new Date('2026-11-30T10:00:00Z');
      const lock = (holder: string, waitMs = 0) =>
        store.withPrincipalLock(
          {
            clusterArn: 'c',
            canonicalPrincipalArn: ROLE,
            holder,
            leaseSeconds: 60,
            now: () => now,
            waitMs,
          },
          async () => holder,
        );
      const order: string[] = [];
      let release!: () => void;
      const held = store.withPrincipalLock(
        {
          clusterArn: 'c',
          canonicalPrincipalArn: ROLE,
          holder: 'a',
          leaseSeconds: 60,
          now: () => now,
        },
        () =>
          new Promise<void>(resolve => {
            order.push('a');
            release = resolve;
          }),
      );
      await new Promise(r => setTimeout(r, 50));
      await expect(lock('b')).rejects.toThrow('being written');
      const waiting = lock('b', 5_000).then(h => order.push(h));
      await new Promise(r => setTimeout(r, 50));
      release();
      await held;
      await waiting;
      expect(order).toEqual(['a', 'b']);
      // a holder that died: its lease runs out
      await store.withPrincipalLock(
        {
          clusterArn: 'c',
          canonicalPrincipalArn: ROLE,
          holder: 'dead',
          leaseSeconds: 60,
          now: () => now,
        },
        async () => {
          now = new Date(now.getTime() + 61_000);
          expect(await lock('c')).toBe('c');
        },
      );
    });

    it('sends the expiry warning once', async () => {
      const { store } = await createStore(databaseId);
      const { id } = await store.createRequest(newRequest());
      await store.recordApproval({ id, approver: 'user:default/alex' });
      await store.transition({
        id,
        from: 'approved',
        to: 'active',
        event: { type: 'activated', actor: 'system' },
        patch: {
          activatedAt: new Date(),
          expiresAt: new Date(Date.now() + 60_000),
        },
      });
      const soon = await store.listExpiringUnnotified(
        new Date(Date.now() + 120_000),
      );
      expect(soon.map(r => r.id)).toEqual([id]);
      expect(await store.markExpiryNotified(id)).toBe(true);
      expect(await store.markExpiryNotified(id)).toBe(false);
      expect(
        await store.listExpiringUnnotified(new Date(Date.now() + 120_000)),
      ).toEqual([]);
    });
  },
);
