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
 * The kubectl-identity proof against the sandbox's STS: tokens from the real
 * SDK presigner (@smithy/signature-v4, as the backend signs its own) and from
 * the AWS CLI (`aws eks get-token`), and one refusal per verifier rule.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE as SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import { sandboxBearerToken } from '../__testUtils__/sandboxTokens';
import { IdentityProofService } from './IdentityProofService';
import { ProofRejectedError } from './kubectlTokenVerifier';

jest.setTimeout(60_000);

const DANA = 'user:default/dana';
const DANA_CALLER =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';

const sandbox = demoSandboxForSuite();

/** Counts requests the verifier sends (to prove some are never sent). */
function countingFetch() {
  const calls: string[] = [];
  const wrapped = (async (input: any, init?: any) => {
    calls.push(String(input));
    return fetch(input, init);
  }) as typeof fetch;
  return { calls, fetch: wrapped };
}

function service(options: { now?: () => number; fetch?: typeof fetch } = {}) {
  return new IdentityProofService({
    stsEndpoint: sandbox.endpoint,
    ...options,
  });
}

async function danaToken(clusterName: string, signingDate?: Date) {
  return sandboxBearerToken(sandbox, {
    roleArn: SSO_ROLE,
    sessionName: 'dana@example.com',
    clusterName,
    signingDate,
  });
}

/** Rewrites the presigned URL inside a token. */
function retoken(token: string, edit: (url: URL) => void): string {
  const url = new URL(
    Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString(),
  );
  edit(url);
  return `k8s-aws-v1.${Buffer.from(url.toString()).toString('base64url')}`;
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(ProofRejectedError);
  expect(error.name).toBe('InputError');
  return error as ProofRejectedError;
}

describe('IdentityProofService', () => {
  it('verifies a token from the SDK presigner for the nonce cluster id', async () => {
    const proofs = service();
    const challenge = await proofs.issue(DANA);
    expect(challenge.clusterId).toBe(`eks-access-proof-${challenge.nonce}`);
    expect(challenge.command).toBe(
      `aws eks get-token --cluster-name ${challenge.clusterId} --output json`,
    );
    const proof = await proofs.verify(
      DANA,
      challenge.nonce,
      await danaToken(challenge.clusterId),
    );
    expect(proof.identity).toMatchObject({
      callerArn: DANA_CALLER,
      principalArn:
        'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
      sessionName: 'dana@example.com',
      source: 'verified',
      label: 'SSO PaymentsDeveloper (verified)',
    });
    expect(proof.account).toBe('111122223333');
    expect(await proofs.proofOf(DANA)).toEqual(proof);
    expect(await proofs.proofOf('user:default/alex')).toBeUndefined();
  });

  it('verifies the output of the AWS CLI `aws eks get-token --output json`', async () => {
    const which = await promisify(execFile)('which', ['aws']).catch(
      () => undefined,
    );
    if (!which) {
      // The CLI is not on PATH here; the SDK-presigner test covers the verifier.
      return;
    }
    const proofs = service();
    const challenge = await proofs.issue(DANA);
    const credentials = sandbox.issueSessionCredentials(
      SSO_ROLE,
      'dana@example.com',
    );
    const { stdout } = await promisify(execFile)(
      'aws',
      [
        'eks',
        'get-token',
        '--cluster-name',
        challenge.clusterId,
        '--output',
        'json',
        '--region',
        'us-east-1',
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
          AWS_ENDPOINT_URL_STS: sandbox.endpoint,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'ExecCredential' });
    const proof = await proofs.verify(DANA, challenge.nonce, stdout);
    expect(proof.identity.callerArn).toBe(DANA_CALLER);
  });

  describe('refuses with a 400, one rule at a time', () => {
    it('malformed: no prefix, not base64url, JSON without a token', async () => {
      const proofs = service();
      for (const pasted of [
        'hello',
        'k8s-aws-v1.!!!',
        '{"kind":"ExecCredential","status":{}}',
        '{not json',
      ]) {
        const { nonce } = await proofs.issue(DANA);
        expect(
          (await rejection(proofs.verify(DANA, nonce, pasted))).reason,
        ).toBe('malformed');
      }
    });

    it('host outside the allow-list: no request is sent', async () => {
      const counting = countingFetch();
      const proofs = service({ fetch: counting.fetch });
      const { nonce, clusterId } = await proofs.issue(DANA);
      const token = await danaToken(clusterId);
      for (const host of [
        'https://attacker.example.com',
        'http://sts.us-east-1.amazonaws.com',
        'https://sts.eu-west-1.amazonaws.com', // scope says us-east-1
        'https://sts.us-east-1.amazonaws.com.cn',
        'https://169.254.169.254',
      ]) {
        const forged = retoken(token, url => {
          const target = new URL(host);
          url.protocol = target.protocol;
          url.host = target.host;
        });
        const error = await rejection(proofs.verify(DANA, nonce, forged));
        expect(error.reason).toBe('host-not-allowed');
        expect(error.message).toContain('it was not contacted');
      }
      expect(counting.calls).toEqual([]);
    });

    it('query parameters outside the allow-list, or repeated', async () => {
      const counting = countingFetch();
      const proofs = service({ fetch: counting.fetch });
      const { nonce, clusterId } = await proofs.issue(DANA);
      const token = await danaToken(clusterId);
      for (const edit of [
        (url: URL) => url.searchParams.set('X-Amz-Foo', '1'),
        (url: URL) => url.searchParams.append('Action', 'GetCallerIdentity'),
      ]) {
        expect(
          (await rejection(proofs.verify(DANA, nonce, retoken(token, edit))))
            .reason,
        ).toBe('parameter-not-allowed');
      }
      expect(counting.calls).toEqual([]);
    });

    it('a token that does not sign x-k8s-aws-id', async () => {
      const proofs = service();
      const { nonce, clusterId } = await proofs.issue(DANA);
      const forged = retoken(await danaToken(clusterId), url =>
        url.searchParams.set('X-Amz-SignedHeaders', 'host'),
      );
      expect((await rejection(proofs.verify(DANA, nonce, forged))).reason).toBe(
        'cluster-id-not-signed',
      );
    });

    it('a token for any other cluster id (e.g. a real cluster)', async () => {
      const proofs = service();
      const { nonce } = await proofs.issue(DANA);
      const error = await rejection(
        proofs.verify(DANA, nonce, await danaToken('payments-staging')),
      );
      expect(error.reason).toBe('other-cluster-id');
      expect(await proofs.proofOf(DANA)).toBeUndefined();
    });

    it('an expired token', async () => {
      const proofs = service();
      const { nonce, clusterId } = await proofs.issue(DANA);
      const old = await danaToken(
        clusterId,
        new Date(Date.now() - 16 * 60 * 1000),
      );
      expect((await rejection(proofs.verify(DANA, nonce, old))).reason).toBe(
        'expired',
      );
    });

    it('a reused nonce', async () => {
      const proofs = service();
      const { nonce, clusterId } = await proofs.issue(DANA);
      const token = await danaToken(clusterId);
      await proofs.verify(DANA, nonce, token);
      expect((await rejection(proofs.verify(DANA, nonce, token))).reason).toBe(
        'reused-nonce',
      );
    });

    it("another user's nonce, or an expired nonce", async () => {
      let now = Date.now();
      const proofs = service({ now: () => now });
      const alexs = await proofs.issue('user:default/alex');
      expect(
        (
          await rejection(
            proofs.verify(DANA, alexs.nonce, await danaToken(alexs.clusterId)),
          )
        ).reason,
      ).toBe('unknown-nonce');
      const danas = await proofs.issue(DANA);
      now += 6 * 60 * 1000;
      expect(
        (
          await rejection(
            proofs.verify(DANA, danas.nonce, await danaToken(danas.clusterId)),
          )
        ).reason,
      ).toBe('expired');
    });
  });

  it('does not accept an STS answer it cannot validate', async () => {
    const proofs = service({
      fetch: (async () =>
        new Response(
          JSON.stringify({
            GetCallerIdentityResponse: {
              GetCallerIdentityResult: {
                Arn: 'arn:aws:sts::111122223333:assumed-role/R/dana',
                Account: '444455556666',
                UserId: 'AROAEXAMPLE:dana',
              },
            },
          }),
          { status: 200 },
        )) as typeof fetch,
    });
    const { nonce, clusterId } = await proofs.issue(DANA);
    const error = await proofs
      .verify(DANA, nonce, await danaToken(clusterId))
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(await proofs.proofOf(DANA)).toBeUndefined();
  });

  it('never puts the token in an error message', async () => {
    const proofs = service();
    const { nonce } = await proofs.issue(DANA);
    const token = await danaToken('payments-staging');
    const error = await proofs.verify(DANA, nonce, token).catch(e => e);
    expect(error.message).not.toContain(token.slice(11, 60));
    expect(error.message).not.toContain('X-Amz-Signature');
  });
});
