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
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read one's own access verdicts (card, "My EKS access" page).
 * @public
 */
export const eksAccessReadPermission = createPermission({
  name: 'eks-access.access.read',
  attributes: { action: 'read' },
});

/**
 * Check a pasted IAM identity (ARN or `aws sts get-caller-identity` output)
 * against a cluster. Read-only.
 * @public
 */
export const eksAccessCheckIdentityPermission = createPermission({
  name: 'eks-access.access.check',
  attributes: { action: 'read' },
});

/**
 * Read a cluster's admin diagnostics: aws-auth problems, odd access entries.
 * @public
 */
export const eksAccessDiagnosticsReadPermission = createPermission({
  name: 'eks-access.diagnostics.read',
  attributes: { action: 'read' },
});

/**
 * Ask for access to a cluster.
 * @public
 */
export const eksAccessRequestCreatePermission = createPermission({
  name: 'eks-access.request.create',
  attributes: { action: 'create' },
});

/**
 * Approve or reject access requests for a cluster. A resource permission on
 * the cluster's catalog entity, so that a policy can say "owners of this
 * cluster" with the catalog's own conditions (e.g. `IS_ENTITY_OWNER`).
 * @public
 */
export const eksAccessRequestApprovePermission = createPermission({
  name: 'eks-access.request.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Administer access requests across all clusters: see every request and
 * active grant, revoke any grant.
 * @public
 */
export const eksAccessRequestAdminPermission = createPermission({
  name: 'eks-access.request.admin',
  attributes: { action: 'update' },
});

/**
 * Read one's own recent authentication attempts on a cluster, from the
 * cluster's authenticator log in CloudWatch Logs (only lines whose ARN is one
 * of the caller's identities).
 * @public
 */
export const eksAccessAttemptsReadPermission = createPermission({
  name: 'eks-access.attempts.read',
  attributes: { action: 'read' },
});

/**
 * Read the admin access overview: every principal that can get into each
 * cluster, and the fleet's hygiene findings.
 * @public
 */
export const eksAccessOverviewReadPermission = createPermission({
  name: 'eks-access.overview.read',
  attributes: { action: 'read' },
});

/**
 * Preview a cluster's migration from aws-auth to access entries: the plan,
 * its simulation for every principal, and its renderings. Shows every
 * principal the cluster maps, so it is for admins.
 * @public
 */
export const eksAccessMigrationPreviewPermission = createPermission({
  name: 'eks-access.migration.preview',
  attributes: { action: 'read' },
});

/**
 * Run a stage of a cluster's migration (create the entries, switch the
 * authentication mode, roll back).
 * @public
 */
export const eksAccessMigrationApplyPermission = createPermission({
  name: 'eks-access.migration.apply',
  attributes: { action: 'update' },
});

/**
 * Every permission of the EKS Access plugin.
 * @public
 */
export const eksAccessPermissions = [
  eksAccessReadPermission,
  eksAccessCheckIdentityPermission,
  eksAccessDiagnosticsReadPermission,
  eksAccessRequestCreatePermission,
  eksAccessRequestApprovePermission,
  eksAccessRequestAdminPermission,
  eksAccessAttemptsReadPermission,
  eksAccessOverviewReadPermission,
  eksAccessMigrationPreviewPermission,
  eksAccessMigrationApplyPermission,
];
