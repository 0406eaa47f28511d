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
 * The sandbox's own ARN code, independent of -common's arn.ts on purpose: the
 * sandbox is the oracle the product is tested against, so it must not share
 * the product's mistakes (README, "Its own ARN code, on purpose").
 */

/** The parts of an ARN `arn:partition:service:region:account:resource`. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return undefined;
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!partition || !service || !resource) {
    return undefined;
  }
  return { partition, service, region, account, resource };
}

/** An IAM role or user ARN split into type, path and name. */
export interface IamArnParts extends ArnParts {
  type: 'role' | 'user';
  /** The IAM path with leading and trailing `/`, e.g. `/engineering/`. */
  path: string;
  name: string;
}

export function parseIamArn(arn: string): IamArnParts | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'iam' || !/^\d{12}$/.test(parts.account)) {
    return undefined;
  }
  const segments = parts.resource.split('/');
  const type = segments[0];
  if ((type !== 'role' && type !== 'user') || segments.length < 2) {
    return undefined;
  }
  const name = segments[segments.length - 1];
  if (!name) {
    return undefined;
  }
  const inner = segments.slice(1, -1);
  const path = inner.length ? `/${inner.join('/')}/` : '/';
  return { ...parts, type, path, name };
}

/**
 * The ARN the authenticator canonicalizes a caller ARN to: an assumed-role
 * session becomes the path-less role ARN, everything else stays.
 */
export function canonicalizeCallerArn(arn: string): string {
  const parts = parseArn(arn);
  if (parts?.service === 'sts' && parts.resource.startsWith('assumed-role/')) {
    const segments = parts.resource.split('/');
    return `arn:${parts.partition}:iam::${parts.account}:role/${segments
      .slice(1, -1)
      .join('/')}`;
  }
  return arn;
}

/** `role/a/b/Name` → `role/Name`; users and other ARNs are unchanged (StripPath). */
export function stripIamPath(arn: string): string {
  const iam = parseIamArn(arn);
  if (!iam || iam.type !== 'role') {
    return arn;
  }
  return `arn:${iam.partition}:iam::${iam.account}:role/${iam.name}`;
}

/** A `*`/`?` glob, matched case-sensitively over the whole string. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map(c => {
      if (c === '*') return '.*';
      if (c === '?') return '.';
      return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}
