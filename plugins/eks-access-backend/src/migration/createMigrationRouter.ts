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
  eksAccessMigrationPreviewPermission,
  MIGRATION_PROPOSAL_ACTIONS,
  MIGRATION_STAGES,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RequestActor } from '../requests/AccessRequestService';
import { parse } from '../service/parseInput';
import type { EksAccessService } from '../service/EksAccessService';
import { requirePermission } from '../service/requirePermission';
import type { MigrationProposalService } from './MigrationProposalService';
import type { MigrationService } from './MigrationService';

const entityRef = z
  .string({ error: 'entityRef is required' })
  .trim()
  .min(1, 'entityRef is required')
  .max(1024, 'entityRef is too long');

const comment = z
  .string({ error: 'comment must be text' })
  .max(2000, 'comment is too long (2000 characters at most)')
  .optional();

const previewQuery = z.object({ entityRef });
const listQuery = z.object({
  entityRef: entityRef.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const proposalBody = z.object({
  entityRef,
  stage: z.enum(MIGRATION_STAGES, {
    error: 'stage must be entries, final or rollback',
  }),
  accept: z
    .array(z.string().max(2048), { error: 'accept must be a list of ARNs' })
    .max(1000)
    .optional(),
  comment,
});
const actionBody = z.object({ comment }).optional();
const proposalId = z.uuid({ error: 'the proposal id is not a UUID' });

/**
 * The admin's migration routes: `GET /migration/preview` (plan, simulation,
 * renderings; `eks-access.migration.preview`), and its stages as proposals
 * another approver must approve: `GET/POST /migration/proposals`,
 * `GET /migration/proposals/:id`,
 * `POST /migration/proposals/:id/{approve,reject,cancel,retry}`
 * (rules, audit and notifications in MigrationProposalService). No route
 * runs a stage directly.
 */
export function createMigrationRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  access: Pick<EksAccessService, 'getClusterEntity'>;
  migration: MigrationService;
  proposals: MigrationProposalService;
}): express.Router {
  const { httpAuth, permissions, access, migration, proposals } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  async function actor(req: express.Request): Promise<RequestActor> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { userEntityRef: credentials.principal.userEntityRef, credentials };
  }

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

  router.get('/migration/proposals', async (req, res) => {
    const who = await actor(req);
    const query = parse(listQuery, req.query);
    res.json(await proposals.list(query, who));
  });

  router.post('/migration/proposals', async (req, res) => {
    const who = await actor(req);
    const body = parse(proposalBody, req.body ?? {});
    res.status(201).json(await proposals.propose(body, who));
  });

  router.get('/migration/proposals/:id', async (req, res) => {
    const who = await actor(req);
    res.json(await proposals.get(parse(proposalId, req.params.id), who));
  });

  for (const action of MIGRATION_PROPOSAL_ACTIONS) {
    router.post(`/migration/proposals/:id/${action}`, async (req, res) => {
      const who = await actor(req);
      const id = parse(proposalId, req.params.id);
      const body = parse(actionBody, req.body);
      res.json(await proposals[action](id, body?.comment, who));
    });
  }

  return router;
}
