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
 * The admin's overview of one cluster: every way in (access entries,
 * aws-auth roles, users and accounts, the hidden CONFIG_MAP creator), with
 * username, groups, policies and where it comes from, and the hygiene
 * findings. Read through the evaluator's index, so what counts is what EKS
 * loads. Pure: no I/O.
 */

import { parseSsoRoleName, roleNameOf, stripArnPath } from '../evaluator/arn';
import { awsAuthArnProblem } from '../evaluator/awsAuth';
import { accessEntryKey, indexClusterAccess } from '../evaluator/clusterIndex';
import { defaultAccessEntryUsername } from '../evaluator/decision';
import type { ClusterAccessData } from '../evaluator/types';

/** One way into a cluster. @public */
export interface AccessOverviewRow {
  cluster: string;
  accountId: string;
  region: string;
  mode: ClusterAccessData['authenticationMode'];
  /** IAM principal ARN, or the account id for `aws-auth-account`. */
  principal: string;
  source:
    | 'access-entry'
    | 'aws-auth-role'
    | 'aws-auth-user'
    | 'aws-auth-account'
    | 'cluster-creator';
  /** Entry type for access entries (`STANDARD`, `EC2_LINUX`...). */
  type?: string;
  /** The username template as stored (EKS's default filled in for entries). */
  username: string;
  groups: string[];
  accessPolicies: string[];
  /** Set when EKS ignores this way in: an access entry for the same principal wins, or the mode ignores it. */
  shadowedBy?: string;
}

/** Stable codes of the overview's hygiene findings. @public */
export type HygieneCode =
  | 'STALE_PRINCIPAL'
  | 'SSO_SUFFIX_GONE'
  | 'AWS_AUTH_PROBLEM'
  | 'ADMITS_NOBODY'
  | 'SHADOWED'
  | 'CONFIG_MAP_MODE';

/** One hygiene finding, about one cluster. @public */
export interface HygieneFinding {
  code: HygieneCode;
  cluster: string;
  /** The principal, account or aws-auth key concerned. */
  subject: string;
  message: string;
}

/** The overview of one cluster. @public */
export interface ClusterAccessOverview {
  rows: AccessOverviewRow[];
  hygiene: HygieneFinding[];
}

const policyName = (arn: string) => arn.split('/').pop() ?? arn;

/**
 * One cluster of the fleet overview (`GET /overview`), with its migration
 * verdict.
 *
 * @public
 */
export interface AccessOverviewCluster {
  entityRef: string;
  name: string;
  accountId: string;
  region: string;
  mode?: string;
  /** "Equivalent for all N principals" or "K of N principals would change"; absent in API mode. */
  migration?: { equivalent: boolean; summary: string; blockers: number };
  /** Set when some of the cluster's data could not be read. */
  error?: string;
}

/**
 * The answer of `GET /overview`: the clusters, and every way in and every
 * hygiene finding of all of them, each tagged with its cluster's entity ref.
 *
 * @public
 */
export interface AccessOverview {
  clusters: AccessOverviewCluster[];
  rows: (AccessOverviewRow & { entityRef: string })[];
  hygiene: (HygieneFinding & { entityRef: string })[];
}

/** What IAM says about one principal, for the stale findings. @public */
export interface IamPrincipalFacts {
  exists: boolean;
  /** ISO 8601: when the principal IAM has now was created. */
  createdAt?: string;
}

/**
 * Every way into `cluster`, and its hygiene findings. `iamPrincipals` (full
 * IAM ARNs), when known, tells stale principals apart: every principal not
 * in it is stale. `iamPrincipalFacts` does so one principal at a time
 * (`undefined`: not looked up, nothing is said), and also finds access
 * entries older than the principal they name: the principal was deleted and
 * created again, and EKS ties an entry to the principal it was made for.
 * @public
 */
export function clusterAccessOverview(
  cluster: ClusterAccessData,
  options: {
    iamPrincipals?: readonly string[];
    iamPrincipalFacts?: (arn: string) => IamPrincipalFacts | undefined;
  } = {},
): ClusterAccessOverview {
  const index = indexClusterAccess(cluster);
  const c = index.cluster;
  const mode = c.authenticationMode;
  const rows: AccessOverviewRow[] = [];
  const hygiene: HygieneFinding[] = [];
  const base = {
    cluster: c.name,
    accountId: c.accountId,
    region: c.region,
    mode,
  };
  const iam = options.iamPrincipals
    ? new Set(options.iamPrincipals.map(a => stripArnPath(a).toLowerCase()))
    : undefined;
  const finding = (code: HygieneCode, subject: string, message: string) =>
    hygiene.push({ code, cluster: c.name, subject, message });
  const checkExists = (arn: string, entryCreatedAt?: string) => {
    const key = accessEntryKey(arn);
    if (!key) return;
    const facts =
      options.iamPrincipalFacts?.(arn) ??
      (iam ? { exists: iam.has(key) } : undefined);
    if (!facts) return;
    if (facts.exists) {
      if (
        entryCreatedAt &&
        facts.createdAt &&
        Date.parse(facts.createdAt) > Date.parse(entryCreatedAt)
      ) {
        finding(
          'STALE_PRINCIPAL',
          arn,
          `${arn} was created again (${facts.createdAt}) after its access entry (${entryCreatedAt}): EKS ties the entry to the principal it was made for, so the new one is not admitted. Delete the entry and create it again.`,
        );
      }
      return;
    }
    const sso = parseSsoRoleName(roleNameOf(arn)?.name ?? '');
    if (sso) {
      finding(
        'SSO_SUFFIX_GONE',
        arn,
        `${arn} names IAM Identity Center permission set ${sso.permissionSetName} with a suffix that no longer exists: the set was provisioned again.`,
      );
    } else {
      finding('STALE_PRINCIPAL', arn, `${arn} no longer exists in IAM.`);
    }
  };

  if (mode === 'CONFIG_MAP') {
    finding(
      'CONFIG_MAP_MODE',
      c.name,
      `${c.name} still uses only aws-auth (CONFIG_MAP), which AWS deprecates: preview its migration to access entries.`,
    );
    if (c.creatorArn) {
      rows.push({
        ...base,
        principal: c.creatorArn,
        source: 'cluster-creator',
        username: 'kubernetes-admin',
        groups: ['system:masters'],
        accessPolicies: [],
      });
    }
  }

  const entryKeys = new Set<string>();
  if (mode !== 'CONFIG_MAP') {
    for (const e of index.accessEntries ?? []) {
      const key = accessEntryKey(e.principalArn);
      const type = (e.type || 'STANDARD').toUpperCase();
      rows.push({
        ...base,
        principal: e.principalArn,
        source: 'access-entry',
        type,
        username:
          e.username ??
          defaultAccessEntryUsername(type, e.principalArn, {
            partition: c.partition,
            accountId: e.principalArn.split(':')[4] ?? c.accountId,
          }),
        groups: e.kubernetesGroups ?? [],
        accessPolicies: (e.accessPolicies ?? []).map(p =>
          policyName(p.policyArn),
        ),
      });
      if (!key) {
        finding(
          'ADMITS_NOBODY',
          e.principalArn,
          `The access entry for ${e.principalArn} can never match: it names an STS session, not a role or user.`,
        );
        continue;
      }
      entryKeys.add(key);
      checkExists(e.principalArn, e.createdAt);
    }
  }

  const awsAuthShadow = mode === 'API' ? 'authentication mode API' : undefined;
  const mappings = [
    ...[...index.awsAuthRolesByArn.values()],
    ...[...index.awsAuthUsersByArn.entries()]
      .filter(([k]) => !index.awsAuthRolesByArn.has(k))
      .map(([, e]) => e),
  ];
  for (const m of mappings) {
    const problem = awsAuthArnProblem(m.arn);
    let key: string | undefined;
    try {
      key = stripArnPath(m.arn).toLowerCase();
    } catch {
      key = undefined;
    }
    const shadowedBy =
      awsAuthShadow ??
      (key && entryKeys.has(key) ? `access entry for ${m.arn}` : undefined) ??
      (key && key === index.creatorKey && mode === 'CONFIG_MAP'
        ? 'the cluster creator'
        : undefined);
    rows.push({
      ...base,
      principal: m.arn,
      source: m.section === 'mapRoles' ? 'aws-auth-role' : 'aws-auth-user',
      username: m.mapping.username,
      groups: m.mapping.groups,
      accessPolicies: [],
      ...(shadowedBy ? { shadowedBy } : {}),
    });
    if (problem) {
      finding(
        'ADMITS_NOBODY',
        m.arn,
        `aws-auth maps ${m.arn}, which never matches (${
          problem === 'role-path' ? 'a role ARN with a path' : 'a session ARN'
        }).`,
      );
    } else if (shadowedBy && !awsAuthShadow) {
      finding(
        'SHADOWED',
        m.arn,
        `aws-auth maps ${m.arn}, but ${shadowedBy} takes precedence: the mapping's username and groups do not apply.`,
      );
    }
    if (!problem) checkExists(m.arn);
  }
  for (const account of index.awsAuth.mapAccounts) {
    rows.push({
      ...base,
      principal: account,
      source: 'aws-auth-account',
      username: '(the caller ARN)',
      groups: [],
      accessPolicies: [],
      ...(awsAuthShadow ? { shadowedBy: awsAuthShadow } : {}),
    });
  }
  if (mode !== 'API') {
    for (const p of index.awsAuth.problems) {
      finding('AWS_AUTH_PROBLEM', p.key, `aws-auth ${p.key}: ${p.message}.`);
    }
  }
  return { rows, hygiene };
}

const CSV_COLUMNS: (keyof AccessOverviewRow)[] = [
  'cluster',
  'accountId',
  'region',
  'mode',
  'principal',
  'source',
  'type',
  'username',
  'groups',
  'accessPolicies',
  'shadowedBy',
];

/** A CSV cell; a leading `=`, `+`, `-`, `@` is quoted so spreadsheets do not run it. */
function csvCell(value: unknown): string {
  const text = Array.isArray(value) ? value.join(' ') : String(value ?? '');
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The overview's rows as CSV (RFC 4180), one header line. @public */
export function accessOverviewCsv(rows: readonly AccessOverviewRow[]): string {
  return [
    CSV_COLUMNS.join(','),
    ...rows.map(r => CSV_COLUMNS.map(col => csvCell(r[col])).join(',')),
  ].join('\r\n');
}
