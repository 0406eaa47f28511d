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
 * One backend replica's grant stack in its own process, for
 * `grantReplicas.test.ts`: its own database pool, its own AWS clients and
 * snapshot store (pointed at the sandbox the test runs), the real store and
 * GrantReconciler. Forked with IPC and `-r sucrase/register`; the test sends
 * it messages:
 *
 *   { type: 'run', clockOffsetSeconds, killAfter? }
 *     runs the grant task once, with the clock moved by the offset (to let a
 *     dead replica's lease run out). With `killAfter` (an operation name), the
 *     replica stops right after that AWS write has succeeded, before it can
 *     record anything, reports `{ type: 'wrote' }` and waits to be SIGKILLed.
 *   replies { type: 'done', handled, writes } (the AWS writes it made).
 */

import knexFactory, { type Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readAccessRequestsConfig } from '../requests/readAccessRequestsConfig';
import { DatabaseAccessRequestStore } from '../requests/DatabaseAccessRequestStore';
import {
  GrantReconciler,
  snapshotAccessDataSource,
} from '../requests/GrantReconciler';
import type { GrantTargets } from '../requests/grantTargets';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { sdkGrantTargetsFor } from './grantStack';
import { createEksAccessServices } from '../createEksAccessServices';

// Not imported from ./sandboxServices: its catalog test utilities take
// seconds to load, in every replica.
const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};

/** What the test passes in `EKS_ACCESS_REPLICA` (JSON). */
export interface GrantReplicaOptions {
  runnerId: string;
  database: Knex.Config;
  /** The sandbox's endpoint and the `aws` config (`sandboxAwsConfig`). */
  sandbox: { endpoint: string; awsConfig: JsonObject };
  /** `eksAccess.requests` config. */
  requests: object;
}

/** Messages from the test. */
export type GrantReplicaCommand = {
  type: 'run';
  clockOffsetSeconds: number;
  killAfter?: string;
};

/** Messages to the test. */
export type GrantReplicaReply =
  | { type: 'ready' }
  | { type: 'wrote'; operation: string }
  | { type: 'done'; handled: number; writes: string[] }
  | { type: 'error'; message: string };

async function main() {
  const options: GrantReplicaOptions = JSON.parse(
    process.env.EKS_ACCESS_REPLICA!,
  );
  const send = (reply: GrantReplicaReply) => process.send!(reply);
  const db = knexFactory(options.database);
  const store = await DatabaseAccessRequestStore.create({
    database: {
      getClient: async () => db,
      migrations: { skip: true },
    },
  });
  const services = createEksAccessServices({
    config: new ConfigReader({
      aws: options.sandbox.awsConfig,
      eksAccess: { aws: { endpoint: options.sandbox.endpoint } },
    }),
    logger: silentLogger,
    // the grant stack never reads the catalog
    catalog: {} as CatalogService,
  });
  const sdk = sdkGrantTargetsFor(services.clients);

  let killAfter: string | undefined;
  let writes: string[] = [];
  const write = async <T>(operation: string, fn: () => Promise<T>) => {
    const result = await fn();
    writes.push(operation);
    if (operation === killAfter) {
      // The write is done; nothing after it may run. The test SIGKILLs us.
      send({ type: 'wrote', operation });
      await new Promise(() => {});
    }
    return result;
  };
  const targets: GrantTargets = {
    async accessEntries(cluster) {
      const t = await sdk.accessEntries(cluster);
      return {
        describeAccessEntry: p => t.describeAccessEntry(p),
        createAccessEntry: o =>
          write('CreateAccessEntry', () => t.createAccessEntry(o)),
        associateAccessPolicy: o =>
          write('AssociateAccessPolicy', () => t.associateAccessPolicy(o)),
        disassociateAccessPolicy: o =>
          write('DisassociateAccessPolicy', () =>
            t.disassociateAccessPolicy(o),
          ),
        deleteAccessEntry: p =>
          write('DeleteAccessEntry', () => t.deleteAccessEntry(p)),
      };
    },
    async awsAuth(cluster) {
      const c = await sdk.awsAuth(cluster);
      return {
        read: () => c.read(),
        replace: (d, v) => write('ReplaceAwsAuth', () => c.replace(d, v)),
      };
    },
  };

  let offsetMs = 0;
  const reconciler = new GrantReconciler({
    store,
    settings: readAccessRequestsConfig(
      new ConfigReader({ eksAccess: { requests: options.requests } }),
    ),
    targets,
    source: snapshotAccessDataSource(services.snapshots),
    logger: silentLogger,
    runnerId: options.runnerId,
    lockWaitMs: 2000,
    now: () => new Date(Date.now() + offsetMs),
  });

  process.on('message', (command: GrantReplicaCommand) => {
    offsetMs = command.clockOffsetSeconds * 1000;
    killAfter = command.killAfter;
    writes = [];
    reconciler.runOnce().then(
      handled => send({ type: 'done', handled, writes }),
      error => send({ type: 'error', message: String(error) }),
    );
  });
  send({ type: 'ready' });
}

main().catch(error => {
  process.send?.({ type: 'error', message: String(error) });
  process.exit(1);
});
