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
 * Benchmark (not a test): what checks cost at scale, on generated sandbox
 * scenarios, through the backend's real services. For each case it runs,
 * side by side:
 *
 * - reference: the former strategy, reading every access entry in full
 *   (DescribeAccessEntry + ListAssociatedAccessPolicies per entry) before
 *   answering, as snapshots did before entry details became lazy;
 * - lazy: the current strategy (entry details only for the entries a check
 *   can match);
 * - bound: the fewest calls that can answer, from the scenario itself.
 *
 * and prints calls by operation, wall time, the ratio to the bound, the
 * clusters that ended `unknown` and the process RSS (the sandbox runs in the
 * same process).
 *
 * Run: yarn workspace @eks-access/plugin-eks-access-backend bench:scale
 *   [--fleet-clusters=500] [--fleet-accounts=5] [--no-reference-fleet]
 *   [--cases=1,2,3]
 */

import type { SandboxFaults } from '@eks-access/plugin-eks-access-sandbox';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/__testUtils__/sandboxServices';
import {
  createScaleServices,
  scaleScenario,
  userCredentials,
  withScaleSandbox,
  type ScaleScenario,
  type ScaleScenarioOptions,
} from '../src/__testUtils__/scaleScenario';

function flag(name: string, fallback: number): number {
  const arg = process.argv.find(a => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
}

const OPERATIONS = [
  'DescribeCluster',
  'ListAccessEntries',
  'DescribeAccessEntry',
  'ListAssociatedAccessPolicies',
  'GetRole',
  'k8s',
];

type Strategy = 'reference' | 'lazy';

const FIRST_PAGE = 20;
const PAGE = 50;

interface Result {
  label: string;
  calls: Record<string, number>;
  total: number;
  throttled?: number;
  wallMs: number;
  firstRowsMs?: number;
  unknown: number;
  rssMiB: number;
}

interface Case {
  title: string;
  fleet: ScaleScenarioOptions;
  faults: SandboxFaults;
  /** The EKS rate per account, to bound the wall time of throttled fleets. */
  eksRatePerSecond?: number;
  strategies: Strategy[];
}

async function runCase(c: Case, strategy: Strategy): Promise<Result> {
  const fleet = scaleScenario(c.fleet);
  return withScaleSandbox(fleet, async sandbox => {
    const services = createScaleServices({
      sandbox,
      fleet,
      logger: silentLogger,
    });
    const credentials = userCredentials(fleet.userEntityRef);
    // Backstage's own credentials (STS, once per account and process) are
    // set-up, not the cost of a check.
    await Promise.all(
      fleet.accountIds.map(id => services.clients.credentialProvider(id)()),
    );
    const clusters = await services.access.listClusterEntities(credentials);
    sandbox.resetCalls();
    sandbox.setFaults(c.faults);
    const start = performance.now();
    let unknown = 0;
    if (strategy === 'reference') {
      // read every entry in full first, then answer from the snapshot
      await Promise.all(
        clusters.map(async ({ entityRef }) => {
          const target = await services.access.getClusterEntity(
            entityRef,
            credentials,
          );
          await services.snapshots.get(target.cluster);
        }),
      );
    }
    // as the fleet page loads: a first page of 20, then pages of 50, three
    // at a time
    const list = (offset: number, limit: number) =>
      services.access.summaries({
        credentials,
        userEntityRef: fleet.userEntityRef,
        offset,
        limit,
      });
    const pages = [await list(0, FIRST_PAGE)];
    const firstRowsMs = performance.now() - start;
    for (let offset = FIRST_PAGE; offset < clusters.length; ) {
      const batch: number[] = [];
      for (let i = 0; i < 3 && offset < clusters.length; i++, offset += PAGE) {
        batch.push(offset);
      }
      pages.push(...(await Promise.all(batch.map(o => list(o, PAGE)))));
    }
    const wallMs = performance.now() - start;
    for (const page of pages) {
      unknown += page.items.filter(
        item => item.status === 'unknown' || item.status === 'error',
      ).length;
    }
    const calls = Object.fromEntries(
      OPERATIONS.map(op => [
        op,
        op === 'k8s'
          ? sandbox.calls({ service: 'k8s' })
          : sandbox.calls({ operation: op }),
      ]),
    );
    return {
      label: strategy,
      calls,
      total: sandbox.calls(),
      wallMs,
      firstRowsMs: clusters.length > FIRST_PAGE ? firstRowsMs : undefined,
      unknown,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
    };
  });
}

function boundOf(c: Case, fleet: ScaleScenario): Result {
  const { byOperation, total } = fleet.lowerBound;
  let wallMs = 0;
  if (c.eksRatePerSecond) {
    const eksCalls =
      total - (byOperation.k8s ?? 0) - (byOperation.GetRole ?? 0);
    wallMs = (eksCalls / fleet.accountIds.length / c.eksRatePerSecond) * 1000;
  }
  return {
    label: 'bound',
    calls: Object.fromEntries(OPERATIONS.map(op => [op, byOperation[op] ?? 0])),
    total,
    wallMs,
    unknown: 0,
    rssMiB: NaN,
  };
}

function print(c: Case, results: Result[], bound: Result) {
  console.log(`\n${c.title}`);
  const header = ['', ...results.map(r => r.label)];
  const rows: string[][] = [
    ...OPERATIONS.map(op => [op, ...results.map(r => String(r.calls[op]))]),
    ['total calls', ...results.map(r => String(r.total))],
    [
      'calls / bound',
      ...results.map(r => `${(r.total / bound.total).toFixed(2)}x`),
    ],
    [
      'wall time',
      ...results.map(r =>
        r.label === 'bound' && !r.wallMs
          ? '-'
          : `${(r.wallMs / 1000).toFixed(2)} s`,
      ),
    ],
    [
      'first 20 rows',
      ...results.map(r =>
        r.firstRowsMs === undefined
          ? '-'
          : `${(r.firstRowsMs / 1000).toFixed(2)} s`,
      ),
    ],
    ['unknown', ...results.map(r => String(r.unknown))],
    [
      'RSS',
      ...results.map(r =>
        Number.isNaN(r.rssMiB) ? '-' : `${r.rssMiB.toFixed(0)} MiB`,
      ),
    ],
  ];
  if (bound.wallMs) {
    rows.splice(rows.length - 3, 0, [
      'wall / bound',
      ...results.map(r => `${(r.wallMs / bound.wallMs).toFixed(2)}x`),
    ]);
  }
  const table = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(...table.map(row => row[i].length)),
  );
  for (const row of table) {
    console.log(
      row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
        )
        .join('  '),
    );
  }
}

async function main() {
  const fleetClusters = flag('fleet-clusters', 500);
  const fleetAccounts = flag('fleet-accounts', 5);
  const referenceFleet = !process.argv.includes('--no-reference-fleet');
  const latency = (ms: number): SandboxFaults => ({
    rules: [{ latency: { fixedMs: ms } }],
  });
  const oneCluster: ScaleScenarioOptions = {
    accounts: 1,
    clustersPerAccount: 1,
    entriesPerCluster: 1000,
    developerEntryEvery: 1,
  };
  const cases: Case[] = [
    {
      title:
        'one user, one API_AND_CONFIG_MAP cluster with 1,000 access entries, cold, no faults',
      fleet: oneCluster,
      faults: {},
      strategies: ['reference', 'lazy'],
    },
    {
      title: 'the same with 20 ms latency per AWS/Kubernetes call',
      fleet: oneCluster,
      faults: latency(20),
      strategies: ['reference', 'lazy'],
    },
    {
      title: `"My EKS access": ${fleetClusters} clusters in ${fleetAccounts} accounts (20 entries each, the user's role on every 4th), 50 ms latency, EKS throttled at 10 req/s per account`,
      fleet: {
        accounts: fleetAccounts,
        clustersPerAccount: Math.ceil(fleetClusters / fleetAccounts),
        entriesPerCluster: 20,
        developerEntryEvery: 4,
      },
      faults: {
        rules: [
          { latency: { fixedMs: 50 } },
          { service: 'eks', throttle: { ratePerSecond: 10 } },
        ],
      },
      eksRatePerSecond: 10,
      strategies: referenceFleet ? ['reference', 'lazy'] : ['lazy'],
    },
  ];
  console.log(
    `bench:scale on ${process.platform}/${process.arch}, node ${process.version}`,
  );
  const only = process.argv
    .find(a => a.startsWith('--cases='))
    ?.split('=')[1]
    .split(',')
    .map(Number);
  for (const [i, c] of cases.entries()) {
    if (only && !only.includes(i + 1)) continue;
    const results: Result[] = [];
    for (const strategy of c.strategies) {
      results.push(await runCase(c, strategy));
    }
    const bound = boundOf(c, scaleScenario(c.fleet));
    print(c, [...results, bound], bound);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
