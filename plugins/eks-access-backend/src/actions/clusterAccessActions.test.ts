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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ClusterAccessReport,
  ClusterAccessSummaryPage,
} from '@eks-access/plugin-eks-access-common';
import type { EksAccessService } from '../service/EksAccessService';
import { registerClusterAccessActions } from './clusterAccessActions';

const DANA = 'user:default/dana';
const STAGING = 'resource:default/payments-staging';

const report: ClusterAccessReport = {
  cluster: {
    entityRef: STAGING,
    name: 'payments-staging',
    arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-staging',
    partition: 'aws',
    accountId: '111122223333',
    region: 'us-east-1',
    authenticationMode: 'CONFIG_MAP',
    sources: {
      cluster: { state: 'ok' },
      accessEntries: { state: 'not-used' },
      awsAuth: { state: 'ok' },
    },
  },
  identities: [
    {
      identity: {
        callerArn:
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b/dana@example.com',
        principalArn:
          'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PaymentsDeveloper_1a2b',
        source: 'annotation',
        label: 'SSO PaymentsDeveloper',
      },
      verdict: {
        decision: 'denied',
        findings: [
          { code: 'AWS_AUTH_KEY_CASE', severity: 'warning', message: 'key' },
          {
            code: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
            severity: 'error',
            message: 'aws-auth names the role with its path',
            fix: { summary: 'remap', commands: ['eksctl create ...'] },
          },
        ],
      },
    },
  ],
  checkedAt: '2026-11-30T10:00:00.000Z',
};

function summaryPage(offset: number): ClusterAccessSummaryPage {
  const all = [
    {
      name: 'a',
      accountId: '111122223333',
      region: 'us-east-1',
      status: 'allowed',
    },
    {
      name: 'b',
      accountId: '111122223333',
      region: 'us-east-1',
      status: 'denied',
    },
    {
      name: 'c',
      accountId: '444455556666',
      region: 'eu-west-1',
      status: 'denied',
    },
  ] as const;
  const items = all.slice(offset, offset + 2).map(row => ({
    ...row,
    entityRef: `resource:default/${row.name}`,
    findingCount: 0,
  }));
  return {
    items,
    totalCount: all.length,
    ...(offset + 2 < all.length ? { nextOffset: offset + 2 } : {}),
  };
}

function setup(options: { allow?: boolean } = {}) {
  const access = {
    findClusterEntity: jest.fn(async (cluster: string) => {
      if (cluster !== 'payments-staging' && cluster !== STAGING) {
        throw Object.assign(new Error(`No EKS cluster named "${cluster}"`), {
          name: 'NotFoundError',
        });
      }
      return { entityRef: STAGING } as any;
    }),
    checkForUser: jest.fn(async () => report),
    summaries: jest.fn(async ({ offset }: { offset: number }) =>
      summaryPage(offset),
    ),
  };
  const actionsRegistry = actionsRegistryServiceMock();
  registerClusterAccessActions({
    actionsRegistry,
    access: access as unknown as EksAccessService,
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({
          result:
            options.allow === false
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    }),
    userInfo: mockServices.userInfo(),
  });
  return { actionsRegistry, access };
}

describe('cluster access actions', () => {
  it('registers three read-only, idempotent actions with input and output schemas', async () => {
    const { actionsRegistry } = setup();
    const { actions } = await actionsRegistry.list();
    expect(actions.map(a => a.name).sort()).toEqual([
      'check-cluster-access',
      'explain-finding',
      'list-my-cluster-access',
    ]);
    for (const action of actions) {
      expect(action.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      expect(action.schema.input).toMatchObject({ type: 'object' });
      expect(action.schema.output).toMatchObject({ type: 'object' });
      expect(action.description.length).toBeGreaterThan(100);
    }
  });

  it('check-cluster-access answers with the root cause and its fix', async () => {
    const { actionsRegistry, access } = setup();
    const { output } = await actionsRegistry.invoke({
      id: 'test:check-cluster-access',
      input: { cluster: 'payments-staging' },
      credentials: mockCredentials.user(DANA),
    });
    expect(access.checkForUser).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: STAGING }),
    );
    expect(output).toMatchObject({
      cluster: { entityRef: STAGING, name: 'payments-staging' },
      identities: [
        {
          identity: 'SSO PaymentsDeveloper',
          decision: 'denied',
          rootCause: {
            code: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
            fix: { commands: ['eksctl create ...'] },
          },
          otherFindings: [{ code: 'AWS_AUTH_KEY_CASE' }],
        },
      ],
    });
    expect((output as any).summary).toMatch(
      /None of your identities can reach payments-staging: aws-auth names the role with its path/,
    );
  });

  it('rejects bad input with a clear error, before any work', async () => {
    const { actionsRegistry, access } = setup();
    await expect(
      actionsRegistry.invoke({
        id: 'test:check-cluster-access',
        input: { cluster: '' },
        credentials: mockCredentials.user(DANA),
      }),
    ).rejects.toThrow(/cluster/);
    await expect(
      actionsRegistry.invoke({
        id: 'test:list-my-cluster-access',
        input: { accountId: '12' },
        credentials: mockCredentials.user(DANA),
      }),
    ).rejects.toThrow(/12-digit/);
    expect(access.checkForUser).not.toHaveBeenCalled();
    expect(access.summaries).not.toHaveBeenCalled();
  });

  it('is refused without the read permission, and for non-user callers', async () => {
    const denied = setup({ allow: false });
    await expect(
      denied.actionsRegistry.invoke({
        id: 'test:check-cluster-access',
        input: { cluster: 'payments-staging' },
        credentials: mockCredentials.user(DANA),
      }),
    ).rejects.toThrow(/Not allowed: eks-access.access.read/);
    expect(denied.access.checkForUser).not.toHaveBeenCalled();

    const { actionsRegistry } = setup();
    await expect(
      actionsRegistry.invoke({
        id: 'test:check-cluster-access',
        input: { cluster: 'payments-staging' },
        credentials: mockCredentials.service(),
      }),
    ).rejects.toThrow(/signed-in Backstage user/);
  });

  it('list-my-cluster-access filters the whole fleet, then pages', async () => {
    const { actionsRegistry } = setup();
    const { output } = await actionsRegistry.invoke({
      id: 'test:list-my-cluster-access',
      input: { status: ['denied'], limit: 1 },
      credentials: mockCredentials.user(DANA),
    });
    expect(output).toEqual({
      items: [expect.objectContaining({ name: 'b', status: 'denied' })],
      totalCount: 2,
      nextOffset: 1,
    });
    const byAccount = await actionsRegistry.invoke({
      id: 'test:list-my-cluster-access',
      input: { accountId: '444455556666' },
      credentials: mockCredentials.user(DANA),
    });
    expect(byAccount.output).toEqual({
      items: [expect.objectContaining({ name: 'c' })],
      totalCount: 1,
    });
  });

  it('explain-finding explains known codes and lists them for unknown ones', async () => {
    const { actionsRegistry } = setup();
    const { output } = await actionsRegistry.invoke({
      id: 'test:explain-finding',
      input: { code: 'aws_auth_role_arn_has_path' },
      credentials: mockCredentials.user(DANA),
    });
    expect(output).toMatchObject({
      code: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
      meaning: expect.stringContaining('path'),
    });
    await expect(
      actionsRegistry.invoke({
        id: 'test:explain-finding',
        input: { code: 'NOPE' },
        credentials: mockCredentials.user(DANA),
      }),
    ).rejects.toThrow(/Unknown finding code "NOPE"; known codes: .*NOT_MAPPED/);
  });
});
