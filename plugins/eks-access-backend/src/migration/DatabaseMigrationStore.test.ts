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
 * The migration store on SQLite and, when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set, PostgreSQL:
 * the baseline comes back as it was stored (a restart verifies against the
 * same one), one open migration and one open proposal per cluster, guarded
 * transitions, and leases that let another runner resume a dead one's stage.
 */

import {
  mockServices,
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { ClusterAccessData } from '@eks-access/plugin-eks-access-common';
import { DatabaseMigrationStore } from './DatabaseMigrationStore';
import type { MigrationBaseline } from './MigrationRunner';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

const CLUSTER = {
  entityRef: 'resource:default/payments-staging',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments-staging',
  name: 'payments-staging',
  accountId: '111122223333',
  region: 'eu-west-1',
};

const clusterData: ClusterAccessData = {
  name: 'payments-staging',
  accountId: '111122223333',
  region: 'eu-west-1',
  authenticationMode: 'CONFIG_MAP',
  awsAuth: {
    data: {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/PlatformAdmin\n  username: alex:{{SessionName}}\n  groups: [system:masters]\n',
    },
  },
  creatorArn: 'arn:aws:iam::111122223333:user/backstage-eks-access',
};

function baseline(id: string): MigrationBaseline {
  return {
    migrationId: id,
    cluster: clusterData,
    plan: { entries: [], modeChanges: [], issues: [] } as any,
    principals: ['arn:aws:iam::111122223333:role/PlatformAdmin'],
    accepted: ['arn:aws:iam::111122223333:role/Old'],
  };
}

const MIGRATION_ID = '00000000-0000-4000-8000-000000000001';

describe.each(databases.eachSupportedId())(
  'DatabaseMigrationStore (%s)',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      return {
        knex,
        store: await DatabaseMigrationStore.create({ database }),
        /** Another process on the same database. */
        restart: () => DatabaseMigrationStore.create({ database }),
      };
    }

    it('keeps the baseline across a restart, one open migration per cluster', async () => {
      const { store, restart } = await createStore(databaseId);
      const now = new Date('2026-11-30T10:00:00Z');
      const proposal = await store.createMigration(
        {
          id: MIGRATION_ID,
          clusterArn: CLUSTER.arn,
          clusterEntityRef: CLUSTER.entityRef,
          baseline: baseline(MIGRATION_ID),
          createdBy: 'user:default/alex',
        },
        {
          cluster: CLUSTER,
          stage: 'entries',
          proposer: 'user:default/alex',
          comment: 'start',
          accepted: ['arn:aws:iam::111122223333:role/Old'],
          summary: 'Equivalent for all 1 principals',
        },
        now,
      );
      expect(proposal).toMatchObject({
        migrationId: MIGRATION_ID,
        cluster: CLUSTER,
        stage: 'entries',
        state: 'pending',
        accepted: ['arn:aws:iam::111122223333:role/Old'],
        createdAt: now.toISOString(),
      });

      const again = await restart();
      const open = await again.openMigration(CLUSTER.arn);
      expect(open).toMatchObject({
        id: MIGRATION_ID,
        state: 'open',
        createdBy: 'user:default/alex',
        createdAt: now.toISOString(),
      });
      expect(open!.baseline).toEqual(baseline(MIGRATION_ID));

      await expect(
        again.createMigration(
          {
            id: '00000000-0000-4000-8000-000000000002',
            clusterArn: CLUSTER.arn,
            clusterEntityRef: CLUSTER.entityRef,
            baseline: baseline('x'),
            createdBy: 'user:default/priya',
          },
          {
            cluster: CLUSTER,
            stage: 'entries',
            proposer: 'user:default/priya',
            accepted: [],
            summary: '',
          },
        ),
      ).rejects.toThrow('already open');

      const verified = new Date('2026-11-30T11:00:00Z');
      await again.updateMigration(MIGRATION_ID, {
        startedAt: now,
        entriesVerifiedAt: verified,
      });
      expect(await store.getMigration(MIGRATION_ID)).toMatchObject({
        startedAt: now.toISOString(),
        entriesVerifiedAt: verified.toISOString(),
      });
      await store.updateMigration(MIGRATION_ID, { state: 'final' });
      expect(await store.openMigration(CLUSTER.arn)).toBeUndefined();
    });

    it("holds one open proposal per cluster, guards transitions and hands a dead runner's stage on", async () => {
      const { store } = await createStore(databaseId);
      const t0 = new Date('2026-11-30T10:00:00Z');
      const proposal = await store.createMigration(
        {
          id: MIGRATION_ID,
          clusterArn: CLUSTER.arn,
          clusterEntityRef: CLUSTER.entityRef,
          baseline: baseline(MIGRATION_ID),
          createdBy: 'user:default/alex',
        },
        {
          cluster: CLUSTER,
          stage: 'entries',
          proposer: 'user:default/alex',
          accepted: [],
          summary: 's',
        },
        t0,
      );
      await expect(
        store.createProposal({
          migrationId: MIGRATION_ID,
          cluster: CLUSTER,
          stage: 'final',
          proposer: 'user:default/priya',
          accepted: [],
          summary: 's',
        }),
      ).rejects.toThrow('already has a pending proposal');

      // nothing to run before approval
      expect(
        await store.claimNext({ runnerId: 'a', leaseSeconds: 60, now: t0 }),
      ).toBeUndefined();
      await expect(
        store.transition({
          id: proposal.id,
          from: 'pending',
          to: 'done',
          event: { type: 'done', actor: 'x' },
        }),
      ).rejects.toThrow('cannot become done');
      await store.transition({
        id: proposal.id,
        from: 'pending',
        to: 'approved',
        event: { type: 'approved', actor: 'user:default/priya' },
        patch: { approver: 'user:default/priya' },
        now: t0,
      });
      await expect(
        store.transition({
          id: proposal.id,
          from: 'pending',
          to: 'rejected',
          event: { type: 'rejected', actor: 'user:default/priya' },
        }),
      ).rejects.toThrow('changed in the meantime');

      const claimed = await store.claimNext({
        runnerId: 'a',
        leaseSeconds: 60,
        now: t0,
      });
      expect(claimed).toMatchObject({
        resumed: false,
        proposal: {
          id: proposal.id,
          state: 'running',
          approver: 'user:default/priya',
        },
      });
      // runner a holds the lease...
      const t1 = new Date(t0.getTime() + 30_000);
      expect(
        await store.claimNext({ runnerId: 'b', leaseSeconds: 60, now: t1 }),
      ).toBeUndefined();
      // ...and dies: after the lease, b resumes the stage
      const t2 = new Date(t0.getTime() + 61_000);
      expect(
        await store.claimNext({ runnerId: 'b', leaseSeconds: 60, now: t2 }),
      ).toMatchObject({ resumed: true, proposal: { id: proposal.id } });

      const done = await store.transition({
        id: proposal.id,
        from: 'running',
        to: 'done',
        event: { type: 'done', actor: 'b', comment: 'verified' },
        patch: {
          result: {
            status: 'done',
            mode: 'API_AND_CONFIG_MAP',
            changed: ['arn:aws:iam::111122223333:role/PlatformAdmin'],
            kept: [],
            differingPrincipals: [],
            message: 'verified',
          },
          claimedBy: null,
          leaseUntil: null,
        },
        now: t2,
      });
      expect(done.result?.changed).toHaveLength(1);
      expect((await store.listEvents(proposal.id)).map(e => e.type)).toEqual([
        'proposed',
        'approved',
        'started',
        'resumed',
        'done',
      ]);
      // the cluster is free for the next stage
      const next = await store.createProposal({
        migrationId: MIGRATION_ID,
        cluster: CLUSTER,
        stage: 'final',
        proposer: 'user:default/priya',
        accepted: [],
        summary: 's',
      });
      expect(
        (
          await store.listProposals({ clusterEntityRef: CLUSTER.entityRef })
        ).map(p => p.id),
      ).toEqual([next.id, proposal.id]);
    });
  },
);
