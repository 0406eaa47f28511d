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

import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { NotAllowedError } from '@backstage/errors';
import type { AccessRequest } from '@eks-access/plugin-eks-access-common';
import type { AccessRequestService } from '../requests';
import type { EksAccessService } from '../service/EksAccessService';
import { registerAccessRequestActions } from './accessRequestActions';

const DANA = 'user:default/dana';
const ML = 'resource:default/ml-training';
const ROLE = 'arn:aws:iam::444455556666:role/DataEngineer';

function requestOf(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'r1',
    cluster: {
      entityRef: ML,
      arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
      name: 'ml-training',
      accountId: '444455556666',
      region: 'us-east-2',
    },
    requester: DANA,
    principalArn: ROLE,
    canonicalPrincipalArn: ROLE,
    level: 'view',
    scope: { type: 'cluster' },
    durationSeconds: 3600,
    reason: 'debug',
    state: 'pending',
    approvalsRequired: 1,
    approvals: [],
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    allowedActions: ['cancel'],
    ...overrides,
  };
}

function setup() {
  const requests = {
    create: jest.fn(async () => requestOf()),
    list: jest.fn(async () => ({
      items: [
        requestOf({ id: 'mine', allowedActions: ['cancel'] }),
        requestOf({
          id: 'theirs',
          requester: 'user:default/sam',
          allowedActions: ['approve', 'reject'],
        }),
      ],
      nextCursor: 'c2',
    })),
    cancel: jest.fn(async () => requestOf({ state: 'cancelled' })),
    approve: jest.fn(async () => {
      throw new NotAllowedError(
        'You cannot approve your own access request; another approver of ml-training must do it',
      );
    }),
    reject: jest.fn(async () => requestOf({ state: 'rejected' })),
  };
  const access = {
    findClusterEntity: jest.fn(async () => ({
      entityRef: ML,
      entity: { spec: { owner: 'group:default/team-data' } },
    })),
  };
  const actionsRegistry = actionsRegistryServiceMock();
  registerAccessRequestActions({
    actionsRegistry,
    requests: requests as unknown as AccessRequestService,
    access: access as unknown as EksAccessService,
  });
  return { actionsRegistry, requests };
}

const asDana = mockCredentials.user(DANA);

describe('access request actions', () => {
  it('marks reads read-only and decisions destructive', async () => {
    const { actionsRegistry } = setup();
    const { actions } = await actionsRegistry.list();
    const attributes = Object.fromEntries(
      actions.map(a => [a.name, a.attributes]),
    );
    expect(attributes).toEqual({
      'request-cluster-access': {
        readOnly: false,
        idempotent: false,
        destructive: false,
      },
      'list-my-access-requests': {
        readOnly: true,
        idempotent: true,
        destructive: false,
      },
      'cancel-access-request': {
        readOnly: false,
        idempotent: false,
        destructive: true,
      },
      'list-pending-approvals': {
        readOnly: true,
        idempotent: true,
        destructive: false,
      },
      'decide-access-request': {
        readOnly: false,
        idempotent: false,
        destructive: true,
      },
    });
  });

  it('creates a request with the body the HTTP route takes, and says who approves', async () => {
    const { actionsRegistry, requests } = setup();
    const { output } = await actionsRegistry.invoke({
      id: 'test:request-cluster-access',
      input: {
        cluster: 'ml-training',
        principalArn: ROLE,
        level: 'view',
        namespaces: ['ml'],
        durationSeconds: 3600,
        reason: 'debug',
      },
      credentials: asDana,
    });
    expect(requests.create).toHaveBeenCalledWith(
      {
        entityRef: ML,
        principalArn: ROLE,
        level: 'view',
        scope: { type: 'namespace', namespaces: ['ml'] },
        durationSeconds: 3600,
        reason: 'debug',
      },
      expect.objectContaining({ userEntityRef: DANA }),
    );
    expect(output).toMatchObject({
      request: { id: 'r1', state: 'pending', approvals: '0 of 1' },
      approvers: expect.stringContaining('(group:default/team-data)'),
    });
  });

  it('validates with the route schema before calling the service', async () => {
    const { actionsRegistry, requests } = setup();
    await expect(
      actionsRegistry.invoke({
        id: 'test:request-cluster-access',
        input: {
          cluster: 'ml-training',
          principalArn: ROLE,
          level: 'view',
          durationSeconds: 3600,
          reason: 'debug',
          ticketUrl: 'ftp://tickets.example.com/1',
        },
        credentials: asDana,
      }),
    ).rejects.toThrow(/Invalid request: ticketUrl: must be an http\(s\) URL/);
    await expect(
      actionsRegistry.invoke({
        id: 'test:request-cluster-access',
        input: { cluster: 'ml-training', level: 'view' },
        credentials: asDana,
      }),
    ).rejects.toThrow(/principalArn/);
    expect(requests.create).not.toHaveBeenCalled();
  });

  it('refuses callers that are not signed-in users', async () => {
    const { actionsRegistry, requests } = setup();
    await expect(
      actionsRegistry.invoke({
        id: 'test:list-my-access-requests',
        input: {},
        credentials: mockCredentials.service(),
      }),
    ).rejects.toThrow(/signed-in Backstage user/);
    expect(requests.list).not.toHaveBeenCalled();
  });

  it('lists only the requests the caller may decide as pending approvals', async () => {
    const { actionsRegistry, requests } = setup();
    const { output } = await actionsRegistry.invoke({
      id: 'test:list-pending-approvals',
      input: {},
      credentials: asDana,
    });
    expect(requests.list).toHaveBeenCalledWith(
      {
        states: ['pending'],
        entityRef: undefined,
        limit: 25,
        cursor: undefined,
      },
      expect.objectContaining({ userEntityRef: DANA }),
    );
    expect((output as any).items.map((r: any) => r.id)).toEqual(['theirs']);
    expect((output as any).nextCursor).toBe('c2');
  });

  it('passes the service refusal of a self-approval through', async () => {
    const { actionsRegistry, requests } = setup();
    await expect(
      actionsRegistry.invoke({
        id: 'test:decide-access-request',
        input: { id: 'r1', decision: 'approve' },
        credentials: asDana,
      }),
    ).rejects.toThrow(/cannot approve your own access request/);
    const rejected = await actionsRegistry.invoke({
      id: 'test:decide-access-request',
      input: { id: 'r1', decision: 'reject', comment: 'no' },
      credentials: asDana,
    });
    expect(requests.reject).toHaveBeenCalledWith(
      'r1',
      'no',
      expect.objectContaining({ userEntityRef: DANA }),
    );
    expect((rejected.output as any).request.state).toBe('rejected');
  });
});
