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
 * Proves a migration plan on the snapshot: every principal the cluster
 * knows signs in (with a node's session and a person's) before, in
 * CONFIG_MAP or API_AND_CONFIG_MAP mode, and after each mode change with
 * the plan's entries, through the evaluator; their verdict, username,
 * groups and effective permissions must not change. Pure: no I/O.
 */

import { canonicalizeArnWithKind, stripArnPath } from '../evaluator/arn';
import { indexClusterAccess } from '../evaluator/clusterIndex';
import { evaluateAccess } from '../evaluator/evaluate';
import { knownPrincipals, sessionCallerFor } from '../evaluator/planSimulation';
import {
  summarizePermissions,
  type PermissionSummary,
} from '../evaluator/rbac';
import type {
  AccessEntryInfo,
  AccessVerdict,
  AuthenticationMode,
  ClusterAccessData,
} from '../evaluator/types';
import { NODE_ENTRY_GROUPS } from './planMigration';
import type {
  MigrationAccessView,
  MigrationDifference,
  MigrationEntry,
  MigrationPlan,
  MigrationSimulation,
} from './types';

/** A node's session (renders `{{EC2PrivateDNSName}}`) and a person's (with the `@` quirk). */
export const MIGRATION_PROBE_SESSIONS = [
  'i-0123456789abcdef0',
  'dana@example.com',
] as const;

const NODE_GROUPS = new Set(Object.values(NODE_ENTRY_GROUPS).flat());

/** The access entries of a plan, as EKS would store them. @public */
export function migrationAccessEntries(plan: MigrationPlan): AccessEntryInfo[] {
  return plan.entries.map(e => ({
    principalArn: e.principal.arn,
    type: e.type,
    ...(e.username !== undefined ? { username: e.username } : {}),
    kubernetesGroups: [...e.kubernetesGroups],
    accessPolicies: e.accessPolicies.map(p => ({
      policyArn: p.policyArn,
      accessScope: p.accessScope,
    })),
  }));
}

/** The cluster after the plan's entries exist and the mode is `mode`. @public */
export function clusterAfterMigration(
  cluster: ClusterAccessData,
  plan: MigrationPlan,
  mode: AuthenticationMode,
): ClusterAccessData {
  const existing =
    cluster.authenticationMode === 'CONFIG_MAP'
      ? []
      : cluster.accessEntries ?? [];
  return {
    ...cluster,
    authenticationMode: mode,
    accessEntries: [...existing, ...migrationAccessEntries(plan)],
  };
}

const lowerKey = (arn: string) => {
  try {
    return stripArnPath(
      canonicalizeArnWithKind(arn).canonicalArn,
    ).toLowerCase();
  } catch {
    return undefined;
  }
};

function permissionLines(summary: PermissionSummary): string[] {
  const all = summary.scopes.find(s => s.namespace === '*');
  const rank = ['none', 'read', 'write', 'admin'];
  const lines = summary.scopes
    // A namespace scope the whole-cluster scope already covers adds nothing.
    .filter(
      s =>
        s === all ||
        !all ||
        rank.indexOf(s.level) > rank.indexOf(all.level) ||
        (s.secrets && !all.secrets),
    )
    .map(
      s =>
        `${s.namespace === '*' ? 'cluster' : s.namespace}: ${s.level}${
          s.secrets ? ', secrets' : ''
        }`,
    );
  if (summary.forbidden) lines.push('forbidden');
  return lines.sort();
}

/**
 * What a verdict gives, as the simulation compares it. Node entries carry
 * the groups EKS gives nodes ({@link NODE_ENTRY_GROUPS}).
 */
export function migrationAccessView(
  verdict: AccessVerdict,
  cluster: ClusterAccessData,
): MigrationAccessView {
  if (verdict.decision !== 'allowed') {
    return {
      decision: verdict.decision,
      groups: [],
      accessPolicies: [],
      permissions: [],
    };
  }
  let groups = verdict.groups ?? [];
  if (verdict.via === 'access-entry') {
    const entry = (cluster.accessEntries ?? []).find(
      e => e.principalArn === verdict.matchedPrincipal,
    );
    const type = (entry?.type ?? 'STANDARD').toUpperCase();
    const nodeGroups =
      NODE_ENTRY_GROUPS[type as keyof typeof NODE_ENTRY_GROUPS];
    if (nodeGroups) groups = [...groups, ...nodeGroups];
  }
  const all = [...new Set([...groups, 'system:authenticated'])].sort();
  const accessPolicies = (verdict.accessPolicies ?? [])
    .map(
      p =>
        `${p.policyArn.split('/').pop()} ${
          p.accessScope.type === 'cluster'
            ? 'cluster'
            : (p.accessScope.namespaces ?? []).join(',')
        }`,
    )
    .sort();
  return {
    decision: 'allowed',
    via: verdict.via,
    username: verdict.username,
    groups: all,
    accessPolicies,
    permissions: permissionLines(
      summarizePermissions(
        {
          username: verdict.username ?? '',
          groups: all,
          accessPolicies: verdict.accessPolicies,
        },
        cluster.rbac,
      ),
    ),
  };
}

/**
 * The groups compared as groups. Other `system:` groups (and
 * `system:masters`) cannot be in an access entry; for them what counts is
 * the effective permissions, which are compared separately.
 */
function comparedGroups(view: MigrationAccessView): string {
  return view.groups
    .filter(
      g =>
        !g.startsWith('system:') ||
        NODE_GROUPS.has(g) ||
        g === 'system:authenticated',
    )
    .join('\n');
}

/** The fields in which two views differ. */
export function differingFields(
  before: MigrationAccessView,
  after: MigrationAccessView,
): MigrationDifference['fields'] {
  const fields: MigrationDifference['fields'] = [];
  if (before.decision !== after.decision) fields.push('decision');
  if (before.decision !== 'allowed' || after.decision !== 'allowed') {
    return fields;
  }
  if (before.username !== after.username) fields.push('username');
  if (comparedGroups(before) !== comparedGroups(after)) fields.push('groups');
  if (before.permissions.join('\n') !== after.permissions.join('\n')) {
    fields.push('permissions');
  }
  return fields;
}

/** Options of {@link simulateMigration}. @public */
export interface MigrationSimulationOptions {
  /** The IAM principals the snapshot knows (full ARNs); they are simulated too. */
  iamPrincipals?: readonly string[];
}

/**
 * Simulates the plan for every principal the cluster knows (its mappings,
 * entries, creator and the IAM principals of the snapshot), at each stage
 * of the mode change, and lists every difference. `equivalent` only when
 * there is none.
 * @public
 */
export function simulateMigration(
  cluster: ClusterAccessData,
  plan: MigrationPlan,
  options: MigrationSimulationOptions = {},
): MigrationSimulation {
  const iamKeys = options.iamPrincipals
    ? new Set(options.iamPrincipals.map(lowerKey))
    : undefined;
  const byKey = new Map<string, string>();
  for (const arn of [
    ...(options.iamPrincipals ?? []),
    ...knownPrincipals(cluster),
    ...plan.entries.map((e: MigrationEntry) => e.principal.arn),
  ]) {
    const k = lowerKey(arn);
    // Principals IAM no longer has cannot sign in: not simulated.
    if (!k || byKey.has(k) || (iamKeys && !iamKeys.has(k))) continue;
    byKey.set(k, arn);
  }
  const principals = [...byKey.values()];
  const differences = plan.modeChanges.flatMap(change =>
    compareMigrationAccess(
      cluster,
      clusterAfterMigration(cluster, plan, change.to),
      principals,
    ),
  );
  // Per principal, then stage: the order the preview lists them.
  const order = new Map(principals.map((p, i) => [p, i]));
  differences.sort((a, b) => order.get(a.principal)! - order.get(b.principal)!);
  const changed = new Set(differences.map(d => d.principal)).size;
  const equivalent = differences.length === 0;
  return {
    principals,
    differences,
    equivalent,
    summary: equivalent
      ? `Equivalent for all ${principals.length} principals`
      : `${changed} of ${principals.length} principals would change`,
  };
}

/**
 * What changes for each principal between two states of a cluster (e.g.
 * the snapshot before a migration and a fresh one after a stage), with the
 * simulation's sessions and comparison. Empty when nobody changes.
 * @public
 */
export function compareMigrationAccess(
  before: ClusterAccessData,
  after: ClusterAccessData,
  principals: readonly string[],
): MigrationDifference[] {
  const beforeIndex = indexClusterAccess(before);
  const afterIndex = indexClusterAccess(after);
  const differences: MigrationDifference[] = [];
  for (const principal of principals) {
    for (const session of MIGRATION_PROBE_SESSIONS) {
      const caller = sessionCallerFor(principal, session);
      if (!caller) continue;
      const isRole = caller.arn.includes(':assumed-role/');
      const was = migrationAccessView(
        evaluateAccess({ caller, cluster: beforeIndex }),
        before,
      );
      const is = migrationAccessView(
        evaluateAccess({ caller, cluster: afterIndex }),
        after,
      );
      const fields = differingFields(was, is);
      if (fields.length) {
        differences.push({
          principal,
          ...(isRole ? { session } : {}),
          stage: after.authenticationMode,
          fields,
          before: was,
          after: is,
        });
      }
      // Users have no session: one probe is enough.
      if (!isRole) break;
    }
  }
  return differences;
}
