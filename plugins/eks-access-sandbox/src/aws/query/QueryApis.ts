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

import { IamPrincipal } from '../../state/model';
import { SandboxState } from '../../state/SandboxState';
import { CallerIdentity, isActionAllowed } from '../callerIdentity';
import { pageOffset, pageToken } from '../pageTokens';
import { AwsServiceError } from '../serviceError';
import { XmlValue } from './queryXml';

/** The operations the sandbox serves over awsQuery, per service. */
export const QUERY_OPERATIONS = {
  sts: ['GetCallerIdentity', 'AssumeRole'],
  iam: ['GetRole', 'GetUser', 'ListRoles'],
} as const;

const validation = (message: string) =>
  new AwsServiceError('ValidationError', 400, message);

function accessDenied(
  caller: CallerIdentity,
  action: string,
  resource: string,
  suffix = '',
) {
  return new AwsServiceError(
    'AccessDenied',
    403,
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}${suffix}`,
  );
}

function tagsXml(tags: Record<string, string>): XmlValue {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length ? list : undefined;
}

function trustPolicy(state: SandboxState, role: IamPrincipal): string {
  const principals = role.trustedPrincipals.map(p =>
    /^\d{12}$/.test(p) ? `arn:${state.partition}:iam::${p}:root` : p,
  );
  return encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: principals.length === 1 ? principals[0] : principals,
          },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  );
}

function roleXml(state: SandboxState, role: IamPrincipal, full: boolean) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: trustPolicy(state, role),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: full ? tagsXml(role.tags) : undefined,
    RoleLastUsed: full ? {} : undefined,
  };
}

function userXml(user: IamPrincipal) {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: user.createDate,
    Tags: tagsXml(user.tags),
  };
}

function integer(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${raw}' at '${name[0].toLowerCase()}${name.slice(
        1,
      )}' failed to satisfy constraint: Member must have value ${
        value < min
          ? `greater than or equal to ${min}`
          : `less than or equal to ${max}`
      }`,
    );
  }
  return value;
}

/** STS over awsQuery. */
export class StsApi {
  constructor(private readonly state: SandboxState) {}

  handle(operation: string, caller: CallerIdentity, params: URLSearchParams) {
    if (operation === 'GetCallerIdentity') {
      // Never needs a permission.
      return {
        UserId: caller.userId,
        Account: caller.account,
        Arn: caller.arn,
      };
    }
    return this.assumeRole(caller, params);
  }

  private assumeRole(caller: CallerIdentity, params: URLSearchParams) {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    if (!roleArn || roleArn.length < 20) {
      throw validation(
        `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
      );
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw validation(
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const duration = integer(params, 'DurationSeconds', 900, 43200) ?? 3600;
    const role = this.state.principals.get(roleArn);
    const trusted =
      role?.kind === 'role' &&
      role.trustedPrincipals.some(
        p =>
          p === '*' ||
          p === caller.account ||
          p === caller.principal.arn ||
          p === caller.arn,
      );
    if (
      !role ||
      !trusted ||
      !isActionAllowed(caller.principal, 'sts:AssumeRole', roleArn)
    ) {
      throw accessDenied(caller, 'sts:AssumeRole', roleArn);
    }
    if (duration > role.maxSessionDuration) {
      throw validation(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    const session = this.state.issueSession(role.arn, sessionName, duration);
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.session!.sessionToken,
        Expiration: new Date(session.session!.expiration),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${role.id}:${sessionName}`,
        Arn: `arn:${this.state.partition}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
      },
    };
  }
}

/** IAM over awsQuery (read-only). */
export class IamApi {
  constructor(private readonly state: SandboxState) {}

  private check(
    caller: CallerIdentity,
    action: string,
    resource: string,
    display: string,
  ) {
    if (!isActionAllowed(caller.principal, action, resource)) {
      throw accessDenied(
        caller,
        action,
        display,
        ` because no identity-based policy allows the ${action} action`,
      );
    }
  }

  private principalsOf(account: string, kind: 'role' | 'user') {
    return [...this.state.principals.values()].filter(
      p => p.kind === kind && p.account === account,
    );
  }

  handle(operation: string, caller: CallerIdentity, params: URLSearchParams) {
    switch (operation) {
      case 'GetRole': {
        const name = params.get('RoleName') ?? '';
        if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
          throw validation(
            `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
          );
        }
        const role = this.principalsOf(caller.account, 'role').find(
          r => r.name.toLowerCase() === name.toLowerCase(),
        );
        this.check(
          caller,
          'iam:GetRole',
          role?.arn ??
            `arn:${this.state.partition}:iam::${caller.account}:role/${name}`,
          `role ${name}`,
        );
        if (!role) {
          throw new AwsServiceError(
            'NoSuchEntity',
            404,
            `The role with name ${name} cannot be found.`,
          );
        }
        return { Role: roleXml(this.state, role, true) };
      }
      case 'GetUser': {
        const name = params.get('UserName');
        if (name === null) {
          if (caller.principal.kind !== 'user') {
            throw validation(
              'Must specify userName when calling with non-User credentials',
            );
          }
          return { User: userXml(caller.principal) };
        }
        const user = this.principalsOf(caller.account, 'user').find(
          u => u.name.toLowerCase() === name.toLowerCase(),
        );
        this.check(
          caller,
          'iam:GetUser',
          user?.arn ??
            `arn:${this.state.partition}:iam::${caller.account}:user/${name}`,
          `user ${name}`,
        );
        if (!user) {
          throw new AwsServiceError(
            'NoSuchEntity',
            404,
            `The user with name ${name} cannot be found.`,
          );
        }
        return { User: userXml(user) };
      }
      default:
        return this.listRoles(caller, params);
    }
  }

  private listRoles(caller: CallerIdentity, params: URLSearchParams) {
    const prefix = params.get('PathPrefix') ?? '/';
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
      throw validation(
        `1 validation error detected: Value '${prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*`,
      );
    }
    this.check(
      caller,
      'iam:ListRoles',
      `arn:${this.state.partition}:iam::${caller.account}:role${prefix}`,
      `arn:${this.state.partition}:iam::${caller.account}:role${prefix}`,
    );
    const maxItems = integer(params, 'MaxItems', 1, 1000) ?? 100;
    const roles = this.principalsOf(caller.account, 'role')
      .filter(r => r.path.startsWith(prefix))
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const marker = params.get('Marker');
    const offset = marker === null ? 0 : pageOffset(marker, 'roles');
    if (offset === undefined) {
      throw validation('Invalid Marker.');
    }
    const page = roles.slice(offset, offset + maxItems);
    const truncated = offset + maxItems < roles.length;
    return {
      Roles: page.map(r => roleXml(this.state, r, false)),
      IsTruncated: truncated,
      Marker: truncated ? pageToken('roles', offset + maxItems) : undefined,
    };
  }
}
