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

import type { AccessRequestEvent } from '@eks-access/plugin-eks-access-common';

/**
 * Event detail keys that only describe this request's own change (our
 * mapping or our groups, our principal's entry and association, the
 * verification verdict for our principal). Everything else, in particular
 * the full aws-auth `before`/`after`, which names every other principal and
 * who holds `system:masters`, is for admins only. An allow-list, so a detail
 * added later stays hidden until someone decides it is safe to show.
 */
const OWN_CHANGE_KEYS = new Set([
  'action',
  'attempt',
  'resourceVersion',
  'message',
  'change',
  'principalArn',
  'policyArn',
  'accessScope',
  'previousScope',
  'type',
  'result',
  'reason',
  'error',
  'refused',
  'verdict',
  'approvals',
  'approvalsRequired',
  // where the requester's own identity came from (the `created` event)
  'identityProvenance',
]);

/**
 * The events as a user may see them: admins (`eks-access.request.admin`) get
 * everything; requesters and approvers who are not admins get each event's
 * details reduced to what this grant changed.
 * @public
 */
export function eventsForViewer(
  events: AccessRequestEvent[],
  viewer: { admin: boolean },
): AccessRequestEvent[] {
  if (viewer.admin) {
    return events;
  }
  return events.map(event =>
    event.details
      ? {
          ...event,
          details: Object.fromEntries(
            Object.entries(event.details).filter(([key]) =>
              OWN_CHANGE_KEYS.has(key),
            ),
          ),
        }
      : event,
  );
}
