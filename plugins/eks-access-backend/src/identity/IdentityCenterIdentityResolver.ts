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

import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  paginateListGroupMembershipsForMember,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  SSOAdminClient,
  paginateListAccountAssignmentsForPrincipal,
} from '@aws-sdk/client-sso-admin';
import { paginateListRoles, type IAMClient } from '@aws-sdk/client-iam';
import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import {
  parseArn,
  parseIamPrincipalsAnnotation,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { awsSourceError } from '../aws/sourceErrors';
import { toResolvedIdentity } from './AnnotationIdentityResolver';
import type {
  IdentityResolution,
  IdentityResolver,
  IdentityResolverContext,
} from './IdentityResolver';

/** Every problem this resolver reports starts with this, so the card can tell them apart. */
export const IDENTITY_CENTER_PROBLEM_PREFIX = 'IAM Identity Center: ';

/** The path IAM Identity Center gives every permission set role. */
export const SSO_ROLE_PATH_PREFIX = '/aws-reserved/sso.amazonaws.com/';

/** `eksAccess.identity.identityCenter`, with defaults applied. */
export interface IdentityCenterConfig {
  instanceArn: string;
  identityStoreId: string;
  /** The region of the Identity Center instance. */
  region: string;
  /** The account Backstage reads Identity Center from (management or delegated administrator). */
  accountId: string;
  /** Where the Identity Store userName (or email) of a signed-in user comes from. */
  userFrom: 'email' | 'entityName' | 'annotation';
  /** With `userFrom: annotation`: the annotation on the User entity. */
  userAnnotation: string;
  /** The Identity Store attribute the value is matched against. */
  matchAttribute: 'userName' | 'email';
  cacheTtlMs: number;
  endpoints: { identitystore?: string; sso?: string };
}

/** What the resolver needs from Backstage's AWS side. */
export interface IdentityCenterAws {
  /** Backstage's credentials in an account. */
  credentialProvider(accountId: string): AwsCredentialIdentityProvider;
  /** An IAM client with Backstage's credentials in an account. */
  iam(target: { accountId: string; partition: string }): IAMClient;
}

interface Assignment {
  accountId: string;
  permissionSetArn: string;
  through: string;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds a developer's AWS identities in IAM Identity Center: their Identity
 * Store user, group memberships, the account assignments of the user and of
 * each group, and per assignment the permission set role IAM holds in that
 * account (found by name, so a re-provisioned set's new suffix is used).
 * The session name is the Identity Store userName, as Identity Center sets
 * it. Answers are cached per user; AWS errors become problems, never throws.
 */
export class IdentityCenterIdentityResolver implements IdentityResolver {
  readonly id = 'identityCenter';
  readonly #config: IdentityCenterConfig;
  readonly #aws: IdentityCenterAws;
  readonly #store: IdentitystoreClient;
  readonly #sso: SSOAdminClient;
  readonly #pageSize?: number;
  readonly #now: () => number;
  readonly #cache = new Map<
    string,
    { expiresAt: number; value: Promise<IdentityResolution> }
  >();

  constructor(options: {
    config: IdentityCenterConfig;
    aws: IdentityCenterAws;
    /** Page size of every list call (tests use small pages); AWS defaults otherwise. */
    pageSize?: number;
    now?: () => number;
  }) {
    this.#config = options.config;
    this.#aws = options.aws;
    this.#pageSize = options.pageSize;
    this.#now = options.now ?? Date.now;
    const credentials = options.aws.credentialProvider(
      options.config.accountId,
    );
    this.#store = new IdentitystoreClient({
      region: options.config.region,
      endpoint: options.config.endpoints.identitystore,
      credentials,
    });
    this.#sso = new SSOAdminClient({
      region: options.config.region,
      endpoint: options.config.endpoints.sso,
      credentials,
    });
  }

  async resolve(context: IdentityResolverContext): Promise<IdentityResolution> {
    const lookup = this.#lookupValue(context);
    if (!lookup.value) {
      return {
        identities: [],
        problems: [`${IDENTITY_CENTER_PROBLEM_PREFIX}${lookup.problem}`],
      };
    }
    const key = `${this.#config.matchAttribute}:${lookup.value.toLowerCase()}`;
    const now = this.#now();
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt > now) {
      return cached.value;
    }
    const value = this.#resolveUser(lookup.value);
    const entry = { expiresAt: now + this.#config.cacheTtlMs, value };
    this.#cache.set(key, entry);
    // A resolution with problems (denied, throttled) is retried soon.
    value.then(result => {
      if (result.problems.length > 0 && this.#cache.get(key) === entry) {
        entry.expiresAt = Math.min(entry.expiresAt, this.#now() + 30_000);
      }
    });
    return value;
  }

  #lookupValue(context: IdentityResolverContext): {
    value?: string;
    problem?: string;
  } {
    const entity: Entity | undefined = context.userEntity;
    switch (this.#config.userFrom) {
      case 'entityName':
        return { value: parseEntityRef(context.userEntityRef).name };
      case 'annotation': {
        const value =
          entity?.metadata.annotations?.[this.#config.userAnnotation];
        return value?.trim()
          ? { value: value.trim() }
          : {
              problem: `${context.userEntityRef} has no ${
                this.#config.userAnnotation
              } annotation to find its Identity Store user by.`,
            };
      }
      default: {
        const email = (entity?.spec as { profile?: { email?: unknown } })
          ?.profile?.email;
        return typeof email === 'string' && email.trim()
          ? { value: email.trim() }
          : {
              problem: `${context.userEntityRef} has no profile email to find its Identity Store user by.`,
            };
      }
    }
  }

  async #resolveUser(lookupValue: string): Promise<IdentityResolution> {
    const problems: string[] = [];
    const fail = (error: unknown, action: string, what: string) => {
      problems.push(
        `${IDENTITY_CENTER_PROBLEM_PREFIX}${
          awsSourceError(error, action, what).message
        }`,
      );
    };
    const storeId = this.#config.identityStoreId;

    let userId: string;
    let userName = lookupValue;
    try {
      const found = await this.#store.send(
        new GetUserIdCommand({
          IdentityStoreId: storeId,
          AlternateIdentifier: {
            UniqueAttribute: {
              AttributePath:
                this.#config.matchAttribute === 'email'
                  ? 'emails.value'
                  : 'userName',
              AttributeValue: lookupValue,
            },
          },
        }),
      );
      userId = found.UserId!;
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') {
        return {
          identities: [],
          problems: [
            `${IDENTITY_CENTER_PROBLEM_PREFIX}the Identity Store has no user whose ${
              this.#config.matchAttribute
            } is ${lookupValue}.`,
          ],
        };
      }
      fail(error, 'identitystore:GetUserId', 'find your Identity Store user');
      return { identities: [], problems };
    }
    if (this.#config.matchAttribute === 'email') {
      // The session name Identity Center uses is the userName, not the email.
      userName = (await this.#userName(storeId, userId, fail)) ?? lookupValue;
    }

    const principals: Array<{
      id: string;
      type: 'USER' | 'GROUP';
      through: string;
    }> = [{ id: userId, type: 'USER', through: 'user' }];
    try {
      for await (const page of paginateListGroupMembershipsForMember(
        { client: this.#store, pageSize: this.#pageSize },
        { IdentityStoreId: storeId, MemberId: { UserId: userId } },
      )) {
        for (const membership of page.GroupMemberships ?? []) {
          if (membership.GroupId) {
            principals.push({
              id: membership.GroupId,
              type: 'GROUP',
              through: `group ${membership.GroupId}`,
            });
          }
        }
      }
    } catch (error) {
      fail(
        error,
        'identitystore:ListGroupMembershipsForMember',
        'list your Identity Center groups',
      );
    }

    const assignments: Assignment[] = [];
    for (const principal of principals) {
      try {
        let any = false;
        for await (const page of paginateListAccountAssignmentsForPrincipal(
          { client: this.#sso, pageSize: this.#pageSize },
          {
            InstanceArn: this.#config.instanceArn,
            PrincipalId: principal.id,
            PrincipalType: principal.type,
          },
        )) {
          for (const a of page.AccountAssignments ?? []) {
            if (a.AccountId && a.PermissionSetArn) {
              any = true;
              assignments.push({
                accountId: a.AccountId,
                permissionSetArn: a.PermissionSetArn,
                through: principal.through,
              });
            }
          }
        }
        if (any && principal.type === 'GROUP') {
          const name = await this.#groupName(storeId, principal.id);
          for (const a of assignments) {
            if (a.through === principal.through) a.through = `group ${name}`;
          }
        }
      } catch (error) {
        fail(
          error,
          'sso:ListAccountAssignmentsForPrincipal',
          'list your Identity Center account assignments',
        );
        break;
      }
    }

    const setNames = new Map<string, string | undefined>();
    for (const arn of new Set(assignments.map(a => a.permissionSetArn))) {
      try {
        const { PermissionSet } = await this.#sso.send(
          new DescribePermissionSetCommand({
            InstanceArn: this.#config.instanceArn,
            PermissionSetArn: arn,
          }),
        );
        setNames.set(arn, PermissionSet?.Name);
      } catch (error) {
        fail(
          error,
          'sso:DescribePermissionSet',
          'read the permission sets assigned to you',
        );
        setNames.set(arn, undefined);
      }
    }

    // One identity per (account, permission set); remember every way it was assigned.
    const grouped = new Map<
      string,
      { accountId: string; name: string; through: Set<string> }
    >();
    for (const a of assignments) {
      const name = setNames.get(a.permissionSetArn);
      if (!name) continue;
      const key = `${a.accountId}|${name}`;
      const entry = grouped.get(key) ?? {
        accountId: a.accountId,
        name,
        through: new Set<string>(),
      };
      entry.through.add(a.through);
      grouped.set(key, entry);
    }

    const partition = instancePartition(this.#config.instanceArn);
    const rolesByAccount = new Map<
      string,
      Promise<Array<{ arn: string; name: string; created: number }> | undefined>
    >();
    const identities: ResolvedIdentity[] = [];
    for (const entry of grouped.values()) {
      let roles = rolesByAccount.get(entry.accountId);
      if (!roles) {
        roles = this.#ssoRoles(entry.accountId, partition).catch(error => {
          fail(
            error,
            'iam:ListRoles',
            `list the IAM Identity Center roles in account ${entry.accountId}`,
          );
          return undefined;
        });
        rolesByAccount.set(entry.accountId, roles);
      }
      const list = await roles;
      if (!list) continue;
      const pattern = new RegExp(
        `^AWSReservedSSO_${escapeRegExp(entry.name)}_[0-9a-f]{16}$`,
      );
      const role = list
        .filter(r => pattern.test(r.name))
        .sort((x, y) => y.created - x.created)[0];
      if (!role) {
        problems.push(
          `${IDENTITY_CENTER_PROBLEM_PREFIX}you are assigned the permission set ${entry.name} in account ${entry.accountId}, but IAM there has no role AWSReservedSSO_${entry.name}_…: the permission set is not provisioned in that account yet.`,
        );
        continue;
      }
      const parsed = parseIamPrincipalsAnnotation(
        `${role.arn} session=${userName}`,
      );
      problems.push(
        ...parsed.problems.map(p => `${IDENTITY_CENTER_PROBLEM_PREFIX}${p}`),
      );
      for (const principal of parsed.principals) {
        identities.push({
          ...toResolvedIdentity(principal, 'identity-center'),
          permissionSetName: entry.name,
          assignedThrough: [...entry.through].sort(),
        });
      }
    }
    return { identities, problems };
  }

  async #userName(
    storeId: string,
    userId: string,
    fail: (error: unknown, action: string, what: string) => void,
  ): Promise<string | undefined> {
    try {
      const user = await this.#store.send(
        new DescribeUserCommand({ IdentityStoreId: storeId, UserId: userId }),
      );
      return user.UserName;
    } catch (error) {
      fail(
        error,
        'identitystore:DescribeUser',
        'read your Identity Store user',
      );
      return undefined;
    }
  }

  async #groupName(storeId: string, groupId: string): Promise<string> {
    try {
      const group = await this.#store.send(
        new DescribeGroupCommand({
          IdentityStoreId: storeId,
          GroupId: groupId,
        }),
      );
      return group.DisplayName ?? groupId;
    } catch {
      // The group id is still a correct, if less readable, provenance.
      return groupId;
    }
  }

  /** Every permission set role in an account (IAM is read once per account per resolution). */
  async #ssoRoles(accountId: string, partition: string) {
    const client = this.#aws.iam({ accountId, partition });
    const roles: Array<{ arn: string; name: string; created: number }> = [];
    for await (const page of paginateListRoles(
      { client, pageSize: this.#pageSize },
      { PathPrefix: SSO_ROLE_PATH_PREFIX },
    )) {
      for (const role of page.Roles ?? []) {
        if (role.Arn && role.RoleName) {
          roles.push({
            arn: role.Arn,
            name: role.RoleName,
            created: role.CreateDate?.getTime() ?? 0,
          });
        }
      }
    }
    return roles;
  }
}

/** The partition of the Identity Center instance's ARN (`aws` if unreadable). */
function instancePartition(instanceArn: string): string {
  try {
    return parseArn(instanceArn).partition || 'aws';
  } catch {
    return 'aws';
  }
}
