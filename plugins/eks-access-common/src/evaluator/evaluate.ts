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

import { parseSsoRoleName, roleNameOf } from './arn';
import { AuthenticatorIdentity, identityFromCaller } from './callerIdentity';
import {
  ClusterAccessIndex,
  IndexedAwsAuthEntry,
  indexClusterAccess,
  isClusterAccessIndex,
  replaceMappingFinding,
  ssoFamilyKey,
} from './clusterIndex';
import {
  accessEntryPrincipalArg,
  accessPolicyArn,
  associateAccessPolicyCommand,
  createAccessEntryCommand,
  defaultUsernameFor,
  deleteAccessEntryCommand,
  editAwsAuthCommands,
  eksctlCreateMappingCommand,
  eksctlDeleteMappingCommand,
  FixCaller,
  FixCluster,
  grantAccessFix,
  SUGGESTED_GROUP,
  shellQuote,
  updateAccessEntryGroupsCommand,
  viewBindingCommand,
  WHO_AM_I,
} from './fixes';
import { renderTemplate } from './templates';
import type {
  AccessCheckInput,
  AccessEntryInfo,
  AccessVerdict,
  CallerInfo,
  Finding,
} from './types';

/**
 * Input of {@link evaluateAccess} with a cluster indexed by
 * {@link indexClusterAccess}.
 * @public
 */
export interface IndexedAccessCheckInput {
  caller: CallerInfo;
  cluster: ClusterAccessIndex;
  /** ISO 8601, for time-based findings. */
  now?: string;
}

const MISSING_BY_MODE = {
  API: 'no access entry',
  CONFIG_MAP: 'no aws-auth mapping',
  API_AND_CONFIG_MAP: 'no access entry and no aws-auth mapping',
};

/** Access entry changes may take this long to apply (eks-auth-spec §5.4 Propagation). */
const RECENT_CHANGE_MS = 2 * 60 * 1000;

const NODE_GROUPS = new Set([
  'system:bootstrappers',
  'system:nodes',
  'system:node-proxier',
]);

/** Access entry types whose default username needs `{{EC2PrivateDNSName}}` (§5.4). */
const EC2_ENTRY_TYPES = new Set([
  'EC2',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'HYPERPOD_LINUX',
]);

/** The username EKS gives an access entry of this type when none is set (§5.4). */
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

/**
 * Decides what EKS would do when `input.caller` calls `input.cluster`, and
 * explains it (eks-auth-spec §6.2). Pure and deterministic: no I/O, no
 * clock (time only via `input.now`).
 *
 * Precedence: in `CONFIG_MAP` mode the cluster creator (`kubernetes-admin`,
 * `system:masters`) first, as EKS loads it before aws-auth; then a matching,
 * not stale access entry (modes with API); then aws-auth `mapRoles` and
 * `mapUsers` (modes with CONFIG_MAP); then `mapAccounts`.
 *
 * `input.cluster` may be raw data or a {@link ClusterAccessIndex} built once
 * with {@link indexClusterAccess}.
 * @public
 */
export function evaluateAccess(
  input: AccessCheckInput | IndexedAccessCheckInput,
): AccessVerdict {
  const index = isClusterAccessIndex(input.cluster)
    ? input.cluster
    : indexClusterAccess(input.cluster);
  return evaluateWithIndex(index, input.caller, input.now);
}

function evaluateWithIndex(
  index: ClusterAccessIndex,
  caller: CallerInfo,
  now: string | undefined,
): AccessVerdict {
  const c = index.cluster;
  const mode = c.authenticationMode;
  const fixCluster: FixCluster = {
    name: c.name,
    region: c.region,
    accountId: c.accountId,
    partition: c.partition,
    authenticationMode: mode,
  };
  const shared = index.sharedFindings;

  let identity: AuthenticatorIdentity;
  try {
    identity = identityFromCaller(caller);
  } catch (e) {
    return {
      decision: 'denied',
      findings: [
        {
          code: 'INVALID_CALLER_ARN',
          severity: 'error',
          message: `"${caller.arn}" is not an identity EKS can authenticate: ${
            (e as Error).message
          }.`,
          fix: {
            summary:
              'Run this with the credentials you use for kubectl and use the "Arn" it prints',
            commands: [WHO_AM_I],
          },
        },
        ...shared,
      ],
    };
  }

  const canonical = identity.canonicalArn;
  const key = canonical.toLowerCase();
  const fixCaller: FixCaller = {
    canonicalArn: canonical,
    kind: identity.kind,
    partition: identity.partition,
    accountId: identity.accountId,
    iamArn: caller.iamArn,
  };
  const own: Finding[] = [];
  const done = (v: Omit<AccessVerdict, 'findings' | 'canonicalArn'>) => ({
    ...v,
    canonicalArn: canonical,
    findings: [...own, ...shared],
  });

  // The CONFIG_MAP creator comes from the MountedFile backend, before aws-auth (§5.1, §5.2).
  if (mode === 'CONFIG_MAP' && index.creatorKey === key) {
    own.push({
      code: 'CLUSTER_CREATOR',
      severity: 'info',
      message: `${canonical} created this cluster, so EKS lets it in as "kubernetes-admin" in system:masters (full admin). This access is not visible in aws-auth and cannot be removed.${
        identity.kind === 'assumed-role' || identity.kind === 'role'
          ? ' Everyone who can assume this role has it.'
          : ''
      }`,
    });
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
      return evaluateEntry(entry);
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
      addStale('error');
      own.push(ec2TemplateFinding(awsAuthMatch));
      return done({ decision: 'denied' });
    }
    addStale('warning');
    if (awsAuthMatch.arn !== canonical) {
      own.push(
        replaceMappingFinding(
          fixCluster,
          'CASE_MISMATCH',
          awsAuthMatch,
          canonical,
          `aws-auth maps ${awsAuthMatch.arn}, which matches ${canonical} only when case is ignored. Current EKS versions ignore case, but old authenticators did not: write it exactly as IAM does.`,
          'Map the ARN with its exact case',
        ),
      );
    }
    addEntriesUnavailableWarning();
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
    addStale('warning');
    own.push(...nearMisses.map(f => ({ ...f, severity: 'warning' as const })));
    addEntriesUnavailableWarning();
    return done(
      admitted('aws-auth-account', canonical, [], identity.accountId),
    );
  }
  own.push(...nearMisses);

  if (!usesAwsAuth && awsAuthMatch) {
    own.push(ignoredInApiModeFinding(awsAuthMatch));
  }
  addStale('error');

  if (entriesUnavailable || awsAuthUnavailable) {
    const missing = [
      entriesUnavailable ? 'the access entries' : undefined,
      awsAuthUnavailable ? 'the aws-auth ConfigMap' : undefined,
    ].filter(Boolean);
    own.push({
      code: 'DATA_UNAVAILABLE',
      severity: 'warning',
      message: `Backstage could not read ${missing.join(' and ')} of ${
        c.name
      }, so it cannot tell whether ${canonical} gets in.`,
      fix: dataUnavailableFix(entriesUnavailable, awsAuthUnavailable),
    });
    return done({ decision: 'unknown' });
  }

  const grant = grantAccessFix(fixCluster, fixCaller);
  own.push({
    code: 'NOT_MAPPED',
    severity: 'error',
    message: `Nothing on ${c.name} lets ${canonical} in (${
      MISSING_BY_MODE[mode]
    }), so kubectl will say "You must be logged in to the server (Unauthorized)". EKS compares ${canonical}: the ARN from "aws sts get-caller-identity" without the session name${
      identity.kind === 'assumed-role' || identity.kind === 'role'
        ? ' and without the role path'
        : ''
    }.${
      mode === 'CONFIG_MAP' && !c.creatorArn
        ? ' Only the identity that created the cluster has hidden admin access.'
        : ''
    }`,
    fix: grant,
  });
  return done({ decision: 'denied' });

  // ---- helpers (closures over the evaluation state) ----

  function admitted(
    via: NonNullable<AccessVerdict['via']>,
    username: string,
    groups: string[],
    matchedPrincipal: string,
  ): Omit<AccessVerdict, 'findings' | 'canonicalArn'> {
    const nothing = groups.length === 0;
    if (nothing) {
      own.push({
        code: 'NO_GROUPS',
        severity: 'warning',
        message: `${canonical} gets in as "${username}" but with no Kubernetes group${
          via === 'aws-auth-account'
            ? ' (its whole account is listed in mapAccounts)'
            : ''
        }, so unless RBAC binds that username, every request gets 403 Forbidden.`,
        fix: {
          summary: `Bind a role to the username "${username}" (read-only shown) or map it to a group`,
          commands: [
            `aws eks update-kubeconfig --name ${shellQuote(
              c.name,
            )} --region ${shellQuote(c.region)}`,
            `kubectl create clusterrolebinding ${bindingName(
              username,
            )} --clusterrole=view --user=${shellQuote(username)}`,
          ],
        },
      });
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

  function evaluateEntry(e: AccessEntryInfo): AccessVerdict {
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
      const fix = {
        summary: `The type of an access entry cannot change. If no ${
          type.startsWith('FARGATE') ? 'Fargate pods' : 'nodes'
        } use ${
          e.principalArn
        }, delete its entry and create a STANDARD one (read-only policy shown)`,
        commands: [
          deleteAccessEntryCommand(fixCluster, e.principalArn),
          createAccessEntryCommand(fixCluster, shellQuote(e.principalArn)),
          associateAccessPolicyCommand(
            fixCluster,
            shellQuote(e.principalArn),
            accessPolicyArn(fixCluster, 'AmazonEKSViewPolicy'),
          ),
        ],
      };
      if (!rendered) {
        own.push({
          code: 'ACCESS_ENTRY_NOT_STANDARD',
          severity: 'error',
          message: `The access entry for ${e.principalArn} is of type ${type}, meant for EC2 nodes: its username needs an EC2 instance session, so any other session of this role is refused (Unauthorized). EKS does not fall back to aws-auth.`,
          fix,
        });
        return done({ decision: 'denied', matchedPrincipal: e.principalArn });
      }
      own.push({
        code: 'ACCESS_ENTRY_NOT_STANDARD',
        severity: 'warning',
        message: `The access entry for ${e.principalArn} is of type ${type}, meant for nodes: you would sign in as the node "${rendered.username}", not as a person, with node permissions only.`,
        fix,
      });
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
      own.push({
        code: 'EC2_PRIVATE_DNS_TEMPLATE',
        severity: 'error',
        message: `The access entry for ${e.principalArn} uses {{EC2PrivateDNSName}} in its username; only EC2 instance sessions can render it, so ${canonical} is refused (Unauthorized).`,
        fix: {
          summary:
            'Give the access entry a username without {{EC2PrivateDNSName}}',
          commands: [
            `aws eks update-access-entry --cluster-name ${shellQuote(
              c.name,
            )} --region ${shellQuote(c.region)} --principal-arn ${shellQuote(
              e.principalArn,
            )} --username ${shellQuote(defaultUsernameFor(fixCaller))}`,
          ],
        },
      });
      return done({ decision: 'denied', matchedPrincipal: e.principalArn });
    }
    const noPermissions = rendered.groups.length === 0 && policies.length === 0;
    if (noPermissions) {
      own.push({
        code: 'ACCESS_ENTRY_NO_PERMISSIONS',
        severity: 'warning',
        message: `The access entry for ${e.principalArn} lets ${canonical} sign in as "${rendered.username}", but it has no access policy and no Kubernetes group: expect 403 Forbidden unless RBAC binds that username.`,
        fix: {
          summary:
            'Associate an access policy with the entry (read-only at cluster scope shown; narrow it to namespaces if needed)',
          commands: [
            associateAccessPolicyCommand(
              fixCluster,
              shellQuote(e.principalArn),
              accessPolicyArn(fixCluster, 'AmazonEKSViewPolicy'),
            ),
          ],
        },
      });
    }
    if (usesAwsAuth && awsAuthMatch)
      own.push(overridesFinding(e, awsAuthMatch));
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
      own.push({
        code: 'RECENT_CHANGE',
        severity: 'info',
        message: `The access entry for ${e.principalArn} changed less than 2 minutes ago. Changes can take a few minutes to apply: if kubectl still says Unauthorized, wait and retry.`,
      });
    }
  }

  function addStale(severity: 'error' | 'warning') {
    if (!staleEntry) return;
    const e = staleEntry;
    staleEntry = undefined;
    const principal = shellQuote(e.principalArn);
    const policies = e.accessPolicies ?? [];
    own.push({
      code: 'ACCESS_ENTRY_STALE',
      severity,
      message: `The access entry for ${e.principalArn} was created (${
        e.createdAt
      }) before the current IAM principal (${
        caller.principalCreatedAt
      }): the principal was deleted and recreated, and EKS binds entries to the old one, so the entry no longer matches${
        severity === 'warning' ? ' (aws-auth lets you in instead)' : ''
      }. It looks unchanged in the console.`,
      // When aws-auth admits the caller, a recreated entry would take
      // precedence and drop the aws-auth groups: only delete the dead entry.
      fix:
        severity === 'warning'
          ? {
              summary:
                'Delete the stale access entry; do not recreate it: aws-auth lets you in, and a new entry would take precedence over aws-auth and drop its groups',
              commands: [deleteAccessEntryCommand(fixCluster, e.principalArn)],
            }
          : {
              summary:
                'Delete the access entry and create it again for the current principal, with the same groups and policies',
              commands: [
                deleteAccessEntryCommand(fixCluster, e.principalArn),
                createAccessEntryCommand(
                  fixCluster,
                  principal,
                  e.kubernetesGroups,
                ),
                ...policies.map(p =>
                  associateAccessPolicyCommand(
                    fixCluster,
                    principal,
                    p.policyArn,
                    p.accessScope,
                  ),
                ),
              ],
            },
    });
  }

  function addEntriesUnavailableWarning() {
    if (!entriesUnavailable) return;
    own.push({
      code: 'DATA_UNAVAILABLE',
      severity: 'warning',
      message: `Backstage could not read the access entries of ${c.name}. aws-auth lets ${canonical} in, but an access entry for it would take precedence.`,
      fix: dataUnavailableFix(true, false),
    });
  }

  function dataUnavailableFix(entries: boolean, awsAuth: boolean) {
    const commands: string[] = [];
    if (entries) {
      commands.push(
        `aws eks list-access-entries --cluster-name ${shellQuote(
          c.name,
        )} --region ${shellQuote(c.region)}`,
      );
    }
    if (awsAuth) {
      commands.push(
        editAwsAuthCommands(fixCluster)[0],
        'kubectl get configmap aws-auth --namespace kube-system --output yaml',
      );
    }
    return {
      summary:
        "Ask the platform team to check Backstage's access to the cluster; meanwhile an admin can look directly",
      commands,
    };
  }

  function ec2TemplateFinding(m: IndexedAwsAuthEntry): Finding {
    const groups = m.mapping.groups.filter(g => !NODE_GROUPS.has(g));
    const newGroups = groups.length ? groups : [SUGGESTED_GROUP];
    return {
      code: 'EC2_PRIVATE_DNS_TEMPLATE',
      severity: 'error',
      message: `aws-auth maps ${m.arn} with the username "${m.mapping.username}". {{EC2PrivateDNSName}} only works for EC2 instance sessions, so ${canonical} (session "${identity.sessionName}") is refused (Unauthorized).`,
      fix: {
        summary:
          'Map the role with a username that does not use {{EC2PrivateDNSName}} (keep the node mapping only for node roles)',
        commands: [
          eksctlDeleteMappingCommand(fixCluster, m.arn),
          eksctlCreateMappingCommand(
            fixCluster,
            canonical,
            defaultUsernameFor(fixCaller),
            newGroups,
          ),
          ...(groups.length ? [] : [viewBindingCommand()]),
        ],
      },
    };
  }

  function overridesFinding(
    e: AccessEntryInfo,
    m: IndexedAwsAuthEntry,
  ): Finding {
    const entryGroups = new Set(e.kubernetesGroups ?? []);
    const missing = m.mapping.groups.filter(g => !entryGroups.has(g));
    const message = `${canonical} has both an access entry and an aws-auth mapping (${
      m.arn
    }). The access entry wins, so the aws-auth groups (${
      m.mapping.groups.join(', ') || 'none'
    }) do not apply.`;
    if (missing.length === 0) {
      return {
        code: 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH',
        severity: 'info',
        message,
      };
    }
    const commands: string[] = [];
    const plain = missing.filter(g => !g.startsWith('system:'));
    if (missing.includes('system:masters')) {
      commands.push(
        associateAccessPolicyCommand(
          fixCluster,
          shellQuote(e.principalArn),
          accessPolicyArn(fixCluster, 'AmazonEKSClusterAdminPolicy'),
        ),
      );
    }
    if (plain.length) {
      commands.push(
        updateAccessEntryGroupsCommand(fixCluster, e.principalArn, [
          ...(e.kubernetesGroups ?? []),
          ...plain,
        ]),
      );
    }
    return {
      code: 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH',
      severity: 'warning',
      message,
      fix: commands.length
        ? {
            summary:
              'If you need what aws-auth grants, add it to the access entry (system: groups are not allowed there: use an access policy)',
            commands,
          }
        : {
            summary:
              'The aws-auth groups are system: groups, which access entries refuse; grant the equivalent with RBAC or an access policy',
            commands: [WHO_AM_I],
          },
    };
  }

  function ignoredInApiModeFinding(m: IndexedAwsAuthEntry): Finding {
    const principal = accessEntryPrincipalArg(fixCaller);
    const plain = m.mapping.groups.filter(g => !g.startsWith('system:'));
    const commands = [createAccessEntryCommand(fixCluster, principal, plain)];
    if (m.mapping.groups.includes('system:masters')) {
      commands.push(
        associateAccessPolicyCommand(
          fixCluster,
          principal,
          accessPolicyArn(fixCluster, 'AmazonEKSClusterAdminPolicy'),
        ),
      );
    } else if (!plain.length) {
      commands.push(
        associateAccessPolicyCommand(
          fixCluster,
          principal,
          accessPolicyArn(fixCluster, 'AmazonEKSViewPolicy'),
        ),
      );
    }
    return {
      code: 'AWS_AUTH_IGNORED_IN_API_MODE',
      severity: 'error',
      message: `aws-auth maps ${m.arn}, but ${c.name} uses authentication mode API, so EKS ignores aws-auth. Only an access entry can let ${canonical} in.`,
      fix: {
        summary: 'Create an access entry with the same groups instead',
        commands,
      },
    };
  }

  function awsAuthNearMisses(): Finding[] {
    const out: Finding[] = [];
    for (const e of index.awsAuthPathEntries.get(key) ?? []) {
      out.push(
        replaceMappingFinding(
          fixCluster,
          'AWS_AUTH_ROLE_ARN_HAS_PATH',
          e,
          canonical,
          `aws-auth maps ${e.arn}, which is your role written with its path${
            /aws-reserved\/sso\.amazonaws\.com/.test(e.arn)
              ? ' (aws-reserved/sso.amazonaws.com/…)'
              : ''
          }. EKS sees role sessions without the path (${canonical}), so this entry never matches.`,
          'Map the role ARN without its path',
          'error',
        ),
      );
    }
    for (const e of index.awsAuthSessionEntries.get(key) ?? []) {
      out.push(
        replaceMappingFinding(
          fixCluster,
          'AWS_AUTH_SESSION_ARN',
          e,
          canonical,
          `aws-auth maps ${e.arn}, a session of your role. EKS compares the role ARN (${canonical}), never a session ARN, so this entry never matches.`,
          'Map the role ARN instead of the session ARN',
          'error',
        ),
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
          replaceMappingFinding(
            fixCluster,
            'AWS_AUTH_SSO_SUFFIX_MISMATCH',
            e,
            canonical,
            `aws-auth maps ${e.arn}: the same IAM Identity Center permission set (${sso.permissionSetName}) but another random suffix (${other.suffix} instead of ${sso.suffix}). The permission set was provisioned again, so the old role no longer exists and this entry never matches.`,
            'Map the current role ARN',
            'error',
          ),
        );
      }
      for (const m of index.awsAuthSsoMatchers.get(family) ?? []) {
        out.push({
          code: 'AWS_AUTH_SSO_MATCHER',
          severity: 'error',
          message: `aws-auth has an "sso:" entry for permission set ${m.sso?.permissionSetName}. EKS does not enable that matcher, so it does not let ${canonical} in.`,
          fix: {
            summary: `Map the role ARN explicitly: ${canonical}`,
            commands: [
              eksctlCreateMappingCommand(
                fixCluster,
                canonical,
                m.username,
                m.groups,
              ),
            ],
          },
        });
      }
    }
    return out;
  }
}

/** A valid ClusterRoleBinding name for a username. */
export function bindingName(username: string): string {
  const slug = username
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `eks-access-view-${slug}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}
