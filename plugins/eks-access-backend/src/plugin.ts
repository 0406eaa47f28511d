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

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  eksAccessPermissions,
  parseEksClusterArn,
} from '@eks-access/plugin-eks-access-common';
import {
  registerAccessRequestActions,
  registerClusterAccessActions,
} from './actions';
import { EksApiSources } from './aws/EksApiSources';
import { createAttemptsRouter } from './attempts';
import { createAuthenticatorLogReader } from './aws/createAuthenticatorLogReader';
import { createDenialsRouter } from './denials/createDenialsRouter';
import {
  AccessRequestNotifier,
  AccessRequestService,
  awsOwnerTagApprovers,
  CatalogRequestClusterLookup,
  DatabaseAccessRequestStore,
  GrantReconciler,
  createRequestsRouter,
  createSdkGrantTargets,
  readAccessRequestsConfig,
  scheduleGrantReconciler,
  snapshotAccessDataSource,
  snapshotRequestClusterData,
} from './requests';
import { createRouter } from './router';
import {
  createMigration,
  createMigrationRouter,
  MigrationProposalNotifier,
} from './migration';
import { AccessOverviewService, createOverviewRouter } from './overview';
import { createIdentityProofRouter } from './proof/createIdentityProofRouter';
import { IdentityProofService } from './proof/IdentityProofService';
import { createEksAccessServices } from './createEksAccessServices';
import { DatabaseIdentityProofStore } from './proof/IdentityProofStore';

/**
 * The EKS Access backend plugin: "can I reach this cluster?" for every
 * developer and EKS cluster in the catalog.
 *
 * @public
 */
export const eksAccessPlugin = createBackendPlugin({
  pluginId: 'eks-access',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        auth,
        logger,
        httpRouter,
        httpAuth,
        userInfo,
        permissions,
        permissionsRegistry,
        auditor,
        database,
        scheduler,
        catalog,
        notifications,
        signals,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(eksAccessPermissions);

        const services = createEksAccessServices({ config, logger, catalog });
        await services.warmer?.schedule(scheduler);

        // "Can I reach this cluster?" routes.
        httpRouter.use(
          await createRouter({
            httpAuth,
            userInfo,
            permissions,
            auditor,
            access: services.access,
            diagnostics: services.diagnostics,
          }),
        );

        httpRouter.use(
          createOverviewRouter({
            httpAuth,
            permissions,
            overview: new AccessOverviewService({
              snapshots: services.snapshots,
              access: services.access,
              principals: services.principals,
            }),
          }),
        );

        // "Verify the identity my kubectl uses": nonce, token check, proof.
        // The attempts route reads the same proofs (the kubectl identity's lines).
        const proofs = new IdentityProofService({
          stsEndpoint: services.config.aws.endpoints.sts,
          // nonces and proofs shared by every replica
          store: await DatabaseIdentityProofStore.create({ database }),
        });
        httpRouter.use(
          await createIdentityProofRouter({
            httpAuth,
            userInfo,
            permissions,
            access: services.access,
            proofs,
          }),
        );

        // Recent attempts from the clusters' authenticator logs, and for
        // admins everyone's recent denials (one reader: one cache, one bound).
        const logReader = createAuthenticatorLogReader(
          config,
          services.clients,
        );
        httpRouter.use(
          createAttemptsRouter({
            httpAuth,
            userInfo,
            permissions,
            access: services.access,
            reader: logReader,
            proofs,
          }),
        );
        httpRouter.use(
          createDenialsRouter({
            httpAuth,
            permissions,
            access: services.access,
            diagnostics: services.diagnostics,
            reader: logReader,
          }),
        );

        // Access requests: built on the same clients and snapshots, so a
        // grant invalidates exactly the snapshot the card reads.
        const settings = readAccessRequestsConfig(config);
        const store = await DatabaseAccessRequestStore.create({ database });
        const notifier = new AccessRequestNotifier({
          notifications,
          signals,
          logger,
          adminGroups: settings.adminGroups,
        });
        const reconciler = new GrantReconciler({
          store,
          settings,
          logger,
          auditor,
          notifier,
          targets: createSdkGrantTargets({
            clients: services.clients,
            describer: new EksApiSources(services.clients),
          }),
          source: snapshotAccessDataSource(services.snapshots, {
            // the creator annotation; if the catalog cannot answer, the
            // cluster's creator tag alone (as when the annotation is absent)
            entityOf: async cluster =>
              catalog
                .getEntityByRef(cluster.entityRef, {
                  credentials: await auth.getOwnServiceCredentials(),
                })
                .catch(() => undefined),
          }),
        });
        const grants = await scheduleGrantReconciler({
          scheduler,
          reconciler,
          schedule: settings.schedule,
          logger,
        });
        const requests = new AccessRequestService({
          store,
          settings,
          permissions,
          notifier,
          auditor,
          clusters: new CatalogRequestClusterLookup(catalog, {
            trustedLocations: settings.trustedLocations,
            serviceCredentials: () => auth.getOwnServiceCredentials(),
            clusterRefOf: entity => services.access.clusterRefOf(entity),
          }),
          triggerGrants: grants.trigger,
          tagApprovers: settings.awsOwnerTag
            ? awsOwnerTagApprovers({
                tagKey: settings.awsOwnerTag,
                tagsOf: async arn => {
                  const cluster = parseEksClusterArn(arn);
                  return cluster
                    ? (await services.snapshots.get(cluster)).described?.tags
                    : undefined;
                },
                ownershipOf: async credentials =>
                  (await userInfo.getUserInfo(credentials)).ownershipEntityRefs,
              })
            : undefined,
          clusterData: snapshotRequestClusterData(
            services.snapshots,
            services.evaluator,
          ),
          // the resolvers' identities and the one the user proved
          identities: {
            resolve: async (userEntityRef, credentials) => {
              const [resolved, proof] = await Promise.all([
                services.access.resolveUserIdentities(
                  userEntityRef,
                  credentials,
                ),
                proofs.proofOf(userEntityRef),
              ]);
              return [
                ...resolved.identities,
                ...(proof ? [proof.identity] : []),
              ];
            },
          },
        });
        httpRouter.use(
          await createRequestsRouter({ httpAuth, service: requests }),
        );

        // The admin's migration from aws-auth to access entries (issue 21):
        // its stages are proposals that another approver, by the request
        // flow's rules, must approve before the stage task runs them.
        const migration = await createMigration({
          services,
          config,
          database,
          scheduler,
          permissions,
          auditor,
          logger,
          notifier: new MigrationProposalNotifier({
            notifications,
            logger,
            adminGroups: settings.adminGroups,
          }),
          approvers: requests,
          serviceCluster: async entityRef =>
            services.access.getClusterEntity(
              entityRef,
              await auth.getOwnServiceCredentials(),
            ),
        });
        httpRouter.use(
          createMigrationRouter({
            httpAuth,
            permissions,
            access: services.access,
            ...migration,
          }),
        );

        // The same answers for AI assistants, as Backstage actions (served
        // over MCP by @backstage/plugin-mcp-actions-backend).
        registerClusterAccessActions({
          actionsRegistry,
          access: services.access,
          permissions,
          userInfo,
        });
        registerAccessRequestActions({
          actionsRegistry,
          requests,
          access: services.access,
        });

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
