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
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { AnnotationIdentityResolver } from './identity/AnnotationIdentityResolver';
import { createRouter } from './router';
import { DANA_SSO_ROLE as SSO_ROLE } from './__testUtils__/demoPrincipalsAndClusters';
import { mockCaller } from './__testUtils__/mockCaller';
import { ClusterDiagnosticsService } from './service/ClusterDiagnosticsService';
import { EksAccessService } from './service/EksAccessService';
import { SnapshotEvaluator } from './snapshots/SnapshotEvaluator';
import {
  ClusterSnapshotReader,
  ClusterSnapshotStore,
} from './snapshots/ClusterSnapshotStore';
import { KeyedConcurrencyLimiter } from './snapshots/KeyedConcurrencyLimiter';
import { PrincipalFactsCache } from './snapshots/PrincipalFactsCache';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'dana',
      namespace: 'default',
      annotations: { 'eks-access.io/iam-principals': SSO_ROLE },
    },
    spec: { profile: { email: 'dana@example.com' }, memberOf: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'docs-site',
      namespace: 'default',
      annotations: {
        'amazonaws.com/arn':
          'arn:aws:eks:us-east-1:111122223333:cluster/docs-site',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'bucket', namespace: 'default' },
    spec: { type: 's3-bucket', owner: 'team-payments' },
  },
];

// docs-site: CONFIG_MAP, aws-auth maps the SSO role (path stripped) with
// username {{SessionName}} and no groups; mapAccounts admits 444455556666.
const awsAuth = {
  mapRoles: `- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b
  username: "{{SessionName}}"
`,
  mapAccounts: '- "444455556666"\n',
};

async function createApp(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    user?: string;
    /** Permissions denied whatever `permission` says. */
    deny?: string[];
    awsAuthData?: Record<string, string>;
  } = {},
) {
  const calls = { describe: 0 };
  const reader = new ClusterSnapshotReader({
    describer: {
      describeCluster: async () => {
        calls.describe += 1;
        return {
          authenticationMode: 'CONFIG_MAP',
          endpoint: 'https://k8s.example',
          status: 'ACTIVE',
          tags: {},
        };
      },
    },
    accessEntries: {
      listAccessEntries: async () => [],
      describeAccessEntry: async () => {
        throw new Error('not used');
      },
    },
    awsAuth: {
      readAwsAuth: async () => ({ data: options.awsAuthData ?? awsAuth }),
    },
    limiter: new KeyedConcurrencyLimiter(2),
  });
  const snapshots = new ClusterSnapshotStore({
    reader,
    ttlMs: 60_000,
    errorTtlMs: 1_000,
    minRefreshIntervalMs: 1_000,
  });
  const evaluator = new SnapshotEvaluator();
  const access = new EksAccessService({
    catalog: catalogServiceMock({ entities }),
    snapshots,
    principals: new PrincipalFactsCache({
      directory: { lookupPrincipal: async () => undefined },
      limiter: new KeyedConcurrencyLimiter(2),
      ttlMs: 60_000,
      errorTtlMs: 1_000,
    }),
    resolvers: [new AnnotationIdentityResolver()],
    evaluator,
    logger: mockServices.logger.mock(),
  });
  const caller = mockCaller(options);
  const { permissions } = caller;
  const router = await createRouter({
    ...caller,
    auditor: mockServices.auditor.mock(),
    access,
    diagnostics: new ClusterDiagnosticsService({ snapshots, evaluator }),
  });
  const app = express().use(router).use(mockErrorHandler());
  return { app, calls, permissions };
}

describe('createRouter', () => {
  it('answers /health', async () => {
    const { app } = await createApp();
    const response = await request(app).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('reports the verdict of each of the signed-in user’s identities', async () => {
    const { app, calls } = await createApp();
    const response = await request(app)
      .get('/access')
      .query({ entityRef: 'resource:default/docs-site' })
      .expect(200);
    expect(response.body.cluster).toMatchObject({
      entityRef: 'resource:default/docs-site',
      name: 'docs-site',
      accountId: '111122223333',
      region: 'us-east-1',
      authenticationMode: 'CONFIG_MAP',
      sources: {
        cluster: { state: 'ok' },
        accessEntries: { state: 'not-used' },
        awsAuth: { state: 'ok' },
      },
    });
    expect(response.body.identities).toHaveLength(1);
    expect(response.body.identities[0]).toMatchObject({
      identity: {
        callerArn:
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
        source: 'annotation',
        label: 'SSO PaymentsDeveloper',
      },
      verdict: {
        decision: 'allowed',
        via: 'aws-auth-role',
        username: 'dana-example.com',
      },
    });
    expect(
      response.body.identities[0].verdict.findings.map(
        (f: { code: string }) => f.code,
      ),
    ).toContain('NO_GROUPS');
    expect(response.body.identities[0].kubeconfigCommand).toContain(
      'aws eks update-kubeconfig --name docs-site --region us-east-1',
    );
    expect(response.body.identities[0].kubeconfig.notes.join(' ')).toMatch(
      /IAM Identity Center role/,
    );
    // a second check is served from the shared snapshot
    await request(app)
      .get('/access')
      .query({ entityRef: 'resource:default/docs-site' })
      .expect(200);
    expect(calls.describe).toBe(1);
  });

  it('checks a pasted identity', async () => {
    const { app, permissions } = await createApp();
    const response = await request(app)
      .post('/access/check')
      .send({
        entityRef: 'resource:default/docs-site',
        identity: JSON.stringify({
          UserId: 'AIDAEXAMPLE',
          Account: '444455556666',
          Arn: 'arn:aws:iam::444455556666:user/engineering/dana',
        }),
      })
      .expect(200);
    expect(response.body.identities[0]).toMatchObject({
      identity: { source: 'pasted' },
      verdict: { decision: 'allowed', via: 'aws-auth-account' },
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'eks-access.access.check',
          }),
        },
      ],
      expect.anything(),
    );
  });

  it('checks the UserId of a pasted STS answer as the authenticator does', async () => {
    const { app } = await createApp();
    // An assumed-role answer whose UserId has no `ROLEID:session` shape is
    // rejected before any mapping (aws-iam-authenticator pkg/token).
    const response = await request(app)
      .post('/access/check')
      .send({
        entityRef: 'resource:default/docs-site',
        identity: JSON.stringify({
          UserId: 'AROAEXAMPLE',
          Account: '444455556666',
          Arn: 'arn:aws:sts::444455556666:assumed-role/DataEngineer/dana',
        }),
      })
      .expect(200);
    expect(response.body.identities[0].identity.userId).toBe('AROAEXAMPLE');
    expect(response.body.identities[0].verdict).toMatchObject({
      decision: 'denied',
      findings: [expect.objectContaining({ code: 'INVALID_CALLER_ARN' })],
    });
  });

  it('shows a pasted check only findings about the pasted identity, unless the caller reads diagnostics', async () => {
    const awsAuthData = {
      mapRoles: `${awsAuth.mapRoles}- rolearn: arn:aws:iam::111122223333:role/BreakGlass
  username: break-glass
  groups: system:masters
- rolearn: arn:aws:iam::111122223333:role/Other/With/Path
  username: other
  groups:
  - system:masters
`,
      mapAccounts: awsAuth.mapAccounts,
    };
    const check = async (deny: string[]) => {
      const { app } = await createApp({ deny, awsAuthData });
      const response = await request(app)
        .post('/access/check')
        .send({
          entityRef: 'resource:default/docs-site',
          identity: 'arn:aws:iam::444455556666:user/engineering/dana',
        })
        .expect(200);
      return response.body.identities[0].verdict.findings as Array<{
        code: string;
        message: string;
      }>;
    };
    const admin = await check([]);
    expect(admin.map(f => f.code)).toEqual([
      'NO_GROUPS',
      'AWS_AUTH_FIELD_TYPE',
    ]);
    const developer = await check(['eks-access.diagnostics.read']);
    expect(developer.map(f => f.code)).toEqual(['NO_GROUPS']);
    expect(JSON.stringify(developer)).not.toContain('system:masters');
  });

  it('rejects a pasted identity that is not an ARN with 400', async () => {
    const { app } = await createApp();
    const response = await request(app)
      .post('/access/check')
      .send({ entityRef: 'resource:default/docs-site', identity: 'hello' })
      .expect(400);
    expect(response.body.error.name).toBe('InputError');
  });

  it.each([
    ['/access', {}, 'entityRef'],
    [
      '/access',
      { entityRef: 'resource:default/docs-site', refresh: 'yes' },
      'refresh',
    ],
    ['/access', { entityRef: 'not a ref:' }, 'Invalid entityRef'],
    ['/clusters', { limit: '1000' }, 'limit'],
    ['/clusters', { offset: '-1' }, 'offset'],
    ['/diagnostics', {}, 'entityRef'],
  ])('answers 400 for GET %s with %j', async (path, query, message) => {
    const { app } = await createApp();
    const response = await request(app).get(path).query(query).expect(400);
    expect(response.body.error).toMatchObject({ name: 'InputError' });
    expect(response.body.error.message).toContain(message);
  });

  it('answers 400 for a check without a body', async () => {
    const { app } = await createApp();
    const response = await request(app).post('/access/check').expect(400);
    expect(response.body.error.message).toContain('entityRef');
  });

  it.each(['resource:default/nope', 'resource:default/bucket'])(
    'answers 404 for %s',
    async entityRef => {
      const { app } = await createApp();
      const response = await request(app)
        .get('/access')
        .query({ entityRef })
        .expect(404);
      expect(response.body.error.name).toBe('NotFoundError');
    },
  );

  it.each([
    ['get', '/access?entityRef=resource:default/docs-site'],
    ['get', '/clusters'],
    ['get', '/clusters/stream'],
    ['get', '/diagnostics?entityRef=resource:default/docs-site'],
    ['post', '/access/check'],
  ] as const)('answers 403 on DENY for %s %s', async (method, path) => {
    const { app, calls } = await createApp({
      permission: AuthorizeResult.DENY,
    });
    const response = await request(app)
      [method](path)
      .send({ entityRef: 'resource:default/docs-site', identity: 'x' })
      .expect(403);
    expect(response.body.error.name).toBe('NotAllowedError');
    expect(calls.describe).toBe(0);
  });

  it('answers 401 without credentials', async () => {
    const { app } = await createApp();
    const response = await request(app)
      .get('/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(response.body.error.name).toBe('AuthenticationError');
  });

  it('lists the clusters the user may see with a summary each', async () => {
    const { app } = await createApp();
    const response = await request(app).get('/clusters').expect(200);
    expect(response.body).toEqual({
      totalCount: 1,
      items: [
        expect.objectContaining({
          entityRef: 'resource:default/docs-site',
          name: 'docs-site',
          status: 'forbidden',
          via: 'aws-auth-role',
          username: 'dana-example.com',
        }),
      ],
    });
  });

  it('streams the same rows as server-sent events: total, a row per cluster, done', async () => {
    const { app } = await createApp();
    const response = await request(app)
      .get('/clusters/stream')
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => callback(null, text));
      })
      .expect(200)
      .expect('Content-Type', /text\/event-stream/);
    const events = (response.body as string)
      .split('\n\n')
      .filter(block => block.startsWith('event: '))
      .map(block => {
        const [eventLine, dataLine] = block.split('\n');
        return {
          type: eventLine.slice('event: '.length),
          ...JSON.parse(dataLine.slice('data: '.length)),
        };
      });
    expect(events).toEqual([
      { type: 'total', totalCount: 1 },
      {
        type: 'row',
        index: 0,
        item: expect.objectContaining({
          entityRef: 'resource:default/docs-site',
          status: 'forbidden',
          via: 'aws-auth-role',
        }),
      },
      { type: 'done' },
    ]);
  });

  it('answers 401 on the stream without credentials, before it starts', async () => {
    const { app } = await createApp();
    const response = await request(app)
      .get('/clusters/stream')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/json/);
  });

  it('answers diagnostics with counts and findings, never the raw aws-auth', async () => {
    const { app } = await createApp();
    const response = await request(app)
      .get('/diagnostics')
      .query({ entityRef: 'resource:default/docs-site' })
      .expect(200);
    expect(response.body.awsAuth).toMatchObject({
      present: true,
      mapRoles: 1,
      mapUsers: 0,
      mapAccounts: 1,
    });
    expect(JSON.stringify(response.body)).not.toContain('SessionName');
  });
});
