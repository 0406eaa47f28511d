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

import { indexClusterAccess } from '@eks-access/plugin-eks-access-common';
import { pastedIdentity } from '../identity/pastedIdentity';
import type { ClusterSnapshot } from './ClusterSnapshotStore';
import { SnapshotEvaluator } from './SnapshotEvaluator';

const MAP_ROLES = `- rolearn: arn:aws:iam::111122223333:role/Dev
  username: dev
  groups: [devs]
`;

/** A freshly read snapshot of one cluster, as each refresh produces. */
function snapshot(awsAuth: ClusterSnapshot['awsAuth']): ClusterSnapshot {
  return {
    cluster: {
      arn: 'arn:aws:eks:us-east-1:111122223333:cluster/c1',
      name: 'c1',
      partition: 'aws',
      accountId: '111122223333',
      region: 'us-east-1',
    },
    fetchedAt: new Date().toISOString(),
    described: {
      authenticationMode: 'CONFIG_MAP',
      status: 'ACTIVE',
      endpoint: 'https://c1.example',
      tags: {},
    } as unknown as ClusterSnapshot['described'],
    awsAuth,
    sources: {
      cluster: { state: 'ok' },
      accessEntries: { state: 'not-used' },
      awsAuth: { state: 'ok' },
    },
  };
}

describe('SnapshotEvaluator', () => {
  function counting() {
    const indexCluster = jest.fn(indexClusterAccess);
    return { indexCluster, evaluator: new SnapshotEvaluator({ indexCluster }) };
  }
  const dev = pastedIdentity(
    'arn:aws:sts::111122223333:assumed-role/Dev/someone',
  );

  it('parses aws-auth once across refreshes while its resourceVersion is unchanged', () => {
    const { indexCluster, evaluator } = counting();
    for (let refresh = 0; refresh < 5; refresh++) {
      const s = snapshot({
        data: { mapRoles: MAP_ROLES },
        resourceVersion: '7',
      });
      const verdict = evaluator.evaluate(s, dev, {}, { now: s.fetchedAt });
      expect(verdict.decision).toBe('allowed');
    }
    expect(indexCluster).toHaveBeenCalledTimes(1);
  });

  it('parses again when the ConfigMap changed', () => {
    const { indexCluster, evaluator } = counting();
    const before = snapshot({
      data: { mapRoles: MAP_ROLES },
      resourceVersion: '7',
    });
    expect(
      evaluator.evaluate(before, dev, {}, { now: before.fetchedAt }).decision,
    ).toBe('allowed');
    const after = snapshot({ data: {}, resourceVersion: '8' });
    expect(
      evaluator.evaluate(after, dev, {}, { now: after.fetchedAt }).decision,
    ).toBe('denied');
    expect(indexCluster).toHaveBeenCalledTimes(2);
  });

  it('parses every snapshot when aws-auth has no resourceVersion', () => {
    const { indexCluster, evaluator } = counting();
    evaluator.index(snapshot({ data: { mapRoles: MAP_ROLES } }));
    evaluator.index(snapshot({ data: { mapRoles: MAP_ROLES } }));
    expect(indexCluster).toHaveBeenCalledTimes(2);
  });
});
