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

import type { EksAccessServices } from '../createEksAccessServices';
import { MigrationService } from './MigrationService';
import { SdkMigrationTarget } from './MigrationTarget';

export { createMigrationRouter } from './createMigrationRouter';
export { MigrationService } from './MigrationService';

/** The migration service on the plugin's clients and shared snapshots. */
export function createMigrationService(
  services: Pick<EksAccessServices, 'clients' | 'snapshots'>,
): MigrationService {
  return new MigrationService({
    snapshots: services.snapshots,
    targetFor: t =>
      new SdkMigrationTarget(
        services.clients.eks(t.cluster),
        services.clients.iam(t.cluster),
        t.cluster.name,
      ),
  });
}
