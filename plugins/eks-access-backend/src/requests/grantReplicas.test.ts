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
 * Replicas: grant stacks in separate processes (own database pool, own AWS
 * clients and snapshot cache, the real store and GrantReconciler; see
 * __testUtils__/grantReplicaProcess.ts) share one PostgreSQL database and the
 * sandbox this test runs. One replica is SIGKILLed right after an AWS write
 * of a grant, before it could record anything; another converges: the grant
 * is applied once, removed exactly once on revoke or expiry, and nothing
 * else in the cluster changes. Runs on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (CI sets it).
 */

import { TestDatabases } from '@backstage/backend-test-utils';
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type {
  GrantReplicaCommand,
  GrantReplicaOptions,
  GrantReplicaReply,
} from '../__testUtils__/grantReplicaProcess';
import {
  DANA_SSO_ROLE as SSO_ROLE,
  DANA_SSO_ROLE_CANONICAL as SSO_ROLE_STRIPPED,
  EKS_VIEW_POLICY as VIEW,
  ML_TRAINING,
  PAYMENTS_STAGING,
  VIEW_REQUESTS_CONFIG as REQUESTS_CONFIG,
} from '../__testUtils__/demoPrincipalsAndClusters';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  migratedRequestStore,
  recordApprovedRequest,
} from '../__testUtils__/grantStack';
import { sandboxAwsConfig } from '../__testUtils__/sandboxServices';
import type { NewAccessRequest } from './AccessRequestStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});
const onPostgres = databases.eachSupportedId().length > 0;

/** Past the 300 s lease a dead replica's claim and lock hold. */
const LEASE_OVER = 301;

const sandbox = demoSandboxForSuite();

/** A forked replica and its messages. */
function startReplica(options: GrantReplicaOptions) {
  const child: ChildProcess = fork(
    path.resolve(__dirname, '../__testUtils__/grantReplicaProcess.ts'),
    [],
    {
      cwd: path.resolve(__dirname, '../..'),
      execArgv: ['-r', 'sucrase/register'],
      env: {
        ...process.env,
        EKS_ACCESS_REPLICA: JSON.stringify(options),
        // integration-aws-node's own STS client (assume-role) reads only this
        AWS_ENDPOINT_URL_STS: options.sandbox.endpoint,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const inbox: GrantReplicaReply[] = [];
  const waiting: Array<() => void> = [];
  const wake = () => waiting.splice(0).forEach(resolve => resolve());
  const arrival = () => new Promise<void>(resolve => waiting.push(resolve));
  child.on('message', (reply: GrantReplicaReply) => {
    inbox.push(reply);
    wake();
  });
  let gone = false;
  const exited = new Promise<NodeJS.Signals | null>(resolve =>
    child.on('exit', (_code, signal) => {
      gone = true;
      resolve(signal);
      wake();
    }),
  );
  async function next(): Promise<GrantReplicaReply> {
    while (inbox.length === 0) {
      if (gone) throw new Error(`replica ${options.runnerId} exited`);
      await arrival();
    }
    const reply = inbox.shift()!;
    if (reply.type === 'error') {
      throw new Error(`replica ${options.runnerId}: ${reply.message}`);
    }
    return reply;
  }
  return {
    child,
    exited,
    next,
    async run(command: Omit<GrantReplicaCommand, 'type'>) {
      child.send({ type: 'run', ...command });
      return next();
    },
  };
}

function accessEntries() {
  return sandbox.state
    .getCluster('ml-training')!
    .accessEntries.map(e => JSON.stringify(e));
}

function ssoEntry() {
  return sandbox.state
    .getCluster('ml-training')!
    .accessEntries.find(e => e.principalArn === SSO_ROLE);
}

function awsAuth() {
  return { ...sandbox.state.getCluster('payments-staging')!.awsAuth!.data };
}

(onPostgres ? describe : describe.skip)(
  'grant replicas on one PostgreSQL database',
  () => {
    it('a replica SIGKILLed after an AWS write and before recording it: another applies the grant once and removes it exactly once', async () => {
      const { knex, store } = await migratedRequestStore(
        databases,
        'POSTGRES_15',
      );
      const replicaOptions = (runnerId: string): GrantReplicaOptions => ({
        runnerId,
        database: {
          client: knex.client.config.client,
          connection: knex.client.config.connection,
          pool: { min: 0, max: 3 },
        },
        sandbox: {
          endpoint: sandbox.endpoint,
          awsConfig: sandboxAwsConfig(sandbox),
        },
        requests: REQUESTS_CONFIG,
      });
      const approve = (overrides: Partial<NewAccessRequest>) =>
        recordApprovedRequest(store, {
          cluster: ML_TRAINING,
          requester: 'user:default/dana',
          principalArn: SSO_ROLE,
          canonicalPrincipalArn: SSO_ROLE_STRIPPED,
          level: 'view',
          scope: { type: 'namespace', namespaces: ['training'] },
          durationSeconds: 600,
          reason: 'replicas test',
          approvalsRequired: 1,
          ...overrides,
        });
      const eventsOf = async (id: string, type: string) =>
        (await store.listEvents(id)).filter(e => e.type === type).length;

      const victimApi = startReplica(replicaOptions('replica-a'));
      const victimCm = startReplica(replicaOptions('replica-c'));
      const survivor = startReplica(replicaOptions('replica-b'));
      try {
        for (const replica of [victimApi, victimCm, survivor]) {
          expect(await replica.next()).toEqual({ type: 'ready' });
        }
        const entriesAtStart = accessEntries();
        const awsAuthAtStart = awsAuth();
        expect(ssoEntry()).toBeUndefined();

        // ml-training (API): killed after AssociateAccessPolicy succeeded
        const apiGrant = await approve({});
        expect(
          await victimApi.run({
            clockOffsetSeconds: 0,
            killAfter: 'AssociateAccessPolicy',
          }),
        ).toEqual({ type: 'wrote', operation: 'AssociateAccessPolicy' });
        victimApi.child.kill('SIGKILL');
        expect(await victimApi.exited).toBe('SIGKILL');
        expect(ssoEntry()!.associatedPolicies).toHaveLength(1);
        const stalled = (await store.getRequest(apiGrant))!;
        expect(stalled.state).toBe('approved');
        expect(stalled.grant?.appliedAt).toBeUndefined();

        // the dead replica's claim holds until its lease runs out
        expect(await survivor.run({ clockOffsetSeconds: 0 })).toEqual({
          type: 'done',
          handled: 0,
          writes: [],
        });
        // then the survivor completes the grant without writing it again
        expect(await survivor.run({ clockOffsetSeconds: LEASE_OVER })).toEqual({
          type: 'done',
          handled: 1,
          writes: [],
        });
        expect((await store.getRequest(apiGrant))!.state).toBe('active');
        expect(await eventsOf(apiGrant, 'activated')).toBe(1);
        expect(ssoEntry()!.associatedPolicies).toEqual([
          expect.objectContaining({
            policyArn: VIEW,
            accessScope: { type: 'namespace', namespaces: ['training'] },
          }),
        ]);

        // revoked: the survivor takes away exactly what the dead one added
        await store.transition({
          id: apiGrant,
          from: 'active',
          to: 'revoked',
          event: { type: 'revoked', actor: 'user:default/alex' },
          patch: { endedAt: new Date() },
        });
        expect(await survivor.run({ clockOffsetSeconds: LEASE_OVER })).toEqual({
          type: 'done',
          handled: 1,
          writes: ['DisassociateAccessPolicy', 'DeleteAccessEntry'],
        });
        expect(ssoEntry()).toBeUndefined();
        expect(accessEntries()).toEqual(entriesAtStart);
        expect(await eventsOf(apiGrant, 'removed')).toBe(1);

        // payments-staging (CONFIG_MAP): killed after the aws-auth write
        const cmGrant = await approve({
          cluster: PAYMENTS_STAGING,
          scope: { type: 'namespace', namespaces: ['payments'] },
        });
        expect(
          await victimCm.run({
            clockOffsetSeconds: 0,
            killAfter: 'ReplaceAwsAuth',
          }),
        ).toEqual({ type: 'wrote', operation: 'ReplaceAwsAuth' });
        victimCm.child.kill('SIGKILL');
        expect(await victimCm.exited).toBe('SIGKILL');
        expect(awsAuth().mapRoles).toContain(SSO_ROLE_STRIPPED);
        expect((await store.getRequest(cmGrant))!.state).toBe('approved');

        expect(await survivor.run({ clockOffsetSeconds: LEASE_OVER })).toEqual({
          type: 'done',
          handled: 1,
          writes: [],
        });
        expect((await store.getRequest(cmGrant))!.state).toBe('active');
        expect(await eventsOf(cmGrant, 'activated')).toBe(1);

        // expired: removed once, aws-auth back byte for byte
        expect(
          await survivor.run({ clockOffsetSeconds: LEASE_OVER + 700 }),
        ).toEqual({ type: 'done', handled: 1, writes: ['ReplaceAwsAuth'] });
        expect((await store.getRequest(cmGrant))!.state).toBe('expired');
        expect(awsAuth()).toEqual(awsAuthAtStart);
        expect(await eventsOf(cmGrant, 'removed')).toBe(1);

        // nothing is left to do, for either grant
        expect(
          await survivor.run({ clockOffsetSeconds: LEASE_OVER + 2000 }),
        ).toEqual({ type: 'done', handled: 0, writes: [] });
        expect(accessEntries()).toEqual(entriesAtStart);
      } finally {
        for (const replica of [victimApi, victimCm, survivor]) {
          replica.child.kill('SIGKILL');
        }
      }
    });
  },
);
