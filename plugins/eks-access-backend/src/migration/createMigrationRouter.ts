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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  eksAccessMigrationApplyPermission,
  eksAccessMigrationPreviewPermission,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parse } from '../service/parseInput';
import type { EksAccessService } from '../service/EksAccessService';
import { requirePermission } from '../service/requirePermission';
import type { MigrationService } from './MigrationService';

const entityRef = z
  .string({ error: 'entityRef is required' })
  .trim()
  .min(1, 'entityRef is required')
  .max(1024, 'entityRef is too long');

const previewQuery = z.object({ entityRef });
const stageBody = z.object({
  entityRef,
  stage: z.enum(['entries', 'final', 'rollback'], {
    error: 'stage must be entries, final or rollback',
  }),
  accept: z
    .array(z.string().max(2048), { error: 'accept must be a list of ARNs' })
    .max(1000)
    .optional(),
});

/**
 * The admin's migration routes: `GET /migration/preview` (plan, simulation,
 * renderings; `eks-access.migration.preview`) and `POST /migration/stages`
 * (run one stage; `eks-access.migration.apply`, audited).
 */
export function createMigrationRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  access: Pick<EksAccessService, 'getClusterEntity'>;
  migration: MigrationService;
}): express.Router {
  const { httpAuth, permissions, auditor, access, migration } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/migration/preview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await requirePermission(
      permissions,
      credentials,
      eksAccessMigrationPreviewPermission,
    );
    const query = parse(previewQuery, req.query);
    const target = await access.getClusterEntity(query.entityRef, credentials);
    res.json(await migration.preview(target));
  });

  router.post('/migration/stages', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const event = await auditor.createEvent({
      eventId: 'cluster-migration-stage',
      severityLevel: 'high',
      request: req,
    });
    try {
      await requirePermission(
        permissions,
        credentials,
        eksAccessMigrationApplyPermission,
      );
      const body = parse(stageBody, req.body ?? {});
      const target = await access.getClusterEntity(body.entityRef, credentials);
      const result = await migration.run(target, body.stage, {
        accept: body.accept,
      });
      await event.success({
        meta: {
          entityRef: target.entityRef,
          stage: body.stage,
          status: result.status,
          changed: result.changed.length,
        },
      });
      res.json(result);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
