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
 * The assistant's path end to end: a test backend with this plugin and
 * @backstage/plugin-mcp-actions-backend, the demo catalog, the sandbox, and
 * a real MCP client (@modelcontextprotocol/sdk over streamable HTTP) calling
 * the tools as Dana and Alex. The verdicts must equal the HTTP route's.
 */

import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  eksAccessRequestAdminPermission,
  eksAccessRequestApprovePermission,
} from '@eks-access/plugin-eks-access-common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import {
  loadDemoEntities,
  sandboxAwsConfig,
} from '../__testUtils__/sandboxServices';
import { eksAccessPlugin } from '../plugin';

jest.setTimeout(180_000);

const DANA = 'user:default/dana';
const ALEX = 'user:default/alex';

/** Alex administers EKS access; everyone may read and request. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: EvaluatePermissionRequest[], options: any) {
      const user = options?.credentials?.principal?.userEntityRef;
      return requests.map(r =>
        [
          eksAccessRequestAdminPermission.name,
          eksAccessRequestApprovePermission.name,
        ].includes(r.permission.name) && user !== ALEX
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      ) as any;
    },
    async authorizeConditional() {
      throw new Error('not used');
    },
  }),
});

/*
 * The sandbox is the file's (demoSandboxForSuite); the backend is started in
 * the describe below, so that Jest stops it (inner afterAll) before the
 * sandbox it reads (outer afterAll): its request reconciler runs every
 * second against the sandbox until the backend stops.
 */
const sandbox = demoSandboxForSuite();
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;

async function mcpClientAs(user: string) {
  const client = new Client({ name: 'eks-access-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${baseUrl}/api/mcp-actions/v1`),
      {
        requestInit: {
          headers: { Authorization: mockCredentials.user.header(user) },
        },
      },
    ),
  );
  return client;
}

async function callTool(client: Client, name: string, args: object) {
  const result = (await client.callTool({
    // MCP tool names are namespaced by plugin id (mcpActions.namespacedToolNames).
    name: `eks-access.${name}`,
    arguments: args as Record<string, unknown>,
  })) as { content: Array<{ type: string; text: string }>; isError?: boolean };
  const text = result.content.map(c => c.text).join('\n');
  if (result.isError) {
    throw new Error(text);
  }
  return JSON.parse(text);
}

/** What GET /access says of each identity, to compare with the action. */
async function routeVerdicts(user: string, entityRef: string) {
  const res = await request(backend.server)
    .get('/api/eks-access/access')
    .query({ entityRef, refresh: 'true' })
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return res.body.identities.map((i: any) => ({
    callerArn: i.identity.callerArn,
    decision: i.verdict.decision,
    username: i.verdict.username,
  }));
}

/** The same fields from the check-cluster-access answer. */
function actionVerdicts(answer: any) {
  return answer.identities.map((i: any) => ({
    callerArn: i.callerArn,
    decision: i.decision,
    username: i.username,
  }));
}

describe('EKS access over MCP', () => {
  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        eksAccessPlugin,
        mcpActionsBackend,
        catalogServiceMock.factory({ entities: loadDemoEntities() }),
        permissionsFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['eks-access'] } },
            aws: sandboxAwsConfig(sandbox),
            eksAccess: {
              aws: { endpoint: sandbox.endpoint },
              // as the dev app: the demo's User entities are repository files
              identity: { trustedUserLocations: ['file:'] },
              requests: {
                adminGroups: ['group:default/platform-team'],
                schedule: { frequency: { seconds: 1 }, timeout: { minutes: 1 } },
                levels: [
                  {
                    name: 'view',
                    title: 'View',
                    accessPolicyArn:
                      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                    kubernetesGroups: ['eks-access:view'],
                    scopes: ['cluster', 'namespace'],
                    maxDuration: { hours: 8 },
                    approvalsRequired: 1,
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    baseUrl = `http://localhost:${port}`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('lists the eks-access tools with their schemas', async () => {
    const client = await mcpClientAs(DANA);
    try {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name.replace(/^eks-access\./, ''));
      expect(names).toEqual(
        expect.arrayContaining([
          'check-cluster-access',
          'list-my-cluster-access',
          'explain-finding',
          'request-cluster-access',
          'list-my-access-requests',
          'cancel-access-request',
          'list-pending-approvals',
          'decide-access-request',
        ]),
      );
      const decide = tools.find(
        t => t.name === 'eks-access.decide-access-request',
      )!;
      expect(decide.annotations).toMatchObject({ destructiveHint: true });
      const check = tools.find(
        t => t.name === 'eks-access.check-cluster-access',
      )!;
      expect(check.annotations).toMatchObject({ readOnlyHint: true });
      expect(check.inputSchema).toMatchObject({
        type: 'object',
        required: ['cluster'],
      });
    } finally {
      await client.close();
    }
  });

  it('tells Dana why she cannot reach payments-staging, exactly as the route does', async () => {
    const client = await mcpClientAs(DANA);
    try {
      const answer = await callTool(client, 'check-cluster-access', {
        cluster: 'payments-staging',
      });
      // Found by its EKS name; the catalog entity is eks-payments-staging.
      expect(answer.cluster.entityRef).toBe(
        'resource:default/eks-payments-staging',
      );
      const route = await routeVerdicts(DANA, answer.cluster.entityRef);
      expect(actionVerdicts(answer)).toEqual(route);
      expect(answer.identities.every((i: any) => i.decision === 'denied')).toBe(
        true,
      );
      const sso = answer.identities.find(
        (i: any) => i.rootCause?.code === 'AWS_AUTH_ROLE_ARN_HAS_PATH',
      );
      // The card's one verified plan, in every form people run.
      expect(sso.fixPlan.steps.length).toBeGreaterThan(0);
      expect(Object.keys(sso.fixPlan.forms).sort()).toEqual([
        'aws-cli',
        'eksctl',
        'kubectl',
        'terraform',
      ]);
      for (const identity of answer.identities) {
        expect(identity.fixPlan ?? identity.decisionNeeded).toBeDefined();
      }
      expect(answer.summary).toMatch(/None of your identities can reach/);
    } finally {
      await client.close();
    }
  });

  it('lets Dana request view on ml-training, refuses her own approval, and after Alex approves she gets in', async () => {
    const dana = await mcpClientAs(DANA);
    const alex = await mcpClientAs(ALEX);
    try {
      const before = await callTool(dana, 'check-cluster-access', {
        cluster: 'ml-training',
      });
      expect(before.identities[0].decision).toBe('denied');
      const principalArn = before.identities[0].principalArn;

      const created = await callTool(dana, 'request-cluster-access', {
        cluster: 'ml-training',
        principalArn,
        level: 'view',
        durationSeconds: 3600,
        reason: 'Investigate the failing training job',
      });
      expect(created.request).toMatchObject({
        state: 'pending',
        cluster: 'resource:default/ml-training',
      });
      expect(created.approvers).toMatch(
        /owners of resource:default\/ml-training/,
      );
      const id = created.request.id;

      // Bad input gets the route's validation message.
      await expect(
        callTool(dana, 'request-cluster-access', {
          cluster: 'ml-training',
          principalArn,
          level: 'view',
          durationSeconds: 3600,
          reason: 'x',
          ticketUrl: 'not a url',
        }),
      ).rejects.toThrow(/ticketUrl: must be an http\(s\) URL/);

      // Nobody approves their own request, over MCP either.
      await expect(
        callTool(dana, 'decide-access-request', { id, decision: 'approve' }),
      ).rejects.toThrow(/cannot approve your own access request/);

      const pending = await callTool(alex, 'list-pending-approvals', {});
      expect(pending.items.map((r: any) => r.id)).toContain(id);
      const approved = await callTool(alex, 'decide-access-request', {
        id,
        decision: 'approve',
      });
      expect(['approved', 'active']).toContain(approved.request.state);

      // The grant task applies and verifies the grant within seconds.
      let state = approved.request.state;
      for (let i = 0; i < 60 && state !== 'active'; i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        const mine = await callTool(dana, 'list-my-access-requests', {});
        state = mine.items.find((r: any) => r.id === id)?.state;
        expect(state).not.toBe('failed');
      }
      expect(state).toBe('active');

      const after = await callTool(dana, 'check-cluster-access', {
        cluster: 'ml-training',
        refresh: true,
      });
      const route = await routeVerdicts(DANA, 'resource:default/ml-training');
      expect(actionVerdicts(after)).toEqual(route);
      expect(after.identities.some((i: any) => i.decision === 'allowed')).toBe(
        true,
      );
    } finally {
      await dana.close();
      await alex.close();
    }
  });
});
