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

import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createMigrationRouter } from './createMigrationRouter';
import type { MigrationService } from './MigrationService';

function createApp(deny: string[] = []) {
  const calls: unknown[][] = [];
  const migration = {
    preview: async (target: unknown) => {
      calls.push(['preview', target]);
      return { simulation: { summary: 'Equivalent for all 3 principals' } };
    },
    run: async (target: unknown, stage: string, options: unknown) => {
      calls.push(['run', target, stage, options]);
      return { stage, status: 'done', changed: [] };
    },
  } as unknown as MigrationService;
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: deny.includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any,
  });
  const app = express()
    .use(
      createMigrationRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/alex'),
        }),
        permissions,
        auditor: mockServices.auditor.mock(),
        access: {
          getClusterEntity: async (ref: string) =>
            ({ entityRef: ref, cluster: { name: 'c' } } as any),
        },
        migration,
      }),
    )
    .use(mockErrorHandler());
  return { app, calls };
}

describe('createMigrationRouter', () => {
  it('previews for admins only', async () => {
    const { app, calls } = createApp(['eks-access.migration.preview']);
    const denied = await request(app)
      .get('/migration/preview')
      .query({ entityRef: 'resource:default/c' });
    expect(denied.status).toBe(403);
    expect(calls).toEqual([]);
    const ok = await request(createApp().app)
      .get('/migration/preview')
      .query({ entityRef: 'resource:default/c' });
    expect(ok.status).toBe(200);
    expect(ok.body.simulation.summary).toBe('Equivalent for all 3 principals');
  });

  it('runs a stage only with the apply permission and valid input', async () => {
    const denied = createApp(['eks-access.migration.apply']);
    const res = await request(denied.app)
      .post('/migration/stages')
      .send({ entityRef: 'resource:default/c', stage: 'final' });
    expect(res.status).toBe(403);
    expect(denied.calls).toEqual([]);

    const { app, calls } = createApp();
    const bad = await request(app)
      .post('/migration/stages')
      .send({ entityRef: 'resource:default/c', stage: 'downgrade' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('stage must be');
    const ok = await request(app)
      .post('/migration/stages')
      .send({
        entityRef: 'resource:default/c',
        stage: 'entries',
        accept: ['arn:aws:iam::111122223333:role/Dev'],
      });
    expect(ok.status).toBe(200);
    expect(calls).toEqual([
      [
        'run',
        { entityRef: 'resource:default/c', cluster: { name: 'c' } },
        'entries',
        { accept: ['arn:aws:iam::111122223333:role/Dev'] },
      ],
    ]);
  });
});
