/*
 * The demo/development backend: catalog, auth, permissions, notifications,
 * signals and the EKS Access plugin. Wiring only; plugin logic lives in
 * plugins/.
 */
import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from './features';

const backend = createBackend();
for (const feature of backendFeatures) {
  backend.add(feature);
}
backend.start();
