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

import { EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION } from '@eks-access/plugin-eks-access-common';
import type { ClusterSnapshot } from '../snapshots/ClusterSnapshotStore';
import { snapshotAccessDataSource } from './GrantReconciler';

const CLUSTER = {
  entityRef: 'resource:default/payments-staging',
  arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-staging',
  name: 'payments-staging',
  partition: 'aws',
  accountId: '111122223333',
  region: 'us-east-1',
};
const TAG_CREATOR = 'arn:aws:iam::111122223333:role/TerraformRunner';
const ANNOTATED_CREATOR = 'arn:aws:iam::111122223333:role/PlatformAdmin';
const OK = { state: 'ok' as const };

function snapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: CLUSTER,
    fetchedAt: '2026-05-01T12:00:00Z',
    described: {
      authenticationMode: 'CONFIG_MAP',
      endpoint: 'https://example.invalid',
      tags: { [EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION]: TAG_CREATOR },
    },
    awsAuth: { data: {} },
    sources: { cluster: OK, accessEntries: { state: 'not-used' }, awsAuth: OK },
    ...overrides,
  } as ClusterSnapshot;
}

function store(value: ClusterSnapshot) {
  return {
    invalidate: jest.fn(),
    get: jest.fn(async () => value),
    // RBAC is read on demand and kept with the snapshot
    rbac: jest.fn(async () => ({ roles: [], bindings: [] })),
  };
}

describe('snapshotAccessDataSource', () => {
  it('invalidates the cluster, then reads it with the creator from the cluster tag', async () => {
    const snapshots = store(snapshot());
    const fresh = await snapshotAccessDataSource(snapshots).readFresh(CLUSTER);
    expect(snapshots.invalidate).toHaveBeenCalledWith(CLUSTER.arn);
    expect(fresh.authenticationMode).toBe('CONFIG_MAP');
    // EKS admits a CONFIG_MAP cluster's creator: the verification must know it
    expect(fresh.data?.creatorArn).toBe(TAG_CREATOR);
    expect(fresh.data?.rbac).toBeDefined();
  });

  it('prefers the creator annotation on the cluster entity', async () => {
    const fresh = await snapshotAccessDataSource(store(snapshot()), {
      entityOf: async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'payments-staging',
          annotations: {
            [EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION]: ANNOTATED_CREATOR,
          },
        },
      }),
    }).readFresh(CLUSTER);
    expect(fresh.data?.creatorArn).toBe(ANNOTATED_CREATOR);
  });

  it('gives unknown entries, not none, when the entry details failed', async () => {
    const fresh = await snapshotAccessDataSource(
      store(
        snapshot({
          described: { authenticationMode: 'API_AND_CONFIG_MAP', tags: {} },
          accessEntryPrincipals: ['arn:aws:iam::111122223333:role/Dev'],
          sources: {
            cluster: OK,
            accessEntries: { state: 'error', message: 'throttled' },
            awsAuth: OK,
          },
        }),
      ),
    ).readFresh(CLUSTER);
    expect(fresh.data?.accessEntries).toBeUndefined();
    expect(fresh.error).toBe('accessEntries: throttled');
  });

  it('reports the failed read when DescribeCluster failed', async () => {
    const fresh = await snapshotAccessDataSource(
      store(
        snapshot({
          described: undefined,
          sources: {
            cluster: { state: 'error', message: 'AccessDenied' },
            accessEntries: OK,
            awsAuth: OK,
          },
        }),
      ),
    ).readFresh(CLUSTER);
    expect(fresh).toEqual({ error: 'cluster: AccessDenied' });
  });
});
