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

import { AuthenticatorLogCreatorSource } from './creator/AuthenticatorLogCreatorSource';
import { CloudTrailCreatorSource } from './creator/CloudTrailCreatorSource';
import { ClusterCreatorResolver } from './creator/ClusterCreatorResolver';
import { KubernetesRbacReader } from './aws/KubernetesRbacReader';
import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ClusterClients } from './aws/ClusterClients';
import { EksApiSources } from './aws/EksApiSources';
import { IamPrincipalDirectory } from './aws/IamPrincipalDirectory';
import { KubernetesAwsAuthReader } from './aws/KubernetesAwsAuthReader';
import { AnnotationIdentityResolver } from './identity/AnnotationIdentityResolver';
import { IdentityCenterIdentityResolver } from './identity/IdentityCenterIdentityResolver';
import type { IdentityResolver } from './identity/IdentityResolver';
import { TemplateIdentityResolver } from './identity/TemplateIdentityResolver';
import { ClusterDiagnosticsService } from './service/ClusterDiagnosticsService';
import { EksAccessService } from './service/EksAccessService';
import { KubernetesPluginClusters } from './service/KubernetesPluginClusters';
import { SnapshotEvaluator } from './snapshots/SnapshotEvaluator';
import {
  readEksAccessConfig,
  type EksAccessConfig,
} from './service/readEksAccessConfig';
import {
  ClusterSnapshotReader,
  ClusterSnapshotStore,
} from './snapshots/ClusterSnapshotStore';
import { KeyedConcurrencyLimiter } from './snapshots/KeyedConcurrencyLimiter';
import { PrincipalFactsCache } from './snapshots/PrincipalFactsCache';
import { SnapshotWarmer } from './snapshots/SnapshotWarmer';
import { SubjectPermissionsStore } from './snapshots/SubjectPermissionsStore';
import { KubernetesAccessReviewer } from './aws/KubernetesAccessReviewer';

/**
 * Everything the routes need, built once per plugin. The access-request
 * flow reuses `clients` (EKS and Kubernetes clients with Backstage's
 * credentials) and `snapshots` (to invalidate a cluster after a write).
 */
export interface EksAccessServices {
  config: EksAccessConfig;
  clients: ClusterClients;
  snapshots: ClusterSnapshotStore;
  /** The snapshots' evaluator, whose parsed index the request preflight reuses. */
  evaluator: SnapshotEvaluator;
  access: EksAccessService;
  diagnostics: ClusterDiagnosticsService;
  /** IAM facts about principals, shared by every reader like the snapshots. */
  principals: PrincipalFactsCache;
  /** Keeps recently checked clusters warm; only when `snapshots.warmer.enabled`. */
  warmer?: SnapshotWarmer;
}

/** Builds the plugin's services from config. */
export function createEksAccessServices(options: {
  config: RootConfigService;
  logger: LoggerService;
  catalog: CatalogService;
  /** For tests: use these clients instead of building them from config. */
  clients?: ClusterClients;
  now?: () => number;
}): EksAccessServices {
  const config = readEksAccessConfig(options.config);
  const clients =
    options.clients ??
    ClusterClients.fromConfig(options.config, {
      endpoints: config.aws.endpoints,
    });
  warnAboutStsEndpoint(config, options);

  const limiter = new KeyedConcurrencyLimiter(
    config.snapshots.maxConcurrentCallsPerAccount,
  );
  const eksApi = new EksApiSources(clients);
  const snapshots = new ClusterSnapshotStore({
    reader: new ClusterSnapshotReader({
      describer: eksApi,
      accessEntries: eksApi,
      awsAuth: new KubernetesAwsAuthReader(clients, {
        timeoutMs: config.kubernetes.requestTimeoutMs,
      }),
      rbac: new KubernetesRbacReader(clients, {
        timeoutMs: config.kubernetes.requestTimeoutMs,
      }),
      limiter,
      now: options.now,
    }),
    ttlMs: config.snapshots.ttlMs,
    errorTtlMs: config.snapshots.errorTtlMs,
    minRefreshIntervalMs: config.snapshots.minRefreshIntervalMs,
    now: options.now,
  });
  const principals = new PrincipalFactsCache({
    directory: new IamPrincipalDirectory(clients),
    limiter,
    ttlMs: config.snapshots.ttlMs,
    errorTtlMs: config.snapshots.errorTtlMs,
    logger: options.logger,
    now: options.now,
  });

  const resolvers: IdentityResolver[] = config.identity.resolvers.map(id => {
    if (id === 'identityCenter') {
      return new IdentityCenterIdentityResolver({
        config: config.identity.identityCenter!,
        aws: clients,
        now: options.now,
      });
    }
    return id === 'annotation'
      ? new AnnotationIdentityResolver({
          trustedUserLocations: config.identity.trustedUserLocations,
        })
      : new TemplateIdentityResolver(config.identity.templates);
  });

  const warmer = config.snapshots.warmer.enabled
    ? new SnapshotWarmer({
        store: snapshots,
        settings: config.snapshots.warmer,
        logger: options.logger,
        now: options.now,
      })
    : undefined;

  const subjectPermissions = config.kubernetes.subjectAccessReview.enabled
    ? new SubjectPermissionsStore({
        reviewer: new KubernetesAccessReviewer(clients, {
          timeoutMs: config.kubernetes.requestTimeoutMs,
        }),
        limiter,
        maxNamespaces: config.kubernetes.subjectAccessReview.maxNamespaces,
        refusalTtlMs: config.snapshots.ttlMs,
        now: options.now,
      })
    : undefined;

  const evaluator = new SnapshotEvaluator();
  // The creator: the catalog, else the authenticator log, else CloudTrail.
  const creators = new ClusterCreatorResolver({
    evaluator,
    log: new AuthenticatorLogCreatorSource({
      clientFor: target => clients.logs(target),
      logger: options.logger,
      now: options.now,
    }),
    cloudTrail: new CloudTrailCreatorSource({
      clientFor: target => clients.cloudTrail(target),
      logger: options.logger,
      now: options.now,
    }),
  });
  return {
    config,
    clients,
    snapshots,
    principals,
    evaluator,
    access: new EksAccessService({
      catalog: options.catalog,
      snapshots,
      principals,
      subjectPermissions,
      warmer,
      resolvers,
      evaluator,
      creators,
      logger: options.logger,
      now: options.now ? () => new Date(options.now!()) : undefined,
      kubernetesPluginClusters: KubernetesPluginClusters.fromConfig(
        options.config,
        options.logger,
      ),
    }),
    diagnostics: new ClusterDiagnosticsService({
      snapshots,
      evaluator,
      creators,
    }),
    ...(warmer ? { warmer } : {}),
  };
}

/**
 * integration-aws-node assumes roles with its own STS client, which only the
 * SDK's `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` environment variables can
 * redirect. Say so when the STS endpoint is overridden in config only.
 */
function warnAboutStsEndpoint(
  config: EksAccessConfig,
  options: { config: RootConfigService; logger: LoggerService },
) {
  const assumesRoles =
    (options.config.getOptionalConfigArray('aws.accounts') ?? []).some(a =>
      a.has('roleName'),
    ) || options.config.has('aws.accountDefaults.roleName');
  if (
    config.aws.endpoints.sts &&
    assumesRoles &&
    !process.env.AWS_ENDPOINT_URL_STS &&
    !process.env.AWS_ENDPOINT_URL
  ) {
    options.logger.warn(
      `eksAccess.aws sets an STS endpoint, but role assumption (aws.accounts[].roleName) uses the AWS SDK's own STS client: set AWS_ENDPOINT_URL_STS=${config.aws.endpoints.sts} in the backend's environment too`,
    );
  }
}
