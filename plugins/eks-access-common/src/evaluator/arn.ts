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
 * ARN parsing and canonicalization, as aws-iam-authenticator's pkg/arn does it
 * (eks-auth-spec §3). No I/O.
 */

/**
 * The partitions aws-iam-authenticator recognizes (eks-auth-spec §3 step 2).
 * @public
 */
export const KNOWN_PARTITIONS: readonly string[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

/**
 * The six sections of an ARN, as the AWS SDK's ARN parser splits it.
 * @public
 */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/**
 * The kind of principal a canonicalized ARN names.
 * @public
 */
export type PrincipalKind =
  | 'user'
  | 'role'
  | 'root'
  | 'assumed-role'
  | 'federated-user';

/**
 * Splits an ARN into its sections like the AWS SDK's `arn.Parse`: it must
 * start with `arn:` and have six colon-separated sections (the resource may
 * contain more colons). Throws otherwise.
 * @public
 */
export function parseArn(arn: string): ParsedArn {
  if (!arn.startsWith('arn:')) {
    throw new Error(`arn '${arn}' is invalid: 'arn: invalid prefix'`);
  }
  const sections = splitN(arn, ':', 6);
  if (sections.length !== 6) {
    throw new Error(`arn '${arn}' is invalid: 'arn: not enough sections'`);
  }
  return {
    partition: sections[1],
    service: sections[2],
    region: sections[3],
    accountId: sections[4],
    resource: sections[5],
  };
}

/** Like Go's strings.SplitN: at most n parts, the last holds the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/**
 * Canonicalizes an ARN and tells which kind of principal it names, exactly
 * like aws-iam-authenticator's `arn.Canonicalize` (eks-auth-spec §3): an STS
 * assumed-role ARN becomes the IAM role ARN without the session name;
 * federated-user, IAM user, role and root ARNs are returned unchanged. The
 * result is not lower-cased. Throws an Error on an invalid ARN.
 * @public
 */
export function canonicalizeArnWithKind(arn: string): {
  kind: PrincipalKind;
  canonicalArn: string;
  parsed: ParsedArn;
} {
  const parsed = parseArn(arn);
  if (!KNOWN_PARTITIONS.includes(parsed.partition)) {
    throw new Error(`arn '${arn}' does not have a recognized partition`);
  }
  const parts = parsed.resource.split('/');
  const type = parts[0];
  if (parsed.service === 'sts') {
    if (type === 'federated-user') {
      return { kind: 'federated-user', canonicalArn: arn, parsed };
    }
    if (type === 'assumed-role') {
      if (parts.length < 3) {
        throw new Error(`assumed-role arn '${arn}' does not have a role`);
      }
      const role = parts.slice(1, parts.length - 1).join('/');
      return {
        kind: 'assumed-role',
        canonicalArn: `arn:${parsed.partition}:iam::${parsed.accountId}:role/${role}`,
        parsed,
      };
    }
    throw new Error(
      `unrecognized resource ${parsed.resource} for service sts in arn '${arn}'`,
    );
  }
  if (parsed.service === 'iam') {
    if (type === 'role' || type === 'user' || type === 'root') {
      return { kind: type, canonicalArn: arn, parsed };
    }
    throw new Error(
      `unrecognized resource ${parsed.resource} for service iam in arn '${arn}'`,
    );
  }
  throw new Error(
    `service ${parsed.service} in arn '${arn}' is not a valid service for identities`,
  );
}

/**
 * Canonicalizes a caller ARN like aws-iam-authenticator's `arn.Canonicalize`
 * (eks-auth-spec §3). Throws an Error on an invalid ARN.
 *
 * @example
 * ```ts
 * canonicalizeArn('arn:aws:sts::111122223333:assumed-role/Admin/alice');
 * // returns 'arn:aws:iam::111122223333:role/Admin'
 * ```
 * @public
 */
export function canonicalizeArn(arn: string): string {
  return canonicalizeArnWithKind(arn).canonicalArn;
}

/**
 * Removes the path of an IAM role ARN (`role/a/b/Name` becomes `role/Name`)
 * and leaves every other ARN unchanged, like aws-iam-authenticator's
 * `arn.StripPath` (eks-auth-spec §3). Throws an Error on an invalid ARN.
 * @public
 */
export function stripArnPath(arn: string): string {
  const parsed = parseArn(arn);
  if (parsed.service !== 'iam') return arn;
  const parts = parsed.resource.split('/');
  if (parts[0] !== 'role' || parts.length <= 2) return arn;
  return `arn:${parsed.partition}:iam::${parsed.accountId}:role/${
    parts[parts.length - 1]
  }`;
}

/**
 * Turns one section of an ArnLike glob into a regular expression source:
 * `*` becomes `.*`, `?` becomes `.?`, everything else is matched literally
 * (aws-iam-authenticator `arn.quoteMeta`).
 * @public
 */
export function arnLikeSectionPattern(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.?';
    else if ('\\.+*?()|[]{}^$'.includes(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * IAM `ArnLike` matching as aws-iam-authenticator implements it: both strings
 * are split into their six sections and each section is matched separately
 * against the glob (`*`, `?`), anchored. Throws an Error when either string
 * does not have six sections or the input does not start with `arn:`.
 * @internal
 */
export function arnLike(arn: string, pattern: string): boolean {
  if (!arn.startsWith('arn:')) {
    throw new Error('could not parse input arn: invalid prefix');
  }
  const arnSections = splitN(arn, ':', 6);
  if (arnSections.length !== 6) {
    throw new Error('could not parse input arn: not enough sections');
  }
  if (!pattern.startsWith('arn:')) {
    throw new Error('could not parse ArnLike string: invalid prefix');
  }
  const patternSections = splitN(pattern, ':', 6);
  if (patternSections.length !== 6) {
    throw new Error('could not parse ArnLike string: not enough sections');
  }
  for (let i = 0; i < 6; i++) {
    const re = new RegExp(`^${arnLikeSectionPattern(patternSections[i])}$`);
    if (!re.test(arnSections[i])) return false;
  }
  return true;
}

/**
 * The AWS partition of a region (`cn-north-1` is `aws-cn`, `us-gov-west-1` is
 * `aws-us-gov`, ...). Unknown regions default to `aws`.
 * @public
 */
export function partitionForRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/**
 * For a role ARN (`arn:…:iam::…:role/[path/]Name`): the role name and its path
 * (`/` when none). `undefined` for anything else.
 * @public
 */
export function roleNameOf(
  arn: string,
): { name: string; path: string } | undefined {
  let parsed: ParsedArn;
  try {
    parsed = parseArn(arn);
  } catch {
    return undefined;
  }
  const parts = parsed.resource.split('/');
  if (parsed.service !== 'iam' || parts[0] !== 'role' || parts.length < 2) {
    return undefined;
  }
  const name = parts[parts.length - 1];
  const middle = parts.slice(1, parts.length - 1);
  return { name, path: middle.length ? `/${middle.join('/')}/` : '/' };
}

/** Matches an IAM Identity Center role name: AWSReservedSSO_<PermissionSet>_<suffix>. */
const SSO_ROLE_NAME = /^AWSReservedSSO_(.+)_([0-9a-fA-F]+)$/;

/**
 * For an IAM Identity Center role name (`AWSReservedSSO_<PermissionSet>_<hex>`):
 * the permission set name and the random suffix.
 * @public
 */
export function parseSsoRoleName(
  roleName: string,
): { permissionSetName: string; suffix: string } | undefined {
  const m = SSO_ROLE_NAME.exec(roleName);
  return m ? { permissionSetName: m[1], suffix: m[2] } : undefined;
}

/**
 * The IAM role or user an ARN names, as IAM's GetRole / GetUser address it
 * (name without path).
 * @public
 */
export interface IamPrincipalRef {
  partition: string;
  accountId: string;
  type: 'role' | 'user';
  name: string;
}

/**
 * The IAM role or user behind a caller ARN (an assumed-role session maps to
 * its role, a path is dropped), or `undefined` for root, federated users and
 * invalid ARNs.
 * @public
 */
export function iamPrincipalOf(arn: string): IamPrincipalRef | undefined {
  let canonical: {
    canonicalArn: string;
    parsed: ParsedArn;
    kind: PrincipalKind;
  };
  try {
    canonical = canonicalizeArnWithKind(arn);
  } catch {
    return undefined;
  }
  if (canonical.kind === 'root' || canonical.kind === 'federated-user') {
    return undefined;
  }
  const { partition, accountId } = canonical.parsed;
  const parts = parseArn(canonical.canonicalArn).resource.split('/');
  const name = parts[parts.length - 1];
  if (!/^\d{12}$/.test(accountId) || parts.length < 2 || !name) {
    return undefined;
  }
  return { partition, accountId, type: parts[0] as 'role' | 'user', name };
}

/**
 * The session name of an STS assumed-role ARN
 * (`arn:…:sts::…:assumed-role/Role/session` gives `session`), else
 * `undefined`.
 * @public
 */
export function sessionNameOf(arn: string): string | undefined {
  let parsed: ParsedArn;
  try {
    parsed = parseArn(arn);
  } catch {
    return undefined;
  }
  const parts = parsed.resource.split('/');
  if (parsed.service !== 'sts' || parts[0] !== 'assumed-role') return undefined;
  return parts.length >= 3 ? parts.slice(2).join('/') : undefined;
}

/**
 * Whether an ARN names one STS session (`assumed-role` or `federated-user`)
 * rather than an IAM principal.
 * @public
 */
export function isStsSessionArn(arn: string): boolean {
  let parsed: ParsedArn;
  try {
    parsed = parseArn(arn);
  } catch {
    return false;
  }
  return (
    parsed.service === 'sts' &&
    /^\d{12}$/.test(parsed.accountId) &&
    /^(assumed-role|federated-user)\//.test(parsed.resource)
  );
}

/**
 * The caller ARN a session of an IAM role has
 * (`arn:…:sts::<account>:assumed-role/<RoleName>/<sessionName>`), or
 * `undefined` when `roleArn` is not a role ARN.
 * @public
 */
export function assumedRoleArnOf(
  roleArn: string,
  sessionName: string,
): string | undefined {
  const principal = iamPrincipalOf(roleArn);
  if (!principal || principal.type !== 'role' || sessionName === '') {
    return undefined;
  }
  return `arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${principal.name}/${sessionName}`;
}

/**
 * The principal as aws-iam-authenticator compares it: canonical (sessions
 * become their role) and with a role's path stripped. Two ARNs naming the
 * same IAM principal give the same value. Throws on an invalid ARN.
 * @public
 */
export function canonicalPrincipalArn(arn: string): string {
  return stripArnPath(canonicalizeArn(arn));
}
