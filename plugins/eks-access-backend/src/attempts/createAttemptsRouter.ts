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

import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type AccessAttemptsReport,
  canonicalizeArn,
  eksAccessAttemptsReadPermission,
  stripArnPath,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { matchingIdentity } from '../proof/IdentityProofService';
import { loggingOnCommand } from '../aws/loggingOnCommand';
import type { EksAccessService } from '../service/EksAccessService';
import type {
  AuthenticatorAttempt,
  AuthenticatorLogReader,
} from '../aws/AuthenticatorLogReader';

/** How many attempts per identity the route returns. */
const ATTEMPTS_PER_IDENTITY = 10;

/** The ARN as the authenticator logs it: session and role path removed. */
function loggedArnOf(arn: string): string | undefined {
  try {
    return stripArnPath(canonicalizeArn(arn));
  } catch {
    return undefined;
  }
}

/**
 * A role session's line that names another session of the same role: the
 * username EKS gave embeds `assumed-role/<role>/<session>` (the access-entry
 * default and the usual `{{SessionName}}` mapping) with someone else's
 * session. A role (an SSO permission set's above all) is shared by everyone
 * who may assume it, and the authenticator logs the role, not the session:
 * such a line is a colleague's and never leaves the backend.
 */
function namesAnotherSession(
  attempt: AuthenticatorAttempt,
  identity: ResolvedIdentity,
): boolean {
  if (!identity.sessionName || !attempt.username || !attempt.arn) return false;
  const roleName = /:role\/(?:.*\/)?([^/]+)$/.exec(attempt.arn)?.[1];
  if (!roleName) return false;
  const marker = `assumed-role/${roleName}/`.toLowerCase();
  const username = attempt.username.toLowerCase();
  const at = username.indexOf(marker);
  if (at < 0) return false;
  const session = attempt.username.slice(at + marker.length).split(/[/\s]/)[0];
  // {{SessionName}} renders `@` as `-` ({{SessionNameRaw}} keeps it).
  return (
    session !== identity.sessionName &&
    session !== identity.sessionName.replace(/@/g, '-')
  );
}

/**
 * Keeps only the attempts whose presented ARN is one of the caller's
 * identities (by canonical ARN, as the authenticator logs it): a developer
 * never sees someone else's lines, nor token failures that name no ARN. Of a
 * shared role's lines, those that name another session are dropped.
 */
export function attemptsOfIdentities(
  attempts: AuthenticatorAttempt[],
  identities: ResolvedIdentity[],
) {
  return identities.map(identity => {
    const own = new Set(
      [identity.callerArn, identity.principalArn]
        .map(arn => loggedArnOf(arn)?.toLowerCase())
        .filter((a): a is string => !!a),
    );
    return {
      identity,
      attempts: attempts
        .filter(a => a.arn && own.has(a.arn.toLowerCase()))
        .filter(a => !namesAnotherSession(a, identity))
        .slice(0, ATTEMPTS_PER_IDENTITY),
    };
  });
}

/** `GET /access/attempts?entityRef=`: the caller's recent attempts from the authenticator log. */
export function createAttemptsRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  access: Pick<EksAccessService, 'getClusterEntity' | 'resolveUserIdentities'>;
  reader: AuthenticatorLogReader;
  /**
   * The identity the user proved kubectl uses (an STS-verified token): its
   * lines are theirs too, even when it is none of their known identities,
   * which is how the card can say "kubectl is using X, which is not you".
   */
  proofs?: {
    proofOf(
      userEntityRef: string,
    ): Promise<{ identity: ResolvedIdentity } | undefined>;
  };
}): express.Router {
  const { httpAuth, userInfo, permissions, access, reader, proofs } = options;

  async function authorize(credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [{ permission: eksAccessAttemptsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${eksAccessAttemptsReadPermission.name}`,
      );
    }
  }

  const router = Router();
  router.get('/access/attempts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials);
    const entityRef = req.query.entityRef;
    if (typeof entityRef !== 'string' || !entityRef || entityRef.length > 512) {
      throw new InputError('entityRef must be one catalog entity reference');
    }
    const target = await access.getClusterEntity(entityRef, credentials);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const { identities: known } = await access.resolveUserIdentities(
      userEntityRef,
      credentials,
    );
    const verified = (await proofs?.proofOf(userEntityRef))?.identity;
    // The verified identity is one the user already has, or an extra one.
    const verifiedAs = verified && matchingIdentity(verified, known);
    const identities = verified && !verifiedAs ? [...known, verified] : known;
    const arns = identities
      .flatMap(i => [i.callerArn, i.principalArn])
      .map(loggedArnOf)
      .filter((arn): arn is string => !!arn);
    const attempts = await reader.recentAttempts(target.cluster, arns);
    if (!attempts) {
      const off: AccessAttemptsReport = {
        logging: 'off',
        command: loggingOnCommand(target.cluster),
        identities: [],
      };
      res.json(off);
      return;
    }
    const body: AccessAttemptsReport = {
      logging: 'on',
      ...(reader.windowHours ? { windowHours: reader.windowHours } : {}),
      identities: attemptsOfIdentities(attempts, identities).map(r => ({
        callerArn: r.identity.callerArn,
        label: r.identity.label,
        source: r.identity.source,
        ...(r.identity === verified ? { kubectl: { mine: false } } : {}),
        ...(r.identity === verifiedAs ? { kubectl: { mine: true } } : {}),
        attempts: r.attempts,
      })),
    };
    res.json(body);
  });
  return router;
}
