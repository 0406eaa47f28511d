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

import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  eksAccessCheckIdentityPermission,
  eksAccessDiagnosticsReadPermission,
  eksAccessMigrationApplyPermission,
  eksAccessMigrationPreviewPermission,
  eksAccessOverviewReadPermission,
  eksAccessReadPermission,
  eksAccessRequestAdminPermission,
  eksAccessRequestApprovePermission,
} from '@eks-access/plugin-eks-access-common';
import { EksAccessDemoPermissionPolicy } from './EksAccessDemoPermissionPolicy';

const policy = EksAccessDemoPermissionPolicy.fromConfig(
  new ConfigReader({
    eksAccess: { requests: { adminGroups: ['group:default/platform-team'] } },
  }),
);

function user(ref: string, groups: string[]) {
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  };
}

const alex = user('user:default/alex', ['group:default/platform-team']);
const dana = user('user:default/dana', ['group:default/team-payments']);

describe('EksAccessDemoPermissionPolicy', () => {
  it('lets every signed-in user, and no one else, check a pasted identity', async () => {
    const permission = eksAccessCheckIdentityPermission;
    expect(await policy.handle({ permission }, dana)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets admins approve anywhere and administer', async () => {
    for (const permission of [
      eksAccessRequestApprovePermission,
      eksAccessRequestAdminPermission,
      eksAccessDiagnosticsReadPermission,
    ]) {
      expect(await policy.handle({ permission }, alex)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets other users approve only for clusters they own', async () => {
    expect(
      await policy.handle(
        { permission: eksAccessRequestApprovePermission },
        dana,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/dana', 'group:default/team-payments'],
        },
      },
    });
  });

  it('keeps admin permissions to the admin group and allows the rest', async () => {
    expect(
      await policy.handle(
        { permission: eksAccessRequestAdminPermission },
        dana,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle(
        { permission: eksAccessDiagnosticsReadPermission },
        dana,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: eksAccessReadPermission }, dana),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('keeps the access overview and the migration to admins', async () => {
    for (const permission of [
      eksAccessOverviewReadPermission,
      eksAccessMigrationPreviewPermission,
      eksAccessMigrationApplyPermission,
    ]) {
      expect(await policy.handle({ permission }, alex)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await policy.handle({ permission }, dana)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies approval without a user', async () => {
    expect(
      await policy.handle({ permission: eksAccessRequestApprovePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });
});
