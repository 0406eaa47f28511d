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
 * Recent attempts end to end: Dana presents a sandbox token to
 * payments-staging's Kubernetes API, the sandbox writes the authenticator's
 * line to CloudWatch Logs, and the route reads it back for her only.
 */

import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import * as k8s from '@kubernetes/client-node';
import express from 'express';
import request from 'supertest';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import { mockCaller } from '../__testUtils__/mockCaller';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import {
  sandboxBearerToken,
  sandboxKubeConfig,
} from '../__testUtils__/sandboxTokens';
import { createAttemptsRouter } from './createAttemptsRouter';
import { createAuthenticatorLogReader } from '../aws/createAuthenticatorLogReader';

jest.setTimeout(120_000);

const STAGING = 'resource:default/eks-payments-staging';

const sandbox = demoSandboxForSuite();

function app(
  options: {
    user?: string;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: object;
    proofs?: Parameters<typeof createAttemptsRouter>[0]['proofs'];
  } = {},
) {
  const services = createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities: loadDemoEntities(),
  });
  const router = createAttemptsRouter({
    ...mockCaller(options),
    access: services.access,
    reader: createAuthenticatorLogReader(
      new ConfigReader({ eksAccess: options.config ?? {} }),
      services.clients,
    ),
    proofs: options.proofs,
  });
  return express().use(router).use(mockErrorHandler());
}

/** kubectl as Dana's SSO session (or another role she assumed): a token presigned with her credentials. */
async function danaKubectl(
  clusterName: string,
  roleArn = DANA_SSO_ROLE,
): Promise<number> {
  const token = await sandboxBearerToken(sandbox, {
    roleArn,
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

describe('GET /access/attempts', () => {
  it('shows Dana her denied attempt on payments-staging, with the ARN presented and the reason', async () => {
    expect(await danaKubectl('payments-staging')).toBe(401);
    const res = await request(app())
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(200);
    expect(res.body.logging).toBe('on');
    const sso = res.body.identities.find((i: any) =>
      i.callerArn.includes('AWSReservedSSO_PaymentsDeveloper'),
    );
    expect(sso.attempts[0]).toMatchObject({
      outcome: 'denied',
      arn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      reason: 'ARN is not mapped',
    });
    expect(Date.now() - Date.parse(sso.attempts[0].time)).toBeLessThan(60_000);
    // The creator's kubernetes-admin line and Backstage's own lines are not Dana's.
    const all = res.body.identities.flatMap((i: any) => i.attempts);
    expect(all.every((a: any) => a.username !== 'kubernetes-admin')).toBe(true);
    expect(all.every((a: any) => !a.arn.includes('backstage'))).toBe(true);
  });

  it('shows Dana a granted attempt on payments-prod with the username and groups EKS gave her', async () => {
    expect([200, 403]).toContain(await danaKubectl('payments-prod'));
    const res = await request(app())
      .get('/access/attempts')
      .query({ entityRef: 'resource:default/payments-prod' });
    expect(res.status).toBe(200);
    const sso = res.body.identities.find((i: any) =>
      i.callerArn.includes('AWSReservedSSO_PaymentsDeveloper'),
    );
    expect(sso.attempts[0]).toMatchObject({
      outcome: 'granted',
      arn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      username: expect.any(String),
      groups: expect.any(Array),
    });
    expect(sso.attempts[0].reason).toBeUndefined();
  });

  it('shows another user none of Dana’s lines', async () => {
    await danaKubectl('payments-staging');
    const res = await request(app({ user: 'user:default/alex' }))
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(200);
    const all = res.body.identities.flatMap((i: any) => i.attempts);
    expect(all.filter((a: any) => /PaymentsDeveloper/.test(a.arn))).toEqual([]);
  });

  it('says logging is off, with the command that turns it on', async () => {
    const res = await request(app())
      .get('/access/attempts')
      .query({ entityRef: 'resource:default/analytics' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ logging: 'off', identities: [] });
    expect(res.body.command).toContain('aws eks update-cluster-config');
    expect(res.body.command).toContain('"types":["authenticator"]');
  });

  it('is gated by eks-access.attempts.read and rejects a missing entityRef', async () => {
    const denied = await request(app({ permission: AuthorizeResult.DENY }))
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(denied.status).toBe(403);
    const bad = await request(app()).get('/access/attempts');
    expect(bad.status).toBe(400);
  });

  it('bounds the window (at most 168 h) and the cost (maxEvents 1: one FilterLogEvents call per ARN of Dana)', async () => {
    expect(() =>
      app({ config: { attempts: { windowHours: 10_000 } } }),
    ).toThrow(/windowHours/);
    sandbox.resetCalls();
    await danaKubectl('payments-staging');
    const res = await request(
      app({ config: { attempts: { windowHours: 1, maxEvents: 1 } } }),
    )
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(200);
    // Dana's SSO role and her IAM user: two ARNs, one call each.
    expect(
      sandbox.calls({ service: 'logs', operation: 'FilterLogEvents' }),
    ).toBe(2);
  });

  it('adds the kubectl identity Dana verified when it is none of hers, marked as not hers', async () => {
    // a role that is nobody's identity: Backstage's own, in Dana's shell
    const serviceRole = 'arn:aws:iam::444455556666:role/BackstageEksAccess';
    await danaKubectl('payments-staging', serviceRole);
    const proofs = {
      proofOf: async (user: string) =>
        user === 'user:default/dana'
          ? {
              identity: {
                callerArn:
                  'arn:aws:sts::444455556666:assumed-role/BackstageEksAccess/dana@example.com',
                principalArn: serviceRole,
                sessionName: 'dana@example.com',
                source: 'verified' as const,
                label: 'IAM role BackstageEksAccess (verified)',
              },
            }
          : undefined,
    };
    const res = await request(app({ proofs }))
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(res.status).toBe(200);
    const kubectl = res.body.identities.find((i: any) => i.kubectl);
    expect(kubectl).toMatchObject({
      callerArn: expect.stringContaining('assumed-role/BackstageEksAccess/'),
      source: 'verified',
      kubectl: { mine: false },
    });
    expect(kubectl.attempts[0].arn).toBe(serviceRole);
    // Alex has no proof: the same line is not his.
    const alex = await request(app({ user: 'user:default/alex', proofs }))
      .get('/access/attempts')
      .query({ entityRef: STAGING });
    expect(alex.body.identities.some((i: any) => i.kubectl)).toBe(false);
  });
});
