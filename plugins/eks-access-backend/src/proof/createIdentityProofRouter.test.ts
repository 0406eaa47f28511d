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

import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE as SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import { mockCaller } from '../__testUtils__/mockCaller';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import { sandboxBearerToken } from '../__testUtils__/sandboxTokens';
import { createIdentityProofRouter } from './createIdentityProofRouter';
import { IdentityProofService } from './IdentityProofService';

jest.setTimeout(120_000);

const sandbox = demoSandboxForSuite();

async function createApp(
  options: {
    user?: string;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const services = createSandboxServices({
    sandbox,
    logger,
    entities: loadDemoEntities(),
  });
  const router = await createIdentityProofRouter({
    ...mockCaller(options),
    access: services.access,
    proofs: new IdentityProofService({ stsEndpoint: sandbox.endpoint }),
  });
  return {
    app: express().use(router).use(mockErrorHandler()),
    logger,
  };
}

async function tokenFor(roleArn: string, session: string, clusterName: string) {
  return sandboxBearerToken(sandbox, {
    roleArn,
    sessionName: session,
    clusterName,
  });
}

describe('identity proof routes', () => {
  it('Dana proves her kubectl identity and gets its verdict on payments-staging; the token appears nowhere', async () => {
    const { app, logger } = await createApp();
    const challenge = await request(app)
      .post('/identity-proof/challenge')
      .expect(200);
    expect(challenge.body.command).toMatch(
      /^aws eks get-token --cluster-name eks-access-proof-[0-9a-f]{32} --output json$/,
    );
    const token = await tokenFor(
      SSO_ROLE,
      'dana@example.com',
      challenge.body.clusterId,
    );
    const verified = await request(app)
      .post('/identity-proof/verify')
      .send({
        nonce: challenge.body.nonce,
        token: JSON.stringify({
          kind: 'ExecCredential',
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          spec: {},
          status: { expirationTimestamp: '2030-01-01T00:00:00Z', token },
        }),
        entityRef: 'resource:default/eks-payments-staging',
      })
      .expect(200);
    expect(verified.body.proof.identity).toMatchObject({
      callerArn:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
      source: 'verified',
    });
    expect(verified.body.matches).toEqual({
      label: 'SSO PaymentsDeveloper',
      source: 'annotation',
    });
    const [access] = verified.body.report.identities;
    expect(access.verdict.decision).toBe('denied');
    expect(access.verdict.findings.map((f: any) => f.code)).toContain(
      'AWS_AUTH_ROLE_ARN_HAS_PATH',
    );

    // Kept for the session: the card reads it back with a cluster's verdict.
    const again = await request(app)
      .get('/identity-proof')
      .query({ entityRef: 'resource:default/eks-payments-staging' })
      .expect(200);
    expect(again.body.proof).toEqual(verified.body.proof);
    expect(again.body.report.identities).toHaveLength(1);

    const secret = token.slice('k8s-aws-v1.'.length, 80);
    for (const body of [challenge.body, verified.body, again.body]) {
      expect(JSON.stringify(body)).not.toContain(secret);
    }
    for (const method of ['info', 'warn', 'error', 'debug'] as const) {
      for (const call of (logger[method] as jest.Mock).mock.calls) {
        expect(JSON.stringify(call)).not.toContain(secret);
      }
    }

    // The nonce is single-use.
    const reused = await request(app).post('/identity-proof/verify').send({
      nonce: challenge.body.nonce,
      token,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toContain('already used');
    expect(JSON.stringify(reused.body)).not.toContain(secret);

    await request(app).delete('/identity-proof').expect(204);
    expect((await request(app).get('/identity-proof')).body).toEqual({});
  });

  it('says when the verified identity is not one of the user’s', async () => {
    const { app } = await createApp({ user: 'user:default/sam' });
    const { body } = await request(app)
      .post('/identity-proof/challenge')
      .expect(200);
    const verified = await request(app)
      .post('/identity-proof/verify')
      .send({
        nonce: body.nonce,
        token: await tokenFor(SSO_ROLE, 'dana@example.com', body.clusterId),
      })
      .expect(200);
    expect(verified.body.matches).toBeUndefined();
    expect(verified.body.report).toBeUndefined();
  });

  it('answers 400 for bad input and 403 without the permission', async () => {
    const { app } = await createApp();
    const missing = await request(app)
      .post('/identity-proof/verify')
      .send({ nonce: 'x' });
    expect(missing.status).toBe(400);
    const { app: denied } = await createApp({
      permission: AuthorizeResult.DENY,
    });
    await request(denied).post('/identity-proof/challenge').expect(403);
  });
});
