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
import { identityFromCaller } from './callerIdentity';
import { shellQuote } from './fixes';
import type { AccessVerdict, CallerInfo } from './types';

/**
 * How to point kubectl at a cluster for one identity.
 * @public
 */
export interface KubeconfigGuidance {
  /** `aws eks update-kubeconfig --name … --region …`. */
  command: string;
  /**
   * The same command with `--role-arn`, for a role the developer assumes
   * from other credentials (never a session ARN: always the role ARN).
   */
  roleArnCommand?: string;
  /** Plain-language notes: which credentials to use, `--profile` for IAM Identity Center. */
  notes: string[];
}

/**
 * Builds the `aws eks update-kubeconfig` guidance for a caller and a cluster.
 * When the identity is a role, it also says how to use it: `--profile` for
 * an IAM Identity Center role, `--role-arn <role ARN>` otherwise. The role
 * ARN is the IAM role (with its path when known), never the session ARN.
 * @public
 */
export function kubeconfigGuidance(
  input: {
    caller: CallerInfo;
    /** `accountId`, when known, lets the guidance spot a cross-account cluster. */
    cluster: { name: string; region: string; accountId?: string };
  },
  verdict?: AccessVerdict,
): KubeconfigGuidance {
  const command = `aws eks update-kubeconfig --name ${shellQuote(
    input.cluster.name,
  )} --region ${shellQuote(input.cluster.region)}`;
  const notes: string[] = [];
  if (verdict && verdict.decision !== 'allowed') {
    notes.push(
      'EKS will not let this identity in yet: the command sets up kubectl, but kubectl will answer Unauthorized until access is granted.',
    );
  }
  if (verdict?.via === 'cluster-creator') {
    notes.push('You get in as the cluster creator (kubernetes-admin).');
  }
  let identity;
  try {
    identity = identityFromCaller(input.caller);
  } catch {
    return { command, notes };
  }
  const isRole = identity.kind === 'assumed-role' || identity.kind === 'role';
  const roleArn = input.caller.iamArn ?? identity.canonicalArn;
  const role = isRole ? roleNameOf(roleArn) : undefined;
  const sso = role ? parseSsoRoleName(role.name) : undefined;
  // The --role-arn variant exists only for roles that are not IAM Identity
  // Center roles; never point to it otherwise (it is not shown).
  const roleArnOffered = isRole && !sso;
  if (
    input.cluster.accountId &&
    identity.accountId &&
    identity.accountId !== input.cluster.accountId
  ) {
    // update-kubeconfig calls eks:DescribeCluster, which only works in the
    // cluster's own account; the token kubectl then sends may come from any.
    notes.push(
      `The cluster is in account ${
        input.cluster.accountId
      } and this identity in account ${
        identity.accountId
      }: run the command with credentials that can call eks:DescribeCluster in account ${
        input.cluster.accountId
      }, then make the kubeconfig user authenticate as this identity (set AWS_PROFILE in its exec env${
        roleArnOffered ? ', or use the --role-arn variant' : ''
      }).`,
    );
  }
  if (!isRole) {
    notes.push(
      `Run it with the credentials of ${identity.canonicalArn} (check with "aws sts get-caller-identity").`,
    );
    return { command, notes };
  }
  if (sso) {
    notes.push(
      `This is an IAM Identity Center role (permission set ${sso.permissionSetName}, account ${identity.accountId}): sign in with "aws sso login --profile <profile>" and add "--profile <profile>" to the command, using the profile for that permission set and account. It cannot be used with --role-arn.`,
    );
    return { command, notes };
  }
  notes.push(
    `If your default credentials already are a session of ${identity.canonicalArn}, use the command as is. Otherwise use the --role-arn variant: kubectl will assume ${roleArn} for each token (your credentials must be allowed to assume it).`,
  );
  return {
    command,
    roleArnCommand: `${command} --role-arn ${shellQuote(roleArn)}`,
    notes,
  };
}

/**
 * The `aws eks update-kubeconfig` command for a caller and a cluster, as one
 * string (the form the HTTP API returns). See {@link kubeconfigGuidance}
 * for the `--role-arn` / `--profile` guidance.
 * @public
 */
export function kubeconfigCommand(
  input: { caller: CallerInfo; cluster: { name: string; region: string } },
  verdict?: AccessVerdict,
): string {
  return kubeconfigGuidance(input, verdict).command;
}
