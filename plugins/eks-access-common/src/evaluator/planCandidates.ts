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
 * Candidate fix plans, per root cause, best first: the plan half of the
 * explanation (explanation.ts maps each finding code to its builder here).
 * A string instead of a plan says what an admin must decide. Nothing here
 * is shown before diagnose.ts has proven it by simulation. Pure.
 */

import { parseSsoRoleName, roleNameOf, stripArnPath } from './arn';
import { parseAwsAuth } from './awsAuth';
import type { AuthenticatorIdentity } from './callerIdentity';
import {
  ClusterAccessIndex,
  IndexedAwsAuthEntry,
  ssoFamilyKey,
} from './clusterIndex';
import { bindingName, defaultUsernameFor, SUGGESTED_GROUP } from './fixes';
import type {
  FixPlan,
  PlanOperation,
  PlanPrincipal,
  PlanPromise,
} from './fixPlan';
import { groupsBound } from './rbac';
import type {
  AccessVerdict,
  CallerInfo,
  ClusterAccessData,
  FindingCode,
} from './types';

/** A plan to verify, or what an admin must decide when there is none. @internal */
export type PlanCandidate = FixPlan | string;

/** The aws-auth near misses, which share one plan builder. @internal */
export type NearMissCode = Extract<
  FindingCode,
  | 'AWS_AUTH_ROLE_ARN_HAS_PATH'
  | 'AWS_AUTH_SESSION_ARN'
  | 'AWS_AUTH_SSO_SUFFIX_MISMATCH'
  | 'AWS_AUTH_SSO_MATCHER'
>;

/** For codes that are never a root cause, or whose fix is not a plan. */
export function noPlans(): PlanCandidate[] {
  return [];
}

const VIEW_POLICY = 'AmazonEKSViewPolicy';
const ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';
const SESSION_TEMPLATE = /\{\{(SessionName|SessionNameRaw|AccessKeyID)\}\}/;

/**
 * What the plan builders read: the snapshot, the caller and the verdict
 * whose root cause they fix.
 * @internal
 */
export interface PlanContext {
  cluster: ClusterAccessData;
  index: ClusterAccessIndex;
  caller: CallerInfo;
  identity: AuthenticatorIdentity;
  verdict: AccessVerdict;
  now?: string;
  partition: string;
}

function policyArn(ctx: PlanContext, name: string): string {
  return `arn:${ctx.partition}:eks::aws:cluster-access-policy/${name}`;
}

function isRole(identity: AuthenticatorIdentity): boolean {
  return identity.kind === 'role' || identity.kind === 'assumed-role';
}

/** The principal to put in an access entry: with its path, or looked up. */
function entryPrincipal(ctx: PlanContext): PlanPrincipal {
  if (ctx.caller.iamArn) return { arn: ctx.caller.iamArn };
  if (isRole(ctx.identity)) {
    const role = roleNameOf(ctx.identity.canonicalArn);
    // Only SSO roles always have a path; for others the canonical ARN is
    // usually right but the lookup is what EKS needs.
    if (role)
      return { arn: ctx.identity.canonicalArn, lookupRoleName: role.name };
  }
  return { arn: ctx.identity.canonicalArn };
}

/** The username a role mapping must use: one per session for shared roles. */
function sessionSafeUsername(ctx: PlanContext, username: string): string {
  if (!isRole(ctx.identity) || SESSION_TEMPLATE.test(username)) return username;
  return defaultUsernameFor({
    canonicalArn: ctx.identity.canonicalArn,
    kind: ctx.identity.kind,
    partition: ctx.identity.partition,
    accountId: ctx.identity.accountId,
  });
}

function renderUsername(ctx: PlanContext, template: string): string {
  const session = ctx.identity.sessionName;
  return template
    .split('{{AccountID}}')
    .join(ctx.identity.accountId)
    .split('{{SessionName}}')
    .join(
      session === undefined ? '{{SessionName}}' : session.replace(/@/g, '-'),
    )
    .split('{{SessionNameRaw}}')
    .join(session ?? '{{SessionNameRaw}}');
}

/** `mapUsers`/`mapRoles` with leading tabs turned into spaces, when that is all that is wrong. */
function repairedYaml(
  ctx: PlanContext,
  key: 'mapRoles' | 'mapUsers',
): PlanOperation | undefined {
  const value = ctx.cluster.awsAuth?.data[key];
  if (value === undefined) return undefined;
  const problem = parseAwsAuth({ [key]: value }).problems.find(
    p => p.code === 'AWS_AUTH_PARSE_ERROR',
  );
  if (!problem) return undefined;
  const fixed = value.replace(/^\t+/gm, tabs => '  '.repeat(tabs.length));
  const after = parseAwsAuth({ [key]: fixed }).problems.some(
    p => p.code === 'AWS_AUTH_PARSE_ERROR',
  );
  if (after || fixed === value) return undefined;
  return {
    op: 'AwsAuthRepairYaml',
    key,
    value: fixed,
    problem: `tabs indent it${problem.line ? ` (line ${problem.line})` : ''}`,
  };
}

/** A mis-cased duplicate key (e.g. `maproles` next to `mapRoles`) blocks writing the section. */
function removeMiscasedKeys(
  ctx: PlanContext,
  key: 'mapRoles' | 'mapUsers',
): PlanOperation[] {
  const data = ctx.cluster.awsAuth?.data ?? {};
  return Object.keys(data)
    .filter(k => k !== key && k.toLowerCase() === key.toLowerCase())
    .map(k => ({
      op: 'AwsAuthRepairYaml' as const,
      key: k,
      value: null,
      problem: `EKS ignores "${k}" because its case differs from ${key}, so removing it changes no one's access; the grant writer refuses to touch ${key} while it exists`,
    }));
}

/** Steps that must run before writing `section` of aws-auth, or a reason it cannot be written. */
function awsAuthPreparation(
  ctx: PlanContext,
  section: 'mapRoles' | 'mapUsers',
): PlanOperation[] | string {
  const steps: PlanOperation[] = [...removeMiscasedKeys(ctx, section)];
  const parsed = parseAwsAuth(ctx.cluster.awsAuth?.data ?? {});
  const broken = parsed.problems.find(
    p => p.code === 'AWS_AUTH_PARSE_ERROR' && p.key === section,
  );
  const entryKeyCase = parsed.problems.some(
    p =>
      p.code === 'AWS_AUTH_KEY_CASE' &&
      p.key === section &&
      p.entryIndex !== undefined,
  );
  if (!broken && entryKeyCase) {
    const value = ctx.cluster.awsAuth?.data[section] ?? '';
    const fixed = value.replace(
      /^(\s*-?\s*)(rolearn|userarn|username|groups)(\s*:)/gim,
      (_m, lead: string, k: string, colon: string) =>
        `${lead}${k.toLowerCase()}${colon}`,
    );
    if (
      fixed !== value &&
      !parseAwsAuth({ [section]: fixed }).problems.some(
        p => p.code === 'AWS_AUTH_KEY_CASE',
      )
    ) {
      steps.push({
        op: 'AwsAuthRepairYaml',
        key: section,
        value: fixed,
        problem: 'entry keys with the wrong case, e.g. userARN',
      });
    } else {
      return `aws-auth ${section} has entry keys with the wrong case that Backstage cannot correct safely: an admin must fix them by hand before any mapping can be added.`;
    }
  }
  if (broken) {
    const repair = repairedYaml(ctx, section);
    if (!repair) {
      return `aws-auth ${section} is not valid YAML (${broken.message}) and Backstage cannot repair it safely: an admin must fix it by hand before any mapping can be added.`;
    }
    steps.push(repair);
  }
  return steps;
}

/** The read-only binding for the suggested group, unless RBAC shows it exists. */
function bindingFor(ctx: PlanContext, group: string): PlanOperation[] {
  const rbac = ctx.cluster.rbac;
  if (rbac && groupsBound(rbac, [group]).length) return [];
  return [
    {
      op: 'CreateRoleBinding',
      name: group,
      clusterRole: 'view',
      subject: { kind: 'Group', name: group },
    },
  ];
}

/** One AssociateAccessPolicy step per policy. */
function associations(
  principal: PlanPrincipal,
  policies: PlanPromise['accessPolicies'],
): PlanOperation[] {
  return policies.map(p => ({
    op: 'AssociateAccessPolicy',
    principal,
    policyArn: p.policyArn,
    accessScope: p.accessScope,
  }));
}

function promise(
  username: string | undefined,
  groups: string[],
  accessPolicies: PlanPromise['accessPolicies'] = [],
): PlanPromise {
  return { username, groups, accessPolicies };
}

/** A new access entry with the view policy at cluster scope. */
function accessEntryPlan(ctx: PlanContext): FixPlan {
  const principal = entryPrincipal(ctx);
  const view = policyArn(ctx, VIEW_POLICY);
  const username = ctx.verdict.username;
  return {
    summary: `Create an access entry for ${principal.arn} with read-only access (AmazonEKSViewPolicy, whole cluster); pick another policy or namespaces if you need more or less`,
    steps: [
      { op: 'CreateAccessEntry', principal },
      {
        op: 'AssociateAccessPolicy',
        principal,
        policyArn: view,
        accessScope: { type: 'cluster' },
      },
    ],
    promise: promise(
      username ??
        renderUsername(
          ctx,
          isRole(ctx.identity)
            ? defaultUsernameFor({
                canonicalArn: ctx.identity.canonicalArn,
                kind: ctx.identity.kind,
                partition: ctx.identity.partition,
                accountId: ctx.identity.accountId,
              })
            : ctx.identity.canonicalArn,
        ),
      [],
      [{ policyArn: view, accessScope: { type: 'cluster' } }],
    ),
  };
}

/** A new aws-auth mapping with the read-only group (+ its binding). */
function awsAuthPlan(
  ctx: PlanContext,
  options: {
    username?: string;
    groups?: string[];
    before?: PlanOperation[];
    summary?: string;
  } = {},
): FixPlan | string {
  const section = isRole(ctx.identity) ? 'mapRoles' : 'mapUsers';
  const prep = awsAuthPreparation(ctx, section);
  if (typeof prep === 'string') return prep;
  const template = sessionSafeUsername(
    ctx,
    options.username ??
      defaultUsernameFor({
        canonicalArn: ctx.identity.canonicalArn,
        kind: ctx.identity.kind,
        partition: ctx.identity.partition,
        accountId: ctx.identity.accountId,
      }),
  );
  const groups = options.groups ?? [SUGGESTED_GROUP];
  const bindings = options.groups ? [] : bindingFor(ctx, SUGGESTED_GROUP);
  return {
    summary:
      options.summary ??
      `Map ${ctx.identity.canonicalArn} in aws-auth ${section} with the read-only group ${SUGGESTED_GROUP}`,
    steps: [
      ...prep,
      ...(options.before ?? []),
      {
        op: 'AwsAuthUpsertMapping',
        section,
        arn: ctx.identity.canonicalArn,
        username: template,
        groups,
      },
      ...bindings,
    ],
    promise: promise(renderUsername(ctx, template), groups),
  };
}

/** The aws-auth entry behind a near-miss finding. */
function nearMissEntry(
  ctx: PlanContext,
  code: FindingCode,
):
  | IndexedAwsAuthEntry
  | { mapping: { username: string; groups: string[] } }
  | undefined {
  const key = ctx.identity.canonicalArn.toLowerCase();
  if (code === 'AWS_AUTH_ROLE_ARN_HAS_PATH')
    return ctx.index.awsAuthPathEntries.get(key)?.[0];
  if (code === 'AWS_AUTH_SESSION_ARN')
    return ctx.index.awsAuthSessionEntries.get(key)?.[0];
  const family = ssoFamilyKey(ctx.identity.canonicalArn);
  if (!family) return undefined;
  if (code === 'AWS_AUTH_SSO_SUFFIX_MISMATCH') {
    const own = parseSsoRoleName(
      roleNameOf(ctx.identity.canonicalArn)?.name ?? '',
    );
    return ctx.index.awsAuthSsoEntries
      .get(family)
      ?.find(
        e =>
          parseSsoRoleName(
            roleNameOf(e.arn)?.name ?? '',
          )?.suffix.toLowerCase() !== own?.suffix.toLowerCase(),
      );
  }
  if (code === 'AWS_AUTH_SSO_MATCHER') {
    const m = ctx.index.awsAuthSsoMatchers.get(family)?.[0];
    return m
      ? { mapping: { username: m.username, groups: m.groups } }
      : undefined;
  }
  return undefined;
}

/** What to do when the caller ARN is not one EKS can authenticate. */
export const INVALID_CALLER_DECISION =
  'This is not an identity EKS can authenticate. Run "aws sts get-caller-identity" with the credentials you use for kubectl and check the "Arn" it prints.';

/** The caller ARN itself is wrong: nothing to change on the cluster. */
export function invalidCallerPlans(_ctx: PlanContext): PlanCandidate[] {
  return [INVALID_CALLER_DECISION];
}

/** A node-type entry: only an admin knows whether nodes still use it. */
export function nodeEntryPlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  return [
    `The access entry for ${v.matchedPrincipal} is a node entry and its type cannot change. Only an admin can tell whether nodes use this role: if none does, delete the entry and create a STANDARD one; otherwise use another role for people.`,
  ];
}

/** A mapping for EC2 nodes: changing it could lock the nodes out. */
export function ec2TemplatePlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  return [
    `${
      v.matchedPrincipal ?? 'This role'
    } is set up for EC2 nodes (its username needs {{EC2PrivateDNSName}}). Changing it could lock out the nodes: an admin must decide whether people should use this role at all.`,
  ];
}

/** aws-auth is ignored in API mode: an access entry with what aws-auth gave. */
export function ignoredInApiModePlans(ctx: PlanContext): PlanCandidate[] {
  const m =
    ctx.index.awsAuthRolesByArn.get(ctx.identity.canonicalArn.toLowerCase()) ??
    ctx.index.awsAuthUsersByArn.get(ctx.identity.canonicalArn.toLowerCase());
  if (!m) return [accessEntryPlan(ctx)];
  const principal = entryPrincipal(ctx);
  const plain = m.mapping.groups.filter(g => !g.startsWith('system:'));
  const masters = m.mapping.groups.includes('system:masters');
  // system:masters becomes the admin policy; without groups, read-only.
  let policies: PlanPromise['accessPolicies'] = [];
  if (masters) {
    policies = [
      {
        policyArn: policyArn(ctx, ADMIN_POLICY),
        accessScope: { type: 'cluster' },
      },
    ];
  } else if (!plain.length) {
    policies = [
      {
        policyArn: policyArn(ctx, VIEW_POLICY),
        accessScope: { type: 'cluster' },
      },
    ];
  }
  const username = sessionSafeUsername(ctx, m.mapping.username);
  const reserved = /^(system:|eks:|aws:|amazon:|iam:)/.test(username);
  const entryPlan = (
    granted: PlanPromise['accessPolicies'],
    why: string,
  ): FixPlan => ({
    summary: `Create an access entry for ${principal.arn} with what aws-auth gave it (aws-auth is ignored in API mode)${why}`,
    steps: [
      {
        op: 'CreateAccessEntry',
        principal,
        ...(reserved ? {} : { username }),
        ...(plain.length ? { kubernetesGroups: plain } : {}),
      },
      ...associations(principal, granted),
    ],
    promise: promise(
      reserved ? undefined : renderUsername(ctx, username),
      plain,
      granted,
    ),
  });
  const view = {
    policyArn: policyArn(ctx, VIEW_POLICY),
    accessScope: { type: 'cluster' as const },
  };
  return [
    entryPlan(policies, ''),
    // When RBAC binds none of those groups, they alone grant nothing.
    ...(policies.length
      ? []
      : [
          entryPlan(
            [view],
            `, plus read-only access (AmazonEKSViewPolicy, whole cluster) because nothing in RBAC binds ${plain.join(
              ', ',
            )}`,
          ),
        ]),
  ];
}

/** A dead access entry: delete it, and recreate it only when aws-auth does not let the caller in. */
export function stalePlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  const stale = ctx.cluster.accessEntries?.find(
    e =>
      stripArnPath(e.principalArn).toLowerCase() ===
      ctx.identity.canonicalArn.toLowerCase(),
  );
  if (!stale) return [];
  const principal = { arn: stale.principalArn };
  if (v.decision === 'allowed') {
    // aws-auth lets the identity in; a recreated entry would win over it
    // and drop its groups. Cleaning up the dead entry changes nothing.
    return [
      {
        summary: `Delete the stale access entry for ${
          stale.principalArn
        }: it matches nobody since the principal was recreated. Do not recreate it: aws-auth already lets you in, and a new entry would take precedence and drop your aws-auth groups (${
          (v.groups ?? []).join(', ') || 'none'
        }).`,
        steps: [{ op: 'DeleteAccessEntry', principal }],
        promise: promise(v.username!, v.groups ?? [], v.accessPolicies ?? []),
      },
    ];
  }
  // The same policies; with none and no groups, read-only.
  let policies: PlanPromise['accessPolicies'] = stale.accessPolicies ?? [];
  if (!policies.length && !stale.kubernetesGroups?.length) {
    policies = [
      {
        policyArn: policyArn(ctx, VIEW_POLICY),
        accessScope: { type: 'cluster' as const },
      },
    ];
  }
  return [
    {
      summary: `Recreate the access entry for ${stale.principalArn}: the principal was recreated, so the old entry no longer matches`,
      steps: [
        { op: 'DeleteAccessEntry', principal },
        {
          op: 'CreateAccessEntry',
          principal,
          ...(stale.username ? { username: stale.username } : {}),
          ...(stale.kubernetesGroups?.length
            ? { kubernetesGroups: stale.kubernetesGroups }
            : {}),
        },
        ...associations(principal, policies),
      ],
      promise: promise(
        stale.username === undefined
          ? undefined
          : renderUsername(ctx, stale.username),
        stale.kubernetesGroups ?? [],
        policies,
      ),
    },
  ];
}

/** An aws-auth entry that misses the role: map the role as EKS sees it, keeping the entry's groups. */
export function nearMissPlans(
  ctx: PlanContext,
  code: NearMissCode,
): PlanCandidate[] {
  const wrong = nearMissEntry(ctx, code);
  if (!wrong) return [];
  const username = wrong.mapping.username;
  const groups = wrong.mapping.groups;
  const keepsTemplate = SESSION_TEMPLATE.test(username);
  const summary = `Map ${
    ctx.identity.canonicalArn
  } (the role as EKS sees it) in aws-auth with the groups of the entry that misses it (${
    groups.join(', ') || 'none'
  })${
    keepsTemplate
      ? ''
      : '; the username gets {{SessionName}} so everyone using this role keeps their own name'
  }`;
  const withRemoval =
    'arn' in wrong &&
    (code === 'AWS_AUTH_ROLE_ARN_HAS_PATH' || code === 'AWS_AUTH_SESSION_ARN')
      ? awsAuthPlan(ctx, {
          username,
          groups,
          summary: `${summary}, and remove the entry that never matches (${wrong.arn})`,
          before: [
            {
              op: 'AwsAuthRemoveMapping',
              section: (wrong as IndexedAwsAuthEntry).section,
              arn: (wrong as IndexedAwsAuthEntry).arn,
            },
          ],
        })
      : undefined;
  return [
    ...(withRemoval ? [withRemoval] : []),
    awsAuthPlan(ctx, { username, groups, summary }),
  ];
}

/** An access entry without permissions: associate the read-only policy. */
export function noPermissionsPlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  const principal = { arn: v.matchedPrincipal! };
  const view = {
    policyArn: policyArn(ctx, VIEW_POLICY),
    accessScope: { type: 'cluster' as const },
  };
  return [
    {
      summary: `Associate read-only access (AmazonEKSViewPolicy, whole cluster) with the access entry for ${principal.arn}; pick another policy or namespaces if you need more`,
      steps: [{ op: 'AssociateAccessPolicy', principal, ...view }],
      promise: promise(v.username!, v.groups ?? [], [view]),
    },
  ];
}

/** Signed in without groups: bind the username to the read-only ClusterRole. */
export function noGroupsPlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  return [
    {
      summary: `Bind the username ${v.username} to the read-only ClusterRole view`,
      steps: [
        {
          op: 'CreateRoleBinding',
          name: bindingName(v.username!),
          clusterRole: 'view',
          subject: { kind: 'User', name: v.username! },
        },
      ],
      promise: promise(v.username!, v.groups ?? [], v.accessPolicies ?? []),
    },
  ];
}

/** Groups nothing binds: bind them to the read-only ClusterRole. */
export function rbacNotBoundPlans(ctx: PlanContext): PlanCandidate[] {
  const v = ctx.verdict;
  const groups = (v.groups ?? []).filter(g => !g.startsWith('system:'));
  if (!groups.length) return [];
  return [
    {
      summary: `Nothing in RBAC binds the groups ${groups.join(
        ', ',
      )}: bind them to the read-only ClusterRole view (or to the role the group is meant for)`,
      steps: groups.map(g => ({
        op: 'CreateRoleBinding' as const,
        name: g.replace(/[^a-z0-9.-]+/gi, '-').toLowerCase(),
        clusterRole: 'view',
        subject: { kind: 'Group' as const, name: g },
      })),
      promise: promise(v.username!, v.groups ?? [], v.accessPolicies ?? []),
    },
  ];
}

/** Unreadable data: no fix can be proven. */
export function dataUnavailablePlans(_ctx: PlanContext): PlanCandidate[] {
  return [
    'Backstage could not read all of this cluster’s access data, so no fix can be proven. Ask the platform team to check Backstage’s access to the cluster.',
  ];
}

/** Nothing admits the caller: a new access entry or aws-auth mapping for the cluster's mode. */
export function notMappedPlans(ctx: PlanContext): PlanCandidate[] {
  const mode = ctx.cluster.authenticationMode;
  if (ctx.identity.kind === 'federated-user') {
    return [
      'Federated-user sessions cannot be mapped or given an access entry. Sign in with an IAM role or user that has access instead.',
    ];
  }
  if (mode === 'CONFIG_MAP') return [awsAuthPlan(ctx)];
  return [accessEntryPlan(ctx)];
}
