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

import { InputError, ServiceUnavailableError } from '@backstage/errors';

/** The prefix of an EKS bearer token. */
const TOKEN_PREFIX = 'k8s-aws-v1.';

/** The query parameters aws-iam-authenticator accepts in the presigned URL (lower-case). */
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/** The authenticator accepts a token this long after X-Amz-Date, whatever X-Amz-Expires says. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** A token dated further in the future than this is refused (clock skew). */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Why a proof token was refused: each rule of the verifier has its own reason. */
export type ProofRejection =
  | 'malformed'
  | 'host-not-allowed'
  | 'parameter-not-allowed'
  | 'cluster-id-not-signed'
  | 'expired'
  | 'other-cluster-id'
  | 'credentials-rejected'
  | 'unknown-nonce'
  | 'reused-nonce';

/** A 400 naming the rule the token broke. The message never contains the token. */
export class ProofRejectedError extends InputError {
  constructor(readonly reason: ProofRejection, message: string) {
    super(message);
  }
}

/** What STS answered for the token: who kubectl runs as. */
export interface VerifiedCaller {
  arn: string;
  account: string;
  userId: string;
  sessionName?: string;
  partition: string;
}

/** STS hosts per partition, as the authenticator accepts them. */
const PARTITIONS: Array<{
  partition: string;
  region: RegExp;
  domains: string[];
  global?: string;
}> = [
  {
    partition: 'aws',
    region: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
    domains: ['amazonaws.com', 'api.aws'],
    global: 'sts.amazonaws.com',
  },
  {
    partition: 'aws-us-gov',
    region: /^us-gov-[a-z]+-\d+$/,
    domains: ['amazonaws.com', 'api.aws'],
  },
  {
    partition: 'aws-cn',
    region: /^cn-[a-z]+-\d+$/,
    domains: ['amazonaws.com.cn'],
  },
];

/**
 * The partition of an STS host, or undefined when the host is not one.
 * `region` is the region of the credential scope, which a regional host must name.
 */
export function stsHostPartition(
  hostname: string,
  region: string,
): string | undefined {
  for (const p of PARTITIONS) {
    if (p.global && hostname === p.global) {
      return region === 'us-east-1' ? p.partition : undefined;
    }
    if (!p.region.test(region)) continue;
    for (const domain of p.domains) {
      if (
        hostname === `sts.${region}.${domain}` ||
        hostname === `sts-fips.${region}.${domain}`
      ) {
        return p.partition;
      }
    }
  }
  return undefined;
}

/** Reads a bare `k8s-aws-v1.` token or the ExecCredential JSON of `aws eks get-token --output json`. */
export function extractToken(pasted: string): string {
  const text = pasted.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ProofRejectedError(
        'malformed',
        'The pasted text is neither a k8s-aws-v1. token nor the JSON output of `aws eks get-token --output json`.',
      );
    }
    const token = (parsed as { status?: { token?: unknown } })?.status?.token;
    if (typeof token !== 'string') {
      throw new ProofRejectedError(
        'malformed',
        'The pasted JSON has no status.token: paste the whole output of `aws eks get-token --output json`.',
      );
    }
    return token.trim();
  }
  return text;
}

/** The presigned URL inside a token, checked against every format rule of the authenticator. */
export function decodeProofToken(
  token: string,
  options: { now: Date; allowedEndpoints: URL[] },
): { url: URL; partition: string; region: string } {
  if (token.length > 4096) {
    throw new ProofRejectedError('malformed', 'The token is too large.');
  }
  if (!token.startsWith(TOKEN_PREFIX)) {
    throw new ProofRejectedError(
      'malformed',
      `The token does not start with ${TOKEN_PREFIX}: paste the output of \`aws eks get-token --output json\` or its token.`,
    );
  }
  const encoded = token.slice(TOKEN_PREFIX.length);
  let url: URL;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error('not base64url');
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new ProofRejectedError(
      'malformed',
      'The token is not a base64url-encoded presigned URL.',
    );
  }

  const params = new Map<string, string>();
  for (const key of new Set(url.searchParams.keys())) {
    const lower = key.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) {
      throw new ProofRejectedError(
        'parameter-not-allowed',
        `The token's URL has the query parameter "${key.slice(
          0,
          64,
        )}", which EKS does not allow.`,
      );
    }
    const values = url.searchParams.getAll(key);
    if (params.has(lower) || values.length !== 1) {
      throw new ProofRejectedError(
        'parameter-not-allowed',
        `The token's URL repeats the query parameter "${key}".`,
      );
    }
    params.set(lower, values[0]);
  }
  const region = (params.get('x-amz-credential') ?? '').split('/')[2] ?? '';

  // Only real STS hosts of a partition (or the configured STS endpoint): a
  // token pointing anywhere else is refused before any request is sent.
  const override = options.allowedEndpoints.find(e => e.host === url.host);
  const plainHttps =
    url.protocol === 'https:' && !url.port && !url.username && !url.password;
  let partition: string | undefined;
  if (override) {
    partition = 'aws';
  } else if (plainHttps) {
    partition = stsHostPartition(url.hostname, region);
  }
  if (!partition) {
    throw new ProofRejectedError(
      'host-not-allowed',
      `The token points at ${url.protocol}//${url.host.slice(
        0,
        100,
      )}, which is not an AWS STS endpoint for region ${
        region || '(none)'
      }; it was not contacted.`,
    );
  }
  if (override && url.protocol !== override.protocol) {
    throw new ProofRejectedError(
      'host-not-allowed',
      `The token points at ${url.protocol}//${url.host}, with another scheme than the configured STS endpoint; it was not contacted.`,
    );
  }
  if (url.pathname !== '/') {
    throw new ProofRejectedError(
      'malformed',
      "The token's URL has an unexpected path.",
    );
  }
  if (params.get('action') !== 'GetCallerIdentity') {
    throw new ProofRejectedError(
      'malformed',
      "The token's URL is not an STS GetCallerIdentity call.",
    );
  }
  if (
    !(params.get('x-amz-signedheaders') ?? '')
      .toLowerCase()
      .split(';')
      .includes('x-k8s-aws-id')
  ) {
    throw new ProofRejectedError(
      'cluster-id-not-signed',
      'The token does not sign the x-k8s-aws-id header, so it is not an EKS token.',
    );
  }
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) {
    throw new ProofRejectedError(
      'malformed',
      'The token has an invalid X-Amz-Expires.',
    );
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    params.get('x-amz-date') ?? '',
  );
  if (!date) {
    throw new ProofRejectedError(
      'malformed',
      'The token has no valid X-Amz-Date.',
    );
  }
  const signedAt = Date.UTC(
    +date[1],
    +date[2] - 1,
    +date[3],
    +date[4],
    +date[5],
    +date[6],
  );
  const now = options.now.getTime();
  if (now > signedAt + TOKEN_LIFETIME_MS) {
    throw new ProofRejectedError(
      'expired',
      `The token expired (EKS accepts a token for 15 minutes; this one was signed at ${new Date(
        signedAt,
      ).toISOString()}). Run the command again and paste the new output.`,
    );
  }
  if (signedAt > now + FUTURE_SKEW_MS) {
    throw new ProofRejectedError(
      'expired',
      "The token is dated in the future: your computer's clock is off.",
    );
  }
  return { url, partition, region };
}

const CALLER_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):(?:sts::(\d{12}):assumed-role\/[\w+=,.@-]+\/([\w+=,.@-]+)|iam::(\d{12}):(?:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+|root)|sts::(\d{12}):federated-user\/[\w+=,.@-]+)$/;

/**
 * Calls the presigned GetCallerIdentity with the expected `x-k8s-aws-id`,
 * as the authenticator does, and validates the answer. A token signed for
 * another cluster id fails STS's signature check.
 */
export async function callPresignedGetCallerIdentity(
  url: URL,
  options: {
    clusterId: string;
    partition: string;
    fetch?: typeof fetch;
    timeoutMs?: number;
  },
): Promise<VerifiedCaller> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'GET',
      headers: {
        'x-k8s-aws-id': options.clusterId,
        accept: 'application/json',
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch {
    throw new ServiceUnavailableError(
      'Backstage could not reach AWS STS to verify the token; try again.',
    );
  }
  const body = await response.text().catch(() => '');
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (response.status !== 200) {
    const code = String(json?.Error?.Code ?? '');
    if (code === 'SignatureDoesNotMatch') {
      throw new ProofRejectedError(
        'other-cluster-id',
        `AWS STS did not accept the token for ${options.clusterId}: it was made for another cluster name (or altered). Run exactly the command shown, with --cluster-name ${options.clusterId}.`,
      );
    }
    if (code === 'ExpiredToken' || code === 'InvalidClientTokenId') {
      throw new ProofRejectedError(
        'credentials-rejected',
        `AWS STS refused the credentials that signed the token (${code}): your AWS session may have expired; log in again (e.g. aws sso login) and rerun the command.`,
      );
    }
    throw new ServiceUnavailableError(
      `AWS STS answered ${response.status}${
        code ? ` ${code.slice(0, 64)}` : ''
      } while verifying the token; try again.`,
    );
  }
  const result =
    json?.GetCallerIdentityResponse?.GetCallerIdentityResult ?? undefined;
  const arn = typeof result?.Arn === 'string' ? result.Arn : '';
  const account = typeof result?.Account === 'string' ? result.Account : '';
  const userId = typeof result?.UserId === 'string' ? result.UserId : '';
  const m = CALLER_ARN.exec(arn);
  const arnAccount = m ? m[2] ?? m[4] ?? m[5] : undefined;
  const session = m?.[3];
  const valid =
    m &&
    m[1] === options.partition &&
    arnAccount === account &&
    userId.length > 0 &&
    (session === undefined ||
      (userId.split(':').length === 2 && userId.split(':')[1] === session));
  if (!valid) {
    throw new ServiceUnavailableError(
      'AWS STS gave an answer Backstage cannot validate; the identity was not verified.',
    );
  }
  return {
    arn,
    account,
    userId,
    partition: m![1],
    ...(session ? { sessionName: session } : {}),
  };
}
