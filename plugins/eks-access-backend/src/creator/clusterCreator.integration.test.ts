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
 * The cluster creator from evidence: the sandbox writes the creator's
 * kubernetes-admin line when it creates a CONFIG_MAP cluster with
 * authenticator logging on; the backend finds it without the catalog
 * annotation, as the article's Logs Insights query does.
 */

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION } from '@eks-access/plugin-eks-access-common';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import { SnapshotEvaluator } from '../snapshots/SnapshotEvaluator';
import { ClusterCreatorResolver } from './ClusterCreatorResolver';

jest.setTimeout(120_000);

const sandbox = demoSandboxForSuite();

/** The demo catalog with no creator annotation anywhere. */
function entitiesWithoutCreators() {
  return loadDemoEntities().map(entity => {
    const annotations = { ...entity.metadata.annotations };
    delete annotations[EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION];
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  });
}

function services(entities = entitiesWithoutCreators()) {
  return createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities,
  });
}

async function creatorOf(s: ReturnType<typeof services>, clusterName: string) {
  const entityRef = loadDemoEntities()
    .filter(e => e.metadata.annotations)
    .map(e => ({
      ref: `resource:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`,
      arn: Object.values(e.metadata.annotations!).find(v =>
        v.endsWith(`:cluster/${clusterName}`),
      ),
    }))
    .find(e => e.arn)!.ref;
  const target = await s.access.getClusterEntity(
    entityRef,
    mockCredentials.user(),
  );
  const snapshot = await s.snapshots.snapshot(target.cluster);
  return s.access.clusterCreator(target, snapshot);
}

describe('the cluster creator from the authenticator log', () => {
  it('finds the creator of every CONFIG_MAP demo cluster with authenticator logging on, without the annotation', async () => {
    // demo.yaml: the CONFIG_MAP clusters with `logging: [authenticator]`.
    const logged = sandbox.state
      .listClusters()
      .filter(c => ['payments-staging', 'legacy-batch'].includes(c.name));
    expect(logged.map(c => c.authenticationMode)).toEqual([
      'CONFIG_MAP',
      'CONFIG_MAP',
    ]);
    const s = services();
    for (const cluster of logged) {
      expect(await creatorOf(s, cluster.name)).toEqual({
        arn: cluster.creator!.replace(/:role\/.*\//, ':role/'),
        source: 'authenticator-log',
      });
    }
    // The admin diagnostics say where the creator came from.
    const target = await s.access.getClusterEntity(
      'resource:default/eks-payments-staging',
      mockCredentials.user(),
    );
    expect((await s.diagnostics.diagnose(target)).creator).toEqual({
      arn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
      source: 'authenticator-log',
    });
  });

  it('costs no call on a cluster without the log, and one FilterLogEvents per cluster once found', async () => {
    const s = services();
    sandbox.resetCalls();
    // analytics keeps no authenticator log: CloudTrail is asked instead
    expect(await creatorOf(s, 'analytics')).toEqual({
      unknown: {
        notes: expect.arrayContaining([
          'Authenticator logging is off: no kubernetes-admin line to read.',
        ]),
      },
    });
    expect(sandbox.calls({ service: 'logs' })).toBe(0);
    await creatorOf(s, 'payments-staging');
    await creatorOf(s, 'payments-staging');
    expect(
      sandbox.calls({ service: 'logs', operation: 'FilterLogEvents' }),
    ).toBe(1);
  });

  it('keeps the catalog annotation as an override', async () => {
    const s = services(
      entitiesWithoutCreators().map(e =>
        e.metadata.name === 'eks-payments-staging'
          ? {
              ...e,
              metadata: {
                ...e.metadata,
                annotations: {
                  ...e.metadata.annotations,
                  [EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION]:
                    'arn:aws:iam::111122223333:role/Someone',
                },
              },
            }
          : e,
      ),
    );
    expect(await creatorOf(s, 'payments-staging')).toEqual({
      arn: 'arn:aws:iam::111122223333:role/Someone',
      source: 'annotation',
    });
  });

  it('does not take a line that aws-auth itself maps to kubernetes-admin for the creator', async () => {
    const s = services();
    const target = await s.access.getClusterEntity(
      'resource:default/eks-payments-staging',
      mockCredentials.user(),
    );
    const snapshot = await s.snapshots.snapshot(target.cluster);
    const resolver = new ClusterCreatorResolver({
      evaluator: new SnapshotEvaluator(),
      log: {
        creatorOf: async () => ({
          arn: 'arn:aws:iam::111122223333:role/Mapped',
        }),
      },
    });
    const mapped = {
      ...snapshot,
      awsAuth: {
        data: {
          mapRoles:
            '- rolearn: arn:aws:iam::111122223333:role/Mapped\n  username: kubernetes-admin\n  groups: [system:masters]\n',
        },
      },
    };
    expect(
      await resolver.resolve(target.entity, target.cluster, mapped),
    ).toEqual({
      unknown: {
        notes: [
          expect.stringMatching(/annotation/),
          expect.stringMatching(
            /names arn:aws:iam::111122223333:role\/Mapped, which aws-auth itself maps to kubernetes-admin/,
          ),
        ],
      },
    });
    expect(
      await resolver.resolve(target.entity, target.cluster, snapshot),
    ).toEqual({
      arn: 'arn:aws:iam::111122223333:role/Mapped',
      source: 'authenticator-log',
    });
  });
});
