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
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  type AccessRequest,
  type AccessRequestSignal,
  EKS_ACCESS_REQUESTS_SIGNAL_CHANNEL,
} from '@eks-access/plugin-eks-access-common';

/** What happened to a request, for notifications. @public */
export type AccessRequestNotice =
  | 'created'
  | 'cancelled'
  | 'approved'
  | 'rejected'
  | 'active'
  | 'failed'
  | 'expiring-soon'
  | 'expired'
  | 'revoked';

/** The catalog page of an entity, relative to the app. @public */
export function entityPageLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}

function describe(request: AccessRequest): string {
  const scope =
    request.scope.type === 'cluster'
      ? 'the whole cluster'
      : `namespaces ${request.scope.namespaces.join(', ')}`;
  return `${request.level} on ${request.cluster.name} (${scope}) for ${request.principalArn}`;
}

/**
 * Tells people about request changes: notifications to approvers (new
 * request) and to the requester (everything after), and a signal on
 * `eks-access:requests` so open cards and pages refresh. Failures to notify
 * are logged, never thrown: the state change already happened.
 * @public
 */
export class AccessRequestNotifier {
  readonly #notifications?: NotificationService;
  readonly #signals?: SignalsService;
  readonly #logger: LoggerService;
  readonly #adminGroups: string[];

  constructor(options: {
    notifications?: NotificationService;
    signals?: SignalsService;
    logger: LoggerService;
    adminGroups: string[];
  }) {
    this.#notifications = options.notifications;
    this.#signals = options.signals;
    this.#logger = options.logger;
    this.#adminGroups = options.adminGroups;
  }

  async notify(
    notice: AccessRequestNotice,
    request: AccessRequest,
    options: { actor?: string; comment?: string; approverRefs?: string[] } = {},
  ): Promise<void> {
    await Promise.all([
      this.#send(notice, request, options),
      this.#signal(request, options.approverRefs ?? []),
    ]);
  }

  async #send(
    notice: AccessRequestNotice,
    request: AccessRequest,
    options: { actor?: string; comment?: string; approverRefs?: string[] },
  ): Promise<void> {
    if (!this.#notifications || notice === 'cancelled') {
      return;
    }
    const link = entityPageLink(request.cluster.entityRef);
    const what = describe(request);
    const comment = options.comment ? ` Comment: ${options.comment}` : '';
    const payloads: Record<
      Exclude<AccessRequestNotice, 'cancelled'>,
      {
        title: string;
        description: string;
        severity: 'high' | 'normal' | 'low';
      }
    > = {
      created: {
        title: `Access request to approve: ${request.cluster.name}`,
        description: `${request.requester} asks for ${what}. Reason: ${request.reason}`,
        severity: 'high',
      },
      approved: {
        title: `Access request approved: ${request.cluster.name}`,
        description: `Your request for ${what} was approved and is being applied.${comment}`,
        severity: 'normal',
      },
      rejected: {
        title: `Access request rejected: ${request.cluster.name}`,
        description: `Your request for ${what} was rejected.${comment}`,
        severity: 'normal',
      },
      active: {
        title: `Access granted: ${request.cluster.name}`,
        description: `You now have ${what} until ${request.expiresAt}.`,
        severity: 'normal',
      },
      failed: {
        title: `Access grant failed: ${request.cluster.name}`,
        description: `Applying ${what} failed: ${
          request.error ?? 'unknown error'
        }`,
        severity: 'high',
      },
      'expiring-soon': {
        title: `Access expires soon: ${request.cluster.name}`,
        description: `Your ${what} expires at ${request.expiresAt}.`,
        severity: 'normal',
      },
      expired: {
        title: `Access expired: ${request.cluster.name}`,
        description: `Your ${what} has expired and was removed.`,
        severity: 'low',
      },
      revoked: {
        title: `Access revoked: ${request.cluster.name}`,
        description: `Your ${what} was revoked.${comment}`,
        severity: 'normal',
      },
    };
    const recipients =
      notice === 'created'
        ? [...new Set([...(options.approverRefs ?? []), ...this.#adminGroups])]
        : [request.requester];
    if (recipients.length === 0) {
      return;
    }
    try {
      await this.#notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          excludeEntityRef: options.actor,
        },
        payload: {
          ...payloads[notice],
          link,
          topic: 'eks-access-request',
          // Approvers get one notification per cluster and requester that
          // is updated by each new request, so a flood of requests does not
          // become a flood of notifications.
          scope:
            notice === 'created'
              ? `eks-access-request:approve:${request.cluster.entityRef}:${request.requester}`
              : `eks-access-request:${request.id}:status`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not send the ${notice} notification of access request ${request.id}: ${error}`,
      );
    }
  }

  async #signal(request: AccessRequest, approverRefs: string[]): Promise<void> {
    if (!this.#signals) {
      return;
    }
    const message: AccessRequestSignal = {
      requestId: request.id,
      entityRef: request.cluster.entityRef,
      state: request.state,
    };
    try {
      await this.#signals.publish<AccessRequestSignal & { [k: string]: any }>({
        recipients: {
          type: 'user',
          entityRef: [
            ...new Set([
              request.requester,
              ...approverRefs,
              ...this.#adminGroups,
            ]),
          ],
        },
        channel: EKS_ACCESS_REQUESTS_SIGNAL_CHANNEL,
        message: { ...message },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not publish the signal for access request ${request.id}: ${error}`,
      );
    }
  }
}
