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
import { createOverviewRouter } from './createOverviewRouter';

function createApp(allow: boolean) {
  const calls: unknown[] = [];
  const app = express()
    .use(
      createOverviewRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/alex'),
        }),
        permissions: mockServices.permissions.mock({
          authorize: async () =>
            [
              {
                result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              },
            ] as any,
        }),
        overview: {
          overview: async options => {
            calls.push(options.filter);
            return {
              clusters: [],
              hygiene: [],
              rows: [
                {
                  entityRef: 'resource:default/c',
                  cluster: 'c',
                  accountId: '111122223333',
                  region: 'us-east-1',
                  mode: 'CONFIG_MAP',
                  principal: 'arn:aws:iam::111122223333:role/Dev',
                  source: 'aws-auth-role',
                  username: 'dev',
                  groups: ['devs'],
                  accessPolicies: [],
                },
              ],
            };
          },
        },
      }),
    )
    .use(mockErrorHandler());
  return { app, calls };
}

describe('createOverviewRouter', () => {
  it('answers admins only', async () => {
    const { app, calls } = createApp(false);
    expect((await request(app).get('/overview')).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('passes the filters, refuses bad ones, and exports CSV', async () => {
    const { app, calls } = createApp(true);
    const bad = await request(app).get('/overview').query({ mode: 'OPEN' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('mode must be');
    const csv = await request(app)
      .get('/overview')
      .query({ accountId: '111122223333', principal: 'dev', format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(
      'eks-access-overview.csv',
    );
    expect(csv.text.split('\r\n')[1]).toBe(
      'c,111122223333,us-east-1,CONFIG_MAP,arn:aws:iam::111122223333:role/Dev,aws-auth-role,,dev,devs,,',
    );
    expect(calls).toEqual([
      { accountId: '111122223333', mode: undefined, principal: 'dev' },
    ]);
  });
});
