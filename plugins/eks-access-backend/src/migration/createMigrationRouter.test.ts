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
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createMigrationRouter } from './createMigrationRouter';
import { DatabaseMigrationStore } from './DatabaseMigrationStore';
import { MigrationProposalService } from './MigrationProposalService';
import type { MigrationService } from './MigrationService';

jest.setTimeout(60_000);

const ALEX = 'user:default/alex'; // admin
const PRIYA = 'user:default/priya'; // admin
const SAM = 'user:default/sam'; // may preview, not migrate
const OWEN = 'user:default/owen'; // may migrate, but approves nothing on this cluster
const GUEST = 'user:default/guest'; // no migration permission at all
const CLUSTER_REF = 'resource:default/payments-staging';
const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments-staging';
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

async function createApp(options: { failFirstRun?: boolean } = {}) {
  const calls: unknown[][] = [];
  let failNext = options.failFirstRun ?? false;
  const migration = {
    preview: async (target: unknown) => {
      calls.push(['preview', target]);
      return { simulation: { summary: 'Equivalent for all 3 principals' } };
    },
    newBaseline: async (_target: unknown, accept: string[]) => {
      calls.push(['newBaseline', accept]);
      return {
        baseline: {
          migrationId: '00000000-0000-4000-8000-00000000000a',
          cluster: { name: 'payments-staging' },
          plan: { entries: [] },
          principals: ['p1', 'p2', 'p3'],
          accepted: accept,
        },
        summary: 'Equivalent for all 3 principals',
      };
    },
    finalNotBefore: () => undefined,
    runStage: async (_target: unknown, stage: string) => {
      calls.push(['runStage', stage]);
      if (failNext) {
        failNext = false;
        throw new Error('EKS said: ThrottlingException');
      }
      return {
        stage,
        status: 'done',
        mode: 'API_AND_CONFIG_MAP',
        changed: ['p1'],
        kept: [],
        differences: [],
        message:
          'Verified with a fresh snapshot: unchanged for all 3 principals.',
      };
    },
  } as unknown as MigrationService;
  const denied: Record<string, string[]> = {
    [SAM]: ['eks-access.migration.apply'],
    [GUEST]: ['eks-access.migration.apply', 'eks-access.migration.preview'],
  };
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(r => ({
        result: (
          denied[(credentials.principal as any).userEntityRef] ?? []
        ).includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any,
  });
  const auditor = mockServices.auditor.mock();
  const store = await DatabaseMigrationStore.create({
    database: mockServices.database({
      knex: await databases.init('SQLITE_3'),
      migrations: { skip: false },
    }),
  });
  const cluster = {
    entityRef: CLUSTER_REF,
    entity: {} as any,
    cluster: {
      arn: ARN,
      name: 'payments-staging',
      accountId: '111122223333',
      region: 'eu-west-1',
    } as any,
  };
  const proposals = new MigrationProposalService({
    store,
    migration,
    permissions,
    auditor,
    approvers: {
      approverRefusal: async (_c, actor) =>
        actor.userEntityRef === OWEN
          ? `Only the owners of ${CLUSTER_REF} and EKS access admins may approve changes to it`
          : undefined,
    },
    clusterFor: async () => cluster,
    runnerCluster: async () => cluster,
  });
  const app = express()
    .use(
      createMigrationRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user(ALEX),
        }),
        permissions,
        access: {
          getClusterEntity: async (ref: string) =>
            ({ entityRef: ref, cluster: { name: 'c' } } as any),
        },
        migration,
        proposals,
      }),
    )
    .use(mockErrorHandler());
  return { app, calls, auditor, proposals };
}

describe('createMigrationRouter', () => {
  it('previews and lists for admins only', async () => {
    const { app, calls } = await createApp();
    const denied = await request(app)
      .get('/migration/preview')
      .set(as(GUEST))
      .query({ entityRef: CLUSTER_REF });
    expect(denied.status).toBe(403);
    const list = await request(app).get('/migration/proposals').set(as(GUEST));
    expect(list.status).toBe(403);
    expect(calls).toEqual([]);
    const ok = await request(app)
      .get('/migration/preview')
      .query({ entityRef: CLUSTER_REF });
    expect(ok.status).toBe(200);
    expect(ok.body.simulation.summary).toBe('Equivalent for all 3 principals');
  });

  it('refuses to propose without the apply permission, and bad input with a 400', async () => {
    const { app, calls, auditor } = await createApp();
    const denied = await request(app)
      .post('/migration/proposals')
      .set(as(SAM))
      .send({ entityRef: CLUSTER_REF, stage: 'entries' });
    expect(denied.status).toBe(403);
    expect(calls).toEqual([]);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'migration-propose',
        meta: expect.objectContaining({ actor: SAM }),
      }),
    );

    const badStage = await request(app)
      .post('/migration/proposals')
      .send({ entityRef: CLUSTER_REF, stage: 'downgrade' });
    expect(badStage.status).toBe(400);
    expect(badStage.body.error.message).toContain('stage must be');
    const badAccept = await request(app)
      .post('/migration/proposals')
      .send({ entityRef: CLUSTER_REF, stage: 'entries', accept: 'all' });
    expect(badAccept.status).toBe(400);
    const badId = await request(app).post('/migration/proposals/1/approve');
    expect(badId.status).toBe(400);
    const longComment = await request(app)
      .post('/migration/proposals')
      .send({
        entityRef: CLUSTER_REF,
        stage: 'entries',
        comment: 'x'.repeat(2001),
      });
    expect(longComment.status).toBe(400);
    // a later stage without a migration
    const final = await request(app)
      .post('/migration/proposals')
      .send({ entityRef: CLUSTER_REF, stage: 'final' });
    expect(final.status).toBe(409);
    expect(calls).toEqual([]);
  });

  it('runs a stage only after another approver approves it', async () => {
    const { app, calls, auditor, proposals } = await createApp();
    const proposed = await request(app)
      .post('/migration/proposals')
      .send({
        entityRef: CLUSTER_REF,
        stage: 'entries',
        accept: ['arn:aws:iam::111122223333:role/Gone'],
        comment: 'first cluster',
      });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      state: 'pending',
      proposer: ALEX,
      accepted: ['arn:aws:iam::111122223333:role/Gone'],
      summary: 'Equivalent for all 3 principals',
      allowedActions: ['cancel'],
    });
    const id = proposed.body.id;

    // One open proposal per cluster.
    const second = await request(app)
      .post('/migration/proposals')
      .set(as(PRIYA))
      .send({ entityRef: CLUSTER_REF, stage: 'rollback' });
    expect(second.status).toBe(409);

    // Alex cannot approve his own proposal; the attempt is audited.
    const self = await request(app).post(`/migration/proposals/${id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain('your own proposal');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'migration-approve',
        meta: expect.objectContaining({ actor: ALEX, proposalId: id }),
      }),
    );
    // Sam may not migrate; Owen is no approver of this cluster.
    const sam = await request(app)
      .post(`/migration/proposals/${id}/approve`)
      .set(as(SAM));
    expect(sam.status).toBe(403);
    const owen = await request(app)
      .post(`/migration/proposals/${id}/reject`)
      .set(as(OWEN));
    expect(owen.status).toBe(403);
    expect(owen.body.error.message).toContain('Only the owners');
    // Only the proposer cancels.
    const cancel = await request(app)
      .post(`/migration/proposals/${id}/cancel`)
      .set(as(PRIYA));
    expect(cancel.status).toBe(403);
    expect(await proposals.runApproved()).toEqual([]);
    expect(calls.filter(c => c[0] === 'runStage')).toEqual([]);

    const listed = await request(app)
      .get('/migration/proposals')
      .set(as(PRIYA))
      .query({ entityRef: CLUSTER_REF });
    expect(listed.body.items.map((p: any) => p.allowedActions)).toEqual([
      ['approve', 'reject'],
    ]);

    const approved = await request(app)
      .post(`/migration/proposals/${id}/approve`)
      .set(as(PRIYA))
      .send({ comment: 'checked the simulation' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', approver: PRIYA });
    const [ran] = await proposals.runApproved();
    expect(ran).toMatchObject({
      id,
      state: 'done',
      result: { status: 'done', changed: ['p1'] },
    });
    expect(calls.filter(c => c[0] === 'runStage')).toEqual([
      ['runStage', 'entries'],
    ]);
    const details = await request(app).get(`/migration/proposals/${id}`);
    expect(details.body.events.map((e: any) => e.type)).toEqual([
      'proposed',
      'approved',
      'started',
      'done',
    ]);
    for (const eventId of [
      'migration-propose',
      'migration-approve',
      'migration-stage-start',
      'migration-stage',
    ]) {
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId }),
      );
    }

    // The accepted differences belong to the migration: fixed once it began.
    const changed = await request(app)
      .post('/migration/proposals')
      .set(as(PRIYA))
      .send({ entityRef: CLUSTER_REF, stage: 'final', accept: [] });
    expect(changed.status).toBe(400);
  });

  it("keeps the rollback available after a failed stage, and retries it on an approver's word", async () => {
    const { app, proposals } = await createApp({ failFirstRun: true });
    const { body } = await request(app)
      .post('/migration/proposals')
      .send({ entityRef: CLUSTER_REF, stage: 'entries' });
    await request(app)
      .post(`/migration/proposals/${body.id}/approve`)
      .set(as(PRIYA))
      .expect(200);
    const [failed] = await proposals.runApproved();
    expect(failed).toMatchObject({
      state: 'failed',
      error: 'EKS said: ThrottlingException',
    });
    // The failed stage does not hold the cluster: a rollback may be proposed...
    const rollback = await request(app)
      .post('/migration/proposals')
      .set(as(PRIYA))
      .send({ entityRef: CLUSTER_REF, stage: 'rollback' });
    expect(rollback.status).toBe(201);
    // ...and the retry waits for it to be decided.
    const busy = await request(app)
      .post(`/migration/proposals/${body.id}/retry`)
      .set(as(PRIYA));
    expect(busy.status).toBe(409);
    await request(app)
      .post(`/migration/proposals/${rollback.body.id}/cancel`)
      .set(as(PRIYA))
      .expect(200);
    // The proposer does not retry his own; another approver does.
    await request(app)
      .post(`/migration/proposals/${body.id}/retry`)
      .expect(403);
    const retried = await request(app)
      .post(`/migration/proposals/${body.id}/retry`)
      .set(as(PRIYA));
    expect(retried.body.state).toBe('approved');
    expect(retried.body.error).toBeUndefined();
    const [done] = await proposals.runApproved();
    expect(done).toMatchObject({ id: body.id, state: 'done' });
  });
});
