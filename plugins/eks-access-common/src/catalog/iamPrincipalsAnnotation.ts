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

import type { Entity } from '@backstage/catalog-model';
import { EKS_ACCESS_PRINCIPALS_ANNOTATION } from './annotations';

/**
 * One IAM principal a user acts as, from the
 * `eks-access.io/iam-principals` annotation.
 * @public
 */
export interface AnnotatedIamPrincipal {
  /** The role or user ARN, with its path, as annotated. */
  principalArn: string;
  type: 'role' | 'user';
  partition: string;
  accountId: string;
  /** The role or user name (last path segment). */
  name: string;
  /** For roles: the session name the user's sessions carry. */
  sessionName?: string;
  /**
   * The ARN EKS sees (`aws sts get-caller-identity`): the assumed-role
   * session ARN for roles, the user ARN for users.
   */
  callerArn: string;
}

/**
 * The result of parsing the annotation: the principals that parsed and a
 * plain-language problem for each item that did not.
 * @public
 */
export interface IamPrincipalsAnnotationParseResult {
  principals: AnnotatedIamPrincipal[];
  problems: string[];
}

// arn:<partition>:iam::<account>:(role|user)/<optional path/>name
const IAM_PRINCIPAL_ARN =
  /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/((?:[\x21-\x7e]+\/)?)([\w+=,.@-]{1,128})$/;

// Session names allowed by sts:AssumeRole.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * Builds the ARN `aws sts get-caller-identity` prints for a principal: for a
 * role, `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>`
 * (the path is not part of it); for a user, the user ARN itself.
 * @public
 */
export function callerArnForPrincipal(principal: {
  type: 'role' | 'user';
  partition: string;
  accountId: string;
  name: string;
  principalArn: string;
  sessionName?: string;
}): string {
  if (principal.type === 'user') {
    return principal.principalArn;
  }
  return `arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${principal.name}/${principal.sessionName}`;
}

/**
 * Parses the value of `eks-access.io/iam-principals`.
 *
 * Items are separated by new lines or commas (a comma only separates items
 * when an `arn:` follows it, since IAM names may contain commas). Each item is
 * `<role or user ARN> [session=<sessionName>]`. Roles without a session name
 * get `options.defaultSessionName`; `session=` on a user is a problem.
 *
 * @public
 */
export function parseIamPrincipalsAnnotation(
  value: string,
  options: { defaultSessionName?: string } = {},
): IamPrincipalsAnnotationParseResult {
  const principals: AnnotatedIamPrincipal[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const items = value
    .split(/\r?\n|,(?=\s*arn:)/)
    .map(item => item.trim())
    .filter(item => item.length > 0 && !item.startsWith('#'));

  for (const item of items) {
    const [arn, ...rest] = item.split(/\s+/);
    const match = IAM_PRINCIPAL_ARN.exec(arn);
    if (!match) {
      problems.push(
        `"${arn}" is not an IAM role or user ARN (expected arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>)`,
      );
      continue;
    }
    const [, partition, accountId, type, , name] = match;
    let sessionName: string | undefined;
    let itemProblem: string | undefined;
    for (const option of rest) {
      const sessionMatch = /^session=(.*)$/.exec(option);
      if (!sessionMatch) {
        itemProblem = `unknown option "${option}" after ${arn} (only session=<sessionName> is allowed)`;
      } else if (type === 'user') {
        itemProblem = `${arn} is an IAM user; session= applies to roles only`;
      } else {
        sessionName = sessionMatch[1];
      }
    }
    if (itemProblem) {
      problems.push(itemProblem);
      continue;
    }
    if (type === 'role') {
      sessionName = sessionName ?? options.defaultSessionName;
      if (!sessionName) {
        problems.push(
          `${arn} has no session name and the user has neither an email nor a name to use`,
        );
        continue;
      }
      if (!SESSION_NAME.test(sessionName)) {
        problems.push(
          `session name "${sessionName}" for ${arn} is not a valid STS session name (2-64 characters of letters, digits and +=,.@_-)`,
        );
        continue;
      }
    }
    const principal = {
      principalArn: arn,
      type: type as 'role' | 'user',
      partition,
      accountId,
      name,
      ...(type === 'role' ? { sessionName } : {}),
    };
    const callerArn = callerArnForPrincipal(principal);
    if (seen.has(callerArn)) {
      continue;
    }
    seen.add(callerArn);
    principals.push({ ...principal, callerArn });
  }
  return { principals, problems };
}

/**
 * The IAM principals a `User` entity declares in
 * `eks-access.io/iam-principals`, with role session names defaulting to the
 * user's `spec.profile.email`, else the entity's `metadata.name`.
 * @public
 */
export function getUserIamPrincipals(
  userEntity: Entity,
): IamPrincipalsAnnotationParseResult {
  const value =
    userEntity.metadata.annotations?.[EKS_ACCESS_PRINCIPALS_ANNOTATION];
  if (typeof value !== 'string' || !value.trim()) {
    return { principals: [], problems: [] };
  }
  const email = (
    userEntity.spec as { profile?: { email?: unknown } } | undefined
  )?.profile?.email;
  return parseIamPrincipalsAnnotation(value, {
    defaultSessionName:
      typeof email === 'string' && email.trim()
        ? email.trim()
        : userEntity.metadata.name,
  });
}
