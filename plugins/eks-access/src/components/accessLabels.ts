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

import { ResponseError } from '@backstage/errors';
import type {
  AccessVerdict,
  AuthenticationMode,
  ClusterAccessStatus,
  Finding,
  FindingCode,
} from '@eks-access/plugin-eks-access-common';

/** How the card and the page say which mechanism admitted an identity. */
export const viaLabels: Record<NonNullable<AccessVerdict['via']>, string> = {
  'access-entry': 'access entry',
  'aws-auth-role': 'aws-auth mapRoles',
  'aws-auth-user': 'aws-auth mapUsers',
  'aws-auth-account': 'aws-auth mapAccounts',
  'cluster-creator': 'cluster creator',
};

/** The words shown next to each status icon. */
export const statusLabels: Record<ClusterAccessStatus, string> = {
  allowed: 'Allowed',
  forbidden: 'Forbidden expected',
  denied: 'Denied',
  unknown: 'Unknown',
  'no-identities': 'No identities',
  error: 'Error',
};

/** Authentication modes as the AWS console names them. */
export const authenticationModeLabels: Record<AuthenticationMode, string> = {
  API: 'EKS API',
  API_AND_CONFIG_MAP: 'EKS API and ConfigMap',
  CONFIG_MAP: 'ConfigMap',
};

/** Short titles for the evaluator's finding codes; the message explains. */
const findingTitles: Record<FindingCode, string> = {
  INVALID_CALLER_ARN: 'The identity is not a valid ARN',
  NOT_MAPPED: 'Nothing on the cluster admits this identity',
  AWS_AUTH_ROLE_ARN_HAS_PATH: 'aws-auth names the role with its path',
  AWS_AUTH_SESSION_ARN: 'aws-auth lists a session ARN instead of the role',
  AWS_AUTH_SSO_SUFFIX_MISMATCH:
    'aws-auth maps an older copy of this SSO permission set',
  AWS_AUTH_PARSE_ERROR: 'Part of aws-auth cannot be parsed',
  AWS_AUTH_ENTRY_INVALID: 'An aws-auth entry is invalid and ignored',
  AWS_AUTH_KEY_CASE: 'An aws-auth key has the wrong letter case',
  AWS_AUTH_IGNORED_IN_API_MODE: 'aws-auth is ignored in this cluster’s mode',
  ACCESS_ENTRY_OVERRIDES_AWS_AUTH:
    'An access entry takes precedence over aws-auth',
  ACCESS_ENTRY_NO_PERMISSIONS: 'The access entry grants no permissions',
  ACCESS_ENTRY_STALE: 'The access entry belongs to an earlier principal',
  ACCESS_ENTRY_NOT_STANDARD: 'The access entry is for nodes, not people',
  NO_GROUPS: 'No Kubernetes groups or policies are granted',
  CASE_MISMATCH: 'The ARN matches only when ignoring letter case',
  EC2_PRIVATE_DNS_TEMPLATE: 'The mapping uses a node-only username template',
  CLUSTER_CREATOR: 'Admitted as the cluster creator',
  RECENT_CHANGE: 'Access changed moments ago',
  DATA_UNAVAILABLE: 'Part of the cluster’s access data could not be read',
  AWS_AUTH_FIELD_TYPE: 'An aws-auth field has the wrong type and is ignored',
  AWS_AUTH_MERGED_GROUPS: 'Two aws-auth groups were merged into one',
  AWS_AUTH_DUPLICATE_ARN: 'aws-auth maps the same ARN twice',
  AWS_AUTH_SSO_MATCHER: 'aws-auth uses the sso matcher, which EKS ignores',
  ACCESS_ENTRY_UNMATCHABLE: 'An access entry can never match anyone',
  AWS_AUTH_SHADOWED_DATA: 'Part of aws-auth is never read by EKS',
  RBAC_NOT_BOUND: 'Signs in, but nothing in RBAC binds its groups',
};

/** A short title for a finding, falling back to its code. */
export function findingTitle(finding: Pick<Finding, 'code'>): string {
  // A code newer than this frontend still shows, as itself.
  return findingTitles[finding.code] ?? finding.code;
}

const severityRank: Record<Finding['severity'], number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** Findings most severe first, keeping the evaluator's order within a severity. */
export function sortFindingsBySeverity(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        severityRank[a.finding.severity] - severityRank[b.finding.severity] ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}

/** The one-word status of one verdict, as the page's status column says it. */
export function verdictStatus(
  verdict: Pick<AccessVerdict, 'decision' | 'expectForbidden'>,
): ClusterAccessStatus {
  if (verdict.decision === 'allowed') {
    return verdict.expectForbidden ? 'forbidden' : 'allowed';
  }
  return verdict.decision;
}

/** The short name of an EKS access policy ARN, e.g. `AmazonEKSViewPolicy`. */
export function accessPolicyName(policyArn: string): string {
  const slash = policyArn.lastIndexOf('/');
  return slash >= 0 ? policyArn.slice(slash + 1) : policyArn;
}

/** The server's own explanation of a failed request, else the error message. */
export function errorExplanation(error: Error): string {
  return ResponseError.is(error) ? error.cause.message : error.message;
}
