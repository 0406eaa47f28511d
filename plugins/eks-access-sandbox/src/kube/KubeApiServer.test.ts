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

import * as k8s from '@kubernetes/client-node';
import { RunningSandbox, startSandbox } from '../startSandbox';
import {
  awsAuthStatus,
  DEMO,
  kubeConfigFor,
  sandboxClients,
  tokenFor,
} from '../__testUtils__/sandboxClients';
import {
  CreateAccessEntryCommand,
  AssociateAccessPolicyCommand,
} from '@aws-sdk/client-eks';

jest.setTimeout(60_000);

describe('the Kubernetes API of each sandbox cluster', () => {
  let sandbox: RunningSandbox;
  let backstage: { accessKeyId: string; secretAccessKey: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    backstage = sandbox.credentialsFor(DEMO.backstageUser);
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.resetFaults());

  const core = async (cluster: string, token?: string) =>
    kubeConfigFor(
      sandbox,
      cluster,
      token ?? (await tokenFor(cluster, backstage)),
    ).makeApiClient(k8s.CoreV1Api);

  it('serves /version over HTTPS with the CA DescribeCluster returns', async () => {
    const kc = kubeConfigFor(
      sandbox,
      'payments-prod',
      await tokenFor('payments-prod', backstage),
    );
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.major).toBe('1');
    expect(version.gitVersion).toMatch(/^v1\.31\.\d+-eks-/);
  });

  it('reads aws-auth with its resourceVersion and answers 404 when it is absent', async () => {
    const cm = await (
      await core('payments-staging')
    ).readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' });
    expect(cm.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(cm.data?.mapUsers).toContain(
      'userARN: arn:aws:iam::111122223333:user/ops/priya',
    );
    const error = await (
      await core(
        'ml-training',
        await tokenFor(
          'ml-training',
          sandbox.issueSessionCredentials(DEMO.backstageRole, 'backstage'),
        ),
      )
    )
      .readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' })
      .catch(e => e);
    expect(error.code).toBe(404);
    expect(JSON.parse(error.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "aws-auth" not found',
    });
  });

  it('rejects a stale PUT with 409 Conflict and accepts the current resourceVersion', async () => {
    const api = await core('docs-site');
    const cm = await api.readNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
    });
    const staleRv = cm.metadata!.resourceVersion!;
    const updated = await api.replaceNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
      body: {
        ...cm,
        data: {
          ...cm.data,
          mapAccounts: '- "444455556666"\n- "999999999999"\n',
        },
      },
    });
    expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(
      Number(staleRv),
    );
    const conflict = await api
      .replaceNamespacedConfigMap({
        name: 'aws-auth',
        namespace: 'kube-system',
        body: { ...cm, data: {} },
      })
      .catch(e => e);
    expect(conflict.code).toBe(409);
    expect(JSON.parse(conflict.body)).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "aws-auth": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(
      sandbox.state.getCluster('docs-site')!.awsAuth!.data.mapAccounts,
    ).toContain('999999999999');
  });

  it('applies merge, strategic-merge and JSON patches with resourceVersion preconditions', async () => {
    const api = await core('analytics');
    const cm = await api.readNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
    });
    const rv = cm.metadata!.resourceVersion!;
    const merged = await api.patchNamespacedConfigMap(
      {
        name: 'aws-auth',
        namespace: 'kube-system',
        body: { metadata: { resourceVersion: rv }, data: { extra: 'a' } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.data).toMatchObject({
      extra: 'a',
      mapRoles: cm.data!.mapRoles,
    });
    const staleMerge = await api
      .patchNamespacedConfigMap(
        {
          name: 'aws-auth',
          namespace: 'kube-system',
          body: { metadata: { resourceVersion: rv }, data: { extra: 'b' } },
        },
        k8s.setHeaderOptions(
          'Content-Type',
          k8s.PatchStrategy.StrategicMergePatch,
        ),
      )
      .catch(e => e);
    expect(staleMerge.code).toBe(409);
    const strategic = await api.patchNamespacedConfigMap(
      {
        name: 'aws-auth',
        namespace: 'kube-system',
        body: { data: { extra: null } },
      },
      k8s.setHeaderOptions(
        'Content-Type',
        k8s.PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(strategic.data).not.toHaveProperty('extra');
    const currentRv = strategic.metadata!.resourceVersion!;
    const failedTest = await api
      .patchNamespacedConfigMap({
        name: 'aws-auth',
        namespace: 'kube-system',
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: rv },
          { op: 'add', path: '/data/x', value: '1' },
        ],
      })
      .catch(e => e);
    expect(failedTest.code).toBe(422);
    const jsonPatched = await api.patchNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
      body: [
        { op: 'test', path: '/metadata/resourceVersion', value: currentRv },
        { op: 'add', path: '/data/x', value: '1' },
      ],
    });
    expect(jsonPatched.data!.x).toBe('1');
    const staleReplace = await api
      .patchNamespacedConfigMap({
        name: 'aws-auth',
        namespace: 'kube-system',
        body: [
          { op: 'replace', path: '/metadata/resourceVersion', value: rv },
          { op: 'add', path: '/data/y', value: '1' },
        ],
      })
      .catch(e => e);
    expect(staleReplace.code).toBe(409);
  });

  it('lists ClusterRoleBindings and RoleBindings', async () => {
    const kc = kubeConfigFor(
      sandbox,
      'payments-prod',
      await tokenFor('payments-prod', backstage),
    );
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const crbs = await rbac.listClusterRoleBinding();
    expect(crbs.items.map(b => b.metadata?.name)).toContain(
      'eks-access-aws-auth-editor',
    );
    const rbs = await rbac.listNamespacedRoleBinding({ namespace: 'payments' });
    expect(rbs.items[0]).toMatchObject({
      metadata: { name: 'payments-admins', namespace: 'payments' },
      roleRef: { kind: 'ClusterRole', name: 'admin' },
      subjects: [
        {
          kind: 'Group',
          name: 'payments-admins',
          apiGroup: 'rbac.authorization.k8s.io',
        },
      ],
    });
    const all = await rbac.listRoleBindingForAllNamespaces({});
    expect(all.items).toHaveLength(1);
  });

  describe('token verification', () => {
    it('accepts a token presigned against the sandbox endpoint host', async () => {
      const host = new URL(sandbox.endpoint).host;
      const token = await tokenFor('payments-prod', backstage, {
        host,
        protocol: 'http:',
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', token)),
      ).toBe(200);
    });

    it('rejects a token signed for another cluster', async () => {
      const token = await tokenFor('payments-staging', backstage);
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', token)),
      ).toBe(401);
    });

    it('rejects an expired token (15 minutes after X-Amz-Date, whatever X-Amz-Expires says)', async () => {
      const token = await tokenFor('payments-prod', backstage, {
        signingDate: new Date(Date.now() - 16 * 60 * 1000),
        expiresIn: 900,
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', token)),
      ).toBe(401);
      const fresh = await tokenFor('payments-prod', backstage, {
        signingDate: new Date(Date.now() - 14 * 60 * 1000),
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', fresh)),
      ).toBe(200);
    });

    it('rejects a tampered token, a token without the signed cluster header and a foreign host', async () => {
      const token = await tokenFor('payments-prod', backstage);
      const url = Buffer.from(
        token.slice('k8s-aws-v1.'.length),
        'base64url',
      ).toString();
      const tampered = `k8s-aws-v1.${Buffer.from(
        url.replace('Version=2011-06-15', 'Version=2011-06-16'),
      ).toString('base64url')}`;
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', tampered)),
      ).toBe(401);
      const unsigned = await tokenFor('payments-prod', backstage, {
        omitClusterHeader: true,
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', unsigned)),
      ).toBe(401);
      const foreign = await tokenFor('payments-prod', backstage, {
        host: 'sts.evil.example.com',
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', foreign)),
      ).toBe(401);
      expect(
        await awsAuthStatus(
          kubeConfigFor(sandbox, 'payments-prod', 'k8s-aws-v1.not-a-url'),
        ),
      ).toBe(401);
    });

    it('rejects an unknown access key and a wrong secret', async () => {
      const unknown = await tokenFor('payments-prod', {
        accessKeyId: 'AKIAUNKNOWNKEY000000',
        secretAccessKey: 'x',
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', unknown)),
      ).toBe(401);
      const wrong = await tokenFor('payments-prod', {
        ...backstage,
        secretAccessKey: 'wrong',
      });
      expect(
        await awsAuthStatus(kubeConfigFor(sandbox, 'payments-prod', wrong)),
      ).toBe(401);
    });
  });

  describe('the demo verdicts, as the clusters decide them', () => {
    const dana = () => ({
      sso: sandbox.issueSessionCredentials(DEMO.ssoRole, 'dana@example.com'),
      user: sandbox.credentialsFor(DEMO.danaUser),
    });

    it.each([
      // cluster, region, Dana (SSO) status, Dana (user) status reading kube-system/aws-auth
      ['payments-prod', 'us-east-1', 403, 401], // SSO: access entry (View on payments namespaces only)
      ['payments-staging', 'us-east-1', 401, 401],
      ['Data-Lake_01', 'eu-west-1', 401, 401],
      ['checkout-dev', 'eu-west-1', 401, 403], // user: entry without permissions
      ['legacy-batch', 'us-west-2', 401, 401],
      ['analytics', 'us-east-1', 401, 401],
      ['ml-training', 'us-east-2', 401, 401],
      // SSO: {{EC2PrivateDNSName}} fails for a human session. User: today's authenticator compares
      // ARNs with EqualFold, so the wrong-case userarn still matches (old ones were case-sensitive).
      ['search-prod', 'eu-west-1', 401, 403],
      ['platform-tools', 'us-east-1', 200, 401], // SSO: invisible cluster creator
      ['docs-site', 'us-east-1', 403, 403], // SSO: aws-auth role, no groups; user: mapAccounts
      ['ci-runners', 'us-east-1', 401, 401],
      ['reporting', 'eu-west-1', 401, 403], // user: stale access entry falls through to aws-auth
    ])('%s', async (cluster, region, ssoStatus, userStatus) => {
      const { sso, user } = dana();
      expect(
        await awsAuthStatus(
          kubeConfigFor(
            sandbox,
            cluster,
            await tokenFor(cluster, sso, { region }),
            region,
          ),
        ),
      ).toBe(ssoStatus);
      expect(
        await awsAuthStatus(
          kubeConfigFor(
            sandbox,
            cluster,
            await tokenFor(cluster, user, { region }),
            region,
          ),
        ),
      ).toBe(userStatus);
    });

    it('lets Dana (SSO) read configmaps in the payments namespace on payments-prod (View policy scope)', async () => {
      const { sso } = dana();
      const api = kubeConfigFor(
        sandbox,
        'payments-prod',
        await tokenFor('payments-prod', sso),
      ).makeApiClient(k8s.CoreV1Api);
      const error = await api
        .readNamespacedConfigMap({ name: 'aws-auth', namespace: 'payments' })
        .catch(e => e);
      // Authorized (the object simply does not exist there), unlike kube-system.
      expect(error.code).toBe(404);
    });

    it('answers Forbidden with the mapped username', async () => {
      const { sso } = dana();
      const api = kubeConfigFor(
        sandbox,
        'docs-site',
        await tokenFor('docs-site', sso),
      ).makeApiClient(k8s.CoreV1Api);
      const error = await api
        .readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' })
        .catch(e => e);
      expect(JSON.parse(error.body)).toMatchObject({
        reason: 'Forbidden',
        message:
          'configmaps "aws-auth" is forbidden: User "dana-example.com" cannot get resource "configmaps" in API group "" in the namespace "kube-system"',
        details: { name: 'aws-auth', kind: 'configmaps' },
      });
    });

    it('cannot reach the edge-gateway Kubernetes API (the scenario fault), until the fault is cleared', async () => {
      const kc = kubeConfigFor(
        sandbox,
        'edge-gateway',
        await tokenFor('edge-gateway', backstage, { region: 'ap-southeast-2' }),
        'ap-southeast-2',
      );
      const error = await kc
        .makeApiClient(k8s.VersionApi)
        .getCode()
        .catch(e => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).not.toBe(200);
      expect(String(error.message ?? error)).toMatch(
        /fetch failed|ECONNRESET|socket|other side closed|network/i,
      );
      sandbox.clearFaults();
      expect((await kc.makeApiClient(k8s.VersionApi).getCode()).major).toBe(
        '1',
      );
    });
  });

  it('makes a new access entry visible to the authenticator only after the propagation delay', async () => {
    sandbox.setFaults({ accessEntryPropagationDelayMs: 1500 });
    const role = sandbox.issueSessionCredentials(
      DEMO.backstageRole,
      'backstage',
    );
    const { eks } = sandboxClients(sandbox, {
      region: 'us-east-2',
      credentials: role,
    });
    await eks.send(
      new CreateAccessEntryCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
      }),
    );
    await eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
        policyArn:
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
        accessScope: { type: 'cluster' },
      }),
    );
    const danaUser = sandbox.credentialsFor(DEMO.danaUser);
    const kc = () =>
      tokenFor('ml-training', danaUser, { region: 'us-east-2' }).then(t =>
        kubeConfigFor(sandbox, 'ml-training', t, 'us-east-2'),
      );
    expect(await awsAuthStatus(await kc())).toBe(401);
    await new Promise(r => setTimeout(r, 1700));
    expect(await awsAuthStatus(await kc())).toBe(404); // authenticated and allowed; API mode has no aws-auth
    expect(
      sandbox.calls({
        service: 'k8s',
        cluster: 'ml-training',
        operation: 'ReadConfigMap',
      }),
    ).toBeGreaterThanOrEqual(2);
  });
});
