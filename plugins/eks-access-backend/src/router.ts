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
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  eksAccessCheckIdentityPermission,
  eksAccessDiagnosticsReadPermission,
  eksAccessReadPermission,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { EksAccessService } from './service/EksAccessService';
import type { ClusterDiagnosticsService } from './service/ClusterDiagnosticsService';
import { pastedIdentity } from './service/evaluation';

const entityRefSchema = z
  .string({ error: 'entityRef is required' })
  .trim()
  .min(1, 'entityRef is required')
  .max(1024, 'entityRef is too long');

const refreshSchema = z
  .enum(['true', 'false'], { error: 'refresh must be true or false' })
  .optional()
  .transform(value => value === 'true');

const accessQuerySchema = z.object({
  entityRef: entityRefSchema,
  refresh: refreshSchema,
});

const checkBodySchema = z.object({
  entityRef: entityRefSchema,
  identity: z
    .string({
      error:
        'identity is required: the output of `aws sts get-caller-identity` or the ARN it prints',
    })
    .trim()
    .min(1, 'identity is required')
    .max(8192, 'identity is too long'),
});

const clustersQuerySchema = z.object({
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be an integer')
    .min(0, 'offset must be 0 or more')
    .default(0),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be between 1 and 100')
    .max(100, 'limit must be between 1 and 100')
    .default(25),
});

/** Validates request input; InputError naming each problem. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(issue =>
          issue.path.length
            ? `${issue.path.join('.')}: ${issue.message}`
            : issue.message,
        )
        .join('; '),
    );
  }
  return result.data;
}

/** The HTTP routes of "can I reach this cluster?". */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  access: EksAccessService;
  diagnostics: ClusterDiagnosticsService;
}): Promise<express.Router> {
  const { httpAuth, userInfo, permissions, auditor, access, diagnostics } =
    options;

  async function authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/access', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessReadPermission);
    const query = parse(accessQuerySchema, req.query);
    const target = await access.getClusterEntity(query.entityRef, credentials);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const resolution = await access.resolveUserIdentities(
      userEntityRef,
      credentials,
    );
    res.json(
      await access.report(target, resolution.identities, resolution.problems, {
        refresh: query.refresh,
      }),
    );
  });

  router.post('/access/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessCheckIdentityPermission);
    const body = parse(checkBodySchema, req.body ?? {});
    const identity = pastedIdentity(body.identity);
    const target = await access.getClusterEntity(body.entityRef, credentials);
    res.json(await access.report(target, [identity], []));
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessReadPermission);
    const query = parse(clustersQuerySchema, req.query);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    res.json(
      await access.summaries({
        credentials,
        userEntityRef,
        offset: query.offset,
        limit: query.limit,
      }),
    );
  });

  router.get('/diagnostics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const auditorEvent = await auditor.createEvent({
      eventId: 'cluster-diagnostics-read',
      request: req,
    });
    try {
      await authorize(credentials, eksAccessDiagnosticsReadPermission);
      const query = parse(accessQuerySchema, req.query);
      const target = await access.getClusterEntity(
        query.entityRef,
        credentials,
      );
      const result = await diagnostics.diagnose(target, {
        refresh: query.refresh,
      });
      await auditorEvent.success({ meta: { entityRef: target.entityRef } });
      res.json(result);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
