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
  canonicalizeArn,
  eksAccessAttemptsReadPermission,
  stripArnPath,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import type { EksAccessService } from '../service/EksAccessService';
import type {
  AuthenticatorAttempt,
  AuthenticatorLogReader,
} from './AuthenticatorLogReader';

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
 * Keeps only the attempts whose presented ARN is one of the caller's
 * identities (by canonical ARN, as the authenticator logs it): a developer
 * never sees someone else's lines, nor token failures that name no ARN.
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
}): express.Router {
  const { httpAuth, userInfo, permissions, access, reader } = options;

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
    const { identities } = await access.resolveUserIdentities(
      userEntityRef,
      credentials,
    );
    const arns = identities
      .flatMap(i => [i.callerArn, i.principalArn])
      .map(loggedArnOf)
      .filter((arn): arn is string => !!arn);
    const attempts = await reader.recentAttempts(target.cluster, arns);
    if (!attempts) {
      res.json({
        logging: 'off',
        command: `aws eks update-cluster-config --region ${target.cluster.region} --name ${target.cluster.name} --logging '{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}'`,
        identities: [],
      });
      return;
    }
    res.json({
      logging: 'on',
      identities: attemptsOfIdentities(attempts, identities).map(r => ({
        callerArn: r.identity.callerArn,
        label: r.identity.label,
        attempts: r.attempts,
      })),
    });
  });
  return router;
}
