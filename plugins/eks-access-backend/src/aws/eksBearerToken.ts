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

import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

/** The prefix of an EKS bearer token. */
const TOKEN_PREFIX = 'k8s-aws-v1.';

/** EKS accepts a token for 15 minutes after signing; we reuse one for less. */
export const EKS_TOKEN_REUSE_MS = 10 * 60 * 1000;

function stsBaseUrl(
  partition: string,
  region: string,
  stsEndpoint?: string,
): URL {
  if (stsEndpoint) {
    return new URL(stsEndpoint);
  }
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://sts.${region}.${domain}/`);
}

/**
 * Builds the `k8s-aws-v1.` bearer token the EKS API server accepts, exactly
 * as `aws eks get-token` does: a presigned STS GetCallerIdentity URL whose
 * signature covers the `x-k8s-aws-id: <cluster name>` header. The token is a
 * credential: never log it or return it.
 */
export async function createEksBearerToken(options: {
  clusterName: string;
  partition: string;
  region: string;
  credentials: AwsCredentialIdentity;
  /** Overrides the regional STS endpoint (a sandbox or VPC endpoint). */
  stsEndpoint?: string;
  signingDate?: Date;
}): Promise<string> {
  const base = stsBaseUrl(
    options.partition,
    options.region,
    options.stsEndpoint,
  );
  const host = base.host;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    sha256: Sha256,
    credentials: options.credentials,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port ? Number(base.port) : undefined,
    path: base.pathname || '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host, 'x-k8s-aws-id': options.clusterName },
  });
  const presigned = await signer.presign(request, {
    expiresIn: 60,
    signingDate: options.signingDate,
  });
  const query = Object.entries(presigned.query ?? {})
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`,
    )
    .join('&');
  const url = `${base.protocol}//${host}${presigned.path}?${query}`;
  return TOKEN_PREFIX + Buffer.from(url).toString('base64url');
}
