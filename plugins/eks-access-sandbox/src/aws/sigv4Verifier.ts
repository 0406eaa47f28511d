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

import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CredentialRecord } from '../state/model';

/** Why a request's SigV4 authentication failed; each service maps it to its own error code. */
export type SigV4FailureKind =
  | 'missing'
  | 'incomplete'
  | 'unknownKey'
  | 'signature'
  | 'expiredToken';

export class SigV4Failure extends Error {
  constructor(readonly kind: SigV4FailureKind, message: string) {
    super(message);
  }
}

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INVALID_TOKEN_MESSAGE =
  'The security token included in the request is invalid.';
export const EXPIRED_TOKEN_MESSAGE =
  'The security token included in the request is expired';

/** A request authenticated with SigV4. */
export interface VerifiedRequest {
  credential: CredentialRecord;
  region: string;
  service: string;
  accessKeyId: string;
}

export interface SignedRequest {
  method: string;
  /** Raw path and query, exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = AMZ_DATE.exec(value ?? '');
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function decodeQuery(qs: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of qs ? qs.split('&') : []) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    const key = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
    const value = i < 0 ? '' : decodeURIComponent(pair.slice(i + 1));
    query[key] =
      key in query ? ([] as string[]).concat(query[key], value) : value;
  }
  return query;
}

function header(
  headers: SignedRequest['headers'],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks the clock window; the messages are AWS's. */
function checkSkew(date: Date, now: Date, windowMinutes: number) {
  const windowMs = windowMinutes * 60 * 1000;
  if (date.getTime() < now.getTime() - windowMs) {
    throw new SigV4Failure(
      'signature',
      `Signature expired: ${formatAmzDate(
        date,
      )} is now earlier than ${formatAmzDate(
        new Date(now.getTime() - windowMs),
      )} (${formatAmzDate(now)} - ${windowMinutes} min.)`,
    );
  }
  if (date.getTime() > now.getTime() + windowMs) {
    throw new SigV4Failure(
      'signature',
      `Signature not yet current: ${formatAmzDate(
        date,
      )} is still later than ${formatAmzDate(
        new Date(now.getTime() + windowMs),
      )} (${formatAmzDate(now)} + ${windowMinutes} min.)`,
    );
  }
}

function checkCredential(
  credential: CredentialRecord | undefined,
  sessionToken: string | undefined,
  now: Date,
): CredentialRecord {
  if (!credential) {
    throw new SigV4Failure('unknownKey', INVALID_TOKEN_MESSAGE);
  }
  if (credential.session) {
    if (
      !sessionToken ||
      !sameSignature(sessionToken, credential.session.sessionToken)
    ) {
      throw new SigV4Failure('unknownKey', INVALID_TOKEN_MESSAGE);
    }
    if (Date.parse(credential.session.expiration) <= now.getTime()) {
      throw new SigV4Failure('expiredToken', EXPIRED_TOKEN_MESSAGE);
    }
  } else if (sessionToken) {
    throw new SigV4Failure('unknownKey', INVALID_TOKEN_MESSAGE);
  }
  return credential;
}

function signerFor(
  service: string,
  region: string,
  credential: CredentialRecord,
  withSessionToken: boolean,
) {
  return new SignatureV4({
    service,
    region,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      sessionToken: withSessionToken
        ? credential.session?.sessionToken
        : undefined,
    },
  });
}

const VALID_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Verifies a header-signed request (`Authorization: AWS4-HMAC-SHA256 …`).
 * `expectedService` is the service the request's shape belongs to; a scope
 * naming another service is a signature mismatch, as on AWS.
 */
export async function verifyHeaderSignature(
  request: SignedRequest,
  options: {
    expectedService: string;
    skewMinutes: number;
    lookup: (accessKeyId: string) => CredentialRecord | undefined;
    now?: Date;
  },
): Promise<VerifiedRequest> {
  const now = options.now ?? new Date();
  const authorization = header(request.headers, 'authorization');
  if (!authorization) {
    throw new SigV4Failure('missing', 'Missing Authentication Token');
  }
  const m =
    /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/.exec(
      authorization,
    );
  if (!m) {
    throw new SigV4Failure(
      'incomplete',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${
        authorization.split(' ')[0]
      }`,
    );
  }
  const [, credentialScope, signedHeadersList, signature] = m;
  const scope = credentialScope.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new SigV4Failure(
      'incomplete',
      `Credential should be scoped to a valid region. `,
    );
  }
  const [accessKeyId, scopeDate, region, service] = scope;
  const amzDateHeader = header(request.headers, 'x-amz-date');
  const amzDate = parseAmzDate(amzDateHeader);
  if (!amzDate) {
    throw new SigV4Failure(
      'incomplete',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const credential = checkCredential(
    options.lookup(accessKeyId),
    header(request.headers, 'x-amz-security-token'),
    now,
  );
  if (!VALID_REGION.test(region)) {
    throw new SigV4Failure(
      'signature',
      `Credential should be scoped to a valid region. `,
    );
  }
  if (service !== options.expectedService) {
    throw new SigV4Failure(
      'signature',
      `Credential should be scoped to correct service: '${options.expectedService}'. `,
    );
  }
  if (scopeDate !== amzDateHeader!.slice(0, 8)) {
    throw new SigV4Failure(
      'signature',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateHeader!.slice(
        0,
        8,
      )}', from '${amzDateHeader}'.`,
    );
  }
  checkSkew(amzDate, now, options.skewMinutes);

  const signed = signedHeadersList.split(';');
  if (!signed.includes('host')) {
    throw new SigV4Failure('signature', SIGNATURE_MISMATCH_MESSAGE);
  }
  const contentHash = header(request.headers, 'x-amz-content-sha256');
  if (
    contentHash &&
    contentHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    throw new SigV4Failure(
      'signature',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const headers: Record<string, string> = {};
  for (const name of signed) {
    headers[name] = header(request.headers, name) ?? '';
  }
  const [path, qs = ''] = request.url.split(/\?(.*)/s);
  let query: Record<string, string | string[]>;
  try {
    query = decodeQuery(qs);
  } catch {
    throw new SigV4Failure('signature', SIGNATURE_MISMATCH_MESSAGE);
  }
  const signer = signerFor(
    service,
    region,
    credential,
    signed.includes('x-amz-security-token'),
  );
  const out = await signer.sign(
    new HttpRequest({
      method: request.method,
      hostname: 'sandbox',
      path,
      query,
      headers,
      body: request.body,
    }),
    { signingDate: amzDate, signableHeaders: new Set(signed) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(
    String(out.headers.authorization),
  )?.[1];
  if (!expected || !sameSignature(expected, signature)) {
    throw new SigV4Failure('signature', SIGNATURE_MISMATCH_MESSAGE);
  }
  return { credential, region, service, accessKeyId };
}

/** A presigned URL's auth parameters. */
export interface PresignedParameters {
  accessKeyId: string;
  region: string;
  service: string;
  date: Date;
  expires: number;
  signedHeaders: string[];
  signature: string;
  securityToken?: string;
}

const AUTH_PARAMETERS = [
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-security-token',
  'x-amz-signature',
];

/**
 * Verifies a presigned (query-auth) GET URL. `headers` are the request
 * headers the verifier supplies (`host`, `x-k8s-aws-id`); a signed header
 * that is not supplied makes the signature fail, as on AWS.
 */
export async function verifyPresignedUrl(
  url: { path: string; query: string },
  headers: Record<string, string>,
  options: {
    lookup: (accessKeyId: string) => CredentialRecord | undefined;
    now?: Date;
  },
): Promise<VerifiedRequest & { parameters: PresignedParameters }> {
  const now = options.now ?? new Date();
  let query: Record<string, string | string[]>;
  try {
    query = decodeQuery(url.query);
  } catch {
    throw new SigV4Failure('signature', SIGNATURE_MISMATCH_MESSAGE);
  }
  const get = (name: string) => {
    const key = Object.keys(query).find(k => k.toLowerCase() === name);
    const value = key === undefined ? undefined : query[key];
    return Array.isArray(value) ? value[0] : value;
  };
  if (get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new SigV4Failure('missing', 'Missing Authentication Token');
  }
  const scope = (get('x-amz-credential') ?? '').split('/');
  const date = parseAmzDate(get('x-amz-date'));
  const signature = get('x-amz-signature') ?? '';
  const signedHeaders = (get('x-amz-signedheaders') ?? '').split(';');
  const expires = Number(get('x-amz-expires') ?? '0');
  if (scope.length !== 5 || !date || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new SigV4Failure(
      'incomplete',
      'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date.',
    );
  }
  const [accessKeyId, , region, service] = scope;
  const securityToken = get('x-amz-security-token');
  const credential = checkCredential(
    options.lookup(accessKeyId),
    securityToken,
    now,
  );
  const rest: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    if (!AUTH_PARAMETERS.includes(k.toLowerCase())) rest[k] = v;
  }
  const signedHeaderValues: Record<string, string> = {};
  for (const name of signedHeaders) {
    signedHeaderValues[name] = headers[name] ?? '';
  }
  const signer = signerFor(service, region, credential, !!securityToken);
  const out = await signer.presign(
    new HttpRequest({
      method: 'GET',
      hostname: 'sandbox',
      path: url.path,
      query: rest,
      headers: signedHeaderValues,
    }),
    {
      signingDate: date,
      expiresIn: expires,
      signableHeaders: new Set(signedHeaders),
      unhoistableHeaders: new Set(signedHeaders),
    },
  );
  const expected = String(out.query?.['X-Amz-Signature'] ?? '');
  if (!sameSignature(expected, signature)) {
    throw new SigV4Failure('signature', SIGNATURE_MISMATCH_MESSAGE);
  }
  return {
    credential,
    region,
    service,
    accessKeyId,
    parameters: {
      accessKeyId,
      region,
      service,
      date,
      expires,
      signedHeaders,
      signature,
      securityToken,
    },
  };
}
