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
  isAlias,
  isScalar,
  isSeq,
  Node as YamlNode,
  Document as YamlDocument,
  visit,
} from 'yaml';
import { arnLike, canonicalizeArnWithKind, KNOWN_PARTITIONS } from './arn';
import {
  goJsonFieldFold,
  goJsonKeyOrder,
  GoJsonValue,
  decodeBinary,
  goYamlToJson,
  parseFirstYamlDocument,
  resolvePlainScalarLikeYamlV2,
} from './goYamlToJson';

/*
 * The aws-auth ConfigMap: parsing as the current aws-iam-authenticator does it
 * (eks-auth-spec §4.1–§4.3), validation, the matching primitives (§4.4, §4.8)
 * and a serializer. No I/O.
 */

/**
 * The `sso:` matcher of an aws-auth role entry (§4.2, §4.8).
 * @public
 */
export interface AwsAuthSsoMatcher {
  permissionSetName: string;
  accountID: string;
  partition?: string;
}

/**
 * One `mapRoles` entry as the authenticator loads it (§4.2).
 * @public
 */
export interface AwsAuthRoleMapping {
  rolearn?: string;
  sso?: AwsAuthSsoMatcher;
  username: string;
  groups: string[];
  userid?: string;
}

/**
 * One `mapUsers` entry as the authenticator loads it (§4.2).
 * @public
 */
export interface AwsAuthUserMapping {
  userarn: string;
  username: string;
  groups: string[];
  userid?: string;
}

/**
 * A problem found while parsing aws-auth. `AWS_AUTH_PARSE_ERROR`: a whole
 * data key was dropped; `AWS_AUTH_ENTRY_INVALID`: one entry was dropped;
 * `AWS_AUTH_SHADOWED_DATA`: text EKS never reads (an earlier value of a
 * repeated key, documents after the first); the others are warnings about
 * data that loads.
 * @public
 */
export interface AwsAuthProblem {
  code:
    | 'AWS_AUTH_PARSE_ERROR'
    | 'AWS_AUTH_ENTRY_INVALID'
    | 'AWS_AUTH_KEY_CASE'
    | 'AWS_AUTH_FIELD_TYPE'
    | 'AWS_AUTH_MERGED_GROUPS'
    | 'AWS_AUTH_DUPLICATE_ARN'
    | 'AWS_AUTH_SSO_MATCHER'
    | 'AWS_AUTH_SHADOWED_DATA';
  /** The ConfigMap data key the problem is in. */
  key: string;
  /** 0-based position of the entry in its list, when the problem is about one entry. */
  entryIndex?: number;
  /** 1-based line inside the data value, when known. */
  line?: number;
  /** Plain-language description. */
  message: string;
}

/**
 * The aws-auth ConfigMap as the authenticator loads it: the entries that load
 * (invalid ones and unparsable keys are dropped) and the problems found.
 * @public
 */
export interface ParsedAwsAuth {
  mapRoles: AwsAuthRoleMapping[];
  mapUsers: AwsAuthUserMapping[];
  mapAccounts: string[];
  problems: AwsAuthProblem[];
}

/** The data keys the authenticator reads; they are case-sensitive (§4.1). */
const TOP_KEYS = ['mapRoles', 'mapUsers', 'mapAccounts'] as const;

const ROLE_FIELDS = ['rolearn', 'sso', 'username', 'groups', 'userid'];
const USER_FIELDS = ['userarn', 'username', 'groups', 'userid'];
const SSO_FIELDS: Record<string, keyof AwsAuthSsoMatcher> = {
  permissionsetname: 'permissionSetName',
  accountid: 'accountID',
  partition: 'partition',
};

/** Blank, ``, "" or '' after trimming: treated as empty, no error (§4.1 isSkippable). */
function isSkippable(value: string): boolean {
  const t = value.trim();
  return t === '' || t === '``' || t === '""' || t === "''";
}

const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * Validates a role entry like the authenticator's `RoleMapping.Validate`
 * (§4.3): exactly one of `rolearn` and `sso`; an `sso` matcher needs a
 * 12-digit account id, a valid permission-set name and a known partition.
 * Returns the reason it is invalid, or `undefined` when valid.
 * @internal
 */
export function validateRoleMapping(m: {
  rolearn?: string;
  sso?: Partial<AwsAuthSsoMatcher> | null;
}): string | undefined {
  const hasArn = !!m.rolearn;
  const hasSso = m.sso !== undefined && m.sso !== null;
  if (!hasArn && !hasSso) return 'one of rolearn or SSO must be supplied';
  if (hasArn && hasSso) return 'only one of rolearn or SSO can be supplied';
  if (hasSso) {
    const sso = m.sso!;
    if (sso.partition && !KNOWN_PARTITIONS.includes(sso.partition)) {
      return 'invalid partition';
    }
    if (!/^\d{12}$/.test(sso.accountID ?? '')) {
      return (sso.accountID ?? '').length < 12
        ? 'account id too short'
        : 'account id is not 12 digits';
    }
    if (!PERMISSION_SET_NAME.test(sso.permissionSetName ?? '')) {
      return 'permission set name contains disallowed chars';
    }
  }
  return undefined;
}

/**
 * Validates a user entry like `UserMapping.Validate` (§4.3): `userarn` must
 * not be empty. Returns the reason it is invalid, or `undefined`.
 * @internal
 */
export function validateUserMapping(
  m: Partial<AwsAuthUserMapping>,
): string | undefined {
  return m.userarn ? undefined : 'value for userarn must be supplied';
}

/**
 * The ArnLike pattern an `sso:` entry matches (`RoleMapping.Key`, §4.8),
 * lower-cased. Reproduces the upstream quirk: the partition is only filled
 * in (as `aws`) when none is given, so an explicit partition leaves it empty.
 * @public
 */
export function ssoRolePattern(sso: AwsAuthSsoMatcher): string {
  const partition = sso.partition ? '' : 'aws';
  return `arn:${partition}:iam::${sso.accountID}:role/AWSReservedSSO_${sso.permissionSetName}_*`.toLowerCase();
}

/**
 * The key an entry is stored under (`RoleMapping.Key` / `UserMapping.Key`,
 * §4.5): the lower-cased rolearn or the sso pattern for roles, the exact
 * userarn for users.
 * @internal
 */
export function awsAuthMappingKey(
  m: AwsAuthRoleMapping | AwsAuthUserMapping,
): string {
  if ('userarn' in m) return m.userarn;
  if (m.rolearn) return m.rolearn.toLowerCase();
  return m.sso ? ssoRolePattern(m.sso) : '';
}

/**
 * Whether an entry matches a (lower-cased) canonical ARN, like
 * `RoleMapping.Matches` / `UserMapping.Matches` (§4.4): ARNs compare
 * case-insensitively and are not canonicalized; `sso:` entries only match
 * when the alpha `SSORoleMatch` feature gate is on (it is off on EKS, §4.8).
 * @internal
 */
export function awsAuthMappingMatches(
  m: AwsAuthRoleMapping | AwsAuthUserMapping,
  subject: string,
  options?: { ssoRoleMatchEnabled?: boolean },
): boolean {
  if ('userarn' in m) return equalFold(m.userarn, subject);
  if (m.rolearn) return equalFold(m.rolearn, subject);
  if (m.sso && options?.ssoRoleMatchEnabled) {
    try {
      return arnLike(subject.toLowerCase(), ssoRolePattern(m.sso));
    } catch {
      return false;
    }
  }
  return false;
}

function equalFold(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

type FieldSink = (problem: Omit<AwsAuthProblem, 'key'>) => void;

/**
 * Decodes a JSON value into a Go `string` field like encoding/json: a string
 * is taken, null leaves the field as it was, anything else is a type error
 * that also leaves it as it was.
 */
function decodeString(
  value: GoJsonValue,
  field: string,
  report: FieldSink,
  where: Omit<AwsAuthProblem, 'key' | 'code' | 'message'>,
): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return undefined;
  report({
    ...where,
    code: 'AWS_AUTH_FIELD_TYPE',
    message: `"${field}" must be a text value but is ${describe(
      value,
    )}; EKS ignores it${
      typeof value === 'number' || typeof value === 'boolean'
        ? ' (put it in quotes)'
        : ''
    }${
      value instanceof Map
        ? ' (an unquoted value in braces is a YAML mapping: quote it)'
        : ''
    }`,
  });
  return undefined;
}

function describe(value: GoJsonValue): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Decodes a JSON value into a Go `[]string` like encoding/json: a list
 * replaces the items one by one (an item that is null or not text keeps
 * what was there before, else ""), null empties it, anything else is a type
 * error that keeps the previous list.
 */
function decodeGroups(
  value: GoJsonValue,
  previous: string[] | undefined,
  report: FieldSink,
  where: Omit<AwsAuthProblem, 'key' | 'code' | 'message'>,
): string[] | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) {
    report({
      ...where,
      code: 'AWS_AUTH_FIELD_TYPE',
      message: `"groups" must be a list (one "- group" per line) but is ${describe(
        value,
      )}; EKS ${previous ? 'ignores it' : 'gives this entry no groups'}`,
    });
    return previous;
  }
  return value.map((item, i) => {
    if (typeof item === 'string') {
      if (/\s-\s/.test(item) && /^\S+(\s+-\s+\S+)+$/.test(item)) {
        report({
          ...where,
          code: 'AWS_AUTH_MERGED_GROUPS',
          message: `the group "${item}" looks like several list items merged into one by an indentation slip; EKS reads it as a single group name`,
        });
      }
      return item;
    }
    const kept = previous?.[i] ?? '';
    if (item !== null) {
      report({
        ...where,
        code: 'AWS_AUTH_FIELD_TYPE',
        message: `a group must be text but is ${describe(
          item,
        )}; EKS reads it as ${
          kept
            ? `"${kept}" (the earlier groups list's item)`
            : 'an empty group name'
        }`,
      });
    }
    return kept;
  });
}

interface RawEntry {
  value?: Map<string, GoJsonValue>;
  line?: number;
  isObject: boolean;
}

/**
 * Parses one list-valued data key (mapRoles, mapUsers) as the authenticator
 * does: YAML → JSON (see goYamlToJson.ts), then json.Unmarshal into a list.
 * Returns undefined when nothing of the key loads.
 */
function parseList(
  key: string,
  text: string,
  problems: AwsAuthProblem[],
): RawEntry[] | undefined {
  const converted = goYamlToJson(text);
  if (!converted.ok) {
    const line = converted.line;
    problems.push({
      code: 'AWS_AUTH_PARSE_ERROR',
      key,
      line,
      message: `${key} is not valid YAML (${
        line ? `line ${line}: ` : ''
      }${firstLine(converted.message)}${
        text.includes('\t') ? '; tabs are not allowed for indentation' : ''
      }${
        /invalid map key/.test(converted.message) && text.includes('{{')
          ? '; a value starting with {{ must be quoted'
          : ''
      }); EKS ignores all of ${key}`,
    });
    return undefined;
  }
  reportShadowed(key, converted, problems);
  const value = converted.value;
  if (value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({
      code: 'AWS_AUTH_PARSE_ERROR',
      key,
      line: 1,
      message: `${key} must be a YAML list of entries ("- rolearn: …"), but it is ${
        value instanceof Map ? 'a mapping' : 'a single value'
      }; EKS ignores all of ${key}`,
    });
    return undefined;
  }
  return value.map((item, i) => ({
    value: item instanceof Map ? item : undefined,
    line: converted.itemLines[i],
    isObject: item instanceof Map,
  }));
}

function reportShadowed(
  key: string,
  converted: Extract<ReturnType<typeof goYamlToJson>, { ok: true }>,
  problems: AwsAuthProblem[],
) {
  for (const r of converted.repeatedKeys) {
    problems.push({
      code: 'AWS_AUTH_SHADOWED_DATA',
      key,
      line: r.line,
      message: `${key}${r.line ? ` line ${r.line}` : ''}: the key "${
        r.key
      }" is repeated in the same entry; EKS keeps only the last value`,
    });
  }
  if (converted.ignoredDocuments > 0) {
    problems.push({
      code: 'AWS_AUTH_SHADOWED_DATA',
      key,
      message: `${key} holds ${
        converted.ignoredDocuments + 1
      } YAML documents (separated by "---"); EKS reads only the first and ignores the rest`,
    });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function entryLabel(key: string, index: number, line?: number): string {
  return `${key} entry ${index + 1}${line ? ` (line ${line})` : ''}`;
}

/**
 * Decodes one entry like json.Unmarshal into the Go struct: keys in the
 * order json.Marshal wrote them (byte order), matched to fields
 * case-insensitively; when several keys fill one field the last one wins,
 * unless it is null or of the wrong type.
 */
function decodeFields(
  key: string,
  raw: RawEntry,
  index: number,
  fields: string[],
  problems: AwsAuthProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const where = { entryIndex: index, line: raw.line };
  const report: FieldSink = p =>
    problems.push({
      ...p,
      key,
      message: `${entryLabel(key, index, raw.line)}: ${p.message}`,
    });
  const obj = raw.value ?? new Map<string, GoJsonValue>();
  const spelledAs = new Map<string, string>();
  for (const k of goJsonKeyOrder(obj)) {
    const v = obj.get(k)!;
    const field = goJsonFieldFold(k);
    if (!fields.includes(field)) continue;
    if (k !== field) {
      report({
        ...where,
        code: 'AWS_AUTH_KEY_CASE',
        message: `the key "${k}" should be written "${field}". Current EKS versions accept it, but the authenticator releases v0.5.8 to v0.5.27 ignore it, and then this entry never matches`,
      });
    }
    const earlier = spelledAs.get(field);
    if (earlier !== undefined) {
      report({
        ...where,
        code: 'AWS_AUTH_SHADOWED_DATA',
        message: `"${earlier}" and "${k}" are the same field for EKS (keys are matched ignoring case); it applies them in byte order (capitals first), so "${k}" wins${
          v === null ? ' unless it is empty' : ''
        }`,
      });
    }
    spelledAs.set(field, k);
    if (field === 'groups') {
      out.groups = decodeGroups(
        v,
        out.groups as string[] | undefined,
        report,
        where,
      );
    } else if (field === 'sso') {
      if (v === null) {
        out.sso = undefined;
      } else if (!(v instanceof Map)) {
        report({
          ...where,
          code: 'AWS_AUTH_FIELD_TYPE',
          message: `"sso" must be a mapping but is ${describe(v)}`,
        });
      } else {
        // A pointer to a struct: a second "sso" fills the same struct.
        const sso: Partial<AwsAuthSsoMatcher> = {
          ...(out.sso as Partial<AwsAuthSsoMatcher> | undefined),
        };
        for (const sk of goJsonKeyOrder(v)) {
          const folded = goJsonFieldFold(sk);
          if (!Object.prototype.hasOwnProperty.call(SSO_FIELDS, folded)) {
            continue;
          }
          const f = SSO_FIELDS[folded];
          const s = decodeString(v.get(sk)!, `sso.${f}`, report, where);
          if (s !== undefined) sso[f] = s;
        }
        out.sso = sso;
      }
    } else {
      const s = decodeString(v, field, report, where);
      if (s !== undefined) out[field] = s;
    }
  }
  return out;
}

/**
 * Parses the `data` of the aws-auth ConfigMap the way the current
 * aws-iam-authenticator does (eks-auth-spec §4.1–§4.3, §4.5, §4.8):
 *
 * - only the case-sensitive keys `mapRoles`, `mapUsers`, `mapAccounts` are read;
 * - a value that is not valid YAML, or not a list, is dropped whole;
 * - entry keys are case-insensitive; a field of the wrong type is ignored;
 * - entries that fail validation are dropped one by one;
 * - `mapAccounts` items keep their literal text.
 *
 * Everything dropped or suspicious is listed in `problems`.
 * @public
 */
export function parseAwsAuth(
  data: Record<string, string> | undefined,
): ParsedAwsAuth {
  const result: ParsedAwsAuth = {
    mapRoles: [],
    mapUsers: [],
    mapAccounts: [],
    problems: [],
  };
  if (!data) return result;
  const problems = result.problems;

  for (const k of Object.keys(data)) {
    const exact = TOP_KEYS.find(t => t.toLowerCase() === k.toLowerCase());
    if (exact && exact !== k) {
      problems.push({
        code: 'AWS_AUTH_KEY_CASE',
        key: k,
        message: `the data key "${k}" is ignored by EKS: keys are case-sensitive and it must be written "${exact}"${
          data[exact] === undefined ? `, so nothing in it is loaded` : ''
        }`,
      });
    }
  }

  const roles = data.mapRoles;
  if (typeof roles === 'string' && !isSkippable(roles)) {
    const raw = parseList('mapRoles', roles, problems);
    raw?.forEach((r, i) => {
      const f = r.isObject
        ? decodeFields('mapRoles', r, i, ROLE_FIELDS, problems)
        : {};
      const sso = f.sso as Partial<AwsAuthSsoMatcher> | undefined;
      const reason = r.isObject
        ? validateRoleMapping({ rolearn: f.rolearn as string, sso })
        : 'an entry must be a mapping with rolearn, username and groups';
      if (reason) {
        problems.push({
          code: 'AWS_AUTH_ENTRY_INVALID',
          key: 'mapRoles',
          entryIndex: i,
          line: r.line,
          message: `${entryLabel(
            'mapRoles',
            i,
            r.line,
          )} is ignored by EKS: ${reason}`,
        });
        return;
      }
      const m = {} as AwsAuthRoleMapping;
      if (f.rolearn) m.rolearn = f.rolearn as string;
      if (sso) {
        m.sso = {
          permissionSetName: sso.permissionSetName!,
          accountID: sso.accountID!,
        };
        if (sso.partition) m.sso.partition = sso.partition;
        problems.push({
          code: 'AWS_AUTH_SSO_MATCHER',
          key: 'mapRoles',
          entryIndex: i,
          line: r.line,
          message: `${entryLabel(
            'mapRoles',
            i,
            r.line,
          )} uses an "sso:" matcher. It is an alpha feature that is off by default and EKS does not document it, so EKS ignores this entry`,
        });
      }
      m.username = (f.username as string) ?? '';
      m.groups = (f.groups as string[]) ?? [];
      if (f.userid) m.userid = f.userid as string;
      result.mapRoles.push(m);
    });
  }

  const users = data.mapUsers;
  if (typeof users === 'string' && !isSkippable(users)) {
    const raw = parseList('mapUsers', users, problems);
    raw?.forEach((r, i) => {
      const f = r.isObject
        ? decodeFields('mapUsers', r, i, USER_FIELDS, problems)
        : {};
      const reason = r.isObject
        ? validateUserMapping({ userarn: f.userarn as string })
        : 'an entry must be a mapping with userarn, username and groups';
      if (reason) {
        problems.push({
          code: 'AWS_AUTH_ENTRY_INVALID',
          key: 'mapUsers',
          entryIndex: i,
          line: r.line,
          message: `${entryLabel(
            'mapUsers',
            i,
            r.line,
          )} is ignored by EKS: ${reason}`,
        });
        return;
      }
      const m: AwsAuthUserMapping = {
        userarn: f.userarn as string,
        username: (f.username as string) ?? '',
        groups: (f.groups as string[]) ?? [],
      };
      if (f.userid) m.userid = f.userid as string;
      result.mapUsers.push(m);
    });
  }

  const accounts = data.mapAccounts;
  if (typeof accounts === 'string' && !isSkippable(accounts)) {
    result.mapAccounts = parseAccounts(accounts, problems);
  }

  findDuplicates(result);
  return result;
}

/**
 * mapAccounts is decoded by yaml.v2 straight into []string (no JSON step):
 * only the first document counts, scalars keep their literal text, other
 * items are skipped.
 */
function parseAccounts(text: string, problems: AwsAuthProblem[]): string[] {
  const first = parseFirstYamlDocument(text);
  if (!first.ok) {
    problems.push({
      code: 'AWS_AUTH_PARSE_ERROR',
      key: 'mapAccounts',
      line: first.line,
      message: `mapAccounts is not valid YAML (line ${first.line}: ${
        first.message
      }${
        text.includes('\t') ? '; tabs are not allowed for indentation' : ''
      }); EKS ignores all of mapAccounts`,
    });
    return [];
  }
  const { doc, lineCounter, documentCount } = first;
  if (!doc) return [];
  if (documentCount > 1) {
    problems.push({
      code: 'AWS_AUTH_SHADOWED_DATA',
      key: 'mapAccounts',
      message: `mapAccounts holds ${documentCount} YAML documents (separated by "---"); EKS reads only the first and ignores the rest`,
    });
  }
  const contents = doc.contents as YamlNode | null;
  if (contents === null) return [];
  if (!isSeq(contents)) {
    if (isScalar(contents) && isYamlNull(contents)) return [];
    problems.push({
      code: 'AWS_AUTH_PARSE_ERROR',
      key: 'mapAccounts',
      line: 1,
      message:
        'mapAccounts must be a YAML list of account ids ("- \\"111122223333\\""); EKS ignores all of mapAccounts',
    });
    return [];
  }
  const unknownAlias = contents.items.find(
    item => isAlias(item) && !item.resolve(doc),
  );
  if (isAlias(unknownAlias)) {
    problems.push({
      code: 'AWS_AUTH_PARSE_ERROR',
      key: 'mapAccounts',
      message: `mapAccounts refers to the unknown anchor "${unknownAlias.source}"; EKS ignores all of mapAccounts`,
    });
    return [];
  }
  const out: string[] = [];
  contents.items.forEach((item, i) => {
    const node = (isAlias(item) ? item.resolve(doc) ?? item : item) as YamlNode;
    if (isScalar(node)) {
      const literal = isYamlNull(node) ? '' : String(node.value);
      out.push(
        node.tag === 'tag:yaml.org,2002:binary'
          ? decodeBinary(literal)
          : literal,
      );
    } else {
      const line = node?.range
        ? lineCounter.linePos(node.range[0]).line
        : undefined;
      problems.push({
        code: 'AWS_AUTH_ENTRY_INVALID',
        key: 'mapAccounts',
        entryIndex: i,
        line,
        message: `${entryLabel(
          'mapAccounts',
          i,
          line,
        )} is ignored by EKS: an account must be a single value such as "111122223333"`,
      });
    }
  });
  return out;
}

function isYamlNull(node: { value: unknown; type?: string }): boolean {
  return (
    node.type === 'PLAIN' &&
    ['', '~', 'null', 'Null', 'NULL'].includes(String(node.value))
  );
}

function findDuplicates(parsed: ParsedAwsAuth) {
  const seen = new Map<string, string>();
  const note = (arn: string, section: string) => {
    const k = arn.toLowerCase();
    const prev = seen.get(k);
    if (prev !== undefined) {
      parsed.problems.push({
        code: 'AWS_AUTH_DUPLICATE_ARN',
        key: section,
        message:
          prev === arn
            ? `aws-auth maps ${arn} more than once; only the last entry counts`
            : `aws-auth maps ${prev} and ${arn}, which differ only in case; EKS treats them as the same principal and uses one of the entries unpredictably`,
      });
    }
    seen.set(k, arn);
  };
  parsed.mapRoles.forEach(r => r.rolearn && note(r.rolearn, 'mapRoles'));
  parsed.mapUsers.forEach(u => note(u.userarn, 'mapUsers'));
}

/**
 * The entries to write into aws-auth.
 * @public
 */
export interface AwsAuthEntries {
  mapRoles?: AwsAuthRoleMapping[];
  mapUsers?: AwsAuthUserMapping[];
  mapAccounts?: string[];
}

function roleToPlain(m: AwsAuthRoleMapping): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (m.rolearn) o.rolearn = m.rolearn;
  if (m.sso) {
    const sso: Record<string, string> = {
      permissionSetName: m.sso.permissionSetName,
      accountID: m.sso.accountID,
    };
    if (m.sso.partition) sso.partition = m.sso.partition;
    o.sso = sso;
  }
  o.username = m.username;
  o.groups = [...m.groups];
  if (m.userid) o.userid = m.userid;
  return o;
}

function userToPlain(m: AwsAuthUserMapping): Record<string, unknown> {
  const o: Record<string, unknown> = {
    userarn: m.userarn,
    username: m.username,
    groups: [...m.groups],
  };
  if (m.userid) o.userid = m.userid;
  return o;
}

function toYaml(value: unknown): string {
  const doc = new YamlDocument(value, { version: '1.1' });
  // Quote every text that yaml.v2 would not read back as that text (y, 0o17,
  // 1e3, …): the YAML 1.1 rules of the `yaml` package differ from yaml.v2's.
  visit(doc, {
    Scalar(_key, node) {
      if (
        typeof node.value === 'string' &&
        resolvePlainScalarLikeYamlV2(node.value) !== node.value
      ) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({
    indentSeq: false,
    lineWidth: 0,
    minContentWidth: 0,
  });
}

/**
 * Serializes aws-auth entries into ConfigMap `data` values, in the layout
 * the authenticator's `EncodeMap` writes (field order rolearn/sso/username/
 * groups, lists not indented). Keys whose list is empty are left out. Strings
 * that YAML 1.1 would read as something else are quoted, so
 * `parseAwsAuth(serializeAwsAuthEntries(x))` gives `x` back.
 * @public
 */
export function serializeAwsAuthEntries(
  entries: AwsAuthEntries,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (entries.mapRoles?.length) {
    out.mapRoles = toYaml(entries.mapRoles.map(roleToPlain));
  }
  if (entries.mapUsers?.length) {
    out.mapUsers = toYaml(entries.mapUsers.map(userToPlain));
  }
  if (entries.mapAccounts?.length) {
    out.mapAccounts = toYaml([...entries.mapAccounts]);
  }
  return out;
}

/**
 * Adds entries to an existing aws-auth `data` without rewriting what is
 * there: the new entries are appended as text to the end of the list, so
 * comments and formatting stay. Refuses (throws an Error) when a key to
 * change cannot be parsed, is not a list, has a wrong-case twin key, or when
 * the result would not load back as exactly the old entries plus the new ones.
 * Other keys are returned unchanged.
 * @public
 */
export function appendAwsAuthEntries(
  data: Record<string, string> | undefined,
  additions: AwsAuthEntries,
): Record<string, string> {
  const current = data ?? {};
  const before = parseAwsAuth(current);
  const blocking = before.problems.filter(
    p => p.code === 'AWS_AUTH_PARSE_ERROR' || p.code === 'AWS_AUTH_KEY_CASE',
  );
  const touched = TOP_KEYS.filter(k => additions[k]?.length);
  for (const key of touched) {
    const bad = blocking.find(
      p => p.key.toLowerCase() === key.toLowerCase() && !p.entryIndex,
    );
    if (bad) {
      throw new Error(
        `Refusing to change aws-auth ${key}: ${bad.message}. Fix it by hand first.`,
      );
    }
  }
  const serialized = serializeAwsAuthEntries(additions);
  const next: Record<string, string> = { ...current };
  for (const key of touched) {
    const existing = current[key];
    if (existing === undefined || isSkippable(existing)) {
      next[key] = serialized[key];
    } else {
      next[key] = `${existing.replace(/\s*$/, '')}\n${serialized[key]}`;
    }
  }
  const expected = {
    mapRoles: [...before.mapRoles, ...(additions.mapRoles ?? [])],
    mapUsers: [...before.mapUsers, ...(additions.mapUsers ?? [])],
    mapAccounts: [...before.mapAccounts, ...(additions.mapAccounts ?? [])],
  };
  if (!awsAuthLoadsBackAs(next, expected)) {
    throw new Error(
      'Refusing to change aws-auth: the result would not load back as the existing entries plus the new ones.',
    );
  }
  return next;
}

/** JSON with object keys sorted, for order-insensitive comparison. */
/**
 * Whether edited aws-auth data parses back to exactly these entries (key
 * order aside): the guard every writer of aws-auth runs before it writes,
 * so that an edit never changes another entry by accident.
 * @public
 */
export function awsAuthLoadsBackAs(
  data: Record<string, string>,
  expected: AwsAuthEntries,
): boolean {
  const after = parseAwsAuth(data);
  return (
    stableJson({
      mapRoles: expected.mapRoles ?? [],
      mapUsers: expected.mapUsers ?? [],
      mapAccounts: expected.mapAccounts ?? [],
    }) ===
    stableJson({
      mapRoles: after.mapRoles,
      mapUsers: after.mapUsers,
      mapAccounts: after.mapAccounts,
    })
  );
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/**
 * Whether an ARN written in aws-auth can never match a caller because it is
 * an STS assumed-role (session) ARN or names a role with a path (§3, §4.4).
 * @public
 */
export function awsAuthArnProblem(
  arn: string,
): 'session-arn' | 'role-path' | undefined {
  try {
    const c = canonicalizeArnWithKind(arn);
    if (c.kind === 'assumed-role') return 'session-arn';
    if (c.kind === 'role' && c.parsed.resource.split('/').length > 2) {
      return 'role-path';
    }
  } catch {
    return undefined;
  }
  return undefined;
}
