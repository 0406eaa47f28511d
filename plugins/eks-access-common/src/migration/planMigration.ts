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
 * Plans the move of one cluster from aws-auth to access entries: for each
 * mapping EKS loads today, the access entry that gives its principal the
 * same Kubernetes identity, and what cannot be expressed. Works on the
 * evaluator's own index (so duplicates, case, paths and broken YAML are
 * read exactly as the authenticator reads them). Pure: no I/O.
 */

import {
  canonicalizeArnWithKind,
  parseSsoRoleName,
  roleNameOf,
  stripArnPath,
} from '../evaluator/arn';
import { awsAuthArnProblem } from '../evaluator/awsAuth';
import {
  indexClusterAccess,
  type IndexedAwsAuthEntry,
} from '../evaluator/clusterIndex';
import type { PlanAccessScope, PlanPrincipal } from '../evaluator/fixPlan';
import type { RbacSnapshot } from '../evaluator/rbac';
import { hasReservedUsernamePrefix } from '../evaluator/templates';
import type { ClusterAccessData } from '../evaluator/types';
import type {
  MigrationEntry,
  MigrationEntryType,
  MigrationIssue,
  MigrationModeChange,
  MigrationPlan,
} from './types';

/**
 * The groups EKS gives a node access entry, as it writes them in aws-auth
 * for managed node groups and Fargate profiles (eks-auth-spec §5.3). The
 * evaluator reports a node entry with no groups (it has no
 * `kubernetesGroups`); the simulation uses these instead.
 * @public
 */
export const NODE_ENTRY_GROUPS: Readonly<
  Record<Exclude<MigrationEntryType, 'STANDARD'>, readonly string[]>
> = {
  EC2_LINUX: ['system:bootstrappers', 'system:nodes'],
  EC2_WINDOWS: ['system:bootstrappers', 'system:node-proxier', 'system:nodes'],
  FARGATE_LINUX: [
    'system:bootstrappers',
    'system:node-proxier',
    'system:nodes',
  ],
};

const NODE_USERNAMES: Record<
  Exclude<MigrationEntryType, 'STANDARD'>,
  string
> = {
  EC2_LINUX: 'system:node:{{EC2PrivateDNSName}}',
  EC2_WINDOWS: 'system:node:{{EC2PrivateDNSName}}',
  FARGATE_LINUX: 'system:node:{{SessionName}}',
};

const NODE_GROUP_NAMES = new Set(Object.values(NODE_ENTRY_GROUPS).flat());

const NEVER_MATCH_REASON: Record<string, string> = {
  'role-path': ' (a role ARN with a path)',
  'session-arn': ' (a session ARN)',
};

/** ClusterRoles an EKS access policy stands for (eks-auth-spec §5.5). */
const POLICY_FOR_CLUSTER_ROLE: Record<string, string> = {
  'cluster-admin': 'AmazonEKSClusterAdminPolicy',
  admin: 'AmazonEKSAdminPolicy',
  edit: 'AmazonEKSEditPolicy',
  view: 'AmazonEKSViewPolicy',
};

/** Input of {@link planMigration}. @public */
export interface MigrationPlanInput {
  cluster: ClusterAccessData;
  /**
   * The IAM principals the snapshot knows, as full IAM ARNs (with paths).
   * When given, mappings of principals not in it are stale and not migrated,
   * and role paths come from it; when absent, roles are looked up by name.
   */
  iamPrincipals?: readonly string[];
}

const key = (arn: string) => {
  try {
    return stripArnPath(arn).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length &&
  [...a].sort().join('\n') === [...b].sort().join('\n');

/** Renders the template fields whose value the principal alone fixes. */
function renderStatic(
  template: string,
  accountId: string,
  isUser: boolean,
): string {
  let out = template.split('{{AccountID}}').join(accountId);
  if (isUser) {
    // IAM users have an empty session name (eks-auth-spec §4.7).
    out = out.split('{{SessionNameRaw}}').join('');
    out = out.split('{{SessionName}}').join('');
  }
  return out;
}

/** Why a username cannot be an access entry's, or `undefined`. */
function usernameProblem(username: string): string | undefined {
  const placeholders = username.match(/\{\{[^}]*\}\}/g) ?? [];
  const unsupported = placeholders.filter(p => p !== '{{SessionName}}');
  if (unsupported.length) {
    return `access entries render only {{SessionName}} in a username, not ${unsupported.join(
      ', ',
    )}`;
  }
  const at = username.indexOf('{{SessionName}}');
  if (at >= 0 && !username.slice(0, at).includes(':')) {
    return 'EKS needs a ":" before {{SessionName}} in an access entry username';
  }
  return undefined;
}

/** The node entry type a mapping stands for, when it is exactly a node mapping. */
function nodeTypeOf(
  username: string,
  groups: readonly string[],
): Exclude<MigrationEntryType, 'STANDARD'> | undefined {
  const types = Object.keys(NODE_ENTRY_GROUPS) as Exclude<
    MigrationEntryType,
    'STANDARD'
  >[];
  // EC2_LINUX before EC2_WINDOWS: the first whose groups match exactly.
  return types.find(
    t =>
      NODE_USERNAMES[t] === username && sameSet(NODE_ENTRY_GROUPS[t], groups),
  );
}

/** The access policies standing for a group, when RBAC binds it only to well-known ClusterRoles. */
function policiesForGroup(
  rbac: RbacSnapshot,
  group: string,
): { policyName: string; scope: PlanAccessScope }[] | 'unbound' | undefined {
  const bindings = rbac.bindings.filter(b =>
    b.subjects.some(s => s.kind === 'Group' && s.name === group),
  );
  if (!bindings.length) return 'unbound';
  const byPolicy = new Map<string, Set<string> | 'cluster'>();
  for (const b of bindings) {
    const name =
      b.roleRef.kind === 'ClusterRole'
        ? POLICY_FOR_CLUSTER_ROLE[b.roleRef.name]
        : undefined;
    if (!name) return undefined;
    // cluster-admin bound in a namespace is that namespace's admin.
    const policyName =
      b.namespace && name === 'AmazonEKSClusterAdminPolicy'
        ? 'AmazonEKSAdminPolicy'
        : name;
    const current = byPolicy.get(policyName);
    if (!b.namespace) byPolicy.set(policyName, 'cluster');
    else if (current !== 'cluster') {
      byPolicy.set(policyName, new Set([...(current ?? []), b.namespace]));
    }
  }
  return [...byPolicy].map(([policyName, scope]) => ({
    policyName,
    scope:
      scope === 'cluster'
        ? { type: 'cluster' as const }
        : { type: 'namespace' as const, namespaces: [...scope].sort() },
  }));
}

/**
 * The migration plan for one cluster: an access entry per mapping EKS
 * loads today, the cluster creator's entry (CONFIG_MAP clusters hide it),
 * entries for the known principals of `mapAccounts` accounts, the issues,
 * and the mode changes. Check it with {@link simulateMigration}.
 * @public
 */
export function planMigration(input: MigrationPlanInput): MigrationPlan {
  const { cluster } = input;
  const index = indexClusterAccess(cluster);
  const c = index.cluster;
  const mode = c.authenticationMode;
  const policyArn = (name: string) =>
    `arn:${c.partition}:eks::aws:cluster-access-policy/${name}`;
  const entries: MigrationEntry[] = [];
  const issues: MigrationIssue[] = [];
  const covered = new Set<string>();
  const iamByKey = new Map<string, string>();
  for (const arn of input.iamPrincipals ?? []) iamByKey.set(key(arn), arn);
  const iamKnown = input.iamPrincipals !== undefined;

  const modeChanges: MigrationModeChange[] = [];
  if (mode === 'CONFIG_MAP') {
    modeChanges.push({
      from: 'CONFIG_MAP',
      to: 'API_AND_CONFIG_MAP',
      final: false,
    });
  }
  if (mode !== 'API') {
    modeChanges.push({ from: 'API_AND_CONFIG_MAP', to: 'API', final: true });
  }
  const plan = (): MigrationPlan => ({
    cluster: {
      name: c.name,
      region: c.region,
      accountId: c.accountId,
      partition: c.partition,
      authenticationMode: mode,
    },
    entries,
    issues,
    modeChanges,
  });
  if (mode === 'API') return plan();
  if (index.awsAuthState === 'unavailable') {
    issues.push({
      code: 'DATA_UNAVAILABLE',
      severity: 'blocker',
      subject: 'aws-auth',
      message: 'The aws-auth ConfigMap could not be read.',
      action: 'Check that Backstage can read kube-system/aws-auth, then retry.',
    });
    return plan();
  }
  if (mode === 'API_AND_CONFIG_MAP' && !index.accessEntries) {
    issues.push({
      code: 'DATA_UNAVAILABLE',
      severity: 'blocker',
      subject: 'access entries',
      message: 'The access entries could not be read.',
      action: 'Check that Backstage can list the access entries, then retry.',
    });
    return plan();
  }
  for (const existing of index.accessEntriesByArn.keys()) {
    if (mode !== 'CONFIG_MAP') covered.add(existing);
  }

  const principalFor = (arn: string): PlanPrincipal => {
    const known = iamByKey.get(key(arn));
    if (known) return { arn: known };
    const role = roleNameOf(arn);
    if (role) return { arn, lookupRoleName: role.name };
    return { arn };
  };

  // 1. The CONFIG_MAP creator: hidden today, an entry after (§5.2).
  if (mode === 'CONFIG_MAP' && c.creatorArn) {
    const canonical = safeCanonical(c.creatorArn);
    if (canonical) {
      covered.add(key(canonical));
      entries.push({
        source: 'cluster-creator',
        sourceArn: c.creatorArn,
        principal: principalFor(c.creatorArn),
        type: 'STANDARD',
        username: 'kubernetes-admin',
        kubernetesGroups: [],
        accessPolicies: [
          {
            policyArn: policyArn('AmazonEKSClusterAdminPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
        translatedGroups: ['system:masters'],
        notes: [
          'The cluster creator is admin (system:masters) without appearing in aws-auth; access entries cannot grant system:masters, so AmazonEKSClusterAdminPolicy stands for it. EKS may already have created this entry: the apply step then keeps the existing one.',
        ],
      });
    }
  }

  // 2. mapRoles then mapUsers, as the evaluator matches them (the last duplicate wins).
  const mappings: IndexedAwsAuthEntry[] = [...index.awsAuthRolesByArn.values()];
  for (const [k, e] of index.awsAuthUsersByArn) {
    if (!index.awsAuthRolesByArn.has(k)) mappings.push(e);
  }
  for (const m of mappings) planMapping(m);

  // 3. Notes for what EKS never loads or never matches.
  for (const m of index.awsAuth.mapRoles) {
    if (!m.rolearn && m.sso) {
      issues.push({
        code: 'NEVER_MATCHES',
        severity: 'note',
        subject: `sso:${m.sso.permissionSetName}`,
        message: `The sso: entry for permission set ${m.sso.permissionSetName} is ignored by EKS, so it admits nobody today.`,
        action:
          'Nothing to migrate. To give that permission set access, create an entry for its role (full ARN with the aws-reserved path).',
      });
    }
  }
  for (const p of index.awsAuth.problems) {
    if (
      p.code === 'AWS_AUTH_PARSE_ERROR' ||
      p.code === 'AWS_AUTH_ENTRY_INVALID'
    ) {
      issues.push({
        code: 'NOT_LOADED',
        severity: 'note',
        subject: p.key,
        message: `aws-auth: ${p.message}. EKS ignores ${
          p.code === 'AWS_AUTH_PARSE_ERROR'
            ? 'every entry of this key'
            : 'this entry'
        } today, so it is not migrated.`,
        action:
          'If those principals should have access, repair aws-auth first (the cluster diagnostics show the fix) and preview again.',
      });
    }
  }

  // 4. mapAccounts: entries for the known principals of the account; everyone else loses access.
  for (const account of index.awsAuth.mapAccounts) {
    const known = (input.iamPrincipals ?? []).filter(arn => {
      const canonical = safeCanonical(arn);
      return (
        canonical &&
        canonical.split(':')[4] === account &&
        !covered.has(key(canonical))
      );
    });
    for (const arn of known) {
      // The authenticator's canonical ARN: a role without its path (§3).
      const canonical = stripArnPath(safeCanonical(arn)!);
      covered.add(key(canonical));
      entries.push({
        source: 'mapAccounts',
        sourceArn: account,
        principal: { arn },
        type: 'STANDARD',
        // mapAccounts signs principals in as their canonical ARN, with no group (§4.6).
        username: canonical,
        kubernetesGroups: [],
        accessPolicies: [],
        translatedGroups: [],
        notes: [
          `mapAccounts admits every principal of ${account}; this entry keeps ${canonical}'s access.`,
        ],
      });
    }
    issues.push({
      code: 'MAP_ACCOUNTS',
      severity: 'blocker',
      subject: account,
      message: `mapAccounts lets every IAM principal of account ${account} in (as its ARN, with no group). Access entries name principals one by one: the plan creates entries for the ${known.length} principal(s) of that account Backstage knows; any other principal of ${account} loses access in API mode.`,
      action: `Check who in ${account} uses the cluster (the authenticator log shows it), add entries for them, or accept that the others lose access.`,
    });
  }

  return plan();

  function planMapping(m: IndexedAwsAuthEntry) {
    const { arn, mapping } = m;
    const problem = awsAuthArnProblem(arn);
    const parsed = safeParse(arn);
    if (
      problem ||
      !parsed ||
      (parsed.kind !== 'role' && parsed.kind !== 'user')
    ) {
      issues.push({
        code: 'NEVER_MATCHES',
        severity: 'note',
        subject: arn,
        message: `aws-auth ${
          m.section
        } maps ${arn}, which never matches a caller${
          NEVER_MATCH_REASON[problem ?? ''] ?? ''
        }: it admits nobody today.`,
        action:
          'Nothing to migrate: an entry would let in someone who cannot get in today. Remove the mapping when you clean up aws-auth.',
      });
      return;
    }
    const k = key(parsed.canonicalArn);
    if (covered.has(k)) {
      issues.push({
        code: 'ALREADY_HAS_ENTRY',
        severity: 'note',
        subject: arn,
        message:
          mode === 'CONFIG_MAP'
            ? `${arn} is the cluster creator, whose admin access takes precedence over its aws-auth mapping.`
            : `An access entry already governs ${arn}; its aws-auth mapping is shadowed today.`,
        action: 'Nothing to migrate for this mapping.',
      });
      return;
    }
    if (iamKnown && !iamByKey.has(k)) {
      const sso = parseSsoRoleName(roleNameOf(arn)?.name ?? '');
      issues.push({
        code: 'PRINCIPAL_GONE',
        severity: 'note',
        subject: arn,
        message: `${arn} does not exist in IAM${
          sso
            ? ' (the permission set was provisioned again with another suffix)'
            : ''
        }: nobody signs in with it today.`,
        action:
          'Nothing to migrate (EKS refuses entries for principals that do not exist). Remove the stale mapping when you clean up aws-auth.',
      });
      return;
    }
    const accountId = parsed.canonicalArn.split(':')[4];
    const isUser = parsed.kind === 'user';
    const base = {
      source: m.section,
      sourceArn: arn,
      principal: principalFor(parsed.canonicalArn),
    } as const;

    const nodeType = isUser
      ? undefined
      : nodeTypeOf(mapping.username, mapping.groups);
    if (nodeType) {
      if (accountId !== c.accountId) {
        issues.push({
          code: 'NODE_MAPPING',
          severity: 'blocker',
          subject: arn,
          message: `${arn} is mapped as a node, but node access entries must be in the cluster's account (${c.accountId}).`,
          action:
            'Keep this cluster on API_AND_CONFIG_MAP until the nodes use a role of the cluster account.',
        });
        return;
      }
      covered.add(k);
      entries.push({
        ...base,
        type: nodeType,
        kubernetesGroups: [],
        accessPolicies: [],
        translatedGroups: [...mapping.groups],
        notes: [
          `A node mapping (${mapping.username}; ${mapping.groups.join(
            ', ',
          )}): a ${nodeType} entry gives the same node identity.`,
        ],
      });
      return;
    }

    const blockers: MigrationIssue[] = [];
    const notes: string[] = [];
    const username = renderStatic(mapping.username, accountId, isUser);
    if (username !== mapping.username) {
      notes.push(
        `Username template "${mapping.username}" rendered as "${username}".`,
      );
    }
    if (!username.trim()) {
      blockers.push({
        code: 'EMPTY_USERNAME',
        severity: 'blocker',
        subject: arn,
        message: `aws-auth maps ${arn} with an empty username; access entries need one.`,
        action:
          'Give the mapping a username, bind RBAC to it, and preview again.',
      });
    } else if (hasReservedUsernamePrefix(username)) {
      blockers.push({
        code:
          NODE_GROUP_NAMES.has(mapping.groups[0] ?? '') ||
          username.startsWith('system:node:')
            ? 'NODE_MAPPING'
            : 'RESERVED_USERNAME',
        severity: 'blocker',
        subject: arn,
        message: `aws-auth maps ${arn} as "${mapping.username}"${
          username.startsWith('system:node:')
            ? ` with groups ${
                mapping.groups.join(', ') || '(none)'
              }, which is not exactly an EKS node entry`
            : ''
        }. Access entries refuse usernames beginning with system:, eks:, aws:, amazon: or iam:.`,
        action: username.startsWith('system:node:')
          ? 'If it is a node role, give its aws-auth mapping exactly the node groups (system:bootstrappers, system:nodes) and preview again; otherwise choose a username without the reserved prefix and bind RBAC to it.'
          : 'Choose a username without the reserved prefix, bind RBAC to it (RoleBinding subjects of kind User) and preview again.',
      });
    } else {
      const why = usernameProblem(username);
      if (why) {
        blockers.push({
          code: 'UNSUPPORTED_TEMPLATE',
          severity: 'blocker',
          subject: arn,
          message: `aws-auth maps ${arn} as "${mapping.username}": ${why}.`,
          action:
            'Choose a username access entries accept (e.g. with a ":" before {{SessionName}}), update the RBAC User subjects that name the old one, and preview again.',
        });
      }
    }

    const kubernetesGroups: string[] = [];
    const translatedGroups: string[] = [];
    const policies = new Map<string, PlanAccessScope>();
    const addPolicy = (name: string, scope: PlanAccessScope) => {
      const arnOfPolicy = policyArn(name);
      const current = policies.get(arnOfPolicy);
      if (current?.type === 'cluster' || scope.type === 'cluster') {
        policies.set(arnOfPolicy, { type: 'cluster' });
        return;
      }
      policies.set(arnOfPolicy, {
        type: 'namespace',
        namespaces: [
          ...new Set([
            ...(current?.namespaces ?? []),
            ...(scope.namespaces ?? []),
          ]),
        ].sort(),
      });
    };
    for (const raw of mapping.groups) {
      const group = renderStatic(raw, accountId, isUser);
      if (group.includes('{{')) {
        blockers.push({
          code: 'UNSUPPORTED_TEMPLATE',
          severity: 'blocker',
          subject: arn,
          message: `aws-auth maps ${arn} into the group "${raw}": access entries do not render templates in groups.`,
          action:
            'Replace the templated group by fixed groups bound in RBAC, and preview again.',
        });
        continue;
      }
      if (group === 'system:authenticated') {
        translatedGroups.push(group);
        continue;
      }
      if (group === 'system:masters') {
        translatedGroups.push(group);
        addPolicy('AmazonEKSClusterAdminPolicy', { type: 'cluster' });
        notes.push(
          'system:masters is refused in access entries: AmazonEKSClusterAdminPolicy (whole cluster) stands for it.',
        );
        continue;
      }
      if (!group.startsWith('system:')) {
        kubernetesGroups.push(group);
        continue;
      }
      // Another system: group: only expressible through what RBAC binds it to.
      const translation = cluster.rbac
        ? policiesForGroup(cluster.rbac, group)
        : undefined;
      if (translation === 'unbound') {
        translatedGroups.push(group);
        notes.push(
          `${group} is refused in access entries; no RBAC binding names it, so dropping it changes nothing.`,
        );
      } else if (translation) {
        translatedGroups.push(group);
        for (const t of translation) addPolicy(t.policyName, t.scope);
        notes.push(
          `${group} is refused in access entries; RBAC binds it only to ${translation
            .map(t => t.policyName.replace(/^AmazonEKS|Policy$/g, ''))
            .join(', ')}, so the matching access policies stand for it.`,
        );
      } else {
        blockers.push({
          code: 'SYSTEM_GROUP',
          severity: 'blocker',
          subject: arn,
          message: `aws-auth puts ${arn} in ${group}. Access entries refuse system: groups, and ${
            cluster.rbac
              ? 'RBAC binds it to roles no access policy stands for'
              : 'RBAC could not be read to find an equivalent policy'
          }.`,
          action: `Bind the same roles to a group without the system: prefix, map that group instead of ${group}, and preview again.`,
        });
      }
    }

    if (blockers.length) {
      issues.push(...blockers);
      return;
    }
    covered.add(k);
    const eksDefault = isUser
      ? parsed.canonicalArn
      : `arn:${c.partition}:sts::${accountId}:assumed-role/${
          roleNameOf(parsed.canonicalArn)!.name
        }/{{SessionName}}`;
    entries.push({
      ...base,
      type: 'STANDARD',
      ...(username === eksDefault ? {} : { username }),
      kubernetesGroups,
      accessPolicies: [...policies].map(([policyArnValue, accessScope]) => ({
        policyArn: policyArnValue,
        accessScope,
      })),
      translatedGroups,
      notes,
    });
  }
}

function safeParse(arn: string) {
  try {
    return canonicalizeArnWithKind(arn);
  } catch {
    return undefined;
  }
}

function safeCanonical(arn: string): string | undefined {
  return safeParse(arn)?.canonicalArn;
}
