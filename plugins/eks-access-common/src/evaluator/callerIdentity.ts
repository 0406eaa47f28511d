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

import { canonicalizeArnWithKind, PrincipalKind, stripArnPath } from './arn';
import type { CallerInfo } from './types';

/**
 * The identity the authenticator derives from the STS `GetCallerIdentity`
 * answer (eks-auth-spec §2 "Identity fields").
 * @public
 */
export interface AuthenticatorIdentity {
  /** The raw ARN STS returned (the session ARN for roles). */
  arn: string;
  /** The canonical ARN (§3), original case. */
  canonicalArn: string;
  kind: PrincipalKind;
  partition: string;
  accountId: string;
  /** The unique id part of STS `UserId`, when known. */
  userId?: string;
  /** The role session name; empty for users. `undefined` when unknown (an IAM role ARN was given). */
  sessionName?: string;
  accessKeyId?: string;
}

/**
 * Builds the authenticator's identity from an STS `GetCallerIdentity` result,
 * like `getIdentityFromSTSResponse` (eks-auth-spec §2): role sessions must
 * have a `UserId` of the form `ID:session`. Throws an Error otherwise.
 * @internal
 */
export function identityFromStsResult(
  result: { Arn: string; Account: string; UserId: string },
  accessKeyId?: string,
): AuthenticatorIdentity {
  let canonical;
  try {
    canonical = canonicalizeArnWithKind(result.Arn);
  } catch (e) {
    throw new Error(`sts getCallerIdentity failed: ${(e as Error).message}`);
  }
  return withStsUserId(
    {
      arn: result.Arn,
      kind: canonical.kind,
      partition: canonical.parsed.partition,
      accountId: result.Account,
      accessKeyId,
    },
    canonical.canonicalArn,
    result.UserId,
  );
}

/**
 * The identity when the STS `UserId` is known: the authenticator checks its
 * shape before any mapping (`token.getIdentityFromSTSResponse`). Role
 * sessions need exactly one colon (`ROLEID:session`) and take their session
 * name from it; users, root and federated users keep it whole, unchecked.
 */
function withStsUserId(
  base: Omit<AuthenticatorIdentity, 'canonicalArn'>,
  canonicalArn: string,
  userId: string,
  options: { stripRolePath?: boolean } = {},
): AuthenticatorIdentity {
  if (base.kind !== 'role' && base.kind !== 'assumed-role') {
    return { ...base, canonicalArn, userId, sessionName: '' };
  }
  const parts = userId.split(':');
  if (parts.length !== 2) {
    throw new Error(
      `STS answered with a malformed UserId ${JSON.stringify(
        userId,
      )}: for a role session it must be "ROLEID:session-name" (one colon), so EKS rejects the request (sts getCallerIdentity failed: malformed UserID)`,
    );
  }
  return {
    ...base,
    canonicalArn:
      base.kind === 'role' && options.stripRolePath
        ? stripArnPath(canonicalArn)
        : canonicalArn,
    userId: parts[0],
    sessionName: parts[1],
  };
}

/**
 * Derives the identity EKS will see from what we know about a caller. For an
 * assumed-role ARN the session name is its last segment. An IAM role ARN is
 * read as "a session of this role": its canonical ARN is the path-less role
 * ARN STS will report, and the session name is unknown. Throws an Error when
 * the ARN is invalid, or when `caller.userId` is given and has not the shape
 * the authenticator requires for the ARN's type.
 * @internal
 */
export function identityFromCaller(caller: CallerInfo): AuthenticatorIdentity {
  const c = canonicalizeArnWithKind(caller.arn.trim());
  const base = {
    arn: caller.arn.trim(),
    kind: c.kind,
    partition: c.parsed.partition,
    accountId: c.parsed.accountId,
    accessKeyId: caller.accessKeyId,
  };
  if (caller.userId !== undefined) {
    return withStsUserId(base, c.canonicalArn, caller.userId, {
      stripRolePath: true,
    });
  }
  switch (c.kind) {
    case 'assumed-role': {
      const parts = c.parsed.resource.split('/');
      return {
        ...base,
        canonicalArn: c.canonicalArn,
        sessionName: parts[parts.length - 1],
      };
    }
    case 'role':
      return { ...base, canonicalArn: stripArnPath(c.canonicalArn) };
    default:
      return { ...base, canonicalArn: c.canonicalArn, sessionName: '' };
  }
}

/**
 * What a developer pasted as "who am I": the ARN and, when they pasted the
 * JSON of `aws sts get-caller-identity`, the account and user id.
 * @public
 */
export interface PastedCallerIdentity {
  arn: string;
  accountId?: string;
  userId?: string;
}

/**
 * Reads a pasted caller identity: either a bare ARN, or the JSON printed by
 * `aws sts get-caller-identity` (`{"UserId": …, "Account": …, "Arn": …}`).
 * Throws an Error with a plain-language message when it is neither, or when
 * the ARN is not one EKS can authenticate (IAM user, role, root, STS
 * assumed-role or federated-user).
 * @public
 */
export function parseCallerIdentity(text: string): PastedCallerIdentity {
  const trimmed = (text ?? '').trim();
  if (!trimmed) {
    throw new Error(
      'No identity given. Paste the output of `aws sts get-caller-identity` or the ARN it prints.',
    );
  }
  let arn: string;
  let accountId: string | undefined;
  let userId: string | undefined;
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new Error(
        'This looks like JSON but cannot be read. Paste the complete output of `aws sts get-caller-identity`.',
      );
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Error(
        'Expected the JSON object printed by `aws sts get-caller-identity`.',
      );
    }
    const obj = json as Record<string, unknown>;
    const field = (name: string): unknown =>
      obj[name] ??
      obj[Object.keys(obj).find(k => k.toLowerCase() === name.toLowerCase())!];
    const a = field('Arn');
    if (typeof a !== 'string' || !a.trim()) {
      throw new Error(
        'The pasted JSON has no "Arn" field. Paste the complete output of `aws sts get-caller-identity`.',
      );
    }
    arn = a.trim();
    const acct = field('Account');
    if (acct !== undefined) {
      if (typeof acct !== 'string' || !/^\d{12}$/.test(acct)) {
        throw new Error('The "Account" field must be a 12-digit account id.');
      }
      accountId = acct;
    }
    const uid = field('UserId');
    if (uid !== undefined) {
      if (typeof uid !== 'string') {
        throw new Error('The "UserId" field must be a string.');
      }
      userId = uid;
    }
  } else {
    arn = trimmed.replace(/^["']|["']$/g, '');
  }
  if (/\s/.test(arn)) {
    throw new Error(
      `"${arn}" is not an ARN: paste a single ARN such as arn:aws:sts::111122223333:assumed-role/MyRole/me@example.com.`,
    );
  }
  let canonical;
  try {
    canonical = canonicalizeArnWithKind(arn);
  } catch (e) {
    throw new Error(
      `"${arn}" is not an IAM identity EKS can authenticate: ${
        (e as Error).message
      }. Expected an IAM user, role or root ARN, or an STS assumed-role or federated-user ARN.`,
    );
  }
  if (!/^\d{12}$/.test(canonical.parsed.accountId)) {
    throw new Error(`"${arn}" does not contain a 12-digit AWS account id.`);
  }
  if (accountId !== undefined && accountId !== canonical.parsed.accountId) {
    throw new Error(
      `The "Account" field (${accountId}) does not match the account in the ARN (${canonical.parsed.accountId}).`,
    );
  }
  return { arn, accountId: accountId ?? canonical.parsed.accountId, userId };
}
