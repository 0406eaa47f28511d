/*
 * The development backend (`yarn start`): every production feature from
 * src/features.ts, plus the local AWS sandbox (started only when
 * `eksAccessSandbox.enabled` is true). The sandbox is a devDependency of this
 * package, so `src/index.ts`, the production entry point, never loads it and
 * the production bundle does not contain it.
 */
import { createBackend } from '@backstage/backend-defaults';
import { eksAccessSandboxPlugin } from '@eks-access/plugin-eks-access-sandbox';
import { backendFeatures } from '../src/features';

const backend = createBackend();
// First, so that the sandbox listens before EKS Access reads its clusters.
backend.add(eksAccessSandboxPlugin);
for (const feature of backendFeatures) {
  backend.add(feature);
}
backend.start();
