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
 * catalog User entity. There is no password, so the provider refuses every
 * sign-in unless `auth.providers.demo.enabled` is true, which only the
 * development config (app-config.yaml) sets, and always under
 * NODE_ENV=production. Refusing at sign-in rather than at start-up keeps a
 * disabled provider from breaking the backend's start.
 */
/**
 * Why the demo sign-in refuses, or undefined when it may run. Like
 * Backstage's guest provider, it never runs under NODE_ENV=production,
 * whatever the config says: it signs anyone in without a password.
 */
export function demoProviderDisabledReason(
  enabled: boolean,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): string | undefined {
  if (nodeEnv === 'production') {
    return 'The demo sign-in provider never runs with NODE_ENV=production; configure a real sign-in provider';
  }
  if (!enabled) {
    return 'The demo sign-in provider is disabled; set auth.providers.demo.enabled only in development';
  }
  return undefined;
}

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
                // A disabled provider must not stop the backend from
                // starting: it stays registered and refuses every sign-in.
                return {
                  disabledBecause: demoProviderDisabledReason(
                    config.getOptionalBoolean('enabled') ?? false,
                  ),
                  users: new Set(config.getOptionalStringArray('users') ?? []),
                };
              },
              async authenticate({ req }, { users, disabledBecause }) {
                if (disabledBecause) {
                  throw new AuthenticationError(disabledBecause);
                }
                const user = req.header(DEMO_USER_HEADER) ?? '';
                if (!users.has(user)) {
                  throw new AuthenticationError(
                    `Unknown demo user '${user}'; pick one of ${[...users].join(
                      ', ',
                    )}`,
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
