/*
 * The demo/development backend: catalog, auth, permissions, notifications,
 * signals and the EKS Access plugin. Wiring only; plugin logic lives in
 * plugins/.
 */
import { createBackend } from '@backstage/backend-defaults';
import { demoAuthProviderModule } from './modules/demoAuthProvider';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the demo user picker (development config only) and guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(demoAuthProviderModule);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// notifications and signals (used by the access-request flow)
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

// EKS Access, and the local AWS sandbox it talks to in development
backend.add(import('@eks-access/plugin-eks-access-backend'));

backend.start();
