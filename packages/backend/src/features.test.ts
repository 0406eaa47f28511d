import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { backendFeatures } from './features';

describe('backend', () => {
  it('starts with every plugin and answers the EKS Access health check', async () => {
    const { server, stop } = await startTestBackend({
      features: [
        ...backendFeatures,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: { locations: [] },
            auth: {
              providers: {
                demo: { development: { enabled: true, users: ['dana'] } },
              },
            },
            eksAccessSandbox: { enabled: false },
          },
        }),
      ],
    });
    try {
      const health = await request(server).get('/api/eks-access/health');
      expect(health.status).toBe(200);
      // The catalog and permission plugins are up too.
      const catalog = await request(server).get('/api/catalog/entities');
      expect(catalog.status).not.toBe(404);
    } finally {
      await stop();
    }
  }, 60_000);
});
