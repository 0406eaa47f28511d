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
 * Migrates two demo CONFIG_MAP clusters through every stage against the
 * sandbox (real EKS wire protocol, SigV4, Backstage's own credentials),
 * with a crash in the middle of the entries stage and a rollback, and
 * checks that every demo person's access is the same before and after.
 */

import { mockServices } from '@backstage/backend-test-utils';
import {
  compareMigrationAccess,
  getEksClusterRef,
  type ClusterAccessData,
} from '@eks-access/plugin-eks-access-common';
import {
  type RunningSandbox,
  startSandbox,
} from '@eks-access/plugin-eks-access-sandbox';
import {
  createSandboxServices,
  loadDemoEntities,
  pointStsAtSandbox,
} from '../__testUtils__/sandboxServices';
import type { ClusterEntity } from '../service/EksAccessService';
import {
  InMemoryMigrationBaselineStore,
  MigrationService,
} from './MigrationService';
import {
  MIGRATION_TAG,
  type MigrationTarget,
  SdkMigrationTarget,
} from './MigrationTarget';

jest.setTimeout(120_000);

const PLATFORM = '111122223333';
const WORKLOADS = '444455556666';
/** Every demo person's and workload's IAM principal. */
const DEMO_PEOPLE = [
  `arn:aws:iam::${PLATFORM}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b`, // Dana (SSO)
  `arn:aws:iam::${WORKLOADS}:user/engineering/dana`, // Dana (IAM user)
  `arn:aws:iam::${PLATFORM}:role/PlatformAdmin`, // Alex
  `arn:aws:iam::${WORKLOADS}:role/DataEngineer`, // Sam
  `arn:aws:iam::${PLATFORM}:user/ops/priya`,
  `arn:aws:iam::${PLATFORM}:user/backstage-eks-access`,
  `arn:aws:iam::${PLATFORM}:role/eks-node-role`,
];

let sandbox: RunningSandbox;
let restoreSts: () => void;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo', port: 0, kubePortBase: 0 });
  restoreSts = pointStsAtSandbox(sandbox);
});

afterAll(async () => {
  restoreSts?.();
  await sandbox?.stop();
});

function setup(wrap: (t: MigrationTarget) => MigrationTarget = t => t) {
  const entities = loadDemoEntities();
  const services = createSandboxServices({
    sandbox,
    logger: mockServices.logger.mock(),
    entities,
  });
  const clusterEntity = (name: string): ClusterEntity => {
    const entity = entities.find(e => getEksClusterRef(e)?.name === name)!;
    return {
      entity,
      entityRef: `resource:default/${entity.metadata.name}`,
      cluster: getEksClusterRef(entity)!,
    };
  };
  const baselines = new InMemoryMigrationBaselineStore();
  const makeService = (w = wrap) =>
    new MigrationService({
      snapshots: services.snapshots,
      baselines,
      pollMs: 1,
      targetFor: t =>
        w(
          new SdkMigrationTarget(
            services.clients.eks(t.cluster),
            services.clients.iam(t.cluster),
            t.cluster.name,
          ),
        ),
    });
  return { clusterEntity, makeService, services };
}

/** Fails the second CreateAccessEntry: the process "crashes" mid-stage. */
function crashingOnSecondCreate(target: MigrationTarget): MigrationTarget {
  let creates = 0;
  return Object.assign(Object.create(Object.getPrototypeOf(target)), target, {
    createEntry: async (
      entry: Parameters<MigrationTarget['createEntry']>[0],
    ) => {
      creates++;
      if (creates === 2) throw new Error('crash: the process died here');
      return target.createEntry(entry);
    },
  });
}

describe('migration on the sandbox', () => {
  it('migrates payments-staging to API through a crash, and rolls platform-tools back, with no demo person changing', async () => {
    const { clusterEntity, makeService } = setup();
    const staging = clusterEntity('payments-staging');
    const tools = clusterEntity('platform-tools');
    const service = makeService();

    const before: Record<string, ClusterAccessData> = {
      staging: await service.freshClusterData(staging),
      tools: await service.freshClusterData(tools),
    };
    expect(before.staging.authenticationMode).toBe('CONFIG_MAP');

    const preview = await service.preview(staging);
    expect(preview.simulation.equivalent).toBe(true);
    expect(preview.simulation.summary).toMatch(
      /^Equivalent for all \d+ principals$/,
    );
    expect(preview.forms.terraform).toContain('aws_eks_access_entry');

    // Stage 1 crashes after the first entry...
    const crashing = makeService(crashingOnSecondCreate);
    await expect(crashing.run(staging, 'entries')).rejects.toThrow('crash');
    const halfway = await service.freshClusterData(staging);
    expect(halfway.authenticationMode).toBe('API_AND_CONFIG_MAP');
    expect(halfway.accessEntries).toHaveLength(1);

    // ...and is resumed by running it again.
    const entries = await makeService().run(staging, 'entries');
    expect(entries).toMatchObject({
      status: 'done',
      mode: 'API_AND_CONFIG_MAP',
    });
    expect(entries.differences).toEqual([]);
    const created = await service.freshClusterData(staging);
    expect(created.accessEntries!.length).toBe(preview.plan.entries.length);

    const final = await service.run(staging, 'final');
    expect(final).toMatchObject({ status: 'done', mode: 'API' });
    // EKS allows no way back: no rollback after the final switch.
    expect((await service.run(staging, 'rollback')).status).toBe('blocked');

    // platform-tools: entries, then rolled back.
    expect((await service.run(tools, 'entries')).status).toBe('done');
    const rolledBack = await service.run(tools, 'rollback');
    expect(rolledBack.status).toBe('done');
    expect(rolledBack.changed.length).toBeGreaterThan(0);
    // The creator's entry stays: without it, the creator would lose the admin
    // access CONFIG_MAP gave it, and the mode cannot go back.
    const toolsAfter = await service.freshClusterData(tools);
    expect(toolsAfter.authenticationMode).toBe('API_AND_CONFIG_MAP');
    expect(toolsAfter.accessEntries!.map(e => e.principalArn)).toEqual(
      rolledBack.kept,
    );

    // aws-auth is untouched.
    const stagingAfter = await service.freshClusterData(staging);
    expect(stagingAfter.awsAuth).toEqual(before.staging.awsAuth);
    expect(toolsAfter.awsAuth).toEqual(before.tools.awsAuth);

    // Every demo person, node and person sessions: the same verdict,
    // username, groups and permissions as before.
    expect(
      compareMigrationAccess(before.staging, stagingAfter, DEMO_PEOPLE),
    ).toEqual([]);
    expect(
      compareMigrationAccess(before.tools, toolsAfter, DEMO_PEOPLE),
    ).toEqual([]);
  });

  it('tags the entries it creates and refuses to start from API mode', async () => {
    const { clusterEntity, makeService, services } = setup();
    const staging = clusterEntity('payments-staging');
    const service = makeService();
    const target = new SdkMigrationTarget(
      services.clients.eks(staging.cluster),
      services.clients.iam(staging.cluster),
      staging.cluster.name,
    );
    const data = await service.freshClusterData(staging);
    for (const e of data.accessEntries ?? []) {
      const entry = await target.describeEntry(e.principalArn);
      expect(entry?.tags[MIGRATION_TAG]).toMatch(/^[0-9a-f-]{36}$/);
    }
    await expect(service.run(staging, 'entries')).rejects.toThrow(
      'already in API mode',
    );
  });
});
