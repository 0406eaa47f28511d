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

import type { UserInfoService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  eksAccessCheckIdentityPermission,
  eksAccessDiagnosticsReadPermission,
  eksAccessMigrationApplyPermission,
  eksAccessMigrationPreviewPermission,
  eksAccessOverviewReadPermission,
  eksAccessRequestAdminPermission,
  eksAccessRequestApprovePermission,
} from '@eks-access/plugin-eks-access-common';

/**
 * The default permission policy of the dev app:
 * - approving requests for a cluster: its owners (the catalog's
 *   `IS_ENTITY_OWNER` condition on the cluster entity) and the admin groups;
 * - request administration and admin diagnostics: the admin groups only;
 * - checking a pasted identity: every signed-in user;
 * - everything else: allowed.
 * Install it with a `permission` backend module (`policyExtensionPoint`).
 * @public
 */
export class EksAccessDemoPermissionPolicy implements PermissionPolicy {
  readonly #adminGroups: Set<string>;
  readonly #userInfo?: UserInfoService;

  /** Reads the admin groups from `eksAccess.requests.adminGroups`. */
  static fromConfig(
    config: Config,
    options: { userInfo?: UserInfoService } = {},
  ): EksAccessDemoPermissionPolicy {
    return new EksAccessDemoPermissionPolicy({
      adminGroups:
        config.getOptionalStringArray('eksAccess.requests.adminGroups') ?? [],
      userInfo: options.userInfo,
    });
  }

  constructor(options: { adminGroups: string[]; userInfo?: UserInfoService }) {
    this.#adminGroups = new Set(
      options.adminGroups.map(g => g.toLocaleLowerCase('en-US')),
    );
    this.#userInfo = options.userInfo;
  }

  async #claims(user?: PolicyQueryUser): Promise<string[]> {
    if (!user) {
      return [];
    }
    if (this.#userInfo && user.credentials) {
      const info = await this.#userInfo.getUserInfo(user.credentials);
      return info.ownershipEntityRefs;
    }
    return user.info?.ownershipEntityRefs ?? [];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, eksAccessCheckIdentityPermission)) {
      // Checking a pasted ARN: every signed-in user (findings about other
      // principals are filtered by the route for non-diagnostics readers).
      return {
        result: user?.info?.userEntityRef
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    const adminOnly =
      isPermission(permission, eksAccessRequestAdminPermission) ||
      isPermission(permission, eksAccessDiagnosticsReadPermission) ||
      // The admin overview and the migration (issue 21) show and change
      // every principal's access.
      isPermission(permission, eksAccessOverviewReadPermission) ||
      isPermission(permission, eksAccessMigrationPreviewPermission) ||
      isPermission(permission, eksAccessMigrationApplyPermission);
    const approve = isPermission(permission, eksAccessRequestApprovePermission);
    if (!adminOnly && !approve) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = await this.#claims(user);
    const isAdmin = claims.some(c =>
      this.#adminGroups.has(c.toLocaleLowerCase('en-US')),
    );
    if (isAdmin) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (adminOnly || claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims },
      },
    };
  }
}
