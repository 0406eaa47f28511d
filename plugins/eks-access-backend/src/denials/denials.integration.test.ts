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
 * Recent denials on a cluster, for admins: Dana's kubectl is refused by
 * payments-staging (aws-auth maps her SSO role with its path), the sandbox
 * logs the denial, and the admin route groups it and links it to the
 * finding that explains it.
 */

import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import * as k8s from '@kubernetes/client-node';
import express from 'express';
import request from 'supertest';
import {
  DANA_SSO_ROLE,
  PAYMENTS_STAGING,
} from '../__testUtils__/demoPrincipalsAndClusters';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import {
  sandboxBearerToken,
  sandboxKubeConfig,
} from '../__testUtils__/sandboxTokens';
import { createAuthenticatorLogReader } from '../aws/createAuthenticatorLogReader';
import { createDenialsRouter } from './createDenialsRouter';

jest.setTimeout(120_000);

const STAGING = PAYMENTS_STAGING.entityRef;

const sandbox = demoSandboxForSuite();

function app(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const services = createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities: loadDemoEntities(),
  });
  const router = createDenialsRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user('user:default/alex'),
    }),
    permissions: mockServices.permissions.mock({
      authorize: async requests => requests.map(() => ({ result: permission })),
    }),
    access: services.access,
    diagnostics: services.diagnostics,
    reader: createAuthenticatorLogReader(
      new ConfigReader({}),
      services.clients,
    ),
  });
  return express().use(router).use(mockErrorHandler());
}

/** kubectl as Dana's SSO session: the HTTP status of listing namespaces. */
async function danaKubectl(clusterName: string): Promise<number> {
  const token = await sandboxBearerToken(sandbox, {
    roleArn: DANA_SSO_ROLE,
    sessionName: 'dana@example.com',
    clusterName,
  });
  const kc = sandboxKubeConfig(sandbox, clusterName, token);
  try {
    await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    return 200;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe('GET /diagnostics/denials', () => {
  it('groups the denials by ARN and reason and links a path drift to its finding', async () => {
    expect(await danaKubectl('payments-staging')).toBe(401);
    expect(await danaKubectl('payments-staging')).toBe(401);
    const res = await request(app())
      .get('/diagnostics/denials')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ logging: 'on', windowHours: 24 });
    const dana = res.body.groups.find((g: any) =>
      g.arn?.includes('AWSReservedSSO_PaymentsDeveloper'),
    );
    expect(dana).toMatchObject({
      arn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      reason: 'ARN is not mapped',
      lookalike: {
        kind: 'path',
        mappedArn: DANA_SSO_ROLE,
        finding: { code: 'AWS_AUTH_ROLE_ARN_HAS_PATH' },
      },
    });
    expect(dana.count).toBeGreaterThanOrEqual(2);
    expect(Date.now() - Date.parse(dana.lastSeen)).toBeLessThan(60_000);
  });

  it('says logging is off, with the command that turns it on', async () => {
    const res = await request(app())
      .get('/diagnostics/denials')
      .query({ entityRef: 'resource:default/analytics' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ logging: 'off', read: 0, groups: [] });
    expect(res.body.command).toContain('"types":["authenticator"]');
  });

  it('is for admins only: 403 without eks-access.diagnostics.read, before reading anything', async () => {
    sandbox.resetCalls();
    const res = await request(app(AuthorizeResult.DENY))
      .get('/diagnostics/denials')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain('PaymentsDeveloper');
    expect(sandbox.calls({ service: 'logs' })).toBe(0);
  });

  it('answers bad input with a 400 and an unknown entity with a 404', async () => {
    expect((await request(app()).get('/diagnostics/denials')).status).toBe(400);
    expect(
      (
        await request(app())
          .get('/diagnostics/denials')
          .query({ entityRef: ['a', 'b'] })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app())
          .get('/diagnostics/denials')
          .query({ entityRef: 'resource:default/nope' })
      ).status,
    ).toBe(404);
  });
});
