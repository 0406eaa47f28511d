/*
 * The features of the demo/development backend, in one list so that the
 * start-up test runs exactly what `yarn start` runs. Static imports rather
 * than `import()`, so that Jest can load the same list.
 */
import appBackend from '@backstage/plugin-app-backend';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogLogs from '@backstage/plugin-catalog-backend-module-logs';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import eksAccessBackend from '@eks-access/plugin-eks-access-backend';
import { demoAuthProviderModule } from './modules/demoAuthProvider';
import { eksAccessPermissionPolicyModule } from './modules/eksAccessPermissionPolicyModule';

export const backendFeatures = [
  appBackend,

  // auth: the demo user picker (development config only) and guest
  authBackend,
  guestProvider,
  demoAuthProviderModule,

  // catalog
  catalogBackend,
  catalogLogs,

  // permissions: cluster owners and platform-team approve access requests,
  // only platform-team reads admin diagnostics
  permissionBackend,
  eksAccessPermissionPolicyModule,

  // notifications and signals (used by the access-request flow)
  notificationsBackend,
  signalsBackend,
  userSettingsBackend,

  // EKS Access. The local AWS sandbox it talks to in development is added by
  // dev/index.ts only, so production builds never contain it.
  eksAccessBackend,

  // MCP: the actions of the plugins in backend.actions.pluginSources
  // (eks-access) as tools for AI assistants, at /api/mcp-actions/v1
  mcpActionsBackend,
];
