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

import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { MigrationProposal } from '@eks-access/plugin-eks-access-common';

/** What happened to a migration proposal. */
export type MigrationProposalNotice =
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'done'
  | 'blocked'
  | 'failed';

const STAGE_TEXT: Record<MigrationProposal['stage'], string> = {
  entries: 'create the access entries (mode API_AND_CONFIG_MAP)',
  final: 'switch to API (cannot be undone)',
  rollback: 'roll back the migration',
};

/**
 * Tells people about migration proposals, like the request flow does:
 * the admin groups are asked to approve a new proposal; the proposer (and
 * the approver) hear about the decision and the stage's result. Failures to
 * notify are logged, never thrown: the state change already happened.
 */
export class MigrationProposalNotifier {
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;
  readonly #adminGroups: string[];

  constructor(options: {
    notifications?: NotificationService;
    logger: LoggerService;
    adminGroups: string[];
  }) {
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#adminGroups = options.adminGroups;
  }

  async notify(
    notice: MigrationProposalNotice,
    proposal: MigrationProposal,
    actor?: string,
  ): Promise<void> {
    if (!this.#notifications) return;
    const what = `${STAGE_TEXT[proposal.stage]} on ${proposal.cluster.name}`;
    const titles: Record<MigrationProposalNotice, string> = {
      proposed: `Migration stage to approve: ${proposal.cluster.name}`,
      approved: `Migration stage approved: ${proposal.cluster.name}`,
      rejected: `Migration stage rejected: ${proposal.cluster.name}`,
      done: `Migration stage verified: ${proposal.cluster.name}`,
      blocked: `Migration stage blocked: ${proposal.cluster.name}`,
      failed: `Migration stage failed: ${proposal.cluster.name}`,
    };
    const descriptions: Record<MigrationProposalNotice, string> = {
      proposed: `${proposal.proposer} proposes to ${what}. ${proposal.summary}.`,
      approved: `${actor} approved: ${what}. It runs now.`,
      rejected: `${actor} rejected: ${what}.`,
      done: `${what}: ${proposal.result?.message ?? 'done'}`,
      blocked: `${what}: ${proposal.result?.message ?? 'blocked'}`,
      failed: `${what}: ${proposal.error ?? 'failed'}`,
    };
    const recipients =
      notice === 'proposed'
        ? this.#adminGroups
        : [
            proposal.proposer,
            ...(proposal.approver ? [proposal.approver] : []),
          ];
    if (!recipients.length) return;
    try {
      await this.#notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [...new Set(recipients)],
          ...(actor ? { excludeEntityRef: actor } : {}),
        },
        payload: {
          title: titles[notice],
          description: descriptions[notice],
          link: '/eks-access/overview',
          severity:
            notice === 'proposed' || notice === 'failed' || notice === 'blocked'
              ? 'high'
              : 'normal',
          topic: 'eks-access-migration',
          scope: `eks-access-migration:${proposal.id}`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not send the ${notice} notification of migration proposal ${proposal.id}: ${error}`,
      );
    }
  }
}
