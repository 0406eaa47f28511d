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
 * The explanation half of the evaluator: one renderer per finding code,
 * turning a decision's reason (code + facts) into the message a developer
 * reads, the commands of its quick fix, and the candidate plans for it as a
 * root cause. All finding prose lives here (findingCatalog.ts holds the
 * general, cluster-independent explanation of each code).
 */

import type { AwsAuthProblem } from './awsAuth';
import type { ClusterAccessIndex } from './clusterIndex';
import type {
  AccessDecision,
  DecidedCaller,
  DecisionReason,
  FindingFacts,
} from './decision';
import {
  accessEntryPrincipalArg,
  accessPolicyArn,
  associateAccessPolicyCommand,
  bindingName,
  createAccessEntryCommand,
  defaultUsernameFor,
  deleteAccessEntryCommand,
  editAwsAuthCommands,
  eksctlCreateMappingCommand,
  eksctlDeleteMappingCommand,
  FixCluster,
  grantAccessFix,
  SUGGESTED_GROUP,
  shellQuote,
  updateAccessEntryGroupsCommand,
  viewBindingCommand,
  WHO_AM_I,
} from './fixes';
import {
  dataUnavailablePlans,
  ec2TemplatePlans,
  ignoredInApiModePlans,
  invalidCallerPlans,
  nearMissPlans,
  noGroupsPlans,
  noPermissionsPlans,
  nodeEntryPlans,
  noPlans,
  notMappedPlans,
  rbacNotBoundPlans,
  stalePlans,
  type PlanCandidate,
  type PlanContext,
} from './planCandidates';
import type { AccessVerdict, Finding, FindingCode } from './types';

/**
 * What a renderer may read besides the facts: the cluster, and the caller
 * for reasons about one identity (absent for cluster-wide reasons).
 * @internal
 */
export interface ExplainContext {
  cluster: FixCluster;
  caller?: DecidedCaller;
}

/**
 * How one finding code is explained: its message and quick-fix commands
 * from the facts, and its candidate plans when it is a root cause.
 * @internal
 */
export interface FindingRenderer<K extends FindingCode> {
  finding(
    facts: FindingFacts[K],
    ctx: ExplainContext,
  ): Pick<Finding, 'message' | 'fix'>;
  plans(ctx: PlanContext): PlanCandidate[];
}

const MISSING_BY_MODE = {
  API: 'no access entry',
  CONFIG_MAP: 'no aws-auth mapping',
  API_AND_CONFIG_MAP: 'no access entry and no aws-auth mapping',
};

const NODE_GROUPS = new Set([
  'system:bootstrappers',
  'system:nodes',
  'system:node-proxier',
]);

/** The caller of an identity reason; a cluster-wide reason has none. */
function callerOf(ctx: ExplainContext): DecidedCaller {
  if (!ctx.caller) {
    throw new Error(
      'This finding is about one identity: the caller is missing',
    );
  }
  return ctx.caller;
}

function isRole(caller: DecidedCaller): boolean {
  return caller.kind === 'assumed-role' || caller.kind === 'role';
}

/** A fix that replaces one aws-auth mapping's ARN with another. */
function replaceMappingFix(
  c: FixCluster,
  facts: {
    mapped: FindingFacts['CASE_MISMATCH']['mapped'];
    correctArn: string;
  },
  summary: string,
): Finding['fix'] {
  const e = facts.mapped;
  return {
    summary: `${summary}: ${facts.correctArn}`,
    commands: [
      eksctlDeleteMappingCommand(c, e.arn),
      eksctlCreateMappingCommand(
        c,
        facts.correctArn,
        e.mapping.username,
        e.mapping.groups,
      ),
    ],
  };
}

/** An aws-auth problem the parser found, with the edit that fixes it. */
function problemFinding(
  c: FixCluster,
  p: AwsAuthProblem,
): Pick<Finding, 'message' | 'fix'> {
  const edit = editAwsAuthCommands(c);
  switch (p.code) {
    case 'AWS_AUTH_PARSE_ERROR':
      return {
        message: `aws-auth: ${p.message}. Every mapping in ${p.key} is lost until it is fixed, node roles included.`,
        fix: {
          summary: `Fix the YAML of ${p.key} in the aws-auth ConfigMap${
            p.line ? ` (line ${p.line})` : ''
          }: use spaces, not tabs, and keep "${p.key}: |"`,
          commands: edit,
        },
      };
    case 'AWS_AUTH_KEY_CASE':
      return {
        message: `aws-auth: ${p.message}.`,
        fix: {
          summary:
            p.entryIndex === undefined
              ? `Rename the data key "${p.key}" with the exact case mapRoles / mapUsers / mapAccounts`
              : `Write the keys of ${p.key} entry ${
                  p.entryIndex + 1
                } in lower case (rolearn, userarn, username, groups)`,
          commands: edit,
        },
      };
    case 'AWS_AUTH_SSO_MATCHER':
      return {
        message: `aws-auth: ${p.message}.`,
        fix: {
          summary:
            'Replace the sso: entry by a rolearn entry naming the IAM Identity Center role without its path (find its name with the first command)',
          commands: [
            "aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/ --query 'Roles[].RoleName' --output text",
            ...edit,
          ],
        },
      };
    default:
      return {
        message: `aws-auth: ${p.message}.`,
        fix: {
          summary: `Correct ${p.key}${
            p.entryIndex !== undefined ? ` entry ${p.entryIndex + 1}` : ''
          } in the aws-auth ConfigMap`,
          commands: edit,
        },
      };
  }
}

const problemRenderer = {
  finding: (facts: { problem: AwsAuthProblem }, ctx: ExplainContext) =>
    problemFinding(ctx.cluster, facts.problem),
  plans: () => noPlans(),
};

function dataUnavailableFix(
  c: FixCluster,
  entries: boolean,
  awsAuth: boolean,
): Finding['fix'] {
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
      editAwsAuthCommands(c)[0],
      'kubectl get configmap aws-auth --namespace kube-system --output yaml',
    );
  }
  return {
    summary:
      "Ask the platform team to check Backstage's access to the cluster; meanwhile an admin can look directly",
    commands,
  };
}

/** The fix of a node-type entry: its type cannot change. */
function nodeEntryFix(
  c: FixCluster,
  principalArn: string,
  type: string,
): Finding['fix'] {
  return {
    summary: `The type of an access entry cannot change. If no ${
      type.startsWith('FARGATE') ? 'Fargate pods' : 'nodes'
    } use ${principalArn}, delete its entry and create a STANDARD one (read-only policy shown)`,
    commands: [
      deleteAccessEntryCommand(c, principalArn),
      createAccessEntryCommand(c, shellQuote(principalArn)),
      associateAccessPolicyCommand(
        c,
        shellQuote(principalArn),
        accessPolicyArn(c, 'AmazonEKSViewPolicy'),
      ),
    ],
  };
}

// Plans are referenced through arrows: planCandidates.ts and clusterIndex.ts
// import each other indirectly, and an arrow resolves the import when called,
// whatever order the modules load in.

/**
 * One renderer per finding code. A mapped type rather than a switch, so a
 * code added to {@link FindingCode} without its message and plans is a type
 * error, and each renderer receives exactly the facts of its code.
 * @internal
 */
export const FINDING_RENDERERS: {
  [K in FindingCode]: FindingRenderer<K>;
} = {
  INVALID_CALLER_ARN: {
    finding: f => ({
      message: `"${f.callerArn}" is not an identity EKS can authenticate: ${f.error}.`,
      fix: {
        summary:
          'Run this with the credentials you use for kubectl and use the "Arn" it prints',
        commands: [WHO_AM_I],
      },
    }),
    plans: ctx => invalidCallerPlans(ctx),
  },

  NOT_MAPPED: {
    finding: (f, ctx) => {
      const caller = callerOf(ctx);
      const c = ctx.cluster;
      const canonical = caller.canonicalArn;
      return {
        message: `Nothing on ${c.name} lets ${canonical} in (${
          MISSING_BY_MODE[c.authenticationMode]
        }), so kubectl will say "You must be logged in to the server (Unauthorized)". EKS compares ${canonical}: the ARN from "aws sts get-caller-identity" without the session name${
          isRole(caller) ? ' and without the role path' : ''
        }.${
          c.authenticationMode === 'CONFIG_MAP' && !f.creatorKnown
            ? ' Only the identity that created the cluster has hidden admin access.'
            : ''
        }`,
        fix: grantAccessFix(c, caller),
      };
    },
    plans: ctx => notMappedPlans(ctx),
  },

  AWS_AUTH_ROLE_ARN_HAS_PATH: {
    finding: (f, ctx) => ({
      message:
        f.scope === 'cluster'
          ? `aws-auth ${f.mapped.section} maps ${f.mapped.arn}, a role ARN with a path. Role sessions are identified without the path, so this entry never matches.`
          : `aws-auth maps ${
              f.mapped.arn
            }, which is your role written with its path${
              /aws-reserved\/sso\.amazonaws\.com/.test(f.mapped.arn)
                ? ' (aws-reserved/sso.amazonaws.com/…)'
                : ''
            }. EKS sees role sessions without the path (${
              f.correctArn
            }), so this entry never matches.`,
      fix: replaceMappingFix(
        ctx.cluster,
        f,
        'Map the role ARN without its path',
      ),
    }),
    plans: ctx => nearMissPlans(ctx, 'AWS_AUTH_ROLE_ARN_HAS_PATH'),
  },

  AWS_AUTH_SESSION_ARN: {
    finding: (f, ctx) => ({
      message:
        f.scope === 'cluster'
          ? `aws-auth ${f.mapped.section} maps the session ARN ${f.mapped.arn}. EKS compares role ARNs, not session ARNs, so this entry never matches.`
          : `aws-auth maps ${f.mapped.arn}, a session of your role. EKS compares the role ARN (${f.correctArn}), never a session ARN, so this entry never matches.`,
      fix: replaceMappingFix(
        ctx.cluster,
        f,
        'Map the role ARN instead of the session ARN',
      ),
    }),
    plans: ctx => nearMissPlans(ctx, 'AWS_AUTH_SESSION_ARN'),
  },

  AWS_AUTH_SSO_SUFFIX_MISMATCH: {
    finding: (f, ctx) => ({
      message: `aws-auth maps ${f.mapped.arn}: the same IAM Identity Center permission set (${f.permissionSetName}) but another random suffix (${f.mappedSuffix} instead of ${f.ownSuffix}). The permission set was provisioned again, so the old role no longer exists and this entry never matches.`,
      fix: replaceMappingFix(ctx.cluster, f, 'Map the current role ARN'),
    }),
    plans: ctx => nearMissPlans(ctx, 'AWS_AUTH_SSO_SUFFIX_MISMATCH'),
  },

  AWS_AUTH_SSO_MATCHER: {
    finding: (f, ctx) => {
      if (f.scope === 'cluster') return problemFinding(ctx.cluster, f.problem);
      const canonical = callerOf(ctx).canonicalArn;
      return {
        message: `aws-auth has an "sso:" entry for permission set ${f.matcher.sso?.permissionSetName}. EKS does not enable that matcher, so it does not let ${canonical} in.`,
        fix: {
          summary: `Map the role ARN explicitly: ${canonical}`,
          commands: [
            eksctlCreateMappingCommand(
              ctx.cluster,
              canonical,
              f.matcher.username,
              f.matcher.groups,
            ),
          ],
        },
      };
    },
    plans: ctx => nearMissPlans(ctx, 'AWS_AUTH_SSO_MATCHER'),
  },

  AWS_AUTH_PARSE_ERROR: problemRenderer,
  AWS_AUTH_ENTRY_INVALID: problemRenderer,
  AWS_AUTH_KEY_CASE: problemRenderer,
  AWS_AUTH_FIELD_TYPE: problemRenderer,
  AWS_AUTH_MERGED_GROUPS: problemRenderer,
  AWS_AUTH_DUPLICATE_ARN: problemRenderer,
  AWS_AUTH_SHADOWED_DATA: problemRenderer,

  AWS_AUTH_IGNORED_IN_API_MODE: {
    finding: (f, ctx) => {
      const c = ctx.cluster;
      if (f.scope === 'cluster') {
        return {
          message: `The aws-auth ConfigMap has ${f.mappingCount} mapping(s), but the cluster's authentication mode is API, so EKS ignores all of them. Only access entries count.`,
        };
      }
      const caller = callerOf(ctx);
      const m = f.mapped;
      const principal = accessEntryPrincipalArg(caller);
      const plain = m.mapping.groups.filter(g => !g.startsWith('system:'));
      const commands = [createAccessEntryCommand(c, principal, plain)];
      if (m.mapping.groups.includes('system:masters')) {
        commands.push(
          associateAccessPolicyCommand(
            c,
            principal,
            accessPolicyArn(c, 'AmazonEKSClusterAdminPolicy'),
          ),
        );
      } else if (!plain.length) {
        commands.push(
          associateAccessPolicyCommand(
            c,
            principal,
            accessPolicyArn(c, 'AmazonEKSViewPolicy'),
          ),
        );
      }
      return {
        message: `aws-auth maps ${m.arn}, but ${c.name} uses authentication mode API, so EKS ignores aws-auth. Only an access entry can let ${caller.canonicalArn} in.`,
        fix: {
          summary: 'Create an access entry with the same groups instead',
          commands,
        },
      };
    },
    plans: ctx => ignoredInApiModePlans(ctx),
  },

  ACCESS_ENTRY_OVERRIDES_AWS_AUTH: {
    finding: ({ entry: e, mapped: m }, ctx) => {
      const c = ctx.cluster;
      const entryGroups = new Set(e.kubernetesGroups ?? []);
      const missing = m.mapping.groups.filter(g => !entryGroups.has(g));
      const message = `${
        callerOf(ctx).canonicalArn
      } has both an access entry and an aws-auth mapping (${
        m.arn
      }). The access entry wins, so the aws-auth groups (${
        m.mapping.groups.join(', ') || 'none'
      }) do not apply.`;
      if (missing.length === 0) return { message };
      const commands: string[] = [];
      const plain = missing.filter(g => !g.startsWith('system:'));
      if (missing.includes('system:masters')) {
        commands.push(
          associateAccessPolicyCommand(
            c,
            shellQuote(e.principalArn),
            accessPolicyArn(c, 'AmazonEKSClusterAdminPolicy'),
          ),
        );
      }
      if (plain.length) {
        commands.push(
          updateAccessEntryGroupsCommand(c, e.principalArn, [
            ...(e.kubernetesGroups ?? []),
            ...plain,
          ]),
        );
      }
      return {
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
    },
    plans: () => noPlans(),
  },

  ACCESS_ENTRY_NO_PERMISSIONS: {
    finding: (f, ctx) => {
      const associate = associateAccessPolicyCommand(
        ctx.cluster,
        shellQuote(f.principalArn),
        accessPolicyArn(ctx.cluster, 'AmazonEKSViewPolicy'),
      );
      if (f.scope === 'cluster') {
        return {
          message: `The access entry for ${f.principalArn} has no access policy and no Kubernetes group: it can sign in but, unless RBAC binds its username, it gets 403 Forbidden on everything.`,
          fix: {
            summary:
              'Associate an access policy (read-only shown) or add Kubernetes groups',
            commands: [associate],
          },
        };
      }
      return {
        message: `The access entry for ${f.principalArn} lets ${
          callerOf(ctx).canonicalArn
        } sign in as "${
          f.username
        }", but it has no access policy and no Kubernetes group: expect 403 Forbidden unless RBAC binds that username.`,
        fix: {
          summary:
            'Associate an access policy with the entry (read-only at cluster scope shown; narrow it to namespaces if needed)',
          commands: [associate],
        },
      };
    },
    plans: ctx => noPermissionsPlans(ctx),
  },

  ACCESS_ENTRY_STALE: {
    finding: ({ entry: e, principalCreatedAt, awsAuthAdmits }, ctx) => {
      const c = ctx.cluster;
      const principal = shellQuote(e.principalArn);
      const policies = e.accessPolicies ?? [];
      return {
        message: `The access entry for ${e.principalArn} was created (${
          e.createdAt
        }) before the current IAM principal (${principalCreatedAt}): the principal was deleted and recreated, and EKS binds entries to the old one, so the entry no longer matches${
          awsAuthAdmits ? ' (aws-auth lets you in instead)' : ''
        }. It looks unchanged in the console.`,
        // When aws-auth admits the caller, a recreated entry would take
        // precedence and drop the aws-auth groups: only delete the dead entry.
        fix: awsAuthAdmits
          ? {
              summary:
                'Delete the stale access entry; do not recreate it: aws-auth lets you in, and a new entry would take precedence over aws-auth and drop its groups',
              commands: [deleteAccessEntryCommand(c, e.principalArn)],
            }
          : {
              summary:
                'Delete the access entry and create it again for the current principal, with the same groups and policies',
              commands: [
                deleteAccessEntryCommand(c, e.principalArn),
                createAccessEntryCommand(c, principal, e.kubernetesGroups),
                ...policies.map(p =>
                  associateAccessPolicyCommand(
                    c,
                    principal,
                    p.policyArn,
                    p.accessScope,
                  ),
                ),
              ],
            },
      };
    },
    plans: ctx => stalePlans(ctx),
  },

  ACCESS_ENTRY_NOT_STANDARD: {
    finding: (f, ctx) => ({
      message:
        f.username === undefined
          ? `The access entry for ${f.principalArn} is of type ${f.type}, meant for EC2 nodes: its username needs an EC2 instance session, so any other session of this role is refused (Unauthorized). EKS does not fall back to aws-auth.`
          : `The access entry for ${f.principalArn} is of type ${f.type}, meant for nodes: you would sign in as the node "${f.username}", not as a person, with node permissions only.`,
      fix: nodeEntryFix(ctx.cluster, f.principalArn, f.type),
    }),
    plans: ctx => nodeEntryPlans(ctx),
  },

  NO_GROUPS: {
    finding: (f, ctx) => ({
      message: `${callerOf(ctx).canonicalArn} gets in as "${
        f.username
      }" but with no Kubernetes group${
        f.wholeAccount ? ' (its whole account is listed in mapAccounts)' : ''
      }, so unless RBAC binds that username, every request gets 403 Forbidden.`,
      fix: {
        summary: `Bind a role to the username "${f.username}" (read-only shown) or map it to a group`,
        commands: [
          `aws eks update-kubeconfig --name ${shellQuote(
            ctx.cluster.name,
          )} --region ${shellQuote(ctx.cluster.region)}`,
          `kubectl create clusterrolebinding ${bindingName(
            f.username,
          )} --clusterrole=view --user=${shellQuote(f.username)}`,
        ],
      },
    }),
    plans: ctx => noGroupsPlans(ctx),
  },

  CASE_MISMATCH: {
    finding: (f, ctx) => ({
      message: `aws-auth maps ${f.mapped.arn}, which matches ${f.correctArn} only when case is ignored. Current EKS versions ignore case, but old authenticators did not: write it exactly as IAM does.`,
      fix: replaceMappingFix(ctx.cluster, f, 'Map the ARN with its exact case'),
    }),
    plans: () => noPlans(),
  },

  EC2_PRIVATE_DNS_TEMPLATE: {
    finding: (f, ctx) => {
      const caller = callerOf(ctx);
      const c = ctx.cluster;
      if (f.source === 'access-entry') {
        return {
          message: `The access entry for ${f.principalArn} uses {{EC2PrivateDNSName}} in its username; only EC2 instance sessions can render it, so ${caller.canonicalArn} is refused (Unauthorized).`,
          fix: {
            summary:
              'Give the access entry a username without {{EC2PrivateDNSName}}',
            commands: [
              `aws eks update-access-entry --cluster-name ${shellQuote(
                c.name,
              )} --region ${shellQuote(c.region)} --principal-arn ${shellQuote(
                f.principalArn,
              )} --username ${shellQuote(defaultUsernameFor(caller))}`,
            ],
          },
        };
      }
      const m = f.mapped;
      const groups = m.mapping.groups.filter(g => !NODE_GROUPS.has(g));
      const newGroups = groups.length ? groups : [SUGGESTED_GROUP];
      return {
        message: `aws-auth maps ${m.arn} with the username "${m.mapping.username}". {{EC2PrivateDNSName}} only works for EC2 instance sessions, so ${caller.canonicalArn} (session "${f.sessionName}") is refused (Unauthorized).`,
        fix: {
          summary:
            'Map the role with a username that does not use {{EC2PrivateDNSName}} (keep the node mapping only for node roles)',
          commands: [
            eksctlDeleteMappingCommand(c, m.arn),
            eksctlCreateMappingCommand(
              c,
              caller.canonicalArn,
              defaultUsernameFor(caller),
              newGroups,
            ),
            ...(groups.length ? [] : [viewBindingCommand()]),
          ],
        },
      };
    },
    plans: ctx => ec2TemplatePlans(ctx),
  },

  CLUSTER_CREATOR: {
    finding: (_f, ctx) => {
      const caller = callerOf(ctx);
      return {
        message: `${
          caller.canonicalArn
        } created this cluster, so EKS lets it in as "kubernetes-admin" in system:masters (full admin). This access is not visible in aws-auth and cannot be removed.${
          isRole(caller) ? ' Everyone who can assume this role has it.' : ''
        }`,
      };
    },
    plans: () => noPlans(),
  },

  RECENT_CHANGE: {
    finding: f => ({
      message: `The access entry for ${f.principalArn} changed less than 2 minutes ago. Changes can take a few minutes to apply: if kubectl still says Unauthorized, wait and retry.`,
    }),
    plans: () => noPlans(),
  },

  DATA_UNAVAILABLE: {
    finding: (f, ctx) => {
      const c = ctx.cluster;
      const canonical = callerOf(ctx).canonicalArn;
      if (f.awsAuthAdmits) {
        return {
          message: `Backstage could not read the access entries of ${c.name}. aws-auth lets ${canonical} in, but an access entry for it would take precedence.`,
          fix: dataUnavailableFix(c, true, false),
        };
      }
      const missing = [
        f.entries ? 'the access entries' : undefined,
        f.awsAuth ? 'the aws-auth ConfigMap' : undefined,
      ].filter(Boolean);
      return {
        message: `Backstage could not read ${missing.join(' and ')} of ${
          c.name
        }, so it cannot tell whether ${canonical} gets in.`,
        fix: dataUnavailableFix(c, f.entries, f.awsAuth),
      };
    },
    plans: ctx => dataUnavailablePlans(ctx),
  },

  ACCESS_ENTRY_UNMATCHABLE: {
    finding: (f, ctx) => ({
      message: `The access entry for ${f.principalArn} can never let anyone in: access entries need an IAM role or user ARN, not an STS session ARN.`,
      fix: {
        summary:
          'Delete it and create the entry for the IAM role or user instead',
        commands: [deleteAccessEntryCommand(ctx.cluster, f.principalArn)],
      },
    }),
    plans: () => noPlans(),
  },

  RBAC_NOT_BOUND: {
    finding: f => {
      const groups = f.groups.filter(g => !g.startsWith('system:'));
      return {
        message: `"${
          f.username
        }" signs in, but no access policy applies and no RoleBinding or ClusterRoleBinding names its username or its groups (${
          f.groups.join(', ') || 'none'
        }), so every request gets 403 Forbidden.`,
        ...(groups.length
          ? {
              fix: {
                summary: `Bind the groups ${groups.join(
                  ', ',
                )} to the read-only ClusterRole view (or to the role the group is meant for)`,
                commands: groups.map(
                  g =>
                    `kubectl create clusterrolebinding ${shellQuote(
                      g.replace(/[^a-z0-9.-]+/gi, '-').toLowerCase(),
                    )} --clusterrole=view --group=${shellQuote(g)}`,
                ),
              },
            }
          : {}),
      };
    },
    plans: ctx => rbacNotBoundPlans(ctx),
  },
};

/** The renderer of a reason's code, applied to its facts. */
function render(
  r: DecisionReason,
  ctx: ExplainContext,
): Pick<Finding, 'message' | 'fix'> {
  // The mapped type ties each code to its facts; TypeScript cannot follow
  // that correlation through a union, hence the one widening here.
  const renderer = FINDING_RENDERERS[r.code] as FindingRenderer<FindingCode>;
  return renderer.finding(r.facts as never, ctx);
}

/**
 * A reason as the finding a developer reads.
 * @internal
 */
export function explainReason(r: DecisionReason, ctx: ExplainContext): Finding {
  const { message, fix } = render(r, ctx);
  return {
    code: r.code,
    severity: r.severity,
    message,
    ...(fix ? { fix } : {}),
  };
}

/** What the renderers need to know about an indexed cluster. @internal */
export function explainCluster(index: ClusterAccessIndex): FixCluster {
  const c = index.cluster;
  return {
    name: c.name,
    region: c.region,
    accountId: c.accountId,
    partition: c.partition,
    authenticationMode: c.authenticationMode,
  };
}

/**
 * A decision explained: the verdict with one finding per reason, then the
 * cluster-wide findings every caller shares.
 * @internal
 */
export function explainDecision(
  decision: AccessDecision,
  index: ClusterAccessIndex,
): AccessVerdict {
  const ctx: ExplainContext = {
    cluster: explainCluster(index),
    caller: decision.caller,
  };
  return {
    ...decision.verdict,
    findings: [
      ...decision.reasons.map(r => explainReason(r, ctx)),
      ...index.sharedFindings,
    ],
  };
}

/**
 * The candidate plans for a root cause, best first.
 * @internal
 */
export function candidatePlans(
  ctx: PlanContext,
  code: FindingCode,
): PlanCandidate[] {
  return FINDING_RENDERERS[code].plans(ctx);
}
