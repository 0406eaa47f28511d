import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import signalsBackend from '@backstage/plugin-signals-backend';
import { backendFeatures } from './features';

describe('backend', () => {
  it('starts with every plugin and answers the EKS Access health check', async () => {
    const backend = await startTestBackend({
      features: [
        // Everything `yarn start` runs but signals, whose WebSocket routing
        // needs the real HTTP server that startTestBackend does not expose;
        // scripts/e2e.sh starts the real backend with signals.
        ...backendFeatures.filter(feature => feature !== signalsBackend),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: { locations: [] },
            auth: {
              providers: {
                demo: { enabled: true, users: ['dana'] },
              },
            },
            eksAccessSandbox: { enabled: false },
          },
        }),
      ],
    });
    try {
      const health = await request(backend.server).get('/api/eks-access/health');
      expect(health.status).toBe(200);
      // The catalog and permission plugins are up too.
      const catalog = await request(backend.server).get('/api/catalog/entities');
      expect(catalog.status).not.toBe(404);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
