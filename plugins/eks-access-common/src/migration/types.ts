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
 * The data of a migration from aws-auth to access entries: what to create,
 * what cannot be expressed, the mode changes, and what the simulation found.
 * Pure data.
 */

import type { PlanAccessScope, PlanPrincipal } from '../evaluator/fixPlan';
import type { AuthenticationMode } from '../evaluator/types';

/** The access entry types a migration creates. @public */
export type MigrationEntryType =
  | 'STANDARD'
  | 'EC2_LINUX'
  | 'EC2_WINDOWS'
  | 'FARGATE_LINUX';

/** One access entry the migration creates, and the access it replaces. @public */
export interface MigrationEntry {
  /** Where today's access comes from. */
  source: 'mapRoles' | 'mapUsers' | 'mapAccounts' | 'cluster-creator';
  /** The ARN as aws-auth (or the cluster's creator) names it today. */
  sourceArn: string;
  principal: PlanPrincipal;
  type: MigrationEntryType;
  /** Absent: EKS's default username for the type is the same as today's. */
  username?: string;
  kubernetesGroups: string[];
  accessPolicies: { policyArn: string; accessScope: PlanAccessScope }[];
  /** aws-auth groups carried by an access policy (or dropped as granting nothing) instead of the entry. */
  translatedGroups: string[];
  /** Why the entry looks as it does (a template rendered, a group translated...). */
  notes: string[];
}

/** Stable codes of what a migration cannot carry over as is. @public */
export type MigrationIssueCode =
  /** `mapAccounts` admits a whole account; access entries name principals. */
  | 'MAP_ACCOUNTS'
  /** A username beginning with `system:`, `eks:`, `aws:`, `amazon:` or `iam:` (refused for STANDARD entries). */
  | 'RESERVED_USERNAME'
  /** A template access entries do not render (`{{AccessKeyID}}`, `{{SessionNameRaw}}`, `{{EC2PrivateDNSName}}` outside node entries, templates in groups, `{{SessionName}}` without a `:` before it). */
  | 'UNSUPPORTED_TEMPLATE'
  /** A `system:` group other than `system:masters` that RBAC binds to roles an access policy cannot stand for. */
  | 'SYSTEM_GROUP'
  /** A node-like mapping whose groups or username do not match an EKS node entry type, or a node role of another account. */
  | 'NODE_MAPPING'
  /** An aws-auth entry that never matches anyone (role path, session ARN, `sso:` matcher): not migrated. */
  | 'NEVER_MATCHES'
  /** aws-auth entries EKS ignores today (YAML errors, invalid entries): not migrated. */
  | 'NOT_LOADED'
  /** An access entry already governs the principal: its aws-auth mapping is shadowed and not migrated. */
  | 'ALREADY_HAS_ENTRY'
  /** The mapping names an IAM principal that no longer exists: not migrated. */
  | 'PRINCIPAL_GONE'
  /** An empty username (access entries need one). */
  | 'EMPTY_USERNAME'
  /** The data to plan from could not be read. */
  | 'DATA_UNAVAILABLE';

/**
 * Something the migration cannot express, or chose not to carry over.
 * A `blocker` changes someone's access unless the admin acts or accepts it;
 * a `note` changes nobody's access.
 * @public
 */
export interface MigrationIssue {
  code: MigrationIssueCode;
  severity: 'blocker' | 'note';
  /** The ARN, account id or data key concerned. */
  subject: string;
  message: string;
  /** What to do about it. */
  action: string;
}

/** One mode change, in order; `final` cannot be undone (EKS allows no way back). @public */
export interface MigrationModeChange {
  from: AuthenticationMode;
  to: AuthenticationMode;
  final: boolean;
}

/** A migration plan for one cluster. @public */
export interface MigrationPlan {
  cluster: {
    name: string;
    region: string;
    accountId: string;
    partition: string;
    authenticationMode: AuthenticationMode;
  };
  entries: MigrationEntry[];
  issues: MigrationIssue[];
  modeChanges: MigrationModeChange[];
}

/** What one principal gets, in the terms the simulation compares. @public */
export interface MigrationAccessView {
  decision: 'allowed' | 'denied' | 'unknown';
  via?: string;
  username?: string;
  /** Sorted; `system:authenticated` included. */
  groups: string[];
  accessPolicies: string[];
  /** Effective permissions, one `scope: level, secrets` line per scope. */
  permissions: string[];
}

/** How one principal's access would change. @public */
export interface MigrationDifference {
  /** The IAM principal ARN. */
  principal: string;
  /** The session name the simulation signed in with (roles). */
  session?: string;
  /** The mode after which it differs. */
  stage: AuthenticationMode;
  /** `decision`, `username`, `groups`, `permissions`. */
  fields: ('decision' | 'username' | 'groups' | 'permissions')[];
  before: MigrationAccessView;
  after: MigrationAccessView;
}

/** The simulation of a plan against the cluster's snapshot. @public */
export interface MigrationSimulation {
  /** Every principal simulated (IAM ARNs). */
  principals: string[];
  /** Differences per principal and stage; empty when equivalent. */
  differences: MigrationDifference[];
  /** True only when no principal changes at any stage. */
  equivalent: boolean;
  /** "Equivalent for all N principals" or "K of N principals would change". */
  summary: string;
}
