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
 * Benchmark (not a test): what a check costs on the demo scenario.
 *
 * 1. Cold: every demo cluster is read once, with 3 users checking all 13
 *    clusters at the same time: prints the AWS/Kubernetes calls made (one set
 *    of reads per cluster, shared by everyone) and the wall time.
 * 2. Warm: many checks against the shared snapshots: prints per-check
 *    latency (median, p99) and the calls made, which must be zero.
 *
 * Run: yarn workspace @eks-access/plugin-eks-access-backend bench
 */

import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandbox } from '@eks-access/plugin-eks-access-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import {
  createSandboxServices,
  loadDemoEntities,
  pointStsAtSandbox,
  silentLogger,
} from '../src/__testUtils__/sandboxServices';

const USERS = ['dana', 'alex', 'sam'];
const WARM_CHECKS = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main() {
  const sandbox = await startSandbox({ scenario: 'demo', port: 0 });
  const restoreSts = pointStsAtSandbox(sandbox);
  try {
    const services = createSandboxServices({
      sandbox,
      logger: silentLogger,
      entities: loadDemoEntities(),
    });
    const credentialsOf = (user: string) => ({
      $$type: '@backstage/BackstageCredentials' as const,
      principal: {
        type: 'user' as const,
        userEntityRef: `user:default/${user}`,
      },
    });
    const clusters = await services.access.listClusterEntities(
      credentialsOf('dana'),
    );
    const identities = new Map(
      await Promise.all(
        USERS.map(
          async user =>
            [
              user,
              await services.access.resolveUserIdentities(
                `user:default/${user}`,
                credentialsOf(user),
              ),
            ] as const,
        ),
      ),
    );
    const check = async (user: string, entityRef: string) => {
      const target = await services.access.getClusterEntity(
        entityRef,
        credentialsOf(user),
      );
      const { identities: ids, problems } = identities.get(user)!;
      return services.access.report(target, ids, problems);
    };

    sandbox.resetCalls();
    const coldStart = performance.now();
    await Promise.all(
      USERS.flatMap(user => clusters.map(c => check(user, c.entityRef))),
    );
    const coldMs = performance.now() - coldStart;
    const coldCalls = sandbox.calls();
    console.log(
      `cold: ${USERS.length} users x ${
        clusters.length
      } clusters checked at once in ${coldMs.toFixed(0)} ms, ` +
        `${coldCalls} AWS/Kubernetes calls (${sandbox.calls({
          operation: 'DescribeCluster',
        })} DescribeCluster, ${sandbox.calls({ service: 'k8s' })} Kubernetes)`,
    );

    sandbox.resetCalls();
    const times: number[] = [];
    for (let i = 0; i < WARM_CHECKS; i++) {
      const user = USERS[i % USERS.length];
      const cluster = clusters[i % clusters.length];
      const start = performance.now();
      await check(user, cluster.entityRef);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const warmCalls = sandbox.calls();
    console.log(
      `warm: ${WARM_CHECKS} checks, median ${percentile(times, 0.5).toFixed(
        3,
      )} ms, p99 ${percentile(times, 0.99).toFixed(
        3,
      )} ms, ${warmCalls} AWS/Kubernetes calls`,
    );
    if (warmCalls !== 0) {
      console.log(
        'warm checks made AWS calls: the shared snapshots were not used',
      );
      process.exitCode = 1;
    }
  } finally {
    restoreSts();
    await sandbox.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
