import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The request header the demo sign-in page sends. */
export const DEMO_USER_HEADER = 'x-eks-access-demo-user';

/**
 * A sign-in provider for the demo portal only: the visitor picks one of the
 * users listed in `auth.providers.demo.users`, and is signed in as that
 * catalog User entity. There is no password, so the provider refuses to run
 * unless `auth.providers.demo.enabled` is true, which only the development
 * config (app-config.yaml) sets; app-config.production.yaml does not.
 */
export const demoAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'eks-access-demo-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { user: string }) => ({
                profile: { displayName: result.user },
              }),
              initialize({ config }) {
                if (!config.getOptionalBoolean('enabled')) {
                  throw new Error(
                    'The demo sign-in provider is disabled; set auth.providers.demo.enabled only in development',
                  );
                }
                return {
                  users: new Set(config.getStringArray('users')),
                };
              },
              async authenticate({ req }, { users }) {
                const user = req.header(DEMO_USER_HEADER) ?? '';
                if (!users.has(user)) {
                  throw new AuthenticationError(
                    `Unknown demo user '${user}'; pick one of ${[...users].join(', ')}`,
                  );
                }
                return { result: { user } };
              },
            }),
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { kind: 'User', name: result.user },
              });
            },
          }),
        });
      },
    });
  },
});
