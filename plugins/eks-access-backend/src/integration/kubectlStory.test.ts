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
 * The request flow, proven with the real tools: Dana is Unauthorized on
 * ml-training; she requests `view` on the training namespace; Alex approves;
 * the real `kubectl` (with a token from the real `aws eks get-token`) then
 * says yes to `auth can-i get pods`, lists pods, and says no to
 * `auth can-i delete pods`; after Alex revokes, Dana is Unauthorized again.
 *
 * Both tools must be on PATH: a missing tool fails the test with its name
 * (CI installs them, see scripts/test-all.sh).
 */

import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { eksAccessRequestAdminPermission } from '@eks-access/plugin-eks-access-common';
import fs from 'node:fs';
import path from 'node:path';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  migratedRequestStore,
  sdkGrantTargetsFor,
} from '../__testUtils__/grantStack';
import {
  DANA_SSO_ROLE as SSO_ROLE,
  EKS_VIEW_POLICY as VIEW,
} from '../__testUtils__/demoPrincipalsAndClusters';
import { realCliForSuite } from '../__testUtils__/realCliForSuite';
import { createSandboxServices } from '../__testUtils__/sandboxServices';
import { AccessRequestService } from '../requests/AccessRequestService';
import { readAccessRequestsConfig } from '../requests/readAccessRequestsConfig';
import {
  GrantReconciler,
  snapshotAccessDataSource,
} from '../requests/GrantReconciler';

jest.setTimeout(120_000);

const DANA = 'user:default/dana';
const ALEX = 'user:default/alex';
const ML = 'resource:default/ml-training';
const NAMESPACE = 'training';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

/** Alex is the EKS access admin; everyone may request. */
const permissions: PermissionsService = {
  async authorize(requests: EvaluatePermissionRequest[], { credentials }: any) {
    const user = credentials.principal.userEntityRef;
    return requests.map(r => {
      const adminOnly =
        r.permission.name === eksAccessRequestAdminPermission.name ||
        r.permission.name.includes('approve');
      const allowed = !adminOnly || user === ALEX;
      return {
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }) as any;
  },
  async authorizeConditional() {
    throw new Error('not used');
  },
};

const actor = (userEntityRef: string) => ({
  userEntityRef,
  credentials: mockCredentials.user(userEntityRef) as any,
});

describe('the access-request story, with the real kubectl and aws CLI', () => {
  const { tool, home, generateSandboxProfiles } = realCliForSuite({
    suite: 'kubectl story test',
    tools: ['kubectl', 'aws'],
    homePrefix: 'eks-access-kubectl-',
    timeoutMs: 60_000,
  });
  const sandbox = demoSandboxForSuite();

  it('Unauthorized → request view → approve → can-i get yes, get pods, can-i delete no → revoke → Unauthorized', async () => {
    // The profiles and contexts a newcomer would generate.
    const generated = await generateSandboxProfiles(sandbox.endpoint, [
      'dana',
      'sam',
    ]);
    expect(generated.stdout).toContain('contexts');

    // One token from the real aws CLI, as Dana's SSO session: it stays valid
    // for the whole story (what changes is what the cluster maps it to).
    const token = await tool('aws', [
      '--profile',
      'sandbox-dana',
      '--region',
      'us-east-2',
      'eks',
      'get-token',
      '--cluster-name',
      'ml-training',
    ]);
    expect(token.stderr).toBe('');
    const bearer = JSON.parse(token.stdout).status.token as string;
    expect(bearer).toMatch(/^k8s-aws-v1\./);
    const cluster = sandbox.state.getCluster('ml-training', 'us-east-2')!;
    const ca = path.join(home(), 'ml-training-ca.pem');
    fs.writeFileSync(ca, cluster.caCertPem);
    fs.writeFileSync(path.join(home(), 'empty-kubeconfig'), '');
    const kubectl = (...args: string[]) =>
      tool('kubectl', [
        `--kubeconfig=${path.join(home(), 'empty-kubeconfig')}`,
        `--server=${cluster.endpoint}`,
        `--certificate-authority=${ca}`,
        `--token=${bearer}`,
        ...args,
      ]);

    // 1. Dana has no access to ml-training.
    const before = await kubectl('get', 'pods', '-n', NAMESPACE);
    expect(before.code).not.toBe(0);
    expect(before.stderr).toMatch(/You must be logged in to the server/);

    // 2. She requests view on the training namespace; Alex approves.
    const services = createSandboxServices({
      sandbox,
      logger: mockServices.logger.mock(),
    });
    const { store } = await migratedRequestStore(databases, 'SQLITE_3');
    const settings = readAccessRequestsConfig(
      new ConfigReader({
        eksAccess: {
          requests: {
            levels: [
              {
                name: 'view',
                accessPolicyArn: VIEW,
                maxDuration: { hours: 8 },
              },
            ],
          },
        },
      }),
    );
    const reconciler = new GrantReconciler({
      store,
      settings,
      targets: sdkGrantTargetsFor(services.clients),
      source: snapshotAccessDataSource(services.snapshots),
      logger: mockServices.logger.mock(),
      runnerId: 'kubectl-story',
    });
    const requests = new AccessRequestService({
      store,
      settings,
      permissions,
      clusters: {
        getCluster: async ref =>
          ref === ML
            ? {
                entityRef: ML,
                arn: cluster.arn,
                name: 'ml-training',
                partition: 'aws',
                accountId: '444455556666',
                region: 'us-east-2',
                ownerRef: 'group:default/team-data',
              }
            : undefined,
      },
      identities: {
        resolve: async user =>
          user === DANA
            ? [
                {
                  callerArn:
                    'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
                  principalArn: SSO_ROLE,
                  sessionName: 'dana@example.com',
                  source: 'annotation',
                  label: 'SSO PaymentsDeveloper',
                },
              ]
            : [],
      },
      triggerGrants: async () => {
        await reconciler.runOnce();
      },
    });
    const created = await requests.create(
      {
        entityRef: ML,
        principalArn: SSO_ROLE,
        level: 'view',
        scope: { type: 'namespace', namespaces: [NAMESPACE] },
        durationSeconds: 3600,
        reason: 'debug the training job',
      },
      actor(DANA),
    );
    const approved = await requests.approve(created.id, 'ok', actor(ALEX));
    expect(approved.state).toBe('active');

    // 3. The grant, as Dana's kubectl sees it.
    const canGet = await kubectl(
      'auth',
      'can-i',
      'get',
      'pods',
      '-n',
      NAMESPACE,
    );
    expect({ code: canGet.code, out: canGet.stdout.trim() }).toEqual({
      code: 0,
      out: 'yes',
    });
    const pods = await kubectl('get', 'pods', '-n', NAMESPACE);
    expect(pods.code).toBe(0);
    expect(pods.stderr).toContain(
      `No resources found in ${NAMESPACE} namespace.`,
    );
    const canDelete = await kubectl(
      'auth',
      'can-i',
      'delete',
      'pods',
      '-n',
      NAMESPACE,
    );
    expect({ code: canDelete.code, out: canDelete.stdout.trim() }).toEqual({
      code: 1,
      out: 'no',
    });
    const elsewhere = await kubectl('get', 'pods', '-n', 'ml-jobs');
    expect(elsewhere.stderr).toMatch(/Forbidden|forbidden/);
    const whoami = await kubectl('auth', 'whoami');
    expect(whoami.stdout).toContain(
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
    );

    // The generated context works the same, through `aws eks get-token`.
    const viaContext = await tool('kubectl', [
      '--context',
      'dana@ml-training',
      'auth',
      'can-i',
      'get',
      'pods',
      '-n',
      NAMESPACE,
    ]);
    expect(viaContext.stdout.trim()).toBe('yes');

    // The AWS CLI shows the entry Backstage created, filtered by policy (as Sam, in the cluster's account).
    const entries = await tool('aws', [
      '--profile',
      'sandbox-sam',
      '--region',
      'us-east-2',
      'eks',
      'list-access-entries',
      '--cluster-name',
      'ml-training',
      '--associated-policy-arn',
      VIEW,
    ]);
    expect(JSON.parse(entries.stdout).accessEntries).toEqual([SSO_ROLE]);

    // 4. Alex revokes: Dana is Unauthorized again.
    const revoked = await requests.revoke(created.id, 'done', actor(ALEX));
    expect(revoked.state).not.toBe('active');
    const after = await kubectl('get', 'pods', '-n', NAMESPACE);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/You must be logged in to the server/);
  });
});
