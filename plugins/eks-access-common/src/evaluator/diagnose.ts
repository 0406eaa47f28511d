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
 * The explanation side for one identity: from the decision (the verdict and
 * its reason codes) to one root cause and at most one fix plan, proven by
 * simulation before it is offered. Findings that follow from the same root
 * cause become secondary and lose their own commands, so two conflicting
 * fixes are never both shown. Pure.
 */

import { AuthenticatorIdentity, identityFromCaller } from './callerIdentity';
import { ClusterAccessIndex, indexClusterAccess } from './clusterIndex';
import { candidatePlans } from './explanation';
import type { FixPlan } from './fixPlan';
import { INVALID_CALLER_DECISION, type PlanContext } from './planCandidates';
import { verifyPlan } from './planSimulation';
import { summarizePermissions, type PermissionSummary } from './rbac';
import type {
  AccessVerdict,
  CallerInfo,
  ClusterAccessData,
  Finding,
  FindingCode,
} from './types';

/**
 * One identity's diagnosis: the root cause, the one plan that gets it in
 * (verified), or what an admin must decide when no plan can be verified.
 * @public
 */
export interface IdentityDiagnosis {
  /** The reason code that explains the verdict; absent when all is well. */
  rootCause?: FindingCode;
  /** The verified plan, in the order its steps must run. */
  plan?: FixPlan;
  /** When no plan could be verified: what an admin must decide, and why. */
  decisionNeeded?: string;
  /** The other findings about this identity, without commands (collapsed on the card). */
  secondary: Finding[];
  /** What the identity can do once in (access policies + RBAC). */
  permissions?: PermissionSummary;
}

/** Codes that describe the cluster's data, not the identity: shown once per cluster. */
const CLUSTER_WIDE_CODES = new Set<FindingCode>([
  'AWS_AUTH_PARSE_ERROR',
  'AWS_AUTH_ENTRY_INVALID',
  'AWS_AUTH_KEY_CASE',
  'AWS_AUTH_FIELD_TYPE',
  'AWS_AUTH_MERGED_GROUPS',
  'AWS_AUTH_DUPLICATE_ARN',
  'DATA_UNAVAILABLE',
]);

/** Root causes, most decisive first. */
const ROOT_CAUSE_ORDER: FindingCode[] = [
  'INVALID_CALLER_ARN',
  'ACCESS_ENTRY_NOT_STANDARD',
  'EC2_PRIVATE_DNS_TEMPLATE',
  'AWS_AUTH_IGNORED_IN_API_MODE',
  'ACCESS_ENTRY_STALE',
  'AWS_AUTH_ROLE_ARN_HAS_PATH',
  'AWS_AUTH_SESSION_ARN',
  'AWS_AUTH_SSO_SUFFIX_MISMATCH',
  'AWS_AUTH_SSO_MATCHER',
  'ACCESS_ENTRY_NO_PERMISSIONS',
  'NO_GROUPS',
  'DATA_UNAVAILABLE',
  'NOT_MAPPED',
];

/**
 * The findings of a report that are about the cluster, not one identity:
 * aws-auth problems and unreadable sources, once each.
 * @public
 */
export function clusterWideFindings(verdicts: AccessVerdict[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const v of verdicts) {
    for (const f of v.findings) {
      if (!CLUSTER_WIDE_CODES.has(f.code)) continue;
      // DATA_UNAVAILABLE names the identity; one per cluster is enough.
      const key =
        f.code === 'DATA_UNAVAILABLE' ? f.code : `${f.code} ${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/**
 * Whether an identity that signs in is refused everything, once RBAC is
 * known: the evaluator's own guess (no groups, an entry without policies)
 * gives way to what the bindings and access policies actually allow — a
 * RoleBinding naming the username makes a group-less identity usable. A
 * node-type entry stays Forbidden (node permissions only). Without RBAC the
 * evaluator's guess stands.
 * @public
 */
export function forbiddenWithRbac(
  verdict: Pick<AccessVerdict, 'decision' | 'expectForbidden' | 'findings'>,
  permissions: PermissionSummary | undefined,
): boolean {
  if (verdict.decision !== 'allowed') return false;
  if (verdict.findings.some(f => f.code === 'ACCESS_ENTRY_NOT_STANDARD')) {
    return true;
  }
  return permissions?.rbacKnown
    ? permissions.forbidden
    : !!verdict.expectForbidden;
}

function rootCauseOf(
  verdict: AccessVerdict,
  forbidden: boolean,
): FindingCode | undefined {
  const codes = new Set(verdict.findings.map(f => f.code));
  if (verdict.decision === 'allowed') {
    if (codes.has('ACCESS_ENTRY_STALE')) return 'ACCESS_ENTRY_STALE';
    if (!forbidden) return undefined;
    if (codes.has('ACCESS_ENTRY_NOT_STANDARD'))
      return 'ACCESS_ENTRY_NOT_STANDARD';
    if (codes.has('ACCESS_ENTRY_NO_PERMISSIONS'))
      return 'ACCESS_ENTRY_NO_PERMISSIONS';
    if (forbidden && verdict.groups?.length) return 'RBAC_NOT_BOUND';
    return 'NO_GROUPS';
  }
  return (
    ROOT_CAUSE_ORDER.find(c => codes.has(c)) ??
    (verdict.decision === 'unknown' ? 'DATA_UNAVAILABLE' : 'NOT_MAPPED')
  );
}

/**
 * Diagnoses one identity on one cluster: root cause, one verified plan or
 * the decision an admin must make, the secondary findings, and what the
 * identity can do once in. `verdict` is {@link evaluateAccess}'s answer for
 * the same caller and cluster.
 * @public
 */
export function diagnoseAccess(input: {
  cluster: ClusterAccessData;
  caller: CallerInfo;
  verdict: AccessVerdict;
  now?: string;
  /** A prebuilt index of `cluster`, to skip parsing again. */
  index?: ClusterAccessIndex;
  /**
   * What the cluster itself answered (SubjectAccessReviews), used instead
   * of the summary over `cluster.rbac` for an identity that gets in.
   */
  permissions?: PermissionSummary;
}): IdentityDiagnosis {
  const { cluster, caller, verdict, now } = input;
  const index = input.index ?? indexClusterAccess(cluster);
  const permissions =
    verdict.decision === 'allowed'
      ? input.permissions ??
        summarizePermissions(
          {
            username: verdict.username ?? '',
            groups: verdict.groups ?? [],
            accessPolicies: verdict.accessPolicies,
          },
          cluster.rbac,
        )
      : undefined;
  const forbidden = forbiddenWithRbac(verdict, permissions);
  const rootCause = rootCauseOf(verdict, forbidden);
  // A guess RBAC proved wrong (NO_GROUPS, while a binding names the user) is
  // no longer a finding.
  const disproved =
    !forbidden && permissions?.rbacKnown
      ? new Set<FindingCode>(['NO_GROUPS', 'ACCESS_ENTRY_NO_PERMISSIONS'])
      : new Set<FindingCode>();
  const secondary = verdict.findings
    .filter(
      f =>
        !CLUSTER_WIDE_CODES.has(f.code) &&
        f.code !== rootCause &&
        !disproved.has(f.code),
    )
    .map(({ fix: _dropped, ...rest }) => rest);
  const base = { secondary, ...(permissions ? { permissions } : {}) };
  if (!rootCause) return base;

  let identity: AuthenticatorIdentity;
  try {
    identity = identityFromCaller(caller);
  } catch {
    return {
      ...base,
      rootCause,
      decisionNeeded: INVALID_CALLER_DECISION,
    };
  }
  const ctx: PlanContext = {
    cluster,
    index,
    caller,
    identity,
    verdict,
    now,
    partition: index.cluster.partition,
  };
  const reasons: string[] = [];
  for (const candidate of candidatePlans(ctx, rootCause)) {
    if (typeof candidate === 'string') {
      reasons.push(candidate);
      continue;
    }
    const result = verifyPlan(cluster, caller, candidate, now, index);
    if (result.verified) return { ...base, rootCause, plan: result.plan };
    reasons.push(
      `Backstage found a fix but could not prove it safe: ${result.reason}.`,
    );
  }
  return {
    ...base,
    rootCause,
    decisionNeeded:
      reasons[0] ??
      'Backstage has no fix it can prove for this case: an admin must decide.',
  };
}
