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

import type { FindingCode } from './types';

/**
 * What a finding code means in general, independent of any one cluster or
 * identity: what a person (or an assistant) reads before acting on it.
 * @public
 */
export interface FindingExplanation {
  code: FindingCode;
  /** A few words. */
  title: string;
  /** What EKS does, and why that produces this finding. */
  meaning: string;
  /** How this kind of problem is fixed; the card shows the exact commands for one cluster. */
  fix: string;
  /** Where the behaviour is documented. */
  reference: string;
}

const AWS_AUTH_DOC =
  'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html';
const ACCESS_ENTRIES_DOC =
  'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html';
const TROUBLESHOOTING_DOC =
  'https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html#unauthorized';

// A Record, so that a code added to FindingCode without an explanation is a
// type error rather than a gap an assistant stumbles into.
const CATALOG: Record<FindingCode, Omit<FindingExplanation, 'code'>> = {
  INVALID_CALLER_ARN: {
    title: 'The identity is not one EKS can authenticate',
    meaning:
      'The caller ARN (or the STS answer around it) is malformed or of a kind the authenticator rejects before consulting any mapping, so every request is Unauthorized whatever aws-auth or the access entries say.',
    fix: 'Run `aws sts get-caller-identity` with the credentials kubectl uses and check the ARN; use an IAM user, an IAM role or an assumed-role session.',
    reference: TROUBLESHOOTING_DOC,
  },
  NOT_MAPPED: {
    title: 'Nothing on the cluster admits this identity',
    meaning:
      'No access entry matches the caller, and (in CONFIG_MAP modes) no aws-auth mapping or mapAccounts entry does either, so kubectl gets "You must be logged in to the server (Unauthorized)".',
    fix: 'Create an access entry for the IAM principal and associate an access policy (API modes), or add an aws-auth mapping with groups that a RoleBinding grants (CONFIG_MAP); or request access through the portal.',
    reference: ACCESS_ENTRIES_DOC,
  },
  AWS_AUTH_ROLE_ARN_HAS_PATH: {
    title: 'aws-auth names the role with its path',
    meaning:
      'The authenticator compares aws-auth role ARNs with the caller ARN after stripping the path from the caller only, so an entry written with a path (e.g. aws-reserved/sso.amazonaws.com/) never matches.',
    fix: 'Rewrite the aws-auth rolearn without the path: arn:aws:iam::<account>:role/<RoleName>.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_SESSION_ARN: {
    title: 'aws-auth names an assumed-role session',
    meaning:
      'Callers are canonicalized to their IAM role ARN before matching, so an aws-auth entry with an sts assumed-role session ARN never matches anyone.',
    fix: 'Map the role ARN (arn:aws:iam::<account>:role/<RoleName>) instead of the session ARN.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_SSO_SUFFIX_MISMATCH: {
    title: 'The IAM Identity Center role suffix changed',
    meaning:
      'Identity Center roles are named AWSReservedSSO_<PermissionSet>_<suffix>; the suffix changes when the permission set is re-provisioned, so a mapping written for the old role no longer matches.',
    fix: 'Update the mapping (or access entry) to the role that exists now, found with `aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/`.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_PARSE_ERROR: {
    title: 'aws-auth does not parse',
    meaning:
      'When a mapRoles, mapUsers or mapAccounts value is not valid YAML (as the authenticator reads it), the authenticator drops that whole key: every mapping in it is ignored.',
    fix: 'Repair the YAML of the key (indentation, quoting) before adding or changing any mapping in it.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_ENTRY_INVALID: {
    title: 'An aws-auth entry is ignored',
    meaning:
      'An entry lacks a required field (rolearn/userarn, or a username where one is required) or has an invalid value, and the authenticator drops it.',
    fix: 'Complete or correct the entry.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_KEY_CASE: {
    title: 'An aws-auth key is spelled in the wrong case',
    meaning:
      'The ConfigMap data keys mapRoles, mapUsers and mapAccounts are case-sensitive; a key like MapRoles is ignored entirely. Some authenticator versions also ignore entry fields in the wrong case.',
    fix: 'Rename the key (or field) to its exact spelling.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_IGNORED_IN_API_MODE: {
    title: 'The cluster ignores aws-auth',
    meaning:
      'In API authentication mode EKS reads only access entries; the aws-auth mapping for this identity has no effect.',
    fix: 'Create an access entry for the principal with an access policy or Kubernetes groups.',
    reference: ACCESS_ENTRIES_DOC,
  },
  ACCESS_ENTRY_OVERRIDES_AWS_AUTH: {
    title: 'An access entry takes precedence over aws-auth',
    meaning:
      'When a principal has an access entry, EKS uses it and does not consult aws-auth: groups granted only through aws-auth are lost.',
    fix: 'Give the access entry the groups or access policies the aws-auth mapping granted, or delete the entry if aws-auth should decide.',
    reference: ACCESS_ENTRIES_DOC,
  },
  ACCESS_ENTRY_NO_PERMISSIONS: {
    title: 'The access entry grants nothing',
    meaning:
      'The entry authenticates the principal, but it has no access policy and no Kubernetes groups, so every request is Forbidden.',
    fix: 'Associate an access policy (e.g. AmazonEKSViewPolicy) with the entry, or add groups that a RoleBinding grants.',
    reference: ACCESS_ENTRIES_DOC,
  },
  ACCESS_ENTRY_STALE: {
    title: 'The access entry belongs to a deleted principal',
    meaning:
      'Access entries are bound to the IAM principal that existed when they were created; after the user or role is deleted and recreated with the same name, the entry no longer matches.',
    fix: 'Delete the entry and create it again for the current principal, with the access it should have.',
    reference: ACCESS_ENTRIES_DOC,
  },
  ACCESS_ENTRY_NOT_STANDARD: {
    title: 'The access entry is of a node type',
    meaning:
      'EC2, Fargate and hybrid-node entries admit the principal as a node (system:node:… usernames and node groups), not as a person.',
    fix: 'Use a STANDARD access entry for principals that people assume.',
    reference: ACCESS_ENTRIES_DOC,
  },
  NO_GROUPS: {
    title: 'The mapping has no groups',
    meaning:
      'The identity authenticates, but its aws-auth mapping gives it no Kubernetes groups, so nothing in RBAC grants it anything unless a binding names its username.',
    fix: 'Add groups that a RoleBinding or ClusterRoleBinding grants.',
    reference: AWS_AUTH_DOC,
  },
  CASE_MISMATCH: {
    title: 'The ARN differs only in case',
    meaning:
      'The authenticator compares ARNs case-insensitively, so the identity is admitted, but other tools (and IAM) treat the names as different.',
    fix: 'Write the ARN exactly as IAM spells it.',
    reference: AWS_AUTH_DOC,
  },
  EC2_PRIVATE_DNS_TEMPLATE: {
    title: 'The mapping needs an EC2 instance',
    meaning:
      'A username with {{EC2PrivateDNSName}} can only be rendered for an EC2 instance session; for anyone else the authenticator denies the request.',
    fix: 'Use a separate mapping for people, without {{EC2PrivateDNSName}}.',
    reference: AWS_AUTH_DOC,
  },
  CLUSTER_CREATOR: {
    title: 'Admitted as the cluster creator',
    meaning:
      'The IAM principal that created the cluster may be admitted as kubernetes-admin in system:masters without any visible mapping (when bootstrapClusterCreatorAdminPermissions was on).',
    fix: 'Nothing to fix; consider replacing the hidden access with a visible access entry.',
    reference: ACCESS_ENTRIES_DOC,
  },
  RECENT_CHANGE: {
    title: 'The access changed moments ago',
    meaning:
      'EKS takes a short while to propagate new or changed access entries; an attempt right after a change may still fail.',
    fix: 'Wait a minute and try again.',
    reference: ACCESS_ENTRIES_DOC,
  },
  DATA_UNAVAILABLE: {
    title: 'Part of the cluster data could not be read',
    meaning:
      'The portal could not read a source the cluster consults (access entries or aws-auth), so it cannot give a definite answer.',
    fix: 'Grant the portal the missing read permission named in the finding, or retry when the outage ends.',
    reference: TROUBLESHOOTING_DOC,
  },
  AWS_AUTH_FIELD_TYPE: {
    title: 'An aws-auth field has the wrong type',
    meaning:
      'A field such as groups is written as a string instead of a list (or similar); the authenticator ignores that field.',
    fix: 'Write the field with its proper type (groups as a YAML list).',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_MERGED_GROUPS: {
    title: 'Two groups merged into one',
    meaning:
      'An indentation slip turned two list items into one group name like "system:bootstrappers - system:nodes", which no binding grants.',
    fix: 'Put each group on its own list line.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_DUPLICATE_ARN: {
    title: 'Two aws-auth entries for one ARN',
    meaning:
      'Only one of the entries takes effect, so the other entry’s username and groups are ignored.',
    fix: 'Merge the entries into one.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_SSO_MATCHER: {
    title: 'An sso: entry that EKS ignores',
    meaning:
      'The authenticator’s sso matcher is an alpha feature that EKS does not enable, so the entry never matches.',
    fix: 'Map the Identity Center role ARN (without its path) with rolearn.',
    reference: AWS_AUTH_DOC,
  },
  AWS_AUTH_SHADOWED_DATA: {
    title: 'Part of aws-auth is never read',
    meaning:
      'The authenticator reads aws-auth like Go’s yaml.v2: of a key repeated in one entry only the last value counts, a field spelled twice keeps one value, and documents after the first are ignored. The text that loses is invisible to EKS.',
    fix: 'Remove the shadowed text so that what the ConfigMap says is what EKS reads.',
    reference: AWS_AUTH_DOC,
  },
  RBAC_NOT_BOUND: {
    title: 'Signs in, but nothing grants it anything',
    meaning:
      'The identity authenticates, but no access policy applies and no RoleBinding or ClusterRoleBinding names its username or groups, so Kubernetes answers Forbidden to every request.',
    fix: 'Bind the groups with a RoleBinding or ClusterRoleBinding, or associate an access policy with the access entry.',
    reference:
      'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  },
  ACCESS_ENTRY_UNMATCHABLE: {
    title: 'An access entry that can never match',
    meaning:
      'The entry names a principal no caller can present (a session ARN, or an Identity Center role without its path).',
    fix: 'Delete it and create the entry for the real IAM role ARN, with its path.',
    reference: ACCESS_ENTRIES_DOC,
  },
};

/** Every finding code with its general explanation. @public */
export function explainFindingCode(code: FindingCode): FindingExplanation {
  return { code, ...CATALOG[code] };
}

/** Whether a string is a known finding code. @public */
export function isFindingCode(value: string): value is FindingCode {
  return Object.prototype.hasOwnProperty.call(CATALOG, value);
}

/** All known finding codes, in a stable order. @public */
export const FINDING_CODES: readonly FindingCode[] = Object.keys(
  CATALOG,
) as FindingCode[];
