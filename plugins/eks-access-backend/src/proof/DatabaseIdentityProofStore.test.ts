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
 * Nonces and proofs in the plugin's database, as two backend replicas share
 * them: a nonce issued by one verifies on the other, is spent exactly once
 * however many verifications race, and expires. Runs on SQLite and, when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set, PostgreSQL.
 */

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE as SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import { sandboxBearerToken } from '../__testUtils__/sandboxTokens';
import { IdentityProofService } from './IdentityProofService';
import { DatabaseIdentityProofStore } from './IdentityProofStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

const DANA = 'user:default/dana';
const ALEX = 'user:default/alex';

const sandbox = demoSandboxForSuite();

async function danaToken(clusterName: string) {
  return sandboxBearerToken(sandbox, {
    roleArn: SSO_ROLE,
    sessionName: 'dana@example.com',
    clusterName,
  });
}

describe('TestDatabases setup', () => {
  it('runs against PostgreSQL whenever its connection string is set', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    expect(ids).toEqual(
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
        ? ['SQLITE_3', 'POSTGRES_15']
        : ['SQLITE_3'],
    );
  });
});

describe.each(databases.eachSupportedId())(
  'DatabaseIdentityProofStore on %p',
  databaseId => {
    /** Two replicas: separate stores and services on one database. */
    async function replicas(now: () => number = Date.now) {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const stores = [
        await DatabaseIdentityProofStore.create({ database }),
        await DatabaseIdentityProofStore.create({ database }),
      ];
      const services = stores.map(
        store =>
          new IdentityProofService({
            store,
            stsEndpoint: sandbox.endpoint,
            now,
          }),
      );
      return { knex, stores, services };
    }

    it('verifies on one replica a nonce the other issued, and shares the proof', async () => {
      const {
        knex,
        services: [a, b],
      } = await replicas();
      const { nonce, clusterId } = await a.issue(DANA);
      const proof = await b.verify(DANA, nonce, await danaToken(clusterId));
      expect(proof.identity.callerArn).toBe(
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
      );
      expect(await a.proofOf(DANA)).toEqual(proof);
      expect(await a.proofOf(ALEX)).toBeUndefined();

      // neither the nonce nor the token is stored
      const rows = JSON.stringify([
        await knex('eks_access_proof_challenges').select(),
        await knex('eks_access_identity_proofs').select(),
      ]);
      expect(rows).not.toContain(nonce);
      expect(rows).not.toContain('k8s-aws-v1');
      expect(rows).not.toContain('X-Amz-Signature');

      await a.forget(DANA);
      expect(await b.proofOf(DANA)).toBeUndefined();
    });

    it('spends a nonce once however many replicas race to use it', async () => {
      const { stores } = await replicas();
      const now = new Date();
      await stores[0].addChallenge({
        nonce: 'a'.repeat(32),
        userEntityRef: DANA,
        expiresAt: new Date(now.getTime() + 60_000),
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % 2].useChallenge('a'.repeat(32), DANA, now),
        ),
      );
      expect(results.filter(r => r === 'ok')).toHaveLength(1);
      expect(results.filter(r => r === 'used')).toHaveLength(9);
    });

    it('refuses a nonce used on the other replica, of another user, or expired', async () => {
      let clock = Date.now();
      const {
        services: [a, b],
        stores,
      } = await replicas(() => clock);
      const first = await a.issue(DANA);
      const token = await danaToken(first.clusterId);
      await a.verify(DANA, first.nonce, token);
      await expect(b.verify(DANA, first.nonce, token)).rejects.toMatchObject({
        reason: 'reused-nonce',
      });

      const alexs = await a.issue(ALEX);
      await expect(
        b.verify(DANA, alexs.nonce, await danaToken(alexs.clusterId)),
      ).rejects.toMatchObject({ reason: 'unknown-nonce' });

      const late = await a.issue(DANA);
      const lateToken = await danaToken(late.clusterId);
      clock += 6 * 60 * 1000;
      await expect(b.verify(DANA, late.nonce, lateToken)).rejects.toMatchObject(
        { reason: 'expired' },
      );
      expect(
        await stores[1].useChallenge(late.nonce, DANA, new Date(clock)),
      ).toBe('expired');
    });

    it('forgets proofs once they expire, and prunes expired rows', async () => {
      let clock = Date.now();
      const {
        knex,
        services: [a, b],
      } = await replicas(() => clock);
      const { nonce, clusterId } = await a.issue(DANA);
      await a.verify(DANA, nonce, await danaToken(clusterId));
      clock += 9 * 60 * 60 * 1000;
      expect(await b.proofOf(DANA)).toBeUndefined();
      await b.issue(ALEX); // issuing prunes
      expect(await knex('eks_access_identity_proofs').select()).toEqual([]);
      expect(await knex('eks_access_proof_challenges').select()).toHaveLength(
        1,
      );
    });
  },
);
