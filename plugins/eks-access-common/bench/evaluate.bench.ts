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
 * Benchmark (not a test): a cluster with 5,000 aws-auth entries and 1,000
 * access entries; prints aws-auth parse time, index build time and the
 * per-evaluation latency (median, p99) against the pre-built index.
 *
 * Run: yarn workspace @eks-access/plugin-eks-access-common bench
 */

import { performance } from 'perf_hooks';
import {
  evaluateAccess,
  indexClusterAccess,
  parseAwsAuth,
  serializeAwsAuthEntries,
} from '../src/evaluator';
import type { AccessEntryInfo, CallerInfo } from '../src/evaluator';

const ACCT = '111122223333';
const ROLES = 3000;
const USERS = 2000;
const ENTRIES = 1000;
const EVALUATIONS = 20000;

/** Deterministic pseudo-random numbers (no Math.random: runs are comparable). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const mapRoles = Array.from({ length: ROLES }, (_, i) => ({
  rolearn:
    i % 10 === 0
      ? `arn:aws:iam::${ACCT}:role/team${i % 7}/Role${i}`
      : `arn:aws:iam::${ACCT}:role/Role${i}`,
  username: i % 3 === 0 ? '{{SessionName}}' : `role-${i}`,
  groups: [`group-${i % 50}`, 'readers'],
}));
const mapUsers = Array.from({ length: USERS }, (_, i) => ({
  userarn: `arn:aws:iam::${ACCT}:user/eng/user${i}`,
  username: `user-${i}`,
  groups: [`group-${i % 50}`],
}));
const accessEntries: AccessEntryInfo[] = Array.from(
  { length: ENTRIES },
  (_, i) => ({
    principalArn: `arn:aws:iam::${ACCT}:role/path/Entry${i}`,
    type: 'STANDARD',
    createdAt: '2025-01-01T00:00:00Z',
    accessPolicies: [
      {
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
        accessScope: { type: 'namespace', namespaces: [`ns-${i % 20}`] },
      },
    ],
  }),
);
const data = serializeAwsAuthEntries({ mapRoles, mapUsers });
const cluster = {
  name: 'bench',
  accountId: ACCT,
  region: 'eu-west-1',
  authenticationMode: 'API_AND_CONFIG_MAP' as const,
  accessEntries,
  awsAuth: { data },
};

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

/** First (cold) run and median of 5 further (warm) runs. */
function coldAndWarm<T>(fn: () => T): [T, number, number] {
  const [first, cold] = time(fn);
  const warm = Array.from({ length: 5 }, () => time(fn)[1]).sort(
    (a, b) => a - b,
  )[2];
  return [first, cold, warm];
}

const [parsed, parseCold, parseWarm] = coldAndWarm(() => parseAwsAuth(data));
if (parsed.mapRoles.length + parsed.mapUsers.length !== ROLES + USERS) {
  throw new Error('aws-auth did not parse back completely');
}
const [index, indexCold, indexWarm] = coldAndWarm(() =>
  indexClusterAccess(cluster),
);

const rnd = lcg(42);
const callers: CallerInfo[] = Array.from({ length: EVALUATIONS }, () => {
  const k = Math.floor(rnd() * 5);
  const i = Math.floor(rnd() * 3000);
  switch (k) {
    case 0:
      return {
        arn: `arn:aws:sts::${ACCT}:assumed-role/Role${i}/dev@example.com`,
      };
    case 1:
      return { arn: `arn:aws:iam::${ACCT}:user/eng/user${i % USERS}` };
    case 2:
      return {
        arn: `arn:aws:sts::${ACCT}:assumed-role/Entry${i % ENTRIES}/dev`,
      };
    case 3:
      return { arn: `arn:aws:sts::${ACCT}:assumed-role/Unknown${i}/dev` };
    default:
      return { arn: `arn:aws:sts::999988887777:assumed-role/Other${i}/x` };
  }
});

// Warm up the JIT, then measure each evaluation.
for (let i = 0; i < 2000; i++) {
  evaluateAccess({ caller: callers[i], cluster: index });
}
const samples: number[] = [];
const decisions: Record<string, number> = {};
for (const caller of callers) {
  const t0 = performance.now();
  const v = evaluateAccess({
    caller,
    cluster: index,
    now: '2026-01-01T00:00:00Z',
  });
  samples.push(performance.now() - t0);
  decisions[v.decision] = (decisions[v.decision] ?? 0) + 1;
}
samples.sort((a, b) => a - b);
const pct = (p: number) =>
  samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];

const ms = (n: number) => `${n.toFixed(3)} ms`;
/* eslint-disable no-console */
console.log(
  `cluster: ${
    ROLES + USERS
  } aws-auth entries (${ROLES} mapRoles, ${USERS} mapUsers), ${ENTRIES} access entries`,
);
console.log(
  `aws-auth parse: first ${ms(parseCold)}, warm median ${ms(parseWarm)}`,
);
console.log(
  `index build (incl. parse): first ${ms(indexCold)}, warm median ${ms(
    indexWarm,
  )}`,
);
console.log(
  `evaluation (${EVALUATIONS} callers, pre-built index): median ${ms(
    pct(0.5),
  )}, p99 ${ms(pct(0.99))}, max ${ms(samples[samples.length - 1])}`,
);
console.log(`decisions: ${JSON.stringify(decisions)}`);
const target = 0.5;
console.log(
  pct(0.99) < target
    ? `p99 is under the ${target} ms target`
    : `p99 is OVER the ${target} ms target`,
);
