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
} from '@backstage/backend-plugin-api';
import {
  accessOverviewCsv,
  eksAccessOverviewReadPermission,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parse } from '../service/parseInput';
import { requirePermission } from '../service/requirePermission';
import type { AccessOverviewService } from './AccessOverviewService';

const overviewQuery = z.object({
  entityRef: z.string().trim().min(1).max(1024).optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'accountId must be 12 digits')
    .optional(),
  mode: z
    .enum(['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'], {
      error: 'mode must be CONFIG_MAP, API_AND_CONFIG_MAP or API',
    })
    .optional(),
  principal: z.string().trim().max(2048).optional(),
  format: z
    .enum(['json', 'csv'], { error: 'format must be json or csv' })
    .default('json'),
});

/**
 * `GET /overview[?entityRef=&accountId=&mode=&principal=&format=csv]`:
 * the admin access overview (`eks-access.overview.read`).
 */
export function createOverviewRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  overview: Pick<AccessOverviewService, 'overview'>;
}): express.Router {
  const router = Router();
  router.get('/overview', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    await requirePermission(
      options.permissions,
      credentials,
      eksAccessOverviewReadPermission,
    );
    const query = parse(overviewQuery, req.query);
    const result = await options.overview.overview({
      credentials,
      entityRef: query.entityRef,
      filter: {
        accountId: query.accountId,
        mode: query.mode,
        principal: query.principal,
      },
    });
    if (query.format === 'csv') {
      res
        .type('text/csv')
        .attachment('eks-access-overview.csv')
        .send(accessOverviewCsv(result.rows));
      return;
    }
    res.json(result);
  });
  return router;
}
