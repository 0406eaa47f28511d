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

/** Credentials as the AWS SDK takes them. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * TEST ONLY. Generates a `k8s-aws-v1.` token the way `aws eks get-token` does:
 * a presigned STS GetCallerIdentity URL whose signature covers
 * `x-k8s-aws-id: <cluster>`, base64url without padding.
 */
export async function createEksToken(options: {
  clusterName: string;
  credentials: TestCredentials;
  region?: string;
  /** Defaults to the regional STS host; pass the sandbox host:port to presign against the sandbox. */
  host?: string;
  protocol?: 'https:' | 'http:';
  signingDate?: Date;
  expiresIn?: number;
  /** Sign without the x-k8s-aws-id header (the authenticator must reject it). */
  omitClusterHeader?: boolean;
}): Promise<string> {
  const region = options.region ?? 'us-east-1';
  const host = options.host ?? `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region,
    sha256: Sha256,
    credentials: options.credentials,
  });
  const headers: Record<string, string> = { host };
  if (!options.omitClusterHeader) headers['x-k8s-aws-id'] = options.clusterName;
  const request = new HttpRequest({
    method: 'GET',
    protocol: options.protocol ?? 'https:',
    hostname: host,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers,
  });
  const presigned = await signer.presign(request, {
    expiresIn: options.expiresIn ?? 60,
    signingDate: options.signingDate,
  });
  const query = Object.entries(presigned.query ?? {})
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    )
    .join('&');
  const url = `${options.protocol ?? 'https:'}//${host}/?${query}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}
