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
  type TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  eksAccessRequestAdminPermission,
  eksAccessRequestApprovePermission,
  type ClusterAccessData,
  type ResolvedIdentity,
  serializeAwsAuthEntries,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { AccessRequestNotifier } from './AccessRequestNotifier';
import {
  AccessRequestService,
  type RequestCluster,
} from './AccessRequestService';
import { readAccessRequestsConfig } from './readAccessRequestsConfig';
import {
  awsOwnerTagApprovers,
  type ClusterTagApprovers,
} from './awsOwnerTagApprovers';
import { createRequestsRouter } from './createRequestsRouter';
import { DatabaseAccessRequestStore } from './DatabaseAccessRequestStore';
import type { RequestClusterData } from './requestPreflight';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});
/** The database of the `describe.each` block that is running. */
let databaseId: TestDatabaseId = 'SQLITE_3';
const knexes: Partial<Record<TestDatabaseId, Knex>> = {};

const DANA = 'user:default/dana';
const ALEX = 'user:default/alex';
const SAM = 'user:default/sam';
const SSO_ROLE =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
const ML = 'resource:default/ml-training';
const FORGED = 'resource:default/ml-prod-forged';
const TWIN = 'resource:default/ml-twin';

const clusters: Record<string, RequestCluster> = {
  [ML]: {
    entityRef: ML,
    arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
    name: 'ml-training',
    partition: 'aws',
    accountId: '444455556666',
    region: 'us-east-2',
    ownerRef: 'group:default/team-data',
  },
  // registered by someone from an untrusted location, naming team-data
  [FORGED]: {
    entityRef: FORGED,
    arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-prod',
    name: 'ml-prod',
    partition: 'aws',
    accountId: '444455556666',
    region: 'us-east-2',
    ownerRef: 'group:default/team-data',
    ownerTrusted: false,
  },
  [TWIN]: {
    entityRef: TWIN,
    arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-twin',
    name: 'ml-twin',
    partition: 'aws',
    accountId: '444455556666',
    region: 'us-east-2',
    ownerRef: 'group:default/team-data',
    conflict: '2 catalog entities claim the cluster ml-twin; refused',
  },
};

const identities: Record<string, ResolvedIdentity[]> = {
  [DANA]: [
    {
      callerArn:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
      principalArn: SSO_ROLE,
      sessionName: 'dana@example.com',
      source: 'annotation',
      label: 'SSO PaymentsDeveloper',
    },
  ],
  [SAM]: [
    {
      callerArn:
        'arn:aws:sts::444455556666:assumed-role/DataEngineer/sam@example.com',
      principalArn: 'arn:aws:iam::444455556666:role/DataEngineer',
      source: 'annotation',
      label: 'DataEngineer',
    },
  ],
};

/** alex administers; members of team-data (sam) own ml-training. */
const permissions: PermissionsService = {
  async authorize(requests: EvaluatePermissionRequest[], { credentials }: any) {
    const user = credentials.principal.userEntityRef;
    return requests.map(r => {
      if (r.permission.name === eksAccessRequestAdminPermission.name) {
        return {
          result: user === ALEX ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }
      if (r.permission.name === eksAccessRequestApprovePermission.name) {
        const owner = clusters[r.resourceRef!]?.ownerRef;
        const allowed =
          user === ALEX ||
          (user === SAM && owner === 'group:default/team-data');
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }
      return { result: AuthorizeResult.ALLOW };
    }) as any;
  },
  async authorizeConditional() {
    throw new Error('not used');
  },
};

async function setup(
  options: {
    approvalsRequired?: number;
    limits?: Record<string, number>;
    tagApprovers?: ClusterTagApprovers;
    extraLevels?: object[];
    clusterData?: RequestClusterData;
  } = {},
) {
  // One database per engine, emptied for each test: creating (and at the
  // end dropping) a PostgreSQL database per test is slow.
  knexes[databaseId] ??= await databases.init(databaseId);
  const knex = knexes[databaseId]!;
  if (await knex.schema.hasTable('eks_access_requests')) {
    await knex('eks_access_request_events').delete();
    await knex('eks_access_request_approvals').delete();
    await knex('eks_access_grants').delete();
    await knex('eks_access_requests').delete();
  }
  const store = await DatabaseAccessRequestStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const settings = readAccessRequestsConfig(
    new ConfigReader({
      eksAccess: {
        requests: {
          adminGroups: ['group:default/platform-team'],
          maxReasonLength: 100,
          ...(options.limits ? { limits: options.limits } : {}),
          levels: [
            {
              name: 'view',
              title: 'View',
              accessPolicyArn:
                'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              maxDuration: { hours: 8 },
              namespaceWildcards: true,
              approvalsRequired: options.approvalsRequired ?? 1,
            },
            {
              name: 'payments-only',
              accessPolicyArn:
                'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
              maxDuration: { hours: 1 },
              clusters: ['resource:default/payments-prod'],
            },
            ...(options.extraLevels ?? []),
          ],
        },
      },
    }),
  );
  const triggerGrants = jest.fn(async () => {});
  const notifications = { send: jest.fn(async () => {}) };
  const auditor = mockServices.auditor.mock();
  const service = new AccessRequestService({
    store,
    settings,
    permissions,
    clusters: { getCluster: async ref => clusters[ref] },
    identities: { resolve: async user => identities[user] ?? [] },
    triggerGrants,
    tagApprovers: options.tagApprovers,
    clusterData: options.clusterData,
    notifier: new AccessRequestNotifier({
      notifications,
      logger: mockServices.logger.mock(),
      adminGroups: settings.adminGroups,
    }),
    auditor,
  });
  const app = express();
  app.use(
    await createRequestsRouter({ httpAuth: mockServices.httpAuth(), service }),
  );
  app.use(mockErrorHandler());
  return { app, store, triggerGrants, notifications, auditor, service };
}

const body = (overrides: Record<string, unknown> = {}) => ({
  entityRef: ML,
  principalArn: SSO_ROLE,
  level: 'view',
  scope: { type: 'namespace', namespaces: ['ml'] },
  durationSeconds: 3600,
  reason: 'Investigate the failing training job',
  ...overrides,
});

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

describe.each(databases.eachSupportedId())('requests router on %p', id => {
  beforeAll(() => {
    databaseId = id;
  });

  it('needs a signed-in user', async () => {
    const { app } = await setup();
    const anonymous = await request(app)
      .get('/requests')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await request(app)
      .get('/requests')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('lists the levels offered on a cluster', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get('/levels')
      .query({ entityRef: ML })
      .set(as(DANA))
      .expect(200);
    expect(res.body).toEqual({
      entityRef: ML,
      maxReasonLength: 100,
      levels: [
        expect.objectContaining({
          name: 'view',
          title: 'View',
          maxDurationSeconds: 28800,
          approvalsRequired: 1,
        }),
      ],
    });
    await request(app)
      .get('/levels')
      .query({ entityRef: 'resource:default/nope' })
      .set(as(DANA))
      .expect(404);
  });

  it('runs the whole decision flow and tells people about it', async () => {
    const { app, triggerGrants, notifications } = await setup();
    const created = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    expect(created.body).toMatchObject({
      state: 'pending',
      requester: DANA,
      principalArn: SSO_ROLE,
      canonicalPrincipalArn:
        'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      level: 'view',
      levelTitle: 'View',
      allowedActions: ['cancel'],
    });
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: expect.objectContaining({
          entityRef: ['group:default/team-data', 'group:default/platform-team'],
          excludeEntityRef: DANA,
        }),
        payload: expect.objectContaining({
          link: '/catalog/default/resource/ml-training',
        }),
      }),
    );
    const createdId = created.body.id;

    const inbox = await request(app)
      .get('/requests')
      .query({ state: 'pending' })
      .set(as(SAM))
      .expect(200);
    expect(inbox.body.items.map((r: any) => [r.id, r.allowedActions])).toEqual([
      [createdId, ['approve', 'reject']],
    ]);

    const approved = await request(app)
      .post(`/requests/${createdId}/approve`)
      .set(as(SAM))
      .send({ comment: 'ok for a day' })
      .expect(200);
    expect(approved.body.state).toBe('approved');
    expect(approved.body.events.map((e: any) => e.type)).toEqual([
      'created',
      'approval',
      'approved',
    ]);
    expect(triggerGrants).toHaveBeenCalledTimes(1);

    // a stale decision is a conflict
    const stale = await request(app)
      .post(`/requests/${createdId}/reject`)
      .set(as(ALEX))
      .send({})
      .expect(409);
    expect(stale.body.error.message).toContain('is approved, not pending');
  });

  it('never lets requesters approve their own request', async () => {
    const { app, auditor } = await setup();
    const mine = await request(app)
      .post('/requests')
      .set(as(SAM))
      .send(
        body({ principalArn: 'arn:aws:iam::444455556666:role/DataEngineer' }),
      )
      .expect(201);
    const res = await request(app)
      .post(`/requests/${mine.body.id}/approve`)
      .set(as(SAM))
      .send({})
      .expect(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'You cannot approve your own access request',
      ),
    });
    // The refused attempt is audited as a failed approval.
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'request-approve',
        meta: expect.objectContaining({ actor: SAM, requestId: mine.body.id }),
      }),
    );
  });

  it('refuses approvers who neither own the cluster nor administer', async () => {
    const { app } = await setup();
    const created = await request(app)
      .post('/requests')
      .set(as(SAM))
      .send(
        body({ principalArn: 'arn:aws:iam::444455556666:role/DataEngineer' }),
      )
      .expect(201);
    // dana cannot even see sam's request
    await request(app)
      .post(`/requests/${created.body.id}/approve`)
      .set(as(DANA))
      .send({})
      .expect(404);
    const list = await request(app).get('/requests').set(as(DANA)).expect(200);
    expect(list.body.items).toEqual([]);
    // alex (admin) sees it and may approve
    const adminView = await request(app)
      .get(`/requests/${created.body.id}`)
      .set(as(ALEX))
      .expect(200);
    expect(adminView.body.allowedActions).toEqual(['approve', 'reject']);
  });

  it('does not let requesters decide anything else about their own request', async () => {
    const { app, store } = await setup();
    const created = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const reject = await request(app)
      .post(`/requests/${created.body.id}/reject`)
      .set(as(DANA))
      .send({})
      .expect(403);
    expect(reject.body.error.message).toContain(
      'You cannot reject your own access request',
    );
    await store.recordApproval({ id: created.body.id, approver: ALEX });
    const res = await request(app)
      .post(`/requests/${created.body.id}/retry`)
      .set(as(DANA))
      .send({})
      .expect(403);
    expect(res.body.error.message).toContain(
      'You cannot retry your own access request',
    );
  });

  it('refuses a principal that is not one of the requester identities', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(
        body({ principalArn: 'arn:aws:iam::444455556666:role/DataEngineer' }),
      )
      .expect(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      code: 'IDENTITY_NOT_YOURS',
      message:
        'arn:aws:iam::444455556666:role/DataEngineer is not one of your IAM identities; you can only request access for identities resolved for user:default/dana or proven with "Verify the identity my kubectl uses"',
    });
  });

  it('accepts the path-stripped form of an own role and stores the full ARN', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(
        body({
          principalArn:
            'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
        }),
      )
      .expect(201);
    expect(res.body.principalArn).toBe(SSO_ROLE);
  });

  it.each([
    [
      {
        principalArn:
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
      },
      'is an STS session ARN; access is granted to the IAM role or user behind it',
    ],
    [
      { principalArn: 'not-an-arn' },
      'not-an-arn is not an IAM role or user ARN',
    ],
    [
      { scope: { type: 'namespace', namespaces: ['Bad_NS'] } },
      '"Bad_NS" is not a valid namespace name',
    ],
    [
      { scope: { type: 'namespace', namespaces: [] } },
      'Invalid request: scope.namespaces',
    ],
    [
      { durationSeconds: 9 * 3600 },
      'Invalid request: durationSeconds: View can be granted for at most 8 h.',
    ],
    [{ reason: '   ' }, 'Invalid request: reason: Say why you need access.'],
    [
      { reason: 'x'.repeat(101) },
      'Invalid request: reason: At most 100 characters (101).',
    ],
    [
      { level: 'payments-only' },
      'The access level "payments-only" is not offered on ml-training',
    ],
    [
      { ticketUrl: 'ftp://tickets.example.com/1' },
      'ticketUrl: must be an http(s) URL',
    ],
    [{ durationSeconds: 'soon' }, 'Invalid request: durationSeconds'],
  ])('answers 400 to invalid input %#', async (overrides, message) => {
    const { app } = await setup();
    const res = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body(overrides))
      .expect(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
  });

  it('allows a namespace wildcard only where the level does', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body({ scope: { type: 'namespace', namespaces: ['ml-*', 'ml'] } }))
      .expect(201);
    expect(res.body.scope).toEqual({
      type: 'namespace',
      namespaces: ['ml', 'ml-*'],
    });
  });

  it('needs N distinct approvers', async () => {
    const { app, triggerGrants } = await setup({ approvalsRequired: 2 });
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const first = await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(SAM))
      .send({})
      .expect(200);
    expect(first.body.state).toBe('pending');
    expect(first.body.allowedActions).toEqual(['reject']);
    await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(SAM))
      .send({})
      .expect(409);
    const second = await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(ALEX))
      .send({})
      .expect(200);
    expect(second.body.state).toBe('approved');
    expect(triggerGrants).toHaveBeenCalledTimes(1);
  });

  it('makes exactly one of two simultaneous approvals count', async () => {
    const { app, triggerGrants } = await setup();
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const results = await Promise.all([
      request(app)
        .post(`/requests/${created.id}/approve`)
        .set(as(SAM))
        .send({}),
      request(app)
        .post(`/requests/${created.id}/approve`)
        .set(as(ALEX))
        .send({}),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([200, 409]);
    expect(triggerGrants).toHaveBeenCalledTimes(1);
  });

  it('lets the requester cancel and revoke, but not others cancel', async () => {
    const { app, store } = await setup();
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    await request(app)
      .post(`/requests/${created.id}/cancel`)
      .set(as(ALEX))
      .send({})
      .expect(403);
    const cancelled = await request(app)
      .post(`/requests/${created.id}/cancel`)
      .set(as(DANA))
      .send({})
      .expect(200);
    expect(cancelled.body.state).toBe('cancelled');

    const { body: second } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    await store.recordApproval({ id: second.id, approver: ALEX });
    await store.transition({
      id: second.id,
      from: 'approved',
      to: 'active',
      event: { type: 'activated', actor: 'system' },
      patch: {
        activatedAt: new Date(),
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const mine = await request(app)
      .get('/requests')
      .query({ mine: 'true', state: 'active' })
      .set(as(DANA))
      .expect(200);
    expect(mine.body.items.map((r: any) => [r.id, r.allowedActions])).toEqual([
      [second.id, ['revoke']],
    ]);
    const revoked = await request(app)
      .post(`/requests/${second.id}/revoke`)
      .set(as(DANA))
      .send({ comment: 'done' })
      .expect(200);
    expect(revoked.body.state).toBe('revoked');
    expect(revoked.body.events.at(-1)).toMatchObject({
      type: 'revoked',
      actor: DANA,
      comment: 'done',
    });
  });

  it('answers 404 for unknown requests and 400 for bad filters', async () => {
    const { app } = await setup();
    await request(app)
      .get('/requests/does-not-exist')
      .set(as(ALEX))
      .expect(404);
    const res = await request(app)
      .get('/requests')
      .query({ state: 'bogus' })
      .set(as(ALEX))
      .expect(400);
    expect(res.body.error.name).toBe('InputError');
  });

  it('rejects text the database cannot store with 400, never 500', async () => {
    const { app } = await setup();
    for (const bad of [
      { reason: 'needs\u0000access' },
      { reason: 'lone \ud800 surrogate' },
      { ticketUrl: 'https://tickets.example.com/\u0000' },
      { scope: { type: 'namespace', namespaces: ['ml\u0000'] } },
    ]) {
      const res = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body(bad));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/cannot be stored|not a DNS/);
    }
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const res = await request(app)
      .post(`/requests/${created.id}/reject`)
      .set(as(ALEX))
      .send({ comment: 'no\u0000way' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('cannot be stored');
  });

  it('shows the whole aws-auth before/after to admins only', async () => {
    const { app, store } = await setup();
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const secret = {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/BreakGlass\n  username: bg\n  groups:\n  - system:masters\n',
    };
    await store.appendEvent(created.id, {
      type: 'apply-step',
      actor: 'system:eks-access',
      details: {
        action: 'aws-auth:update',
        resourceVersion: '7',
        change: { arn: SSO_ROLE, before: [], after: [{ groups: ['x'] }] },
        before: secret,
        after: secret,
        somethingNew: 'hidden by default',
      },
    });
    for (const viewer of [DANA, SAM]) {
      const seen = await request(app)
        .get(`/requests/${created.id}`)
        .set(as(viewer))
        .expect(200);
      const step = seen.body.events.find((e: any) => e.type === 'apply-step');
      expect(step.details).toEqual({
        action: 'aws-auth:update',
        resourceVersion: '7',
        change: { arn: SSO_ROLE, before: [], after: [{ groups: ['x'] }] },
      });
      expect(JSON.stringify(seen.body)).not.toContain('system:masters');
    }
    const admin = await request(app)
      .get(`/requests/${created.id}`)
      .set(as(ALEX))
      .expect(200);
    const step = admin.body.events.find((e: any) => e.type === 'apply-step');
    expect(step.details.before).toEqual(secret);
  });

  it('lets owners approve only when the cluster entity comes from a trusted source', async () => {
    const { app } = await setup();
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body({ entityRef: FORGED }))
      .expect(201);
    const refused = await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(SAM))
      .send({})
      .expect(403);
    expect(refused.body.error.message).toContain(
      'does not come from a trusted catalog location',
    );
    await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(ALEX))
      .send({})
      .expect(200);
  });

  it('lets the group named by the cluster AWS owner tag approve, whatever the catalog says', async () => {
    const PRIYA = 'user:default/priya';
    // ml-prod's AWS tags name team-ml-ops; its catalog entity (FORGED) comes
    // from an untrusted location and names team-data
    const tags: Record<string, Record<string, string>> = {
      [clusters[FORGED].arn]: { owner: 'team-ml-ops' },
      [clusters[ML].arn]: { owner: 'group:default/team-data' },
    };
    const groups: Record<string, string[]> = {
      [PRIYA]: [PRIYA, 'group:default/team-ml-ops'],
      [DANA]: [DANA, 'group:default/team-ml-ops'],
      [SAM]: [SAM, 'group:default/team-data'],
    };
    const { app, notifications } = await setup({
      tagApprovers: awsOwnerTagApprovers({
        tagKey: 'owner',
        tagsOf: async arn => tags[arn],
        ownershipOf: async credentials =>
          groups[(credentials.principal as any).userEntityRef] ?? [],
      }),
    });
    const { body: created } = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body({ entityRef: FORGED }))
      .expect(201);
    expect(JSON.stringify(notifications.send.mock.calls)).toContain(
      'group:default/team-ml-ops',
    );
    // the catalog owner of an untrusted entity still cannot
    await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(SAM))
      .send({})
      .expect(403);
    // the requester is in the tag's group too, and still cannot
    await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(DANA))
      .send({})
      .expect(403);
    // the tag's group sees the request in its queue and approves it
    const queue = await request(app)
      .get('/requests')
      .set(as(PRIYA))
      .expect(200);
    expect(queue.body.items.map((r: any) => r.id)).toEqual([created.id]);
    expect(queue.body.items[0].allowedActions).toEqual(['approve', 'reject']);
    const approved = await request(app)
      .post(`/requests/${created.id}/approve`)
      .set(as(PRIYA))
      .send({})
      .expect(200);
    expect(approved.body.state).toBe('approved');
    // a group the tag does not name gets nothing from it
    await request(app)
      .get(`/requests/${created.id}`)
      .set(as('user:default/nobody'))
      .expect(404);
  });

  it('refuses requests for a cluster ARN that two entities claim', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/requests')
      .set(as(DANA))
      .send(body({ entityRef: TWIN }))
      .expect(409);
    expect(res.body.error.message).toContain('2 catalog entities claim');
  });

  describe('refuses what cannot work, and shows approvers what a grant changes', () => {
    // ml-training as a CONFIG_MAP cluster whose RBAC binds only eks-access:view
    const configMap: ClusterAccessData = {
      name: 'ml-training',
      accountId: '444455556666',
      region: 'us-east-2',
      authenticationMode: 'CONFIG_MAP',
      awsAuth: {
        data: serializeAwsAuthEntries({
          mapRoles: [
            {
              rolearn: 'arn:aws:iam::444455556666:role/DataEngineer',
              username: 'sam',
              groups: ['eks-access:view'],
            },
          ],
        }),
      },
      rbac: {
        roles: [
          {
            name: 'view',
            rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
          },
        ],
        bindings: [
          {
            name: 'eks-access-view',
            roleRef: { kind: 'ClusterRole', name: 'view' },
            subjects: [{ kind: 'Group', name: 'eks-access:view' }],
          },
        ],
      },
    };
    const levels = [
      {
        name: 'read',
        kubernetesGroups: ['eks-access:view'],
        maxDuration: { hours: 8 },
      },
      {
        name: 'edit',
        kubernetesGroups: ['eks-access:edit'],
        maxDuration: { hours: 8 },
      },
    ];
    const reads: boolean[] = [];
    const clusterData: RequestClusterData = {
      read: async (_cluster, { complete }) => {
        reads.push(complete);
        return configMap;
      },
    };

    it('marks a level whose groups nothing binds unavailable, with the reason', async () => {
      const { app } = await setup({ extraLevels: levels, clusterData });
      reads.length = 0;
      const res = await request(app)
        .get('/levels')
        .query({ entityRef: ML })
        .set(as(DANA))
        .expect(200);
      const byName = Object.fromEntries(
        res.body.levels.map((l: any) => [l.name, l.unavailable]),
      );
      expect(byName.read).toBeUndefined();
      expect(byName.edit).toEqual({
        code: 'LEVEL_GROUPS_UNBOUND',
        reason: expect.stringMatching(/names the group eks-access:edit/),
      });
      // an access-policy-only level has nothing to map on CONFIG_MAP
      expect(byName.view.code).toBe('LEVEL_NOT_GRANTABLE');
      // the listing reads only the shared snapshot, never every entry
      expect(reads).toEqual([false]);
    });

    it('refuses to create a request for it with 409 and a stable code', async () => {
      const { app, store } = await setup({ extraLevels: levels, clusterData });
      const res = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body({ level: 'edit', scope: { type: 'cluster' } }))
        .expect(409);
      expect(res.body.error).toMatchObject({
        name: 'ConflictError',
        code: 'LEVEL_GROUPS_UNBOUND',
        message: expect.stringMatching(
          /^The access level edit cannot be granted to .* on ml-training: No RoleBinding/,
        ),
      });
      expect(await store.countRequests({ requester: DANA })).toBe(0);
    });

    it('shows approvers what the grant writes and that no one else is affected', async () => {
      const { app } = await setup({ extraLevels: levels, clusterData });
      const created = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body({ level: 'read', scope: { type: 'cluster' } }))
        .expect(201);
      const res = await request(app)
        .get(`/requests/${created.body.id}/preflight`)
        .set(as(SAM))
        .expect(200);
      expect(res.body).toMatchObject({
        known: true,
        applicable: true,
        risks: [],
        othersAffected: [],
        writes: [
          expect.stringMatching(
            /^Map arn:aws:iam::111122223333:role\/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b .*mapRoles/,
          ),
        ],
      });
      expect(res.body.plan.steps[0].op).toBe('AwsAuthUpsertMapping');
      // the requester (and anyone not approving the cluster) does not see it
      await request(app)
        .get(`/requests/${created.body.id}/preflight`)
        .set(as(DANA))
        .expect(403);
    });

    it('tells approvers when the cluster changed since the request and the grant no longer works', async () => {
      let data = configMap;
      const { app } = await setup({
        extraLevels: levels,
        clusterData: { read: async () => data },
      });
      const created = await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body({ level: 'read', scope: { type: 'cluster' } }))
        .expect(201);
      data = {
        ...configMap,
        rbac: { roles: configMap.rbac!.roles, bindings: [] },
      };
      const res = await request(app)
        .get(`/requests/${created.body.id}/preflight`)
        .set(as(SAM))
        .expect(200);
      expect(res.body).toMatchObject({
        applicable: false,
        code: 'LEVEL_GROUPS_UNBOUND',
      });
    });
  });

  it('answers 429 past the creation rate and the caps on open requests', async () => {
    const rate = await setup({ limits: { createPerWindow: 3 } });
    for (let i = 0; i < 3; i++) {
      await request(rate.app)
        .post('/requests')
        .set(as(DANA))
        .send(body())
        .expect(201);
    }
    const limited = await request(rate.app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.body.error.message).toContain('wait a moment');
    // other users are not limited by dana's flood
    await request(rate.app)
      .post('/requests')
      .set(as(SAM))
      .send(
        body({ principalArn: 'arn:aws:iam::444455556666:role/DataEngineer' }),
      )
      .expect(201);

    const capped = await setup({
      limits: { createPerWindow: 100, maxOpenPerUser: 2, maxOpenPerCluster: 3 },
    });
    const first = await request(capped.app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    await request(capped.app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const perUser = await request(capped.app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(429);
    expect(perUser.body.error.message).toContain('open access requests');
    await request(capped.app)
      .post(`/requests/${first.body.id}/cancel`)
      .set(as(DANA))
      .send({})
      .expect(200);
    await request(capped.app)
      .post('/requests')
      .set(as(DANA))
      .send(body())
      .expect(201);
    const sam = body({
      principalArn: 'arn:aws:iam::444455556666:role/DataEngineer',
    });
    await request(capped.app)
      .post('/requests')
      .set(as(SAM))
      .send(sam)
      .expect(201);
    const perCluster = await request(capped.app)
      .post('/requests')
      .set(as(SAM))
      .send(sam)
      .expect(429);
    expect(perCluster.body.error.message).toContain(
      'ml-training already has 3',
    );
  });

  it('sends approvers one notification per cluster and requester, however many requests', async () => {
    const { app, notifications } = await setup();
    for (let i = 0; i < 3; i++) {
      await request(app)
        .post('/requests')
        .set(as(DANA))
        .send(body())
        .expect(201);
    }
    const scopes = new Set(
      (notifications.send.mock.calls as any[]).map(
        ([n]) => n.payload.scope as string,
      ),
    );
    expect([...scopes]).toEqual([`eks-access-request:approve:${ML}:${DANA}`]);
  });

  it('filters visibility in the query and pages with a cursor, however many other rows there are', async () => {
    const { app, store } = await setup({
      limits: { createPerWindow: 1000, maxOpenPerUser: 1000 },
    });
    // sam's own request is the oldest; then a flood from dana
    const own = await request(app)
      .post('/requests')
      .set(as(SAM))
      .send(
        body({ principalArn: 'arn:aws:iam::444455556666:role/DataEngineer' }),
      )
      .expect(201);
    for (let i = 0; i < 12; i++) {
      await store.createRequest(
        {
          cluster: { ...clusters[FORGED], entityRef: 'resource:default/other' },
          requester: DANA,
          principalArn: SSO_ROLE,
          canonicalPrincipalArn: SSO_ROLE,
          level: 'view',
          scope: { type: 'cluster' },
          durationSeconds: 600,
          reason: 'flood',
          approvalsRequired: 1,
        },
        { now: new Date(Date.now() + (i + 1) * 1000) },
      );
    }
    // sam sees only their own request (team-data does not own "other")...
    const first = await request(app)
      .get('/requests')
      .query({ limit: '5' })
      .set(as(SAM))
      .expect(200);
    expect(first.body.items.map((r: any) => r.id)).toEqual([own.body.id]);
    expect(first.body.nextCursor).toBeUndefined();
    // ...and the admin pages through all 13
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(app)
        .get('/requests')
        .query({ limit: '5', ...(cursor ? { cursor } : {}) })
        .set(as(ALEX))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.body.items.map((r: any) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(13);
    expect(seen.at(-1)).toBe(own.body.id);
    await request(app)
      .get('/requests')
      .query({ cursor: 'garbage' })
      .set(as(ALEX))
      .expect(400);
  });

  it('decides who approves other changes (migration stages) by the same rules', async () => {
    const { service } = await setup();
    const actor = (user: string) => ({
      userEntityRef: user,
      credentials: mockCredentials.user(user),
    });
    const ml = clusters[ML];
    // admins everywhere, trusted owners on their cluster
    expect(await service.approverRefusal(clusters[FORGED], actor(ALEX))).toBe(
      undefined,
    );
    expect(await service.approverRefusal(ml, actor(SAM))).toBe(undefined);
    // not an owner
    expect(await service.approverRefusal(ml, actor(DANA))).toContain(
      'Only the owners',
    );
    // owners of an entity from an untrusted location, or a duplicated one
    expect(
      await service.approverRefusal(clusters[FORGED], actor(SAM)),
    ).toContain('trusted catalog location');
    expect(await service.approverRefusal(clusters[TWIN], actor(SAM))).toContain(
      '2 catalog entities',
    );
    // the entity no longer names the ARN the change was proposed for
    expect(
      await service.approverRefusal(
        { ...ml, arn: 'arn:aws:eks:us-east-2:444455556666:cluster/other' },
        actor(SAM),
      ),
    ).toContain('no longer describes');
  });
});
