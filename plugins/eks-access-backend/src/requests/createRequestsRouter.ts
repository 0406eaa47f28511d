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

import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ACCESS_REQUEST_ACTIONS,
  ACCESS_REQUEST_STATES,
  accessRequestActionSchema,
  createAccessRequestSchema,
  storableText,
  type AccessLevelList,
  type AccessRequestPreflight,
  type AccessRequestList,
  type AccessRequestState,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  type AccessRequestService,
  type RequestActor,
  TooManyRequestsError,
} from './AccessRequestService';
import { toAccessLevelInfo } from './readAccessRequestsConfig';

const listSchema = z.object({
  entityRef: storableText().pipe(z.string().max(255)).optional(),
  mine: z.enum(['true', 'false']).optional(),
  state: z
    .union([
      z.enum(ACCESS_REQUEST_STATES),
      z.array(z.enum(ACCESS_REQUEST_STATES)),
    ])
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: storableText().pipe(z.string().max(1000)).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return result.data;
}

/** Parses with a schema, or throws InputError (400) naming every problem. */
export { parse as parseRequestInput };

/**
 * The HTTP API of the request flow, to mount under the plugin's router:
 * `POST/GET /requests`, `GET /requests/:id`,
 * `POST /requests/:id/{approve,reject,cancel,revoke,retry}`,
 * `GET /requests/:id/preflight`, `GET /levels`.
 * Every route needs a signed-in user.
 * @public
 */
export async function createRequestsRouter(options: {
  httpAuth: HttpAuthService;
  service: AccessRequestService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  async function actor(req: express.Request): Promise<RequestActor> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { userEntityRef: credentials.principal.userEntityRef, credentials };
  }

  router.get('/levels', async (req, res) => {
    const who = await actor(req);
    const { entityRef } = parse(
      z.object({ entityRef: z.string().min(1).max(255) }),
      req.query,
      'query',
    );
    const levels = await service.listLevels(entityRef, who);
    const body: AccessLevelList = {
      entityRef,
      levels: levels.map(toAccessLevelInfo),
      maxReasonLength: service.maxReasonLength,
    };
    res.json(body);
  });

  router.post('/requests', async (req, res) => {
    const who = await actor(req);
    const body = parse(createAccessRequestSchema, req.body, 'request');
    try {
      res.status(201).json(await service.create(body, who));
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) {
        throw error;
      }
      if (error.retryAfterSeconds) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      res.status(429).json({
        error: { name: error.name, message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
    }
  });

  router.get('/requests', async (req, res) => {
    const who = await actor(req);
    const query = parse(listSchema, req.query, 'query');
    let states: AccessRequestState[] | undefined;
    if (query.state !== undefined) {
      states = Array.isArray(query.state) ? query.state : [query.state];
    }
    const body: AccessRequestList = await service.list(
      {
        entityRef: query.entityRef,
        mine: query.mine === 'true',
        states,
        limit: query.limit,
        cursor: query.cursor,
      },
      who,
    );
    res.json(body);
  });

  router.get('/requests/:id', async (req, res) => {
    const who = await actor(req);
    res.json(await service.get(req.params.id, who));
  });

  // What approving would change, for the approver's dialog.
  router.get('/requests/:id/preflight', async (req, res) => {
    const who = await actor(req);
    const body: AccessRequestPreflight = await service.preflight(
      req.params.id,
      who,
    );
    res.json(body);
  });

  for (const action of ACCESS_REQUEST_ACTIONS) {
    router.post(`/requests/:id/${action}`, async (req, res) => {
      const who = await actor(req);
      const body = parse(accessRequestActionSchema, req.body, 'body');
      res.json(await service[action](req.params.id, body?.comment, who));
    });
  }

  return router;
}
