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

import { createHash } from 'node:crypto';
import type { ScenarioIdentityCenter } from '../../scenario/types';

export interface IdentityCenterUser {
  userId: string;
  userName: string;
  email?: string;
  displayName?: string;
}

export interface IdentityCenterGroup {
  groupId: string;
  displayName: string;
  /** userIds */
  members: string[];
}

export interface IdentityCenterPermissionSet {
  arn: string;
  name: string;
  description?: string;
  createdDate: number;
  sessionDuration: string;
}

export interface IdentityCenterAssignment {
  accountId: string;
  permissionSetArn: string;
  principalId: string;
  principalType: 'USER' | 'GROUP';
}

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** Identity Store ids look like UUIDs (some prefixed by ten hex digits); deterministic per scenario. */
function uuid(seed: string): string {
  const h = hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/**
 * The Identity Center instance the sandbox serves: users, groups and
 * memberships (identitystore), permission sets and account assignments
 * (sso-admin), with ids derived from names so they are stable across runs.
 */
export class IdentityCenterDirectory {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly region: string;
  readonly account: string;
  readonly users: IdentityCenterUser[];
  readonly groups: IdentityCenterGroup[];
  readonly permissionSets: IdentityCenterPermissionSet[];
  readonly assignments: IdentityCenterAssignment[];

  constructor(scenario: ScenarioIdentityCenter) {
    this.instanceArn = scenario.instanceArn;
    this.identityStoreId = scenario.identityStoreId;
    this.region = scenario.region;
    this.account = String(scenario.account);
    const instanceId = scenario.instanceArn.split('/').pop() ?? 'ssoins';
    this.users = (scenario.users ?? []).map(u => ({
      userId: uuid(`user|${this.identityStoreId}|${u.userName}`),
      userName: u.userName,
      email: u.email,
      displayName: u.displayName,
    }));
    const userIdOf = (userName: string, where: string) => {
      const user = this.users.find(u => u.userName === userName);
      if (!user) {
        throw new Error(
          `identityCenter: ${where} names unknown user ${userName}`,
        );
      }
      return user.userId;
    };
    this.groups = (scenario.groups ?? []).map(g => ({
      groupId: uuid(`group|${this.identityStoreId}|${g.displayName}`),
      displayName: g.displayName,
      members: (g.members ?? []).map(m =>
        userIdOf(m, `group ${g.displayName}`),
      ),
    }));
    const partition = scenario.instanceArn.split(':')[1] ?? 'aws';
    this.permissionSets = (scenario.permissionSets ?? []).map(p => ({
      arn: `arn:${partition}:sso:::permissionSet/${instanceId}/ps-${hex(
        `ps|${instanceId}|${p.name}`,
      ).slice(0, 16)}`,
      name: p.name,
      description: p.description,
      createdDate: Date.parse(p.createdDate ?? '2024-01-01T00:00:00Z') / 1000,
      sessionDuration: p.sessionDuration ?? 'PT1H',
    }));
    this.assignments = (scenario.assignments ?? []).map(a => {
      const set = this.permissionSets.find(p => p.name === a.permissionSet);
      if (!set) {
        throw new Error(
          `identityCenter: assignment names unknown permission set ${a.permissionSet}`,
        );
      }
      if (Boolean(a.user) === Boolean(a.group)) {
        throw new Error(
          `identityCenter: an assignment of ${a.permissionSet} needs exactly one of user or group`,
        );
      }
      const group = a.group
        ? this.groups.find(g => g.displayName === a.group)
        : undefined;
      if (a.group && !group) {
        throw new Error(
          `identityCenter: assignment names unknown group ${a.group}`,
        );
      }
      return {
        accountId: String(a.account),
        permissionSetArn: set.arn,
        principalId: group
          ? group.groupId
          : userIdOf(a.user!, `assignment of ${a.permissionSet}`),
        principalType: group ? 'GROUP' : 'USER',
      };
    });
  }

  membershipId(groupId: string, userId: string): string {
    return uuid(`membership|${groupId}|${userId}`);
  }
}
