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

import type {
  AuditorService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ClusterClients } from '../aws/ClusterClients';
import type { RequestActor } from '../requests/AccessRequestService';
import type {
  ClusterEntity,
  EksAccessService,
} from '../service/EksAccessService';
import type { ClusterSnapshotStore } from '../snapshots/ClusterSnapshotStore';
import { DatabaseMigrationStore } from './DatabaseMigrationStore';
import {
  type MigrationApprovers,
  MigrationProposalService,
} from './MigrationProposalService';
import { MigrationProposalNotifier } from './MigrationProposalNotifier';
import { MigrationService } from './MigrationService';
import { SdkMigrationTarget } from './MigrationTarget';

export { createMigrationRouter } from './createMigrationRouter';
export { DatabaseMigrationStore } from './DatabaseMigrationStore';
export { MigrationProposalService } from './MigrationProposalService';
export { MigrationService } from './MigrationService';

/** The scheduled task that runs approved stages and resumes interrupted ones. */
export const MIGRATION_TASK_ID = 'eks-access-migration-stages';

/** The migration service on the plugin's clients and shared snapshots. */
/**
 * What the migration needs of the plugin's shared services: declared here,
 * not taken from the composition root, so imports point down only.
 */
export interface MigrationServices {
  clients: ClusterClients;
  snapshots: ClusterSnapshotStore;
  access: Pick<EksAccessService, 'getClusterEntity'>;
}

export function createMigrationService(
  services: Pick<MigrationServices, 'clients' | 'snapshots'>,
  options: {
    store: DatabaseMigrationStore;
    config?: Config;
  },
): MigrationService {
  return new MigrationService({
    snapshots: services.snapshots,
    store: options.store,
    verificationWindowSeconds: options.config?.getOptionalNumber(
      'eksAccess.migration.verificationWindowSeconds',
    ),
    targetFor: t =>
      new SdkMigrationTarget(
        services.clients.eks(t.cluster),
        services.clients.iam(t.cluster),
        t.cluster.name,
      ),
  });
}

/**
 * The migration with its stages as approved proposals, on the plugin's
 * database, and the scheduled task that runs them: every minute, and right
 * after an approval.
 */
export async function createMigration(options: {
  services: MigrationServices;
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  notifier: MigrationProposalNotifier;
  approvers: MigrationApprovers;
  serviceCluster: (entityRef: string) => Promise<ClusterEntity>;
}): Promise<{
  migration: MigrationService;
  proposals: MigrationProposalService;
}> {
  const store = await DatabaseMigrationStore.create({
    database: options.database,
  });
  const migration = createMigrationService(options.services, {
    store,
    config: options.config,
  });
  const proposals: MigrationProposalService = new MigrationProposalService({
    store,
    migration,
    permissions: options.permissions,
    approvers: options.approvers,
    auditor: options.auditor,
    notifier: options.notifier,
    logger: options.logger,
    clusterFor: (entityRef: string, actor: RequestActor) =>
      options.services.access.getClusterEntity(entityRef, actor.credentials),
    runnerCluster: options.serviceCluster,
    trigger: async () => {
      try {
        await options.scheduler.triggerTask(MIGRATION_TASK_ID);
      } catch (error) {
        // Already running or not started yet: the next run picks it up.
        options.logger.debug(
          `Could not trigger ${MIGRATION_TASK_ID}: ${error}`,
        );
      }
    },
  });
  await options.scheduler.scheduleTask({
    id: MIGRATION_TASK_ID,
    scope: 'global',
    frequency: { minutes: 1 },
    // a stage waits for EKS's mode switch (up to 30 minutes)
    timeout: { minutes: 45 },
    fn: async () => {
      await proposals.runApproved();
    },
  });
  return { migration, proposals };
}

export { MigrationProposalNotifier };
