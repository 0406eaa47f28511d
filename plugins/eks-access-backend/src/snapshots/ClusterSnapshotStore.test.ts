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

import type { AccessEntryInfo } from '@eks-access/plugin-eks-access-common';
import type {
  AccessEntrySource,
  ClusterDescriber,
  DescribedCluster,
} from '../aws/EksApiSources';
import type { AwsAuthReader } from '../aws/KubernetesAwsAuthReader';
import {
  ClusterSnapshotReader,
  ClusterSnapshotStore,
} from './ClusterSnapshotStore';
import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';

const cluster = {
  arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
  partition: 'aws',
  region: 'us-east-1',
  accountId: '111122223333',
  name: 'payments-prod',
};

function awsError(name: string, message = name) {
  const error = new Error(message);
  error.name = name;
  return error;
}

function fakeSources(mode: DescribedCluster['authenticationMode']) {
  const calls = { describe: 0, list: 0, entry: 0, awsAuth: 0 };
  let inFlight = 0;
  let maxInFlight = 0;
  const track = async <T>(value: () => T): Promise<T> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise(resolve => setTimeout(resolve, 5));
    inFlight -= 1;
    return value();
  };
  let awsAuthInFlight = 0;
  let maxAwsAuthInFlight = 0;
  const failures: Partial<Record<keyof typeof calls, Error>> = {};
  const fail = (key: keyof typeof calls) => {
    if (failures[key]) throw failures[key];
  };
  const describer: ClusterDescriber = {
    describeCluster: () =>
      track(() => {
        calls.describe += 1;
        fail('describe');
        return {
          authenticationMode: mode,
          endpoint: 'https://k8s.example',
          tags: {},
        };
      }),
  };
  const entries: AccessEntrySource = {
    listAccessEntries: () =>
      track(() => {
        calls.list += 1;
        fail('list');
        return [
          'arn:aws:iam::111122223333:role/A',
          'arn:aws:iam::111122223333:role/B',
        ];
      }),
    describeAccessEntry: (_, principalArn) =>
      track(() => {
        calls.entry += 1;
        fail('entry');
        return { principalArn, type: 'STANDARD' } as AccessEntryInfo;
      }),
  };
  const awsAuth: AwsAuthReader = {
    readAwsAuth: async () => {
      awsAuthInFlight += 1;
      maxAwsAuthInFlight = Math.max(maxAwsAuthInFlight, awsAuthInFlight);
      try {
        return await track(() => {
          calls.awsAuth += 1;
          fail('awsAuth');
          return { data: { mapRoles: '[]' } };
        });
      } finally {
        awsAuthInFlight -= 1;
      }
    },
  };
  return {
    calls,
    failures,
    maxInFlight: () => maxInFlight,
    maxAwsAuthInFlight: () => maxAwsAuthInFlight,
    describer,
    entries,
    awsAuth,
  };
}

function store(
  sources: ReturnType<typeof fakeSources>,
  clock: { now: number },
  limit = 4,
) {
  return new ClusterSnapshotStore({
    reader: new ClusterSnapshotReader({
      describer: sources.describer,
      accessEntries: sources.entries,
      awsAuth: sources.awsAuth,
      limiter: new KeyedConcurrencyLimiter(limit),
      now: () => clock.now,
    }),
    ttlMs: 60_000,
    errorTtlMs: 5_000,
    minRefreshIntervalMs: 1_000,
    now: () => clock.now,
  });
}

describe('ClusterSnapshotStore', () => {
  it('reads every source once for concurrent requests (single-flight)', async () => {
    const sources = fakeSources('API_AND_CONFIG_MAP');
    const snapshots = store(sources, { now: 0 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => snapshots.get(cluster)),
    );
    expect(new Set(results).size).toBe(1);
    expect(sources.calls).toEqual({
      describe: 1,
      list: 1,
      entry: 2,
      awsAuth: 1,
    });
    expect(results[0].accessEntries).toHaveLength(2);
    expect(results[0].awsAuth).toEqual({ data: { mapRoles: '[]' } });
    expect(results[0].sources).toEqual({
      cluster: { state: 'ok' },
      accessEntries: { state: 'ok' },
      awsAuth: { state: 'ok' },
    });
  });

  it('serves a warm snapshot without reading, and reads again after the TTL', async () => {
    const sources = fakeSources('API');
    const clock = { now: 0 };
    const snapshots = store(sources, clock);
    const first = await snapshots.get(cluster);
    clock.now = 59_999;
    expect(await snapshots.get(cluster)).toBe(first);
    expect(sources.calls.describe).toBe(1);
    clock.now = 60_000;
    expect(await snapshots.get(cluster)).not.toBe(first);
    expect(sources.calls.describe).toBe(2);
  });

  it('honours refresh only after the minimum refresh interval', async () => {
    const sources = fakeSources('API');
    const clock = { now: 0 };
    const snapshots = store(sources, clock);
    await snapshots.get(cluster);
    clock.now = 500;
    await snapshots.get(cluster, { refresh: true });
    expect(sources.calls.describe).toBe(1);
    clock.now = 1_000;
    await snapshots.get(cluster, { refresh: true });
    expect(sources.calls.describe).toBe(2);
  });

  it('reads again after invalidate, and drops a read that was in flight', async () => {
    const sources = fakeSources('API');
    const snapshots = store(sources, { now: 0 });
    const inFlight = snapshots.get(cluster);
    snapshots.invalidate(cluster.arn);
    await inFlight;
    await snapshots.get(cluster);
    expect(sources.calls.describe).toBe(2);
    await snapshots.get(cluster);
    expect(sources.calls.describe).toBe(2);
  });

  it('does not read access entries in CONFIG_MAP mode', async () => {
    const sources = fakeSources('CONFIG_MAP');
    const snapshot = await store(sources, { now: 0 }).get(cluster);
    expect(sources.calls.list).toBe(0);
    expect(snapshot.accessEntries).toBeUndefined();
    expect(snapshot.sources.accessEntries).toEqual({ state: 'not-used' });
  });

  it('keeps failures per source and names the missing IAM action', async () => {
    const sources = fakeSources('API_AND_CONFIG_MAP');
    sources.failures.list = awsError(
      'AccessDeniedException',
      'User: arn:aws:iam::111122223333:user/backstage is not authorized to perform: eks:ListAccessEntries on resource: arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
    );
    sources.failures.awsAuth = Object.assign(new Error('HTTP-Code: 403'), {
      code: 403,
    });
    const clock = { now: 0 };
    const snapshots = store(sources, clock);
    const snapshot = await snapshots.get(cluster);
    expect(snapshot.described).toBeDefined();
    expect(snapshot.accessEntries).toBeUndefined();
    expect(snapshot.awsAuth).toBeUndefined();
    expect(snapshot.sources.cluster).toEqual({ state: 'ok' });
    expect(snapshot.sources.accessEntries).toMatchObject({
      state: 'error',
      errorCode: 'AccessDeniedException',
      missingAction: 'eks:ListAccessEntries',
    });
    expect(snapshot.sources.awsAuth).toMatchObject({
      state: 'error',
      errorCode: 'Forbidden',
    });
    // failed snapshots expire after the (shorter) error TTL
    clock.now = 4_999;
    await snapshots.get(cluster);
    expect(sources.calls.describe).toBe(1);
    clock.now = 5_000;
    await snapshots.get(cluster);
    expect(sources.calls.describe).toBe(2);
  });

  it('marks every source unknown when DescribeCluster fails', async () => {
    const sources = fakeSources('API');
    sources.failures.describe = awsError(
      'ThrottlingException',
      'Rate exceeded',
    );
    const snapshot = await store(sources, { now: 0 }).get(cluster);
    expect(snapshot.described).toBeUndefined();
    expect(snapshot.sources.cluster).toMatchObject({
      state: 'error',
      errorCode: 'ThrottlingException',
    });
    expect(snapshot.sources.accessEntries.state).toBe('error');
    expect(snapshot.sources.awsAuth.state).toBe('error');
    expect(sources.calls.list + sources.calls.awsAuth).toBe(0);
  });

  it('reads no entry details for the shared snapshot, only the principals', async () => {
    const sources = fakeSources('API_AND_CONFIG_MAP');
    const snapshots = store(sources, { now: 0 });
    const snapshot = await snapshots.snapshot(cluster);
    expect(sources.calls).toEqual({
      describe: 1,
      list: 1,
      entry: 0,
      awsAuth: 1,
    });
    expect(snapshot.accessEntryPrincipals).toEqual([
      'arn:aws:iam::111122223333:role/A',
      'arn:aws:iam::111122223333:role/B',
    ]);
    expect(snapshot.accessEntries).toBeUndefined();
  });

  it('reads entry details once per principal (single-flight, cached) until invalidated', async () => {
    const sources = fakeSources('API');
    const clock = { now: 0 };
    const snapshots = store(sources, clock);
    const snapshot = await snapshots.snapshot(cluster);
    const [a, b] = await Promise.all([
      snapshots.entryDetails(snapshot, ['arn:aws:iam::111122223333:role/A']),
      snapshots.entryDetails(snapshot, ['arn:aws:iam::111122223333:role/A']),
    ]);
    expect(a).toEqual(b);
    expect(a).toEqual({
      state: 'ok',
      entries: [
        { principalArn: 'arn:aws:iam::111122223333:role/A', type: 'STANDARD' },
      ],
    });
    expect(sources.calls.entry).toBe(1);
    clock.now = 59_999;
    await snapshots.entryDetails(snapshot, [
      'arn:aws:iam::111122223333:role/A',
    ]);
    expect(sources.calls.entry).toBe(1);
    // the complete snapshot reuses the cached detail
    expect((await snapshots.get(cluster)).accessEntries).toHaveLength(2);
    expect(sources.calls.entry).toBe(2);
    snapshots.invalidate(cluster.arn);
    const fresh = await snapshots.snapshot(cluster);
    await snapshots.entryDetails(fresh, ['arn:aws:iam::111122223333:role/A']);
    expect(sources.calls.entry).toBe(3);
  });

  it('leaves out an entry deleted since the list, and keeps a failed read for the error TTL only', async () => {
    const sources = fakeSources('API');
    const clock = { now: 0 };
    const snapshots = store(sources, clock);
    const snapshot = await snapshots.snapshot(cluster);
    sources.failures.entry = awsError('ResourceNotFoundException');
    expect(
      await snapshots.entryDetails(snapshot, [
        'arn:aws:iam::111122223333:role/A',
      ]),
    ).toEqual({ state: 'ok', entries: [] });
    sources.failures.entry = awsError('ServiceUnavailableException');
    const failed = await snapshots.entryDetails(snapshot, [
      'arn:aws:iam::111122223333:role/B',
    ]);
    expect(failed).toMatchObject({
      state: 'error',
      error: { state: 'error', errorCode: 'ServiceUnavailableException' },
    });
    const complete = await snapshots.get(cluster);
    expect(complete.accessEntries).toBeUndefined();
    expect(complete.sources.accessEntries.state).toBe('error');
    delete sources.failures.entry;
    clock.now = 5_000;
    expect(
      await snapshots.entryDetails(snapshot, [
        'arn:aws:iam::111122223333:role/B',
      ]),
    ).toMatchObject({ state: 'ok' });
  });

  it('keeps the Kubernetes reads per account under the concurrency limit', async () => {
    const sources = fakeSources('CONFIG_MAP');
    const snapshots = store(sources, { now: 0 }, 1);
    await Promise.all(
      ['a', 'b', 'c'].map(name =>
        snapshots.snapshot({
          ...cluster,
          name,
          arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
        }),
      ),
    );
    expect(sources.calls.awsAuth).toBe(3);
    expect(sources.maxAwsAuthInFlight()).toBe(1);
  });
});
