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
import { loadConfig } from '@backstage/config-loader';
import { type AppConfig, ConfigReader } from '@backstage/config';
import signalsBackend from '@backstage/plugin-signals-backend';
import path from 'node:path';
import request from 'supertest';
import { backendFeatures } from './features';
import { DEMO_USER_HEADER } from './modules/demoAuthProvider';

const ROOT = path.resolve(__dirname, '../../..');

/** app-config.yaml + app-config.production.yaml, as `yarn start:prod` reads them. */
async function productionConfig(overrides: AppConfig['data']) {
  const { appConfigs } = await loadConfig({
    configRoot: ROOT,
    configTargets: [
      { path: path.join(ROOT, 'app-config.yaml') },
      { path: path.join(ROOT, 'app-config.production.yaml') },
    ],
  });
  return ConfigReader.fromConfigs([
    ...appConfigs,
    { context: 'test', data: overrides },
  ]).get() as Record<string, unknown>;
}

async function start(data: Record<string, unknown>) {
  return startTestBackend({
    features: [
      // See features.test.ts for why signals is left out.
      ...backendFeatures.filter(feature => feature !== signalsBackend),
      mockServices.rootConfig.factory({ data: data as any }),
    ],
  });
}

describe('the production configuration', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('boots (SQLite in place of PostgreSQL) with the demo sign-in off', async () => {
    process.env.NODE_ENV = 'production';
    const backend = await start(
      await productionConfig({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
      }),
    );
    try {
      const health = await request(backend.server).get(
        '/api/eks-access/health',
      );
      expect(health.status).toBe(200);
      const demo = await request(backend.server)
        .get('/api/auth/demo/refresh?env=production')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set(DEMO_USER_HEADER, 'dana');
      expect(demo.status).toBe(401);
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('refuses the demo sign-in under NODE_ENV=production even when the config enables it', async () => {
    process.env.NODE_ENV = 'production';
    const backend = await start(
      await productionConfig({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        auth: { providers: { demo: { enabled: true, users: ['dana'] } } },
      }),
    );
    try {
      const demo = await request(backend.server)
        .get('/api/auth/demo/refresh?env=production')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set(DEMO_USER_HEADER, 'dana');
      expect(demo.status).toBe(401);
      expect(JSON.stringify(demo.body)).toContain('NODE_ENV=production');
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
