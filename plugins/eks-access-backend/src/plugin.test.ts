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

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { eksAccessPlugin } from './plugin';

describe('eksAccessPlugin', () => {
  it('serves /health without credentials and guards the other routes', async () => {
    const { server } = await startTestBackend({
      features: [
        eksAccessPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const health = await request(server).get('/api/eks-access/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });

    const denied = await request(server).get(
      '/api/eks-access/access?entityRef=resource:default/x',
    );
    expect(denied.status).toBe(403);
  });

  it('answers 404 for an entity the catalog does not have', async () => {
    const { server } = await startTestBackend({
      features: [eksAccessPlugin, catalogServiceMock.factory({ entities: [] })],
    });
    const response = await request(server).get(
      '/api/eks-access/access?entityRef=resource:default/missing',
    );
    expect(response.status).toBe(404);
    expect(response.body.error.name).toBe('NotFoundError');
  });

  it('registers every eks-access permission', async () => {
    const { server } = await startTestBackend({
      features: [eksAccessPlugin, catalogServiceMock.factory({ entities: [] })],
    });
    const response = await request(server).get(
      '/api/eks-access/.well-known/backstage/permissions/metadata',
    );
    expect(response.status).toBe(200);
    expect(
      response.body.permissions.map((p: { name: string }) => p.name),
    ).toEqual(
      expect.arrayContaining([
        'eks-access.access.read',
        'eks-access.access.check',
        'eks-access.diagnostics.read',
        'eks-access.request.create',
        'eks-access.request.approve',
        'eks-access.request.admin',
      ]),
    );
  });
});
