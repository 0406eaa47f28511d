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

import { roleNameOf } from './arn';
import type { AuthenticationMode } from './types';

/*
 * Builders for the exact, copyable commands attached to findings. Pure
 * string building: nothing is run.
 */

/** What the command builders need to know about the cluster. */
export interface FixCluster {
  name: string;
  region: string;
  accountId: string;
  /** The cluster's partition (from its region). */
  partition: string;
  authenticationMode: AuthenticationMode;
}

/** What the command builders need to know about the caller. */
export interface FixCaller {
  /** Canonical ARN (path-less for roles). */
  canonicalArn: string;
  kind: 'user' | 'role' | 'root' | 'assumed-role' | 'federated-user';
  partition: string;
  accountId: string;
  /** The full IAM ARN with path, when known. */
  iamArn?: string;
}

/** The group the suggested aws-auth mappings use, with a read-only binding. */
export const SUGGESTED_GROUP = 'eks-access-viewers';

/** Quotes a shell argument when it contains anything but safe characters. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `--cluster-name X --region Y` for the aws CLI. */
function awsClusterArgs(c: FixCluster): string {
  return `--cluster-name ${shellQuote(c.name)} --region ${shellQuote(
    c.region,
  )}`;
}

/** `--cluster X --region Y` for eksctl. */
function eksctlClusterArgs(c: FixCluster): string {
  return `--cluster ${shellQuote(c.name)} --region ${shellQuote(c.region)}`;
}

/** The policy ARN of an EKS access policy in the cluster's partition. */
export function accessPolicyArn(c: FixCluster, policyName: string): string {
  return `arn:${c.partition}:eks::aws:cluster-access-policy/${policyName}`;
}

/**
 * The principal ARN to put in an access entry: the full IAM ARN with its path
 * (required for roles with a path, e.g. IAM Identity Center roles, §5.4).
 * When the path is unknown, a command substitution asks IAM for it.
 */
export function accessEntryPrincipalArg(caller: FixCaller): string {
  if (caller.iamArn) return shellQuote(caller.iamArn);
  if (caller.kind === 'role' || caller.kind === 'assumed-role') {
    const role = roleNameOf(caller.canonicalArn);
    if (role) {
      return `"$(aws iam get-role --role-name ${shellQuote(
        role.name,
      )} --query Role.Arn --output text)"`;
    }
  }
  return shellQuote(caller.canonicalArn);
}

/** `aws eks create-access-entry` (+ optional groups). */
export function createAccessEntryCommand(
  c: FixCluster,
  principalArg: string,
  kubernetesGroups?: string[],
): string {
  const groups = kubernetesGroups?.length
    ? ` --kubernetes-groups ${kubernetesGroups.map(shellQuote).join(' ')}`
    : '';
  return `aws eks create-access-entry ${awsClusterArgs(
    c,
  )} --principal-arn ${principalArg} --type STANDARD${groups}`;
}

/** `aws eks associate-access-policy` with a cluster or namespace scope. */
export function associateAccessPolicyCommand(
  c: FixCluster,
  principalArg: string,
  policyArn: string,
  scope: { type: 'cluster' | 'namespace'; namespaces?: string[] } = {
    type: 'cluster',
  },
): string {
  const scopeArg =
    scope.type === 'namespace' && scope.namespaces?.length
      ? `type=namespace,namespaces=${scope.namespaces
          .map(shellQuote)
          .join(',')}`
      : 'type=cluster';
  return `aws eks associate-access-policy ${awsClusterArgs(
    c,
  )} --principal-arn ${principalArg} --policy-arn ${shellQuote(
    policyArn,
  )} --access-scope ${scopeArg}`;
}

/** `aws eks delete-access-entry`. */
export function deleteAccessEntryCommand(
  c: FixCluster,
  principalArn: string,
): string {
  return `aws eks delete-access-entry ${awsClusterArgs(
    c,
  )} --principal-arn ${shellQuote(principalArn)}`;
}

/** `aws eks update-access-entry --kubernetes-groups …`. */
export function updateAccessEntryGroupsCommand(
  c: FixCluster,
  principalArn: string,
  groups: string[],
): string {
  return `aws eks update-access-entry ${awsClusterArgs(
    c,
  )} --principal-arn ${shellQuote(principalArn)} --kubernetes-groups ${groups
    .map(shellQuote)
    .join(' ')}`;
}

/** `eksctl create iamidentitymapping`. */
export function eksctlCreateMappingCommand(
  c: FixCluster,
  arn: string,
  username: string,
  groups: string[],
): string {
  const groupArgs = groups.map(g => ` --group ${shellQuote(g)}`).join('');
  const user = username ? ` --username ${shellQuote(username)}` : '';
  return `eksctl create iamidentitymapping ${eksctlClusterArgs(
    c,
  )} --arn ${shellQuote(arn)}${user}${groupArgs} --no-duplicate-arns`;
}

/** `eksctl delete iamidentitymapping`. */
export function eksctlDeleteMappingCommand(c: FixCluster, arn: string): string {
  return `eksctl delete iamidentitymapping ${eksctlClusterArgs(
    c,
  )} --arn ${shellQuote(arn)}`;
}

/** Point kubectl at the cluster, then edit aws-auth. */
export function editAwsAuthCommands(c: FixCluster): string[] {
  return [
    `aws eks update-kubeconfig --name ${shellQuote(
      c.name,
    )} --region ${shellQuote(c.region)}`,
    'kubectl edit configmap aws-auth --namespace kube-system',
  ];
}

/** The read-only binding for {@link SUGGESTED_GROUP}. */
export function viewBindingCommand(): string {
  return `kubectl create clusterrolebinding ${SUGGESTED_GROUP} --clusterrole=view --group=${SUGGESTED_GROUP}`;
}

/** The username EKS gives access entries by default, and a sensible one for aws-auth (§5.4). */
export function defaultUsernameFor(caller: FixCaller): string {
  if (caller.kind === 'role' || caller.kind === 'assumed-role') {
    const role = roleNameOf(caller.canonicalArn);
    if (role) {
      return `arn:${caller.partition}:sts::${caller.accountId}:assumed-role/${role.name}/{{SessionName}}`;
    }
  }
  return caller.canonicalArn;
}

/** `aws sts get-caller-identity`: confirm who you are. */
export const WHO_AM_I = 'aws sts get-caller-identity';

/**
 * The commands that give the caller access in the cluster's mode: an access
 * entry with a read-only policy for modes with API, an aws-auth mapping with
 * a read-only group for CONFIG_MAP.
 */
export function grantAccessFix(
  c: FixCluster,
  caller: FixCaller,
): { summary: string; commands: string[] } {
  if (caller.kind === 'federated-user') {
    return {
      summary:
        'Federated-user sessions cannot get an access entry; sign in with an IAM role or user instead and check who you are',
      commands: [WHO_AM_I],
    };
  }
  if (c.authenticationMode === 'CONFIG_MAP') {
    return {
      summary: `Ask a cluster admin to map ${caller.canonicalArn} in aws-auth (read-only group shown; adjust it), then confirm you call as this identity`,
      commands: [
        eksctlCreateMappingCommand(
          c,
          caller.canonicalArn,
          defaultUsernameFor(caller),
          [SUGGESTED_GROUP],
        ),
        ...editAwsAuthCommands(c).slice(0, 1),
        viewBindingCommand(),
        WHO_AM_I,
      ],
    };
  }
  const principal = accessEntryPrincipalArg(caller);
  return {
    summary: `Ask a cluster admin to create an access entry for your ${
      caller.kind === 'user' ? 'IAM user' : 'role'
    } (read-only policy shown; pick the policy and scope you need), then confirm you call as this identity`,
    commands: [
      createAccessEntryCommand(c, principal),
      associateAccessPolicyCommand(
        c,
        principal,
        accessPolicyArn(c, 'AmazonEKSViewPolicy'),
      ),
      WHO_AM_I,
    ],
  };
}

/** A valid ClusterRoleBinding name for a username. */
export function bindingName(username: string): string {
  const slug = username
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `eks-access-view-${slug}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}
