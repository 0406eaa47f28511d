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
 * The decision half of the evaluator: what EKS would do with a caller, as a
 * verdict, reason codes and the facts behind each code. No user-facing
 * prose and no plans live here: explanation.ts turns each reason into a
 * message, commands and candidate plans, one renderer per code. Keeping the
 * two apart lets the wording change (or be translated) without touching the
 * precedence rules, and lets tests assert the decision on facts alone.
 */

import { parseSsoRoleName, roleNameOf } from './arn';
import type { AwsAuthProblem, AwsAuthRoleMapping } from './awsAuth';
import { AuthenticatorIdentity, identityFromCaller } from './callerIdentity';
import type { ClusterAccessIndex, IndexedAwsAuthEntry } from './clusterIndex';
import { ssoFamilyKey } from './clusterIndex';
import type { FixCaller } from './fixes';
import { renderTemplate } from './templates';
import type {
  AccessEntryInfo,
  AccessVerdict,
  CallerInfo,
  FindingCode,
} from './types';

/** An aws-auth entry that misses the caller, and the ARN it should name. */
interface NearMissFacts {
  /** `identity`: found for one caller; `cluster`: found by looking at aws-auth alone. */
  scope: 'identity' | 'cluster';
  mapped: IndexedAwsAuthEntry;
  correctArn: string;
}

/** An aws-auth problem the parser found. */
interface ProblemFacts {
  problem: AwsAuthProblem;
}

/**
 * The facts behind each reason code: everything its renderer needs besides
 * the cluster and the caller, and nothing worded.
 * @internal
 */
export interface FindingFacts {
  INVALID_CALLER_ARN: { callerArn: string; error: string };
  NOT_MAPPED: { creatorKnown: boolean };
  AWS_AUTH_ROLE_ARN_HAS_PATH: NearMissFacts;
  AWS_AUTH_SESSION_ARN: NearMissFacts;
  AWS_AUTH_SSO_SUFFIX_MISMATCH: NearMissFacts & {
    permissionSetName: string;
    mappedSuffix: string;
    ownSuffix: string;
  };
  AWS_AUTH_PARSE_ERROR: ProblemFacts;
  AWS_AUTH_ENTRY_INVALID: ProblemFacts;
  AWS_AUTH_KEY_CASE: ProblemFacts;
  AWS_AUTH_IGNORED_IN_API_MODE:
    | { scope: 'identity'; mapped: IndexedAwsAuthEntry }
    | { scope: 'cluster'; mappingCount: number };
  ACCESS_ENTRY_OVERRIDES_AWS_AUTH: {
    entry: AccessEntryInfo;
    mapped: IndexedAwsAuthEntry;
  };
  ACCESS_ENTRY_NO_PERMISSIONS:
    | { scope: 'identity'; principalArn: string; username: string }
    | { scope: 'cluster'; principalArn: string };
  ACCESS_ENTRY_STALE: {
    entry: AccessEntryInfo;
    principalCreatedAt?: string;
    /** aws-auth lets the caller in despite the dead entry. */
    awsAuthAdmits: boolean;
  };
  ACCESS_ENTRY_NOT_STANDARD: {
    principalArn: string;
    type: string;
    /** The node username the caller gets; absent when it cannot be rendered (refused). */
    username?: string;
  };
  NO_GROUPS: { username: string; wholeAccount: boolean };
  CASE_MISMATCH: { mapped: IndexedAwsAuthEntry; correctArn: string };
  EC2_PRIVATE_DNS_TEMPLATE:
    | {
        source: 'aws-auth';
        mapped: IndexedAwsAuthEntry;
        sessionName?: string;
      }
    | { source: 'access-entry'; principalArn: string };
  CLUSTER_CREATOR: Record<string, never>;
  RECENT_CHANGE: { principalArn: string };
  DATA_UNAVAILABLE: {
    entries: boolean;
    awsAuth: boolean;
    /** aws-auth lets the caller in; only an unseen access entry could change that. */
    awsAuthAdmits: boolean;
  };
  AWS_AUTH_FIELD_TYPE: ProblemFacts;
  AWS_AUTH_MERGED_GROUPS: ProblemFacts;
  AWS_AUTH_DUPLICATE_ARN: ProblemFacts;
  AWS_AUTH_SSO_MATCHER:
    | ({ scope: 'cluster' } & ProblemFacts)
    | { scope: 'identity'; matcher: AwsAuthRoleMapping };
  AWS_AUTH_SHADOWED_DATA: ProblemFacts;
  ACCESS_ENTRY_UNMATCHABLE: { principalArn: string };
  RBAC_NOT_BOUND: { username: string; groups: string[] };
}

/**
 * One reason code of a decision with its facts and how much it matters.
 * @internal
 */
export type DecisionReason = {
  [K in FindingCode]: {
    code: K;
    severity: 'error' | 'warning' | 'info';
    facts: FindingFacts[K];
  };
}[FindingCode];

/**
 * The caller as the decision saw it: what the renderers need to name it and
 * to build commands for it.
 * @internal
 */
export interface DecidedCaller extends FixCaller {
  sessionName?: string;
}

/**
 * What EKS would do with one caller: the verdict without its findings, and
 * the reasons (the caller's own, in order; the cluster-wide ones shared by
 * every caller are in the index).
 * @internal
 */
export interface AccessDecision {
  verdict: Omit<AccessVerdict, 'findings'>;
  /** Absent when the caller ARN is not one EKS can authenticate. */
  caller?: DecidedCaller;
  reasons: DecisionReason[];
}

/** Builds a reason; typed so that the facts match the code. @internal */
export function reason<K extends FindingCode>(
  code: K,
  severity: DecisionReason['severity'],
  facts: FindingFacts[K],
): DecisionReason {
  return { code, severity, facts } as DecisionReason;
}

/** The caller facts the renderers need, from the authenticator's identity. */
function decidedCaller(
  identity: AuthenticatorIdentity,
  iamArn: string | undefined,
): DecidedCaller {
  return {
    canonicalArn: identity.canonicalArn,
    kind: identity.kind,
    partition: identity.partition,
    accountId: identity.accountId,
    iamArn,
    sessionName: identity.sessionName,
  };
}

/** Access entry changes may take this long to apply (eks-auth-spec §5.4 Propagation). */
const RECENT_CHANGE_MS = 2 * 60 * 1000;

/** Access entry types whose default username needs `{{EC2PrivateDNSName}}` (§5.4). */
const EC2_ENTRY_TYPES = new Set([
  'EC2',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'HYPERPOD_LINUX',
]);

/** The username EKS gives an access entry of this type when none is set (§5.4). @internal */
export function defaultAccessEntryUsername(
  entryType: string,
  principalArn: string,
  identity: { partition: string; accountId: string },
): string {
  const type = entryType.toUpperCase();
  if (EC2_ENTRY_TYPES.has(type)) return 'system:node:{{EC2PrivateDNSName}}';
  if (type !== 'STANDARD') return 'system:node:{{SessionName}}';
  const role = roleNameOf(principalArn);
  if (role) {
    return `arn:${identity.partition}:sts::${identity.accountId}:assumed-role/${role.name}/{{SessionName}}`;
  }
  return principalArn;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** Renders username and groups; `undefined` when `{{EC2PrivateDNSName}}` fails. */
function renderMapping(
  username: string,
  groups: string[],
  identity: AuthenticatorIdentity,
): { username: string; groups: string[] } | undefined {
  try {
    return {
      username: renderTemplate(username, identity),
      groups: groups.map(g => renderTemplate(g, identity)),
    };
  } catch {
    return undefined;
  }
}

type Outcome = Omit<AccessVerdict, 'findings' | 'canonicalArn'>;

/**
 * Decides what EKS would do when `caller` calls the indexed cluster
 * (eks-auth-spec §6.2): the verdict and the reasons, as codes and facts.
 * Pure and deterministic: no I/O, no clock (time only via `now`).
 *
 * Precedence: in `CONFIG_MAP` mode the cluster creator (`kubernetes-admin`,
 * `system:masters`) first, as EKS loads it before aws-auth; then a matching,
 * not stale access entry (modes with API); then aws-auth `mapRoles` and
 * `mapUsers` (modes with CONFIG_MAP); then `mapAccounts`.
 * @internal
 */
export function decideAccess(
  index: ClusterAccessIndex,
  caller: CallerInfo,
  now: string | undefined,
): AccessDecision {
  const c = index.cluster;
  const mode = c.authenticationMode;

  let identity: AuthenticatorIdentity;
  try {
    identity = identityFromCaller(caller);
  } catch (e) {
    return {
      verdict: { decision: 'denied' },
      reasons: [
        reason('INVALID_CALLER_ARN', 'error', {
          callerArn: caller.arn,
          error: (e as Error).message,
        }),
      ],
    };
  }

  const canonical = identity.canonicalArn;
  const key = canonical.toLowerCase();
  const own: DecisionReason[] = [];
  const done = (v: Outcome): AccessDecision => ({
    verdict: { ...v, canonicalArn: canonical },
    caller: decidedCaller(identity, caller.iamArn),
    reasons: own,
  });

  // The CONFIG_MAP creator comes from the MountedFile backend, before aws-auth (§5.1, §5.2).
  if (mode === 'CONFIG_MAP' && index.creatorKey === key) {
    own.push(reason('CLUSTER_CREATOR', 'info', {}));
    return done({
      decision: 'allowed',
      via: 'cluster-creator',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
      expectForbidden: false,
      matchedPrincipal: c.creatorArn,
    });
  }

  const usesEntries = mode !== 'CONFIG_MAP';
  const usesAwsAuth = mode !== 'API';
  const entriesUnavailable = usesEntries && index.accessEntries === undefined;
  const awsAuthUnavailable =
    usesAwsAuth && index.awsAuthState === 'unavailable';
  const awsAuthMatch: IndexedAwsAuthEntry | undefined =
    index.awsAuthRolesByArn.get(key) ?? index.awsAuthUsersByArn.get(key);

  // 1. Access entries (§5.4): matched by principal, path-insensitive for roles.
  let staleEntry: AccessEntryInfo | undefined;
  const entry = usesEntries ? index.accessEntriesByArn.get(key) : undefined;
  if (entry) {
    const principalCreated = parseTime(caller.principalCreatedAt);
    const entryCreated = parseTime(entry.createdAt);
    if (
      principalCreated !== undefined &&
      entryCreated !== undefined &&
      principalCreated > entryCreated
    ) {
      staleEntry = entry;
    } else {
      return decideEntry(entry);
    }
  }

  // 2. aws-auth mapRoles / mapUsers (§4.4), then mapAccounts (§4.6).
  if (usesAwsAuth && awsAuthMatch) {
    const rendered = renderMapping(
      awsAuthMatch.mapping.username,
      awsAuthMatch.mapping.groups,
      identity,
    );
    if (!rendered) {
      addStale(false);
      own.push(
        reason('EC2_PRIVATE_DNS_TEMPLATE', 'error', {
          source: 'aws-auth',
          mapped: awsAuthMatch,
          sessionName: identity.sessionName,
        }),
      );
      return done({ decision: 'denied' });
    }
    addStale(true);
    if (awsAuthMatch.arn !== canonical) {
      own.push(
        reason('CASE_MISMATCH', 'warning', {
          mapped: awsAuthMatch,
          correctArn: canonical,
        }),
      );
    }
    addEntriesUnavailable();
    return done(
      admitted(
        awsAuthMatch.section === 'mapRoles' ? 'aws-auth-role' : 'aws-auth-user',
        rendered.username,
        rendered.groups,
        awsAuthMatch.arn,
      ),
    );
  }

  const nearMisses = usesAwsAuth ? awsAuthNearMisses() : [];
  if (usesAwsAuth && index.awsAuthAccounts.has(identity.accountId)) {
    addStale(true);
    // The account lets the caller in: the near misses only warn.
    own.push(...nearMisses.map(r => ({ ...r, severity: 'warning' as const })));
    addEntriesUnavailable();
    return done(
      admitted('aws-auth-account', canonical, [], identity.accountId),
    );
  }
  own.push(...nearMisses);

  if (!usesAwsAuth && awsAuthMatch) {
    own.push(
      reason('AWS_AUTH_IGNORED_IN_API_MODE', 'error', {
        scope: 'identity',
        mapped: awsAuthMatch,
      }),
    );
  }
  addStale(false);

  if (entriesUnavailable || awsAuthUnavailable) {
    own.push(
      reason('DATA_UNAVAILABLE', 'warning', {
        entries: entriesUnavailable,
        awsAuth: awsAuthUnavailable,
        awsAuthAdmits: false,
      }),
    );
    return done({ decision: 'unknown' });
  }

  own.push(reason('NOT_MAPPED', 'error', { creatorKnown: !!c.creatorArn }));
  return done({ decision: 'denied' });

  // ---- helpers (closures over the decision state) ----

  function admitted(
    via: NonNullable<AccessVerdict['via']>,
    username: string,
    groups: string[],
    matchedPrincipal: string,
  ): Outcome {
    const nothing = groups.length === 0;
    if (nothing) {
      own.push(
        reason('NO_GROUPS', 'warning', {
          username,
          wholeAccount: via === 'aws-auth-account',
        }),
      );
    }
    return {
      decision: 'allowed',
      via,
      username,
      groups,
      expectForbidden: nothing,
      matchedPrincipal,
    };
  }

  function decideEntry(e: AccessEntryInfo): AccessDecision {
    const type = (e.type || 'STANDARD').toUpperCase();
    const template =
      e.username ?? defaultAccessEntryUsername(type, e.principalArn, identity);
    const rendered = renderMapping(
      template,
      e.kubernetesGroups ?? [],
      identity,
    );
    const policies = e.accessPolicies ?? [];
    if (type !== 'STANDARD') {
      if (!rendered) {
        own.push(
          reason('ACCESS_ENTRY_NOT_STANDARD', 'error', {
            principalArn: e.principalArn,
            type,
          }),
        );
        return done({ decision: 'denied', matchedPrincipal: e.principalArn });
      }
      own.push(
        reason('ACCESS_ENTRY_NOT_STANDARD', 'warning', {
          principalArn: e.principalArn,
          type,
          username: rendered.username,
        }),
      );
      addRecentChange(e);
      return done({
        decision: 'allowed',
        via: 'access-entry',
        username: rendered.username,
        groups: rendered.groups,
        accessPolicies: [],
        expectForbidden: true,
        matchedPrincipal: e.principalArn,
      });
    }
    if (!rendered) {
      own.push(
        reason('EC2_PRIVATE_DNS_TEMPLATE', 'error', {
          source: 'access-entry',
          principalArn: e.principalArn,
        }),
      );
      return done({ decision: 'denied', matchedPrincipal: e.principalArn });
    }
    const noPermissions = rendered.groups.length === 0 && policies.length === 0;
    if (noPermissions) {
      own.push(
        reason('ACCESS_ENTRY_NO_PERMISSIONS', 'warning', {
          scope: 'identity',
          principalArn: e.principalArn,
          username: rendered.username,
        }),
      );
    }
    if (usesAwsAuth && awsAuthMatch) {
      const entryGroups = new Set(e.kubernetesGroups ?? []);
      const missing = awsAuthMatch.mapping.groups.filter(
        g => !entryGroups.has(g),
      );
      own.push(
        reason(
          'ACCESS_ENTRY_OVERRIDES_AWS_AUTH',
          missing.length ? 'warning' : 'info',
          { entry: e, mapped: awsAuthMatch },
        ),
      );
    }
    addRecentChange(e);
    return done({
      decision: 'allowed',
      via: 'access-entry',
      username: rendered.username,
      groups: rendered.groups,
      accessPolicies: policies,
      expectForbidden: noPermissions,
      matchedPrincipal: e.principalArn,
    });
  }

  function addRecentChange(e: AccessEntryInfo) {
    const nowMs = parseTime(now);
    const changed = parseTime(e.modifiedAt) ?? parseTime(e.createdAt);
    if (nowMs === undefined || changed === undefined) return;
    if (nowMs - changed < RECENT_CHANGE_MS) {
      own.push(
        reason('RECENT_CHANGE', 'info', { principalArn: e.principalArn }),
      );
    }
  }

  /** The stale entry, once: a warning when aws-auth admits the caller anyway. */
  function addStale(awsAuthAdmits: boolean) {
    if (!staleEntry) return;
    const e = staleEntry;
    staleEntry = undefined;
    own.push(
      reason('ACCESS_ENTRY_STALE', awsAuthAdmits ? 'warning' : 'error', {
        entry: e,
        principalCreatedAt: caller.principalCreatedAt,
        awsAuthAdmits,
      }),
    );
  }

  function addEntriesUnavailable() {
    if (!entriesUnavailable) return;
    own.push(
      reason('DATA_UNAVAILABLE', 'warning', {
        entries: true,
        awsAuth: false,
        awsAuthAdmits: true,
      }),
    );
  }

  function awsAuthNearMisses(): DecisionReason[] {
    const out: DecisionReason[] = [];
    for (const e of index.awsAuthPathEntries.get(key) ?? []) {
      out.push(
        reason('AWS_AUTH_ROLE_ARN_HAS_PATH', 'error', {
          scope: 'identity',
          mapped: e,
          correctArn: canonical,
        }),
      );
    }
    for (const e of index.awsAuthSessionEntries.get(key) ?? []) {
      out.push(
        reason('AWS_AUTH_SESSION_ARN', 'error', {
          scope: 'identity',
          mapped: e,
          correctArn: canonical,
        }),
      );
    }
    const role = roleNameOf(canonical);
    const sso = role ? parseSsoRoleName(role.name) : undefined;
    if (sso) {
      const family = ssoFamilyKey(canonical)!;
      for (const e of index.awsAuthSsoEntries.get(family) ?? []) {
        const other = parseSsoRoleName(roleNameOf(e.arn)?.name ?? '');
        if (!other || other.suffix.toLowerCase() === sso.suffix.toLowerCase()) {
          continue;
        }
        out.push(
          reason('AWS_AUTH_SSO_SUFFIX_MISMATCH', 'error', {
            scope: 'identity',
            mapped: e,
            correctArn: canonical,
            permissionSetName: sso.permissionSetName,
            mappedSuffix: other.suffix,
            ownSuffix: sso.suffix,
          }),
        );
      }
      for (const m of index.awsAuthSsoMatchers.get(family) ?? []) {
        out.push(
          reason('AWS_AUTH_SSO_MATCHER', 'error', {
            scope: 'identity',
            matcher: m,
          }),
        );
      }
    }
    return out;
  }
}
