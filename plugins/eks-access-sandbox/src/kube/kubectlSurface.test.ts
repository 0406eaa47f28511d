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
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { RunningSandbox, startSandbox } from '../startSandbox';
import { DEMO, kubeConfigFor, tokenFor } from '../__testUtils__/sandboxClients';
import { humanDuration } from './tableResponse';

jest.setTimeout(60_000);

describe('what kubectl needs from each sandbox cluster', () => {
  let sandbox: RunningSandbox;
  let backstage: { accessKeyId: string; secretAccessKey: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    backstage = sandbox.credentialsFor(DEMO.backstageUser);
  });
  afterAll(() => sandbox.stop());

  const kcAs = async (
    cluster: string,
    credentials: Parameters<typeof tokenFor>[1] = backstage,
  ) => kubeConfigFor(sandbox, cluster, await tokenFor(cluster, credentials));
  const danaSso = () =>
    sandbox.issueSessionCredentials(DEMO.ssoRole, 'dana@example.com');

  /** A raw GET with an Accept header, as kubectl sends it. */
  async function rawGet(
    cluster: string,
    urlPath: string,
    accept: string,
  ): Promise<{ status: number; body: any }> {
    const state = sandbox.state.getCluster(cluster)!;
    const token = await tokenFor(cluster, backstage);
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${state.endpoint}${urlPath}`,
        {
          ca: state.caCertPem,
          headers: { authorization: `Bearer ${token}`, accept },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  describe('discovery', () => {
    it('serves /api, /apis and the resource lists kubectl maps names with', async () => {
      const kc = await kcAs('payments-prod');
      const core = await kc.makeApiClient(k8s.CoreApi).getAPIVersions();
      expect(core.versions).toEqual(['v1']);
      const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(groups.groups.map(g => g.name)).toEqual(
        expect.arrayContaining([
          'rbac.authorization.k8s.io',
          'authorization.k8s.io',
          'authentication.k8s.io',
        ]),
      );
      const v1 = await kc.makeApiClient(k8s.CoreV1Api).getAPIResources();
      const byName = Object.fromEntries(v1.resources.map(r => [r.name, r]));
      expect(byName.configmaps).toMatchObject({
        kind: 'ConfigMap',
        namespaced: true,
        shortNames: ['cm'],
      });
      expect(byName.namespaces).toMatchObject({
        kind: 'Namespace',
        namespaced: false,
      });
      expect(byName.pods.verbs).toEqual(['get', 'list', 'watch']);
      const rbac = await kc
        .makeApiClient(k8s.RbacAuthorizationV1Api)
        .getAPIResources();
      expect(rbac.resources.map(r => r.name).sort()).toEqual([
        'clusterrolebindings',
        'clusterroles',
        'rolebindings',
        'roles',
      ]);
      expect(
        (
          await kc.makeApiClient(k8s.AuthorizationV1Api).getAPIResources()
        ).resources.map(r => r.name),
      ).toContain('selfsubjectaccessreviews');
    });

    it('serves the OpenAPI v3 paths kubectl checks for server-side field validation', async () => {
      const root = await rawGet(
        'payments-prod',
        '/openapi/v3',
        'application/json',
      );
      const url = root.body.paths['api/v1'].serverRelativeURL;
      expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
      const doc = await rawGet('payments-prod', url, 'application/json');
      const patch =
        doc.body.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']
          .patch;
      expect(patch['x-kubernetes-group-version-kind']).toEqual({
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
      });
      expect(patch.parameters).toContainEqual(
        expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
      );
    });

    it('answers discovery with 401 to an unmapped identity, as kubectl reports "Unauthorized"', async () => {
      const kc = await kcAs('ml-training', danaSso());
      const error = await kc
        .makeApiClient(k8s.CoreV1Api)
        .getAPIResources()
        .catch(e => e);
      expect(error.code).toBe(401);
    });
  });

  describe('reads', () => {
    it('lists namespaces, pods (none) and RBAC, and reads one namespace', async () => {
      const kc = await kcAs('payments-prod');
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const namespaces = await core.listNamespace();
      expect(namespaces.items.map(n => n.metadata?.name)).toContain('payments');
      expect(
        (await core.readNamespace({ name: 'payments' })).status?.phase,
      ).toBe('Active');
      expect(
        (await core.listNamespacedPod({ namespace: 'payments' })).items,
      ).toEqual([]);
      const configMaps = await core.listConfigMapForAllNamespaces();
      expect(configMaps.items.map(c => c.metadata?.name)).toEqual(['aws-auth']);
      const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
      expect(
        (
          await rbac.readNamespacedRoleBinding({
            name: 'payments-admins',
            namespace: 'payments',
          })
        ).roleRef.name,
      ).toBe('admin');
      expect(
        (await rbac.readClusterRole({ name: 'eks-access-aws-auth-editor' }))
          .rules,
      ).toHaveLength(4);
      const missing = await core.readNamespace({ name: 'nope' }).catch(e => e);
      expect(missing.code).toBe(404);
    });

    it('answers the Table form kubectl get asks for', async () => {
      const accept =
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
      const list = await rawGet(
        'payments-prod',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings?limit=500',
        accept,
      );
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        columnDefinitions: [
          { name: 'Name', format: 'name' },
          { name: 'Role' },
          { name: 'Age' },
          { name: 'Users', priority: 1 },
          { name: 'Groups', priority: 1 },
          { name: 'ServiceAccounts', priority: 1 },
        ],
        rows: [
          {
            cells: [
              'payments-admins',
              'ClusterRole/admin',
              expect.any(String),
              '',
              'payments-admins',
              '',
            ],
            object: {
              kind: 'PartialObjectMetadata',
              metadata: { name: 'payments-admins', namespace: 'payments' },
            },
          },
        ],
      });
      const one = await rawGet(
        'payments-prod',
        '/api/v1/namespaces/kube-system/configmaps/aws-auth',
        accept,
      );
      expect(one.body.rows).toHaveLength(1);
      expect(one.body.rows[0].cells.slice(0, 2)).toEqual(['aws-auth', 1]);
      const plain = await rawGet(
        'payments-prod',
        '/api/v1/namespaces',
        'application/json',
      );
      expect(plain.body.kind).toBe('NamespaceList');
    });

    it('prints ages the way kubectl does', () => {
      expect(humanDuration(59)).toBe('59s');
      expect(humanDuration(5 * 60 + 3)).toBe('5m3s');
      expect(humanDuration(3 * 3600 + 12 * 60)).toBe('3h12m');
      expect(humanDuration(5 * 86400)).toBe('5d');
      expect(humanDuration(400 * 86400)).toBe('400d');
      expect(humanDuration(3 * 365 * 86400 + 183 * 86400)).toBe('3y183d');
    });
  });

  describe('reviews', () => {
    it('SelfSubjectReview: who the token maps to, with the EKS extra fields', async () => {
      const kc = await kcAs('payments-prod', danaSso());
      const review = await kc
        .makeApiClient(k8s.AuthenticationV1Api)
        .createSelfSubjectReview({ body: {} });
      expect(review.status?.userInfo).toMatchObject({
        groups: expect.arrayContaining(['system:authenticated']),
        extra: {
          arn: [
            'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
          ],
          canonicalArn: [DEMO.ssoRoleNoPath],
          sessionName: ['dana@example.com'],
        },
      });
    });

    it('SelfSubjectAccessReview: the namespace-scoped View policy, exactly', async () => {
      const api = (await kcAs('payments-prod', danaSso())).makeApiClient(
        k8s.AuthorizationV1Api,
      );
      const canI = async (verb: string, resource: string, namespace: string) =>
        (
          await api.createSelfSubjectAccessReview({
            body: {
              spec: { resourceAttributes: { verb, resource, namespace } },
            },
          })
        ).status?.allowed;
      expect(await canI('get', 'pods', 'payments')).toBe(true);
      expect(await canI('delete', 'pods', 'payments')).toBe(false);
      expect(await canI('get', 'pods', 'kube-system')).toBe(false);
    });

    it('SelfSubjectRulesReview: RBAC rules, and incomplete where policies are approximated', async () => {
      const api = (await kcAs('payments-prod')).makeApiClient(
        k8s.AuthorizationV1Api,
      );
      const review = await api.createSelfSubjectRulesReview({
        body: { spec: { namespace: 'payments' } },
      });
      expect(review.status?.resourceRules).toEqual(
        expect.arrayContaining([
          {
            apiGroups: [''],
            resources: ['configmaps'],
            resourceNames: ['aws-auth'],
            verbs: ['get', 'update', 'patch'],
          },
        ]),
      );
      expect(review.status?.incomplete).toBe(true);
      const invalid = await api
        .createSelfSubjectRulesReview({ body: { spec: {} } })
        .catch(e => e);
      expect(invalid.code).toBe(422);
    });

    it('SubjectAccessReview: RBAC by user and groups, access policies by the extra ARN', async () => {
      const api = (
        await kcAs('ml-training', {
          ...sandbox.issueSessionCredentials(
            DEMO.platformAdmin,
            'alex@example.com',
          ),
        })
      ).makeApiClient(k8s.AuthorizationV1Api);
      const review = async (spec: k8s.V1SubjectAccessReviewSpec) =>
        (await api.createSubjectAccessReview({ body: { spec } })).status
          ?.allowed;
      const getPods = { verb: 'get', resource: 'pods', namespace: 'training' };
      expect(
        await review({
          user: 'sam',
          extra: { canonicalArn: [DEMO.dataEngineer] },
          resourceAttributes: getPods,
        }),
      ).toBe(true);
      expect(
        await review({ user: 'someone', resourceAttributes: getPods }),
      ).toBe(false);
      expect(
        await review({
          user: 'someone',
          groups: ['eks-access:aws-auth-editors'],
          resourceAttributes: {
            verb: 'get',
            resource: 'configmaps',
            namespace: 'kube-system',
            name: 'aws-auth',
          },
        }),
      ).toBe(true);
    });

    it('SubjectAccessReview needs RBAC to create it', async () => {
      const api = (await kcAs('payments-prod', danaSso())).makeApiClient(
        k8s.AuthorizationV1Api,
      );
      const error = await api
        .createSubjectAccessReview({
          body: {
            spec: {
              user: 'x',
              resourceAttributes: { verb: 'get', resource: 'pods' },
            },
          },
        })
        .catch(e => e);
      expect(error.code).toBe(403);
    });
  });

  it('keeps the annotations kubectl apply writes on aws-auth', async () => {
    const core = (await kcAs('payments-prod')).makeApiClient(k8s.CoreV1Api);
    const annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    await core.patchNamespacedConfigMap(
      {
        name: 'aws-auth',
        namespace: 'kube-system',
        body: { metadata: { annotations } },
      },
      k8s.setHeaderOptions(
        'Content-Type',
        k8s.PatchStrategy.StrategicMergePatch,
      ),
    );
    const cm = await core.readNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
    });
    expect(cm.metadata?.annotations).toEqual(annotations);
  });

  it('issues the demo people session credentials for credential_process', async () => {
    const res = await fetch(`${sandbox.endpoint}/__sandbox/credentials/sam`);
    const body = await res.json();
    expect(body).toMatchObject({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SessionToken: expect.any(String),
    });
    const kc = await kcAs('ml-training', {
      accessKeyId: body.AccessKeyId,
      secretAccessKey: body.SecretAccessKey,
      sessionToken: body.SessionToken,
    });
    const whoami = await kc
      .makeApiClient(k8s.AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(whoami.status?.userInfo?.extra?.arn).toEqual([
      'arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_DataEngineer_3c4d5e6f7a8b9c0d/sam@example.com',
    ]);
    expect(
      (await fetch(`${sandbox.endpoint}/__sandbox/credentials/bob`)).status,
    ).toBe(404);
  });

  it('impersonates (kubectl --as) only for callers RBAC allows to', async () => {
    const asHeaders = (kc: k8s.KubeConfig) => {
      const api = kc.makeApiClient(k8s.AuthorizationV1Api);
      return api.createSelfSubjectAccessReview(
        {
          body: {
            spec: {
              resourceAttributes: {
                verb: 'get',
                resource: 'configmaps',
                namespace: 'kube-system',
                name: 'aws-auth',
              },
            },
          },
        },
        k8s.setHeaderOptions('Impersonate-User', 'someone'),
      );
    };
    // Alex (cluster admin on ml-training) may: the answer is for "someone", not for Alex.
    const admin = await kcAs(
      'ml-training',
      sandbox.issueSessionCredentials(DEMO.platformAdmin, 'alex@example.com'),
    );
    expect((await asHeaders(admin)).status?.allowed).toBe(false);
    // Backstage's identity may not impersonate.
    const error = await asHeaders(await kcAs('payments-prod')).catch(e => e);
    expect(error.code).toBe(403);
    expect(JSON.parse(error.body).message).toContain(
      'cannot impersonate resource "users"',
    );
  });

  describe('RBAC writes', () => {
    it('creates and deletes a RoleBinding, which then grants and stops granting', async () => {
      const admin = await kcAs(
        'ml-training',
        sandbox.issueSessionCredentials(DEMO.platformAdmin, 'alex@example.com'),
      );
      const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
      const authz = admin.makeApiClient(k8s.AuthorizationV1Api);
      const canReaderList = async () =>
        (
          await authz.createSubjectAccessReview({
            body: {
              spec: {
                user: 'reader',
                groups: ['ml-readers'],
                resourceAttributes: {
                  verb: 'list',
                  resource: 'configmaps',
                  namespace: 'training',
                },
              },
            },
          })
        ).status?.allowed;
      expect(await canReaderList()).toBe(false);
      await rbac.createNamespacedRoleBinding({
        namespace: 'training',
        body: {
          metadata: { name: 'ml-readers-view' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'view',
          },
          subjects: [
            {
              kind: 'Group',
              name: 'ml-readers',
              apiGroup: 'rbac.authorization.k8s.io',
            },
          ],
        },
      });
      expect(await canReaderList()).toBe(true);
      const again = await rbac
        .createNamespacedRoleBinding({
          namespace: 'training',
          body: {
            metadata: { name: 'ml-readers-view' },
            roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
          },
        })
        .catch(e => e);
      expect(again.code).toBe(409);
      // The scenario shares RBAC lists between clusters (YAML anchors): a
      // ClusterRoleBinding written on ml-training must not appear on Data-Lake_01.
      await rbac.createClusterRoleBinding({
        body: {
          metadata: { name: 'ml-only' },
          roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'User', name: 'reader', apiGroup: '' }],
        },
      });
      const lake = sandbox.state.getCluster('Data-Lake_01', 'eu-west-1')!;
      const lakeBindings = await kubeConfigFor(
        sandbox,
        'Data-Lake_01',
        await tokenFor(
          'Data-Lake_01',
          sandbox.issueSessionCredentials(DEMO.backstageRole, 'backstage'),
          { region: lake.region },
        ),
        lake.region,
      )
        .makeApiClient(k8s.RbacAuthorizationV1Api)
        .listClusterRoleBinding();
      expect(lakeBindings.items.map(b => b.metadata?.name)).not.toContain(
        'ml-only',
      );
      await rbac.deleteClusterRoleBinding({ name: 'ml-only' });
      await rbac.deleteNamespacedRoleBinding({
        name: 'ml-readers-view',
        namespace: 'training',
      });
      expect(await canReaderList()).toBe(false);
      const gone = await rbac
        .deleteNamespacedRoleBinding({
          name: 'ml-readers-view',
          namespace: 'training',
        })
        .catch(e => e);
      expect(gone.code).toBe(404);
    });

    it('forbids binding writes to a read-only identity', async () => {
      const rbac = (await kcAs('payments-prod')).makeApiClient(
        k8s.RbacAuthorizationV1Api,
      );
      const error = await rbac
        .createClusterRoleBinding({
          body: {
            metadata: { name: 'x' },
            roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
          },
        })
        .catch(e => e);
      expect(error.code).toBe(403);
    });
  });
});

describe('RBAC writes and the state file', () => {
  it('keeps a kubectl-created RoleBinding across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-sandbox-rbac-'));
    const stateFile = path.join(dir, 'state.json');
    const rbacAs = async (sandbox: RunningSandbox) =>
      kubeConfigFor(
        sandbox,
        'ml-training',
        await tokenFor(
          'ml-training',
          sandbox.issueSessionCredentials(
            DEMO.platformAdmin,
            'alex@example.com',
          ),
        ),
      ).makeApiClient(k8s.RbacAuthorizationV1Api);
    const first = await startSandbox({ stateFile });
    try {
      await (
        await rbacAs(first)
      ).createNamespacedRoleBinding({
        namespace: 'training',
        body: {
          metadata: { name: 'kept' },
          roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'Group', name: 'g', apiGroup: '' }],
        },
      });
    } finally {
      await first.stop();
    }
    const second = await startSandbox({ stateFile });
    try {
      const list = await (
        await rbacAs(second)
      ).listNamespacedRoleBinding({ namespace: 'training' });
      expect(list.items.map(b => b.metadata?.name)).toEqual(['kept']);
    } finally {
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
