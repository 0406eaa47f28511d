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

import { mockServices } from '@backstage/backend-test-utils';
import type { MigrationProposal } from '@eks-access/plugin-eks-access-common';
import { MigrationProposalNotifier } from './MigrationProposalNotifier';

const proposal: MigrationProposal = {
  id: 'p1',
  migrationId: 'm1',
  cluster: {
    entityRef: 'resource:default/payments-staging',
    arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments-staging',
    name: 'payments-staging',
    accountId: '111122223333',
    region: 'eu-west-1',
  },
  stage: 'final',
  state: 'pending',
  proposer: 'user:default/alex',
  accepted: [],
  summary: 'Equivalent for all 9 principals',
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
};

describe('MigrationProposalNotifier', () => {
  it('asks the admin groups to approve, and tells the proposer and approver the outcome', async () => {
    const send = jest.fn(async () => {});
    const notifier = new MigrationProposalNotifier({
      notifications: { send } as any,
      logger: mockServices.logger.mock(),
      adminGroups: ['group:default/platform-team'],
    });
    await notifier.notify('proposed', proposal, 'user:default/alex');
    await notifier.notify('done', {
      ...proposal,
      state: 'done',
      approver: 'user:default/priya',
      result: {
        status: 'done',
        mode: 'API',
        changed: [],
        kept: [],
        differingPrincipals: [],
        message:
          'Verified with a fresh snapshot: unchanged for all 9 principals.',
      },
    });
    expect(send.mock.calls.map((c: any[]) => c[0])).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: ['group:default/platform-team'],
          excludeEntityRef: 'user:default/alex',
        },
        payload: expect.objectContaining({
          title: 'Migration stage to approve: payments-staging',
          description: expect.stringContaining('cannot be undone'),
          severity: 'high',
          topic: 'eks-access-migration',
        }),
      },
      {
        recipients: {
          type: 'entity',
          entityRef: ['user:default/alex', 'user:default/priya'],
        },
        payload: expect.objectContaining({
          title: 'Migration stage verified: payments-staging',
          description: expect.stringContaining('unchanged for all 9'),
        }),
      },
    ]);
  });

  it('logs, never throws, when notifications fail', async () => {
    const logger = mockServices.logger.mock();
    const notifier = new MigrationProposalNotifier({
      notifications: {
        send: async () => {
          throw new Error('down');
        },
      } as any,
      logger,
      adminGroups: ['group:default/platform-team'],
    });
    await expect(
      notifier.notify('proposed', proposal),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalled();
  });
});
