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

import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  compareMigrationAccess,
  getEksClusterRef,
  type ClusterAccessData,
} from '@eks-access/plugin-eks-access-common';
import type { Knex } from 'knex';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import type { RequestActor } from '../requests/AccessRequestService';
import type { ClusterEntity } from '../service/EksAccessService';
import { DatabaseMigrationStore } from './DatabaseMigrationStore';
import { MigrationProposalService } from './MigrationProposalService';
import { MigrationService } from './MigrationService';
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

/** Two EKS access admins: one proposes, the other approves. */
const actor = (name: string): RequestActor => ({
  userEntityRef: `user:default/${name}`,
  credentials: mockCredentials.user(`user:default/${name}`),
});
const ALEX = actor('alex');
const PRIYA = actor('priya');
const ADMINS = [ALEX.userEntityRef, PRIYA.userEntityRef];

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const sandbox = demoSandboxForSuite();
let knex: Knex;

beforeAll(async () => {
  knex = await databases.init('SQLITE_3');
});

const LEASE_SECONDS = 600;
/** Every process's clock runs this far ahead: a test moves time past a lease. */
let skewMs = 0;

function setup() {
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
  const byRef = (entityRef: string): ClusterEntity => {
    const entity = entities.find(
      e => `resource:default/${e.metadata.name}` === entityRef,
    )!;
    return { entity, entityRef, cluster: getEksClusterRef(entity)! };
  };
  const sdkTarget = (t: ClusterEntity) =>
    new SdkMigrationTarget(
      services.clients.eks(t.cluster),
      services.clients.iam(t.cluster),
      t.cluster.name,
    );
  /**
   * One Backstage "process": its own store client on the shared database,
   * its own runner id and clock. A restart is a new process.
   */
  const startProcess = async (
    options: { wrap?: (t: MigrationTarget) => MigrationTarget } = {},
  ) => {
    const store = await DatabaseMigrationStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const migration = new MigrationService({
      snapshots: services.snapshots,
      store,
      pollMs: 1,
      verificationWindowSeconds: 0,
      targetFor: t => (options.wrap ?? (x => x))(sdkTarget(t)),
    });
    const proposals = new MigrationProposalService({
      store,
      migration,
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
      // the request flow's approver source, reduced to its admins
      approvers: {
        approverRefusal: async (_cluster, who) =>
          ADMINS.includes(who.userEntityRef) ? undefined : 'not an approver',
      },
      clusterFor: async entityRef => byRef(entityRef),
      runnerCluster: async entityRef => byRef(entityRef),
      leaseSeconds: LEASE_SECONDS,
      now: () => new Date(Date.now() + skewMs),
    });
    return { migration, proposals, store };
  };
  return { clusterEntity, startProcess, services, sdkTarget };
}

/**
 * The second CreateAccessEntry never returns: the process "dies" there,
 * leaving its proposal running with a lease. `died` resolves then.
 */
function dyingOnSecondCreate() {
  let creates = 0;
  let died!: () => void;
  const diedAt = new Promise<void>(resolve => {
    died = resolve;
  });
  const wrap = (target: MigrationTarget): MigrationTarget =>
    Object.assign(Object.create(Object.getPrototypeOf(target)), target, {
      createEntry: async (
        entry: Parameters<MigrationTarget['createEntry']>[0],
      ) => {
        creates++;
        if (creates === 2) {
          died();
          return new Promise<boolean>(() => {});
        }
        return target.createEntry(entry);
      },
    });
  return { wrap, diedAt };
}

/** Proposes a stage as one admin, approves it as the other, runs it. */
async function approvedStage(
  proposals: MigrationProposalService,
  entityRef: string,
  stage: 'entries' | 'final' | 'rollback',
) {
  const proposal = await proposals.propose({ entityRef, stage }, ALEX);
  expect(proposal.state).toBe('pending');
  await proposals.approve(proposal.id, 'looks right', PRIYA);
  const [ran] = await proposals.runApproved();
  expect(ran.id).toBe(proposal.id);
  return ran;
}

describe('migration on the sandbox, through approved proposals', () => {
  it('migrates payments-staging to API through a crash, and rolls platform-tools back, with no demo person changing', async () => {
    const { clusterEntity, startProcess } = setup();
    const staging = clusterEntity('payments-staging');
    const tools = clusterEntity('platform-tools');
    const { migration: service, proposals } = await startProcess();

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

    // Alex proposes the entries stage; nothing runs before approval, and
    // Alex cannot approve it himself.
    const proposed = await proposals.propose(
      { entityRef: staging.entityRef, stage: 'entries', comment: 'go' },
      ALEX,
    );
    expect(proposed.summary).toBe(preview.simulation.summary);
    await expect(
      proposals.approve(proposed.id, undefined, ALEX),
    ).rejects.toThrow('your own proposal');
    expect(await proposals.runApproved()).toEqual([]);
    expect((await service.freshClusterData(staging)).authenticationMode).toBe(
      'CONFIG_MAP',
    );

    // Priya approves; the runner dies after the first entry...
    await proposals.approve(proposed.id, undefined, PRIYA);
    const dying = dyingOnSecondCreate();
    const first = await startProcess({ wrap: dying.wrap });
    void first.proposals.runApproved();
    await dying.diedAt;
    const halfway = await service.freshClusterData(staging);
    expect(halfway.authenticationMode).toBe('API_AND_CONFIG_MAP');
    expect(halfway.accessEntries).toHaveLength(1);
    expect((await proposals.get(proposed.id, ALEX)).state).toBe('running');

    // ...a restarted Backstage leaves the stage to its lease...
    const restarted = await startProcess();
    expect(await restarted.proposals.runApproved()).toEqual([]);
    // ...then resumes it against the baseline kept in the database.
    skewMs += (LEASE_SECONDS + 1) * 1000;
    const [resumed] = await restarted.proposals.runApproved();
    expect(resumed).toMatchObject({
      id: proposed.id,
      state: 'done',
      result: {
        status: 'done',
        mode: 'API_AND_CONFIG_MAP',
        differingPrincipals: [],
      },
    });
    const trail = (await proposals.get(proposed.id, ALEX)).events!.map(
      e => e.type,
    );
    expect(trail).toEqual([
      'proposed',
      'approved',
      'started',
      'resumed',
      'done',
    ]);
    const created = await service.freshClusterData(staging);
    expect(created.accessEntries!.length).toBe(preview.plan.entries.length);

    // The final switch, only on a further explicit, approved step.
    const final = await approvedStage(proposals, staging.entityRef, 'final');
    expect(final).toMatchObject({
      state: 'done',
      result: { status: 'done', mode: 'API' },
    });
    // EKS allows no way back: no rollback after the final switch.
    await expect(
      proposals.propose(
        { entityRef: staging.entityRef, stage: 'rollback' },
        ALEX,
      ),
    ).rejects.toThrow('No migration of payments-staging is open');

    // platform-tools: entries, then rolled back, each approved.
    expect(
      (await approvedStage(proposals, tools.entityRef, 'entries')).state,
    ).toBe('done');
    const rolledBack = await approvedStage(
      proposals,
      tools.entityRef,
      'rollback',
    );
    expect(rolledBack.state).toBe('done');
    expect(rolledBack.result!.changed.length).toBeGreaterThan(0);
    // The creator's entry stays: without it, the creator would lose the admin
    // access CONFIG_MAP gave it, and the mode cannot go back.
    const toolsAfter = await service.freshClusterData(tools);
    expect(toolsAfter.authenticationMode).toBe('API_AND_CONFIG_MAP');
    expect(toolsAfter.accessEntries!.map(e => e.principalArn)).toEqual(
      rolledBack.result!.kept,
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
    const { clusterEntity, startProcess, sdkTarget } = setup();
    const staging = clusterEntity('payments-staging');
    const { migration: service, proposals } = await startProcess();
    const target = sdkTarget(staging);
    const data = await service.freshClusterData(staging);
    for (const e of data.accessEntries ?? []) {
      const entry = await target.describeEntry(e.principalArn);
      expect(entry?.tags[MIGRATION_TAG]).toMatch(/^[0-9a-f-]{36}$/);
    }
    await expect(
      proposals.propose(
        { entityRef: staging.entityRef, stage: 'entries' },
        ALEX,
      ),
    ).rejects.toThrow('already in API mode');
  });
});
