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

import type { CallerIdentity } from '../callerIdentity';
import { pageOffset, pageToken } from '../pageTokens';
import { AwsServiceError } from '../serviceError';
import type { IdentityCenterDirectory } from './IdentityCenterDirectory';

/** The services behind `X-Amz-Target` prefixes (awsJson1_1), by SigV4 signing name. */
const TARGET_PREFIXES: Record<string, 'identitystore' | 'sso'> = {
  AWSIdentityStore: 'identitystore',
  SWBExternalService: 'sso',
};

export const IDENTITY_CENTER_OPERATIONS = {
  identitystore: [
    'GetUserId',
    'DescribeUser',
    'ListGroupMembershipsForMember',
    'DescribeGroup',
  ],
  sso: ['ListAccountAssignmentsForPrincipal', 'DescribePermissionSet'],
} as const;

/** `AWSIdentityStore.GetUserId` → identitystore GetUserId; undefined for other targets. */
export function identityCenterTarget(
  target: string | string[] | undefined,
): { service: 'identitystore' | 'sso'; operation: string } | undefined {
  if (typeof target !== 'string') return undefined;
  const [prefix, operation = ''] = target.split('.', 2);
  const service = TARGET_PREFIXES[prefix];
  return service ? { service, operation } : undefined;
}

type Input = Record<string, unknown>;

const validation = (message: string, reason?: string) =>
  new AwsServiceError('ValidationException', 400, message, {
    ...(reason ? { Reason: reason } : {}),
  });

function notFound(
  service: 'identitystore' | 'sso',
  message: string,
  resourceType: string,
  resourceId?: string,
) {
  return new AwsServiceError(
    'ResourceNotFoundException',
    404,
    message,
    service === 'identitystore'
      ? {
          ResourceType: resourceType,
          ...(resourceId ? { ResourceId: resourceId } : {}),
        }
      : {},
  );
}

function str(input: Input, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

function required(input: Input, key: string): string {
  const value = str(input, key);
  if (!value) {
    throw validation(
      `1 validation error detected: Value null at '${key
        .charAt(0)
        .toLowerCase()}${key.slice(
        1,
      )}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** A page of `items` from `NextToken` (an opaque offset) and `MaxResults`. */
function page<T>(
  items: T[],
  input: Input,
  kind: string,
): { items: T[]; NextToken?: string } {
  const max = input.MaxResults;
  const size = max === undefined ? 100 : Number(max);
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw validation(
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  const token = str(input, 'NextToken');
  const offset = token === undefined ? 0 : pageOffset(token, kind);
  if (offset === undefined) {
    throw validation('The NextToken is invalid.', 'INVALID_NEXT_TOKEN');
  }
  const slice = items.slice(offset, offset + size);
  return {
    items: slice,
    ...(offset + size < items.length
      ? { NextToken: pageToken(kind, offset + size) }
      : {}),
  };
}

/**
 * IAM Identity Center's `identitystore` and `sso-admin` APIs (awsJson1_1)
 * over the scenario's instance. Answers with the shapes and error names of
 * `@aws-sdk/client-identitystore` and `@aws-sdk/client-sso-admin`.
 */
export class IdentityCenterApi {
  constructor(
    private readonly directory: IdentityCenterDirectory | undefined,
    private readonly partition: string,
  ) {}

  /** The resource an IAM permission statement must match for this call. */
  resourceFor(service: 'identitystore' | 'sso', input: Input): string {
    if (service === 'identitystore') {
      const account = this.directory?.account ?? '';
      return `arn:${this.partition}:identitystore::${account}:identitystore/${
        str(input, 'IdentityStoreId') ?? ''
      }`;
    }
    return str(input, 'InstanceArn') ?? '*';
  }

  /** Throws AccessDeniedException unless the caller belongs to the instance's account. */
  checkCaller(caller: CallerIdentity, action: string, resource: string) {
    if (this.directory && caller.account !== this.directory.account) {
      throw new AwsServiceError(
        'AccessDeniedException',
        403,
        `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      );
    }
  }

  handle(
    service: 'identitystore' | 'sso',
    operation: string,
    input: Input,
    region: string,
  ): unknown {
    if (service === 'identitystore') {
      const directory = this.#store(input, region);
      switch (operation) {
        case 'GetUserId':
          return this.#getUserId(directory, input);
        case 'DescribeUser':
          return this.#describeUser(directory, input);
        case 'ListGroupMembershipsForMember':
          return this.#listGroupMembershipsForMember(directory, input);
        case 'DescribeGroup':
          return this.#describeGroup(directory, input);
        default:
          break;
      }
    } else {
      const directory = this.#instance(input, region);
      switch (operation) {
        case 'ListAccountAssignmentsForPrincipal':
          return this.#listAccountAssignmentsForPrincipal(directory, input);
        case 'DescribePermissionSet':
          return this.#describePermissionSet(directory, input);
        default:
          break;
      }
    }
    throw new AwsServiceError(
      'UnknownOperationException',
      400,
      `Operation ${operation} is not supported by the sandbox's ${service}.`,
    );
  }

  #store(input: Input, region: string): IdentityCenterDirectory {
    const id = required(input, 'IdentityStoreId');
    if (
      !/^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(
        id,
      )
    ) {
      throw validation(
        `1 validation error detected: Value '${id}' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}\\b-[0-9a-f]{4}\\b-[0-9a-f]{4}\\b-[0-9a-f]{4}\\b-[0-9a-f]{12}`,
      );
    }
    const directory = this.directory;
    if (
      !directory ||
      directory.identityStoreId !== id ||
      directory.region !== region
    ) {
      throw notFound(
        'identitystore',
        `Identity store ${id} not found.`,
        'IDENTITY_STORE',
        id,
      );
    }
    return directory;
  }

  #instance(input: Input, region: string): IdentityCenterDirectory {
    const arn = required(input, 'InstanceArn');
    if (
      !/^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/.test(
        arn,
      )
    ) {
      throw validation(
        `1 validation error detected: Value '${arn}' at 'instanceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}`,
      );
    }
    const directory = this.directory;
    if (
      !directory ||
      directory.instanceArn !== arn ||
      directory.region !== region
    ) {
      throw notFound(
        'sso',
        `Could not find Instance with arn ${arn}`,
        'INSTANCE',
      );
    }
    return directory;
  }

  #getUserId(directory: IdentityCenterDirectory, input: Input) {
    const alternate = input.AlternateIdentifier as
      | {
          UniqueAttribute?: {
            AttributePath?: string;
            AttributeValue?: unknown;
          };
        }
      | undefined;
    const unique = alternate?.UniqueAttribute;
    if (!unique?.AttributePath) {
      throw validation(
        'The request must contain an AlternateIdentifier with a UniqueAttribute.',
      );
    }
    const path = unique.AttributePath;
    const value = unique.AttributeValue;
    if (typeof value !== 'string') {
      throw validation('AttributeValue must be a string.');
    }
    let user;
    if (path === 'userName' || path === 'UserName') {
      // Identity Store user names are case-insensitive.
      user = directory.users.find(
        u => u.userName.toLowerCase() === value.toLowerCase(),
      );
    } else if (path === 'emails.value') {
      user = directory.users.find(
        u => u.email?.toLowerCase() === value.toLowerCase(),
      );
    } else {
      throw validation(`Invalid attribute path ${path}.`, undefined);
    }
    if (!user) {
      throw notFound('identitystore', 'USER not found.', 'USER');
    }
    return { IdentityStoreId: directory.identityStoreId, UserId: user.userId };
  }

  #describeUser(directory: IdentityCenterDirectory, input: Input) {
    const userId = required(input, 'UserId');
    const user = directory.users.find(u => u.userId === userId);
    if (!user) {
      throw notFound('identitystore', 'USER not found.', 'USER', userId);
    }
    return {
      IdentityStoreId: directory.identityStoreId,
      UserId: user.userId,
      UserName: user.userName,
      ...(user.displayName ? { DisplayName: user.displayName } : {}),
      ...(user.email
        ? { Emails: [{ Value: user.email, Type: 'work', Primary: true }] }
        : {}),
    };
  }

  #listGroupMembershipsForMember(
    directory: IdentityCenterDirectory,
    input: Input,
  ) {
    const member = input.MemberId as { UserId?: unknown } | undefined;
    if (typeof member?.UserId !== 'string') {
      throw validation('MemberId must contain a UserId.');
    }
    const userId = member.UserId;
    if (!directory.users.some(u => u.userId === userId)) {
      throw notFound('identitystore', 'USER not found.', 'USER', userId);
    }
    const memberships = directory.groups
      .filter(g => g.members.includes(userId))
      .map(g => ({
        IdentityStoreId: directory.identityStoreId,
        MembershipId: directory.membershipId(g.groupId, userId),
        GroupId: g.groupId,
        MemberId: { UserId: userId },
      }));
    const { items, NextToken } = page(memberships, input, 'memberships');
    return { GroupMemberships: items, ...(NextToken ? { NextToken } : {}) };
  }

  #describeGroup(directory: IdentityCenterDirectory, input: Input) {
    const groupId = required(input, 'GroupId');
    const group = directory.groups.find(g => g.groupId === groupId);
    if (!group) {
      throw notFound('identitystore', 'GROUP not found.', 'GROUP', groupId);
    }
    return {
      IdentityStoreId: directory.identityStoreId,
      GroupId: group.groupId,
      DisplayName: group.displayName,
    };
  }

  #listAccountAssignmentsForPrincipal(
    directory: IdentityCenterDirectory,
    input: Input,
  ) {
    const principalId = required(input, 'PrincipalId');
    const principalType = required(input, 'PrincipalType');
    if (principalType !== 'USER' && principalType !== 'GROUP') {
      throw validation(
        `1 validation error detected: Value '${principalType}' at 'principalType' failed to satisfy constraint: Member must satisfy enum value set: [USER, GROUP]`,
      );
    }
    const filter = input.Filter as { AccountId?: unknown } | undefined;
    const assignments = directory.assignments
      .filter(
        a =>
          a.principalId === principalId &&
          a.principalType === principalType &&
          (typeof filter?.AccountId !== 'string' ||
            a.accountId === filter.AccountId),
      )
      .map(a => ({
        AccountId: a.accountId,
        PermissionSetArn: a.permissionSetArn,
        PrincipalId: a.principalId,
        PrincipalType: a.principalType,
      }));
    const { items, NextToken } = page(assignments, input, 'assignments');
    return { AccountAssignments: items, ...(NextToken ? { NextToken } : {}) };
  }

  #describePermissionSet(directory: IdentityCenterDirectory, input: Input) {
    const arn = required(input, 'PermissionSetArn');
    const set = directory.permissionSets.find(p => p.arn === arn);
    if (!set) {
      throw notFound(
        'sso',
        `Could not find PermissionSet with arn ${arn}`,
        'PERMISSION_SET',
      );
    }
    return {
      PermissionSet: {
        Name: set.name,
        PermissionSetArn: set.arn,
        ...(set.description ? { Description: set.description } : {}),
        CreatedDate: set.createdDate,
        SessionDuration: set.sessionDuration,
      },
    };
  }
}
