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

import { canonicalizeCallerArn } from '../aws/arn';
import { callerIdentity } from '../aws/callerIdentity';
import {
  SigV4Failure,
  verifyPresignedUrl,
  parseAmzDate,
} from '../aws/sigv4Verifier';
import { IamPrincipal } from '../state/model';
import { SandboxState } from '../state/SandboxState';

/** The identity the authenticator extracts from a verified token. */
export interface TokenIdentity {
  arn: string;
  canonicalArn: string;
  account: string;
  /** The unique id of the principal (before the `:` for role sessions). */
  userId: string;
  sessionName: string;
  accessKeyId: string;
  principal: IamPrincipal;
}

/** A token the authenticator rejects; the message is the authenticator's log text. */
export class TokenRejected extends Error {}

const PREFIX = 'k8s-aws-v1.';
const ALLOWED_PARAMETERS = [
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
];
const formatError = (m: string) =>
  new TokenRejected(`input token was not properly formatted: ${m}`);

function isStsHost(host: string, partition: string): boolean {
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (host === 'sts.amazonaws.com') return partition === 'aws';
  const region = '[a-z]{2}(-[a-z]+)+-\\d+';
  return (
    new RegExp(
      `^sts(-fips)?\\.${region}\\.${domain.replace(/\./g, '\\.')}$`,
    ).test(host) ||
    new RegExp(`^sts(-fips)?\\.${region}\\.api\\.aws$`).test(host)
  );
}

/**
 * Verifies a `k8s-aws-v1.` bearer token as aws-iam-authenticator does, for the
 * cluster named `clusterId`. `sandboxHosts` are the host:port values of the
 * sandbox's own STS endpoint, which are accepted besides real STS hostnames.
 */
export async function verifyEksToken(
  token: string,
  clusterId: string,
  state: SandboxState,
  sandboxHosts: string[],
  now: Date = new Date(),
): Promise<TokenIdentity> {
  if (token.length > 4096) throw formatError('token is too large');
  if (!token.startsWith(PREFIX)) {
    throw formatError(`token is missing expected "${PREFIX}" prefix`);
  }
  const encoded = token.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) {
    throw formatError('illegal base64 data');
  }
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (e) {
    throw formatError(`could not parse pre-signed URL`);
  }
  const sandboxHost = sandboxHosts.includes(url.host);
  if (url.protocol !== 'https:' && !(sandboxHost && url.protocol === 'http:')) {
    throw formatError(
      `unexpected scheme "${url.protocol.replace(':', '')}" in pre-signed URL`,
    );
  }
  if (!sandboxHost && !isStsHost(url.hostname, state.partition)) {
    throw formatError(
      `unexpected hostname "${url.hostname}" in pre-signed URL`,
    );
  }
  if (url.pathname !== '/')
    throw formatError('unexpected path in pre-signed URL');
  const seen = new Set<string>();
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (seen.has(lower)) throw formatError('duplicate query parameter found');
    seen.add(lower);
    if (!ALLOWED_PARAMETERS.includes(lower)) {
      throw formatError(`non-whitelisted query parameter "${key}"`);
    }
    params.set(lower, value);
  }
  if (params.get('action') !== 'GetCallerIdentity') {
    throw formatError('unexpected action parameter in pre-signed URL');
  }
  const signed = (params.get('x-amz-signedheaders') ?? '')
    .toLowerCase()
    .split(';');
  if (!signed.includes('x-k8s-aws-id')) {
    throw formatError(
      'client did not sign the x-k8s-aws-id header in the pre-signed URL',
    );
  }
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) {
    throw formatError('invalid X-Amz-Expires parameter in pre-signed URL');
  }
  const date = parseAmzDate(params.get('x-amz-date'));
  if (!date) throw formatError('error parsing X-Amz-Date parameter');
  if (now.getTime() > date.getTime() + 15 * 60 * 1000) {
    throw formatError(
      `X-Amz-Date parameter is expired (15 minute expiration) ${date.toISOString()}`,
    );
  }
  const region =
    (params.get('x-amz-credential') ?? '').split('/')[2] ?? 'us-east-1';
  try {
    const verified = await verifyPresignedUrl(
      { path: '/', query: url.search.replace(/^\?/, '') },
      { host: url.host, 'x-k8s-aws-id': clusterId },
      { lookup: akid => state.credentials.get(akid), now },
    );
    const identity = callerIdentity(state, verified.credential);
    const [userId, sessionName = ''] = identity.userId.split(':');
    return {
      arn: identity.arn,
      canonicalArn: canonicalizeCallerArn(identity.arn),
      account: identity.account,
      userId,
      sessionName,
      accessKeyId: verified.accessKeyId,
      principal: identity.principal,
    };
  } catch (error) {
    if (error instanceof SigV4Failure) {
      const code = {
        unknownKey: 'InvalidClientTokenId',
        expiredToken: 'ExpiredToken',
        signature: 'SignatureDoesNotMatch',
        incomplete: 'IncompleteSignature',
        missing: 'MissingAuthenticationToken',
      }[error.kind];
      throw new TokenRejected(
        `sts getCallerIdentity failed: error from AWS (expected 200, got 403) on ${region} endpoint. Body: {"Error":{"Code":"${code}","Message":${JSON.stringify(
          error.message,
        )},"Type":"Sender"}}`,
      );
    }
    throw error;
  }
}
