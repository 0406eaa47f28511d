/*
 * The features of the demo/development backend, in one list so that the
 * start-up test runs exactly what `yarn start` runs.
 */
import { demoAuthProviderModule } from './modules/demoAuthProvider';

export const backendFeatures = [
  import('@backstage/plugin-app-backend'),

  // auth: the demo user picker (development config only) and guest
  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),
  demoAuthProviderModule,

  // catalog
  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-logs'),

  // permissions
  import('@backstage/plugin-permission-backend'),
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),

  // notifications and signals (used by the access-request flow)
  import('@backstage/plugin-notifications-backend'),
  import('@backstage/plugin-signals-backend'),
  import('@backstage/plugin-user-settings-backend'),

  // EKS Access
  import('@eks-access/plugin-eks-access-backend'),
];
