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
  canonicalizeArnWithKind,
  parseSsoRoleName,
  partitionForRegion,
  roleNameOf,
  stripArnPath,
} from './arn';
import {
  AwsAuthProblem,
  AwsAuthRoleMapping,
  AwsAuthUserMapping,
  awsAuthArnProblem,
  parseAwsAuth,
  ParsedAwsAuth,
} from './awsAuth';
import { reason, type DecisionReason } from './decision';
import { explainReason } from './explanation';
import type { FixCluster } from './fixes';
import type {
  AccessEntryInfo,
  AuthenticationMode,
  ClusterAccessData,
  Finding,
} from './types';

/**
 * An aws-auth entry as indexed: the ARN it names, the list it is in and the
 * entry itself.
 * @public
 */
export interface IndexedAwsAuthEntry {
  arn: string;
  section: 'mapRoles' | 'mapUsers';
  mapping: AwsAuthRoleMapping | AwsAuthUserMapping;
}

/**
 * One cluster's access data, parsed and indexed once so many callers can be
 * evaluated against it quickly (see {@link indexClusterAccess}). Treat it as
 * opaque and immutable; build a new one when the cluster's data changes.
 * @public
 */
export interface ClusterAccessIndex {
  readonly kind: 'eks-access-cluster-index';
  readonly cluster: {
    readonly name: string;
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    readonly authenticationMode: AuthenticationMode;
    readonly creatorArn?: string;
  };
  /** `undefined` when the access entries could not be read. */
  readonly accessEntries?: readonly AccessEntryInfo[];
  /** `unavailable`: could not be read; `absent`: the ConfigMap does not exist. */
  readonly awsAuthState: 'ok' | 'absent' | 'unavailable';
  /** The parsed aws-auth (empty when absent or unavailable). */
  readonly awsAuth: ParsedAwsAuth;
  /** Findings about the cluster's data, independent of any caller. */
  readonly clusterFindings: readonly Finding[];
  /** The subset of clusterFindings every evaluation reports (they affect everyone). */
  readonly sharedFindings: readonly Finding[];
  /** Access entries by lower-cased path-stripped principal ARN. */
  readonly accessEntriesByArn: ReadonlyMap<string, AccessEntryInfo>;
  /** aws-auth mapRoles by lower-cased rolearn (the last entry wins, §4.5). */
  readonly awsAuthRolesByArn: ReadonlyMap<string, IndexedAwsAuthEntry>;
  /** aws-auth mapUsers by lower-cased userarn (the last entry wins). */
  readonly awsAuthUsersByArn: ReadonlyMap<string, IndexedAwsAuthEntry>;
  /** aws-auth entries that name a role with a path, by lower-cased path-stripped ARN. */
  readonly awsAuthPathEntries: ReadonlyMap<string, IndexedAwsAuthEntry[]>;
  /** aws-auth entries with an assumed-role session ARN, by lower-cased canonical ARN. */
  readonly awsAuthSessionEntries: ReadonlyMap<string, IndexedAwsAuthEntry[]>;
  /** aws-auth entries naming an IAM Identity Center role, by lower-cased `arn:…:role/AWSReservedSSO_<PermissionSet>`. */
  readonly awsAuthSsoEntries: ReadonlyMap<string, IndexedAwsAuthEntry[]>;
  /** aws-auth `sso:` matchers, by lower-cased `arn:<p>:iam::<acct>:role/AWSReservedSSO_<PermissionSet>`. */
  readonly awsAuthSsoMatchers: ReadonlyMap<string, AwsAuthRoleMapping[]>;
  readonly awsAuthAccounts: ReadonlySet<string>;
  /** Lower-cased canonical ARN of the creator, when known. */
  readonly creatorKey?: string;
}

/** Lower-cased `arn:<p>:iam::<acct>:role/AWSReservedSSO_<PS>` for an SSO role ARN. */
export function ssoFamilyKey(arn: string): string | undefined {
  let stripped: string;
  try {
    stripped = stripArnPath(arn);
  } catch {
    return undefined;
  }
  const role = roleNameOf(stripped);
  if (!role) return undefined;
  const sso = parseSsoRoleName(role.name);
  if (!sso) return undefined;
  const prefix = stripped.slice(0, stripped.length - role.name.length);
  return `${prefix}AWSReservedSSO_${sso.permissionSetName}`.toLowerCase();
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function safeLowerCanonicalKey(arn: string): string | undefined {
  try {
    return stripArnPath(
      canonicalizeArnWithKind(arn).canonicalArn,
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The key the evaluator looks an access entry up by: its principal ARN
 * without a role path, lower-cased. `undefined` for ARNs no caller can ever
 * match (STS session ARNs, invalid ARNs). Lets a caller find its candidate
 * entries from the list of principals alone, before reading any entry.
 * @public
 */
export function accessEntryKey(principalArn: string): string | undefined {
  let kind;
  try {
    kind = canonicalizeArnWithKind(principalArn).kind;
  } catch {
    return undefined;
  }
  if (kind === 'assumed-role' || kind === 'federated-user') return undefined;
  return stripArnPath(principalArn).toLowerCase();
}

/**
 * The key of the access entry EKS would match for a caller ARN (an
 * assumed-role session maps to its role, without path), lower-cased;
 * `undefined` for an invalid ARN.
 * @public
 */
export function callerAccessEntryKey(callerArn: string): string | undefined {
  return safeLowerCanonicalKey(callerArn.trim());
}

function indexAccessEntries(
  entries: readonly AccessEntryInfo[] | undefined,
  fixCluster: FixCluster,
): {
  accessEntriesByArn: Map<string, AccessEntryInfo>;
  entryFindings: Finding[];
} {
  const accessEntriesByArn = new Map<string, AccessEntryInfo>();
  const entryFindings: Finding[] = [];
  for (const entry of entries ?? []) {
    const key = accessEntryKey(entry.principalArn);
    if (key === undefined) {
      entryFindings.push(
        explainReason(
          reason('ACCESS_ENTRY_UNMATCHABLE', 'warning', {
            principalArn: entry.principalArn,
          }),
          { cluster: fixCluster },
        ),
      );
      continue;
    }
    if (!accessEntriesByArn.has(key)) accessEntriesByArn.set(key, entry);
    const standard = (entry.type || 'STANDARD').toUpperCase() === 'STANDARD';
    if (
      standard &&
      !entry.accessPolicies?.length &&
      !entry.kubernetesGroups?.length
    ) {
      entryFindings.push(
        explainReason(
          reason('ACCESS_ENTRY_NO_PERMISSIONS', 'warning', {
            scope: 'cluster',
            principalArn: entry.principalArn,
          }),
          { cluster: fixCluster },
        ),
      );
    }
  }

  return { accessEntriesByArn, entryFindings };
}

const ACCESS_ENTRY_FINDINGS = new Set([
  'ACCESS_ENTRY_UNMATCHABLE',
  'ACCESS_ENTRY_NO_PERMISSIONS',
]);

/**
 * The same index with other access entries: the aws-auth part (parsed once,
 * the expensive part) is shared. Lets the backend index a snapshot once and
 * add the few entries a caller can match, read lazily; `undefined` entries
 * mean they could not be read (the evaluator answers `unknown`).
 * @public
 */
export function withAccessEntries(
  index: ClusterAccessIndex,
  entries: readonly AccessEntryInfo[] | undefined,
): ClusterAccessIndex {
  const c = index.cluster;
  const { accessEntriesByArn, entryFindings } = indexAccessEntries(entries, {
    name: c.name,
    region: c.region,
    accountId: c.accountId,
    partition: c.partition,
    authenticationMode: c.authenticationMode,
  });
  return {
    ...index,
    accessEntries: entries,
    accessEntriesByArn,
    clusterFindings: [
      ...index.clusterFindings.filter(f => !ACCESS_ENTRY_FINDINGS.has(f.code)),
      ...(c.authenticationMode !== 'CONFIG_MAP' ? entryFindings : []),
    ],
  };
}

/**
 * Parses aws-auth and indexes one cluster's access data by lower-cased
 * canonical ARN, once. Pass the result as `cluster` to
 * {@link evaluateAccess} to evaluate many callers against the same snapshot
 * without parsing again.
 * @public
 */
export function indexClusterAccess(
  cluster: ClusterAccessData,
): ClusterAccessIndex {
  const mode = cluster.authenticationMode ?? 'CONFIG_MAP';
  const fixCluster: FixCluster = {
    name: cluster.name,
    region: cluster.region,
    accountId: cluster.accountId,
    partition: partitionForRegion(cluster.region),
    authenticationMode: mode,
  };
  let awsAuthState: ClusterAccessIndex['awsAuthState'] = 'ok';
  if (cluster.awsAuth === undefined) awsAuthState = 'unavailable';
  else if (cluster.awsAuth === null) awsAuthState = 'absent';
  const awsAuth = parseAwsAuth(
    cluster.awsAuth ? cluster.awsAuth.data : undefined,
  );

  const { accessEntriesByArn, entryFindings } = indexAccessEntries(
    cluster.accessEntries,
    fixCluster,
  );

  const awsAuthRolesByArn = new Map<string, IndexedAwsAuthEntry>();
  const awsAuthUsersByArn = new Map<string, IndexedAwsAuthEntry>();
  const awsAuthPathEntries = new Map<string, IndexedAwsAuthEntry[]>();
  const awsAuthSessionEntries = new Map<string, IndexedAwsAuthEntry[]>();
  const awsAuthSsoEntries = new Map<string, IndexedAwsAuthEntry[]>();
  const awsAuthSsoMatchers = new Map<string, AwsAuthRoleMapping[]>();
  const arnFindings: Finding[] = [];

  const indexArn = (e: IndexedAwsAuthEntry) => {
    const problem = awsAuthArnProblem(e.arn);
    if (problem === 'role-path') {
      const key = stripArnPath(e.arn).toLowerCase();
      pushTo(awsAuthPathEntries, key, e);
      arnFindings.push(
        explainReason(
          reason('AWS_AUTH_ROLE_ARN_HAS_PATH', 'warning', {
            scope: 'cluster',
            mapped: e,
            correctArn: stripArnPath(e.arn),
          }),
          { cluster: fixCluster },
        ),
      );
    } else if (problem === 'session-arn') {
      const key = safeLowerCanonicalKey(e.arn)!;
      pushTo(awsAuthSessionEntries, key, e);
      const canonical = canonicalizeArnWithKind(e.arn).canonicalArn;
      arnFindings.push(
        explainReason(
          reason('AWS_AUTH_SESSION_ARN', 'warning', {
            scope: 'cluster',
            mapped: e,
            correctArn: canonical,
          }),
          { cluster: fixCluster },
        ),
      );
    }
    const family = ssoFamilyKey(e.arn);
    if (family) pushTo(awsAuthSsoEntries, family, e);
  };

  awsAuth.mapRoles.forEach(m => {
    if (m.rolearn) {
      const e: IndexedAwsAuthEntry = {
        arn: m.rolearn,
        section: 'mapRoles',
        mapping: m,
      };
      awsAuthRolesByArn.set(m.rolearn.toLowerCase(), e);
      indexArn(e);
    } else if (m.sso) {
      const partition = m.sso.partition || 'aws';
      pushTo(
        awsAuthSsoMatchers,
        `arn:${partition}:iam::${m.sso.accountID}:role/AWSReservedSSO_${m.sso.permissionSetName}`.toLowerCase(),
        m,
      );
    }
  });
  awsAuth.mapUsers.forEach(m => {
    const e: IndexedAwsAuthEntry = {
      arn: m.userarn,
      section: 'mapUsers',
      mapping: m,
    };
    awsAuthUsersByArn.set(m.userarn.toLowerCase(), e);
    indexArn(e);
  });

  const usesAwsAuth = mode !== 'API';
  const problemFindings = awsAuth.problems.map(p =>
    explainReason(problemReason(p), { cluster: fixCluster }),
  );
  const sharedCodes = new Set([
    'AWS_AUTH_PARSE_ERROR',
    'AWS_AUTH_ENTRY_INVALID',
    'AWS_AUTH_KEY_CASE',
    'AWS_AUTH_FIELD_TYPE',
    'AWS_AUTH_MERGED_GROUPS',
    'AWS_AUTH_SHADOWED_DATA',
  ]);
  const sharedFindings = usesAwsAuth
    ? problemFindings.filter(f => sharedCodes.has(f.code))
    : [];

  const allFindings: Finding[] = [];
  if (usesAwsAuth) {
    allFindings.push(...problemFindings, ...arnFindings);
  } else {
    const count =
      awsAuth.mapRoles.length +
      awsAuth.mapUsers.length +
      awsAuth.mapAccounts.length;
    if (count > 0) {
      allFindings.push(
        explainReason(
          reason('AWS_AUTH_IGNORED_IN_API_MODE', 'info', {
            scope: 'cluster',
            mappingCount: count,
          }),
          { cluster: fixCluster },
        ),
      );
    }
  }
  if (mode !== 'CONFIG_MAP') allFindings.push(...entryFindings);

  let creatorKey: string | undefined;
  if (cluster.creatorArn)
    creatorKey = safeLowerCanonicalKey(cluster.creatorArn);

  return {
    kind: 'eks-access-cluster-index',
    cluster: {
      name: cluster.name,
      accountId: cluster.accountId,
      region: cluster.region,
      partition: fixCluster.partition,
      authenticationMode: mode,
      creatorArn: cluster.creatorArn,
    },
    accessEntries: cluster.accessEntries,
    awsAuthState,
    awsAuth,
    clusterFindings: allFindings,
    sharedFindings,
    accessEntriesByArn,
    awsAuthRolesByArn,
    awsAuthUsersByArn,
    awsAuthPathEntries,
    awsAuthSessionEntries,
    awsAuthSsoEntries,
    awsAuthSsoMatchers,
    awsAuthAccounts: new Set(awsAuth.mapAccounts),
    creatorKey,
  };
}

/**
 * The findings about a cluster's access data that do not depend on who
 * calls: aws-auth parse errors, dropped entries, wrong key case, entries that
 * can never match (role path, session ARN), unusable access entries. For the
 * admin diagnostics view.
 * @public
 */
export function clusterFindings(
  cluster: ClusterAccessData | ClusterAccessIndex,
): Finding[] {
  const index = isClusterAccessIndex(cluster)
    ? cluster
    : indexClusterAccess(cluster);
  return [...index.clusterFindings];
}

/**
 * Whether a value is a {@link ClusterAccessIndex}.
 * @internal
 */
export function isClusterAccessIndex(
  value: unknown,
): value is ClusterAccessIndex {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ClusterAccessIndex).kind === 'eks-access-cluster-index'
  );
}

/** An aws-auth problem as a reason: a YAML error loses a whole key, so it is an error. */
function problemReason(p: AwsAuthProblem): DecisionReason {
  const severity = p.code === 'AWS_AUTH_PARSE_ERROR' ? 'error' : 'warning';
  if (p.code === 'AWS_AUTH_SSO_MATCHER') {
    return reason(p.code, severity, { scope: 'cluster', problem: p });
  }
  return reason(p.code, severity, { problem: p });
}
