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
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { eksAccessCheckIdentityPermission } from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parse } from '../service/parseInput';
import type { EksAccessService } from '../service/EksAccessService';
import {
  matchingIdentity,
  type IdentityProof,
  type IdentityProofService,
} from './IdentityProofService';

const verifyBodySchema = z.object({
  entityRef: z.string().trim().min(1).max(1024).optional(),
  nonce: z
    .string({ error: 'nonce is required: start the verification first' })
    .regex(/^[0-9a-f]{32}$/, 'nonce is not a verification code'),
  token: z
    .string({
      error:
        'token is required: the output of `aws eks get-token --output json` or its k8s-aws-v1. token',
    })
    .trim()
    .min(1, 'token is required')
    .max(16_384, 'token is too long'),
});

const entityQuerySchema = z.object({
  entityRef: z.string().trim().min(1).max(1024).optional(),
});

/**
 * Routes of "Verify the identity my kubectl uses": issue a nonce, verify a
 * token, read or forget the user's proof. Responses carry the proven caller
 * ARN and its verdict, never the token.
 */
export async function createIdentityProofRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  access: EksAccessService;
  proofs: IdentityProofService;
}): Promise<express.Router> {
  const { httpAuth, userInfo, permissions, access, proofs } = options;
  const router = Router();
  router.use('/identity-proof', express.json({ limit: '32kb' }));

  async function caller(req: express.Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: eksAccessCheckIdentityPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${eksAccessCheckIdentityPermission.name}`,
      );
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    return { credentials, userEntityRef };
  }

  /** The proof, whether it is one of the user's identities, and its verdict on a cluster. */
  async function describe(
    proof: IdentityProof,
    who: Awaited<ReturnType<typeof caller>>,
    entityRef: string | undefined,
  ) {
    const known = await access.resolveUserIdentities(
      who.userEntityRef,
      who.credentials,
    );
    const match = matchingIdentity(proof.identity, known.identities);
    const report = entityRef
      ? await access.report(
          await access.getClusterEntity(entityRef, who.credentials),
          [proof.identity],
          [],
        )
      : undefined;
    return {
      proof,
      ...(match
        ? { matches: { label: match.label, source: match.source } }
        : {}),
      ...(report ? { report } : {}),
    };
  }

  router.post('/identity-proof/challenge', async (req, res) => {
    const who = await caller(req);
    res.json(await proofs.issue(who.userEntityRef));
  });

  router.post('/identity-proof/verify', async (req, res) => {
    const who = await caller(req);
    const body = parse(verifyBodySchema, req.body ?? {});
    const proof = await proofs.verify(
      who.userEntityRef,
      body.nonce,
      body.token,
    );
    res.json(await describe(proof, who, body.entityRef));
  });

  router.get('/identity-proof', async (req, res) => {
    const who = await caller(req);
    const query = parse(entityQuerySchema, req.query);
    const proof = await proofs.proofOf(who.userEntityRef);
    res.json(proof ? await describe(proof, who, query.entityRef) : {});
  });

  router.delete('/identity-proof', async (req, res) => {
    const who = await caller(req);
    await proofs.forget(who.userEntityRef);
    res.status(204).end();
  });

  return router;
}
