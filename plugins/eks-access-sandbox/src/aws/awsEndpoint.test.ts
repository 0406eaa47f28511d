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
  DescribeClusterCommand,
  EKSServiceException,
  ListClustersCommand,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import {
  GetRoleCommand,
  GetUserCommand,
  IAMServiceException,
  ListRolesCommand,
  NoSuchEntityException,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { RunningSandbox, startSandbox } from '../startSandbox';
import { DEMO, sandboxClients } from '../__testUtils__/sandboxClients';

jest.setTimeout(60_000);

describe('STS, IAM, SigV4 and faults through the real SDK clients', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
  });
  afterAll(() => sandbox.stop());
  afterEach(() => {
    sandbox.resetFaults();
    sandbox.resetCalls();
  });

  describe('STS', () => {
    it('answers GetCallerIdentity for a user', async () => {
      const { sts } = sandboxClients(sandbox);
      const me = await sts.send(new GetCallerIdentityCommand({}));
      expect(me).toMatchObject({
        Account: '111122223333',
        Arn: DEMO.backstageUser,
      });
      expect(me.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    });

    it('assumes a role whose session credentials then sign as the assumed-role session', async () => {
      const { sts } = sandboxClients(sandbox);
      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: DEMO.backstageRole,
          RoleSessionName: 'backstage-eks-access',
          DurationSeconds: 900,
        }),
      );
      expect(assumed.AssumedRoleUser).toMatchObject({
        Arn: 'arn:aws:sts::444455556666:assumed-role/BackstageEksAccess/backstage-eks-access',
      });
      expect(assumed.Credentials!.AccessKeyId).toMatch(/^ASIA/);
      expect(
        assumed.Credentials!.Expiration!.getTime() - Date.now(),
      ).toBeGreaterThan(850_000);
      const credentials = {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      };
      const clients = sandboxClients(sandbox, {
        region: 'eu-west-1',
        credentials,
      });
      const me = await clients.sts.send(new GetCallerIdentityCommand({}));
      expect(me.Arn).toBe(
        'arn:aws:sts::444455556666:assumed-role/BackstageEksAccess/backstage-eks-access',
      );
      expect(me.UserId).toMatch(/^AROA[A-Z2-7]{17}:backstage-eks-access$/);
      expect(
        (await clients.eks.send(new ListClustersCommand({}))).clusters,
      ).toContain('reporting');
      // Without the session token the key is not recognized.
      const noToken = sandboxClients(sandbox, {
        region: 'eu-west-1',
        credentials: { ...credentials, sessionToken: undefined },
      });
      const error = await noToken.eks
        .send(new ListClustersCommand({}))
        .catch(e => e);
      expect(error).toBeInstanceOf(EKSServiceException);
      expect(error.name).toBe('UnrecognizedClientException');
      expect(error.message).toBe(
        'The security token included in the request is invalid.',
      );
    });

    it('refuses AssumeRole when the role does not trust the caller', async () => {
      const { sts } = sandboxClients(sandbox);
      const error = await sts
        .send(
          new AssumeRoleCommand({
            RoleArn: DEMO.dataEngineer,
            RoleSessionName: 'x1',
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(STSServiceException);
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toBe(
        `User: ${DEMO.backstageUser} is not authorized to perform: sts:AssumeRole on resource: ${DEMO.dataEngineer}`,
      );
    });

    it('answers ExpiredToken once session credentials expire', async () => {
      const session = sandbox.issueSessionCredentials(
        DEMO.backstageRole,
        'short',
        1,
      );
      await new Promise(r => setTimeout(r, 1200));
      const { sts } = sandboxClients(sandbox, { credentials: session });
      const error = await sts
        .send(new GetCallerIdentityCommand({}))
        .catch(e => e);
      expect(error.name).toBe('ExpiredToken');
      expect(error.message).toBe(
        'The security token included in the request is expired',
      );
    });
  });

  describe('IAM', () => {
    it('gets the SSO role with its path, id and creation date', async () => {
      const { iam } = sandboxClients(sandbox, { region: 'eu-west-1' });
      const { Role } = await iam.send(
        new GetRoleCommand({
          RoleName: 'AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
        }),
      );
      expect(Role).toMatchObject({
        Path: '/aws-reserved/sso.amazonaws.com/eu-west-1/',
        Arn: DEMO.ssoRole,
        CreateDate: new Date('2024-03-01T00:00:00Z'),
        MaxSessionDuration: 43200,
      });
      expect(Role!.RoleId).toMatch(/^AROA/);
      expect(
        JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)),
      ).toMatchObject({ Version: '2012-10-17' });
      const gone = await iam
        .send(
          new GetRoleCommand({
            RoleName: 'AWSReservedSSO_PaymentsDeveloper_9f8e7d6c5b4a3f2e',
          }),
        )
        .catch(e => e);
      expect(gone).toBeInstanceOf(NoSuchEntityException);
      expect(gone.message).toBe(
        'The role with name AWSReservedSSO_PaymentsDeveloper_9f8e7d6c5b4a3f2e cannot be found.',
      );
    });

    it('gets users (the caller by default) in the caller account', async () => {
      const { iam } = sandboxClients(sandbox);
      expect((await iam.send(new GetUserCommand({}))).User).toMatchObject({
        UserName: 'backstage-eks-access',
        Path: '/',
      });
      const role = sandboxClients(sandbox, {
        credentials: sandbox.issueSessionCredentials(DEMO.backstageRole, 'b'),
      }).iam;
      const { User } = await role.send(
        new GetUserCommand({ UserName: 'dana' }),
      );
      expect(User).toMatchObject({
        Path: '/engineering/',
        Arn: DEMO.danaUser,
        CreateDate: new Date('2025-06-01T00:00:00Z'),
      });
      await expect(role.send(new GetUserCommand({}))).rejects.toMatchObject({
        name: 'ValidationError',
      });
    });

    it('lists roles under a path prefix, following Marker pages', async () => {
      const { iam } = sandboxClients(sandbox);
      const names: string[] = [];
      for await (const page of paginateListRoles(
        { client: iam, pageSize: 1 },
        {},
      )) {
        names.push(...page.Roles!.map(r => r.RoleName!));
      }
      expect(names).toEqual([
        'AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
        'AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
        'eks-node-role',
      ]);
      const sso = await iam.send(
        new ListRolesCommand({
          PathPrefix: '/aws-reserved/sso.amazonaws.com/',
        }),
      );
      expect(sso.Roles!.map(r => r.Arn)).toEqual([
        DEMO.ssoRole,
        DEMO.platformAdmin,
      ]);
      expect(sso.IsTruncated).toBe(false);
      expect(sso.Marker).toBeUndefined();
    });

    it('denies IAM actions the principal lacks', async () => {
      const restricted = await startSandbox({
        scenario: {
          accounts: [{ id: '123456789012' }],
          iam: {
            users: [
              {
                arn: 'arn:aws:iam::123456789012:user/u',
                permissions: ['eks:*'],
              },
            ],
          },
        },
      });
      try {
        const { iam } = sandboxClients(restricted, {
          credentials: restricted.credentialsFor(
            'arn:aws:iam::123456789012:user/u',
          ),
        });
        const error = await iam
          .send(new GetRoleCommand({ RoleName: 'x' }))
          .catch(e => e);
        expect(error).toBeInstanceOf(IAMServiceException);
        expect(error.name).toBe('AccessDenied');
        expect(error.message).toBe(
          'User: arn:aws:iam::123456789012:user/u is not authorized to perform: iam:GetRole on resource: role x because no identity-based policy allows the iam:GetRole action',
        );
      } finally {
        await restricted.stop();
      }
    });
  });

  describe('SigV4', () => {
    it('rejects a wrong secret per service', async () => {
      const wrong = {
        ...sandbox.credentialsFor(DEMO.backstageUser),
        secretAccessKey: 'wrong-secret',
      };
      const clients = sandboxClients(sandbox, {
        credentials: wrong,
        maxAttempts: 1,
      });
      const eksError = await clients.eks
        .send(new ListClustersCommand({}))
        .catch(e => e);
      expect(eksError.name).toBe('InvalidSignatureException');
      expect(eksError.$metadata.httpStatusCode).toBe(403);
      expect(eksError.message).toMatch(
        /^The request signature we calculated does not match/,
      );
      const stsError = await clients.sts
        .send(new GetCallerIdentityCommand({}))
        .catch(e => e);
      expect(stsError.name).toBe('SignatureDoesNotMatch');
      const iamError = await clients.iam
        .send(new ListRolesCommand({}))
        .catch(e => e);
      expect(iamError.name).toBe('SignatureDoesNotMatch');
    });

    it('rejects an unknown access key per service', async () => {
      const unknown = {
        accessKeyId: 'AKIAUNKNOWNUNKNOWN00',
        secretAccessKey: 'x',
      };
      const clients = sandboxClients(sandbox, {
        credentials: unknown,
        maxAttempts: 1,
      });
      expect(
        (await clients.eks.send(new ListClustersCommand({})).catch(e => e))
          .name,
      ).toBe('UnrecognizedClientException');
      const sts = await clients.sts
        .send(new GetCallerIdentityCommand({}))
        .catch(e => e);
      expect(sts.name).toBe('InvalidClientTokenId');
      expect(sts.$metadata.httpStatusCode).toBe(403);
    });

    const rawSigned = async (options: {
      service: string;
      region?: string;
      date?: Date;
    }) => {
      const keys = sandbox.credentialsFor(DEMO.backstageUser);
      const url = new URL(`${sandbox.endpoint}/clusters`);
      const signer = new SignatureV4({
        service: options.service,
        region: options.region ?? 'us-east-1',
        sha256: Sha256,
        credentials: keys,
      });
      const signed = await signer.sign(
        new HttpRequest({
          method: 'GET',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: '/clusters',
          headers: { host: url.host },
        }),
        { signingDate: options.date },
      );
      const response = await fetch(url, {
        headers: signed.headers as Record<string, string>,
      });
      return {
        status: response.status,
        type: response.headers.get('x-amzn-errortype'),
        body: await response.json(),
      };
    };

    it('accepts a correctly signed raw request and rejects skewed dates and wrong services', async () => {
      expect(await rawSigned({ service: 'eks' })).toMatchObject({
        status: 200,
        body: { clusters: expect.any(Array) },
      });
      const old = await rawSigned({
        service: 'eks',
        date: new Date(Date.now() - 6 * 60 * 1000),
      });
      expect(old).toMatchObject({
        status: 403,
        type: 'InvalidSignatureException',
      });
      expect(old.body.message).toMatch(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      );
      const future = await rawSigned({
        service: 'eks',
        date: new Date(Date.now() + 6 * 60 * 1000),
      });
      expect(future.body.message).toMatch(/^Signature not yet current: /);
      expect(await rawSigned({ service: 'sts' })).toMatchObject({
        status: 403,
        type: 'InvalidSignatureException',
      });
      expect(
        await rawSigned({ service: 'eks', region: 'not-a-region' }),
      ).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
      const missing = await fetch(`${sandbox.endpoint}/clusters`);
      expect(missing.headers.get('x-amzn-errortype')).toBe(
        'MissingAuthenticationTokenException',
      );
    });
  });

  describe('faults and the admin API', () => {
    it('throttles with a token bucket: the SDK retries, then surfaces ThrottlingException', async () => {
      sandbox.setFaults({
        rules: [
          {
            service: 'eks',
            operation: 'DescribeCluster',
            account: '111122223333',
            throttle: { ratePerSecond: 0.001, burst: 1 },
          },
        ],
      });
      const { eks } = sandboxClients(sandbox, { maxAttempts: 2 });
      await eks.send(new DescribeClusterCommand({ name: 'payments-prod' }));
      const error = await eks
        .send(new DescribeClusterCommand({ name: 'payments-prod' }))
        .catch(e => e);
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error.message).toBe('Rate exceeded');
      expect(error.$metadata.attempts).toBe(2);
      expect(
        sandbox.calls({ service: 'eks', operation: 'DescribeCluster' }),
      ).toBe(3);
      // the two attempts of the second call were refused by the bucket
      expect(
        sandbox.throttledCalls({
          service: 'eks',
          operation: 'DescribeCluster',
        }),
      ).toBe(2);
      expect(sandbox.throttledCalls({ account: '444455556666' })).toBe(0);
      // Other operations and accounts are not throttled.
      await eks.send(new ListClustersCommand({}));
    });

    it('throttles STS with Throttling, which the SDK retries', async () => {
      sandbox.setFaults({
        rules: [
          { service: 'sts', throttle: { ratePerSecond: 0.001, burst: 1 } },
        ],
      });
      const { sts } = sandboxClients(sandbox, { maxAttempts: 2 });
      await sts.send(new GetCallerIdentityCommand({}));
      const error = await sts
        .send(new GetCallerIdentityCommand({}))
        .catch(e => e);
      expect(error.name).toBe('Throttling');
      expect(error.$metadata.attempts).toBe(2);
    });

    it('injects 503s that the SDK retries, and latency', async () => {
      sandbox.setFaults({
        rules: [{ service: 'eks', errorRate: 1, errorStatus: 503 }],
      });
      const { eks } = sandboxClients(sandbox, { maxAttempts: 3 });
      const error = await eks.send(new ListClustersCommand({})).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableException');
      expect(error.$metadata.attempts).toBe(3);
      expect(sandbox.calls({ operation: 'ListClusters' })).toBe(3);
      sandbox.setFaults({
        rules: [{ service: 'eks', latency: { fixedMs: 300, jitterMs: 0 } }],
      });
      const started = Date.now();
      await eks.send(new ListClustersCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('exposes faults, counters and state over HTTP', async () => {
      const admin = (path: string, init?: RequestInit) =>
        fetch(`${sandbox.endpoint}/__sandbox/${path}`, init).then(r =>
          r.json(),
        );
      expect(await admin('faults')).toEqual({
        unreachableClusters: ['edge-gateway'],
      });
      await admin('faults', {
        method: 'PUT',
        body: JSON.stringify({ rules: [{ service: 'iam', errorRate: 1 }] }),
      });
      const { iam } = sandboxClients(sandbox, { maxAttempts: 1 });
      const error = await iam.send(new ListRolesCommand({})).catch(e => e);
      expect(error.name).toBe('InternalFailure');
      expect(await admin('calls?service=iam')).toMatchObject({
        total: 1,
        counters: [
          {
            service: 'iam',
            operation: 'ListRoles',
            account: '111122223333',
            count: 1,
          },
        ],
      });
      await admin('calls/reset', { method: 'POST' });
      expect((await admin('calls')).total).toBe(0);
      await admin('faults/reset', { method: 'POST' });
      expect(await admin('faults')).toEqual({
        unreachableClusters: ['edge-gateway'],
      });
      const state = await admin('state');
      expect(state.clusters).toHaveLength(13);
      expect(JSON.stringify(state)).not.toMatch(
        /PRIVATE KEY|secretAccessKey|eksAccessSandboxSecretKey/,
      );
    });
  });
});
