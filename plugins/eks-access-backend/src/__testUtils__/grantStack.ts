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

/*
 * The request flow's grant side as the tests build it: the real store on a
 * test database with its migrations run, the SDK grant targets over a set
 * of AWS clients, and a request recorded as approved, ready for the
 * reconciler.
 */

import {
  mockServices,
  type TestDatabaseId,
  type TestDatabases,
} from '@backstage/backend-test-utils';
import { EksApiSources } from '../aws/EksApiSources';
import type { ClusterClients } from '../aws/ClusterClients';
import type {
  AccessRequestStore,
  NewAccessRequest,
} from '../requests/AccessRequestStore';
import { DatabaseAccessRequestStore } from '../requests/DatabaseAccessRequestStore';
import { createSdkGrantTargets } from '../requests/sdkGrantTargets';

/** A DatabaseAccessRequestStore on a fresh database of `databases`, migrated. */
export async function migratedRequestStore(
  databases: TestDatabases,
  id: TestDatabaseId,
) {
  const knex = await databases.init(id);
  const store = await DatabaseAccessRequestStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return { knex, store };
}

/** The grant targets the plugin runs with: EKS and aws-auth through the SDK clients. */
export function sdkGrantTargetsFor(clients: ClusterClients) {
  return createSdkGrantTargets({
    clients,
    describer: new EksApiSources(clients),
  });
}

/** Records the request and Alex's approval of it; its id. */
export async function recordApprovedRequest(
  store: AccessRequestStore,
  request: NewAccessRequest,
): Promise<string> {
  const created = await store.createRequest(request);
  await store.recordApproval({ id: created.id, approver: 'user:default/alex' });
  return created.id;
}
