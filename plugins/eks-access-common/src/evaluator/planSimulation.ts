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
 * Proves a plan before anyone sees it: applies its steps to a copy of the
 * cluster's snapshot (aws-auth through the same writer the grant flow uses),
 * evaluates again, and checks two things — the identity gets in with what
 * the plan promises, and no other principal the snapshot knows loses access
 * or changes username, groups or access policies. Pure: no I/O.
 */

import { canonicalizeArnWithKind, stripArnPath } from './arn';
import {
  appendAwsAuthEntries,
  parseAwsAuth,
  serializeAwsAuthEntries,
  type AwsAuthRoleMapping,
  type AwsAuthUserMapping,
  type ParsedAwsAuth,
} from './awsAuth';
import {
  indexClusterAccess,
  withAccessEntries,
  type ClusterAccessIndex,
} from './clusterIndex';
import { evaluateAccess } from './evaluate';
import { summarizePermissions } from './rbac';
import type { FixPlan, PlanOperation } from './fixPlan';
import type {
  AccessEntryInfo,
  AccessVerdict,
  CallerInfo,
  ClusterAccessData,
} from './types';

/** The cluster after a plan, and the aws-auth data after each step. @public */
export interface AppliedPlan {
  cluster: ClusterAccessData;
  awsAuthAfterStep: (Record<string, string> | undefined)[];
}

/** Thrown when a step cannot be applied to the snapshot. */
class StepRefused extends Error {}

const entryKey = (arn: string) => {
  try {
    return stripArnPath(arn).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
};

function blockingProblem(data: Record<string, string>, key: string) {
  return parseAwsAuth(data).problems.find(
    p =>
      p.key.toLowerCase() === key.toLowerCase() &&
      (p.code === 'AWS_AUTH_PARSE_ERROR' ||
        p.code === 'AWS_AUTH_ENTRY_INVALID' ||
        (p.code === 'AWS_AUTH_KEY_CASE' && p.entryIndex === undefined)),
  );
}

/** Rewrites one aws-auth section through the grant flow's serializer. */
function rewriteSection(
  data: Record<string, string>,
  section: 'mapRoles' | 'mapUsers',
  change: (
    list: (AwsAuthRoleMapping | AwsAuthUserMapping)[],
  ) => (AwsAuthRoleMapping | AwsAuthUserMapping)[],
): Record<string, string> {
  const problem = blockingProblem(data, section);
  if (problem) {
    throw new StepRefused(
      `aws-auth ${section} must be repaired first: ${problem.message}`,
    );
  }
  const parsed = parseAwsAuth(data);
  const next = change(parsed[section]);
  const serialized = serializeAwsAuthEntries({ [section]: next } as any);
  const out = { ...data };
  if (serialized[section] === undefined) delete out[section];
  else out[section] = serialized[section];
  return out;
}

function arnOf(m: AwsAuthRoleMapping | AwsAuthUserMapping): string | undefined {
  return 'userarn' in m ? m.userarn : m.rolearn;
}

function applyStep(
  cluster: ClusterAccessData,
  step: PlanOperation,
  now: string | undefined,
): ClusterAccessData {
  const mode = cluster.authenticationMode;
  switch (step.op) {
    case 'CreateAccessEntry':
    case 'AssociateAccessPolicy':
    case 'DeleteAccessEntry': {
      if (mode === 'CONFIG_MAP') {
        throw new StepRefused(
          'the cluster is in CONFIG_MAP mode: it has no access entries',
        );
      }
      if (!cluster.accessEntries) {
        throw new StepRefused('the access entries could not be read');
      }
      const key = entryKey(step.principal.arn);
      const entries = cluster.accessEntries;
      const existing = entries.find(e => entryKey(e.principalArn) === key);
      if (step.op === 'CreateAccessEntry') {
        if (existing) {
          throw new StepRefused(
            `an access entry for ${existing.principalArn} already exists`,
          );
        }
        const created: AccessEntryInfo = {
          principalArn: step.principal.arn,
          type: step.type ?? 'STANDARD',
          ...(step.username ? { username: step.username } : {}),
          kubernetesGroups: step.kubernetesGroups ?? [],
          accessPolicies: [],
          ...(now ? { createdAt: now, modifiedAt: now } : {}),
        };
        return { ...cluster, accessEntries: [...entries, created] };
      }
      if (!existing) {
        throw new StepRefused(`no access entry for ${step.principal.arn}`);
      }
      if (step.op === 'DeleteAccessEntry') {
        return {
          ...cluster,
          accessEntries: entries.filter(e => e !== existing),
        };
      }
      const policies = (existing.accessPolicies ?? []).filter(
        p => p.policyArn !== step.policyArn,
      );
      policies.push({
        policyArn: step.policyArn,
        accessScope: step.accessScope,
      });
      return {
        ...cluster,
        accessEntries: entries.map(e =>
          e === existing ? { ...e, accessPolicies: policies } : e,
        ),
      };
    }
    case 'AwsAuthUpsertMapping':
    case 'AwsAuthRemoveMapping':
    case 'AwsAuthRepairYaml': {
      if (cluster.awsAuth === undefined) {
        throw new StepRefused('the aws-auth ConfigMap could not be read');
      }
      const data = cluster.awsAuth?.data ?? {};
      if (step.op === 'AwsAuthRepairYaml') {
        const next = { ...data };
        if (step.value === null) delete next[step.key];
        else next[step.key] = step.value;
        if (step.value !== null && blockingProblem(next, step.key)) {
          throw new StepRefused(`the repaired ${step.key} still does not load`);
        }
        return { ...cluster, awsAuth: { data: next } };
      }
      const lower = step.arn.toLowerCase();
      const current = parseAwsAuth(data)[step.section] as (
        | AwsAuthRoleMapping
        | AwsAuthUserMapping
      )[];
      const present = current.some(m => arnOf(m)?.toLowerCase() === lower);
      if (step.op === 'AwsAuthRemoveMapping') {
        if (!present) {
          throw new StepRefused(`aws-auth does not map ${step.arn}`);
        }
        return {
          ...cluster,
          awsAuth: {
            data: rewriteSection(data, step.section, list =>
              list.filter(m => arnOf(m)?.toLowerCase() !== lower),
            ),
          },
        };
      }
      const mapping =
        step.section === 'mapRoles'
          ? { rolearn: step.arn, username: step.username, groups: step.groups }
          : { userarn: step.arn, username: step.username, groups: step.groups };
      if (present) {
        return {
          ...cluster,
          awsAuth: {
            data: rewriteSection(data, step.section, list =>
              list.map(m => (arnOf(m)?.toLowerCase() === lower ? mapping : m)),
            ),
          },
        };
      }
      // A new mapping: exactly what the grant flow writes.
      try {
        return {
          ...cluster,
          awsAuth: {
            data: appendAwsAuthEntries(data, { [step.section]: [mapping] }),
          },
        };
      } catch (e) {
        throw new StepRefused((e as Error).message);
      }
    }
    case 'CreateRoleBinding':
      return {
        ...cluster,
        rbac: cluster.rbac
          ? {
              ...cluster.rbac,
              bindings: [
                ...cluster.rbac.bindings,
                {
                  name: step.name,
                  namespace: step.namespace,
                  roleRef: { kind: 'ClusterRole', name: step.clusterRole },
                  subjects: [step.subject],
                },
              ],
            }
          : undefined,
      };
    case 'UseIdentity':
      throw new StepRefused(
        'it changes which identity you use, not the cluster',
      );
    default:
      throw new StepRefused('unknown step');
  }
}

/**
 * Applies a plan's steps, in order, to a copy of the cluster data.
 * Throws with the reason when a step cannot be applied.
 * @public
 */
export function applyPlan(
  cluster: ClusterAccessData,
  plan: FixPlan,
  now?: string,
): AppliedPlan {
  let current = cluster;
  const awsAuthAfterStep: (Record<string, string> | undefined)[] = [];
  for (const step of plan.steps) {
    current = applyStep(current, step, now);
    awsAuthAfterStep.push(current.awsAuth ? current.awsAuth.data : undefined);
  }
  return { cluster: current, awsAuthAfterStep };
}

/**
 * A caller for an IAM principal ARN, as EKS would see one of its sessions.
 * The default session is an instance id, so node templates render as well
 * as `{{SessionName}}`. `undefined` for ARNs that cannot sign in.
 */
export function sessionCallerFor(
  arn: string,
  session = 'i-0123456789abcdef0',
): CallerInfo | undefined {
  let parsed;
  try {
    parsed = canonicalizeArnWithKind(arn);
  } catch {
    return undefined;
  }
  if (parsed.kind === 'user') return { arn, iamArn: arn };
  if (parsed.kind !== 'role' && parsed.kind !== 'assumed-role') {
    return undefined;
  }
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    parsed.canonicalArn,
  );
  if (!m) return undefined;
  return {
    arn: `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}`,
    iamArn: parsed.kind === 'role' ? arn : undefined,
  };
}

/**
 * Every IAM principal the snapshot names: access entry principals, aws-auth
 * role and user ARNs, and the cluster creator. `awsAuth`: the cluster's
 * aws-auth already parsed (an index holds it), to spare parsing it again.
 * @internal
 */
export function knownPrincipals(
  cluster: ClusterAccessData,
  awsAuth?: ParsedAwsAuth,
): string[] {
  const arns = new Set<string>();
  if (cluster.authenticationMode !== 'CONFIG_MAP') {
    for (const e of cluster.accessEntries ?? []) arns.add(e.principalArn);
  }
  if (cluster.authenticationMode !== 'API' && cluster.awsAuth) {
    const parsed = awsAuth ?? parseAwsAuth(cluster.awsAuth.data);
    parsed.mapRoles.forEach(m => m.rolearn && arns.add(m.rolearn));
    parsed.mapUsers.forEach(m => arns.add(m.userarn));
  }
  if (cluster.creatorArn) arns.add(cluster.creatorArn);
  return [...arns];
}

function sameAccess(a: AccessVerdict, b: AccessVerdict): boolean {
  if (a.decision !== b.decision) return false;
  if (a.decision !== 'allowed') return true;
  const policies = (v: AccessVerdict) =>
    JSON.stringify(
      (v.accessPolicies ?? [])
        .map(p => `${p.policyArn} ${JSON.stringify(p.accessScope)}`)
        .sort(),
    );
  return (
    a.username === b.username &&
    JSON.stringify([...(a.groups ?? [])].sort()) ===
      JSON.stringify([...(b.groups ?? [])].sort()) &&
    policies(a) === policies(b)
  );
}

/** What the simulator found. @public */
export type PlanVerification =
  | { verified: true; plan: FixPlan; verdict: AccessVerdict }
  | { verified: false; reason: string };

/**
 * The index of the cluster after a plan. A plan that leaves aws-auth as it
 * was (access entries, role bindings) shares the parsed aws-auth of the
 * index before it: parsing aws-auth is most of the cost of verifying a
 * plan, and a warm check verifies one for every denied identity. No step
 * changes the authentication mode or the creator.
 */
function indexAfterPlan(
  before: ClusterAccessIndex,
  cluster: ClusterAccessData,
  after: ClusterAccessData,
): ClusterAccessIndex {
  if (after.awsAuth !== cluster.awsAuth) return indexClusterAccess(after);
  if (after.accessEntries === cluster.accessEntries) return before;
  return withAccessEntries(before, after.accessEntries);
}

/**
 * Applies the plan in memory and checks that the caller is then allowed
 * with what the plan promises, and that no other principal the snapshot
 * knows loses access or changes username, groups or access policies.
 * On success the returned plan carries the aws-auth data after each step,
 * for the renderers. Principals the plan newly lets in are listed in
 * `alsoAdmits` (a YAML repair restores entries it had lost).
 * `clusterIndex`, the {@link ClusterAccessIndex} of `cluster` when the
 * caller holds one already, spares parsing its aws-auth again.
 * @public
 */
export function verifyPlan(
  cluster: ClusterAccessData,
  caller: CallerInfo,
  plan: FixPlan,
  now?: string,
  clusterIndex?: ClusterAccessIndex,
): PlanVerification {
  if (!plan.promise) {
    return { verified: false, reason: 'the plan promises no access' };
  }
  let applied: AppliedPlan;
  try {
    applied = applyPlan(cluster, plan, now);
  } catch (e) {
    return { verified: false, reason: (e as Error).message };
  }
  const beforeIndex = clusterIndex ?? indexClusterAccess(cluster);
  const afterIndex = indexAfterPlan(beforeIndex, cluster, applied.cluster);
  const verdict = evaluateAccess({ caller, cluster: afterIndex, now });
  const promise = plan.promise;
  if (verdict.decision !== 'allowed') {
    return {
      verified: false,
      reason: `after the plan the identity would still be ${verdict.decision}`,
    };
  }
  if (promise.username !== undefined && verdict.username !== promise.username) {
    return {
      verified: false,
      reason: `after the plan the identity would be "${verdict.username}", not "${promise.username}"`,
    };
  }
  const groups = new Set(verdict.groups ?? []);
  const missingGroup = promise.groups.find(g => !groups.has(g));
  if (missingGroup) {
    return {
      verified: false,
      reason: `after the plan the identity would not be in group ${missingGroup}`,
    };
  }
  const policies = verdict.accessPolicies ?? [];
  const missingPolicy = promise.accessPolicies.find(
    p =>
      !policies.some(
        q =>
          q.policyArn === p.policyArn &&
          JSON.stringify(q.accessScope) === JSON.stringify(p.accessScope),
      ),
  );
  if (missingPolicy) {
    return {
      verified: false,
      reason: `after the plan the identity would not have ${missingPolicy.policyArn}`,
    };
  }

  if (applied.cluster.rbac) {
    const can = summarizePermissions(
      {
        username: verdict.username ?? '',
        groups: verdict.groups ?? [],
        accessPolicies: verdict.accessPolicies,
      },
      applied.cluster.rbac,
    );
    if (can.forbidden) {
      return {
        verified: false,
        reason:
          'after the plan the identity would sign in, but nothing in RBAC or its access policies would let it do anything',
      };
    }
  }

  let callerKey: string | undefined;
  try {
    callerKey = entryKey(canonicalizeArnWithKind(caller.arn).canonicalArn);
  } catch {
    callerKey = undefined;
  }
  const alsoAdmits: string[] = [];
  const principals = new Set([
    ...knownPrincipals(cluster, beforeIndex.awsAuth),
    ...knownPrincipals(applied.cluster, afterIndex.awsAuth),
  ]);
  for (const arn of principals) {
    const probe = sessionCallerFor(arn);
    if (!probe) continue;
    let key: string;
    try {
      key = entryKey(canonicalizeArnWithKind(probe.arn).canonicalArn);
    } catch {
      continue;
    }
    if (key === callerKey) continue;
    const before = evaluateAccess({ caller: probe, cluster: beforeIndex });
    const after = evaluateAccess({ caller: probe, cluster: afterIndex });
    if (sameAccess(before, after)) continue;
    if (before.decision !== 'allowed' && after.decision === 'allowed') {
      alsoAdmits.push(arn);
      continue;
    }
    return {
      verified: false,
      reason: `it would change what ${arn} gets (${before.decision}${
        before.username ? ` as ${before.username}` : ''
      } → ${after.decision}${after.username ? ` as ${after.username}` : ''})`,
    };
  }
  return {
    verified: true,
    verdict,
    plan: {
      ...plan,
      awsAuthBefore: cluster.awsAuth ? cluster.awsAuth.data : undefined,
      awsAuthAfterStep: applied.awsAuthAfterStep,
      ...(alsoAdmits.length ? { alsoAdmits } : {}),
    },
  };
}
