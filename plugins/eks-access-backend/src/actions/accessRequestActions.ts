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

import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  ACCESS_REQUEST_STATES,
  createAccessRequestSchema,
  MAX_COMMENT_LENGTH,
  type AccessRequest,
} from '@eks-access/plugin-eks-access-common';
import { parseRequestInput, type AccessRequestService } from '../requests';
import type { EksAccessService } from '../service/EksAccessService';
import { actionActor } from './actionCaller';

/** An access request as an assistant needs it: what, for whom, where it stands. */
function compactRequest(request: AccessRequest) {
  return {
    id: request.id,
    cluster: request.cluster.entityRef,
    clusterName: request.cluster.name,
    requester: request.requester,
    principalArn: request.principalArn,
    level: request.levelTitle ?? request.level,
    scope:
      request.scope.type === 'namespace'
        ? `namespaces ${request.scope.namespaces.join(', ')}`
        : 'cluster',
    durationSeconds: request.durationSeconds,
    reason: request.reason,
    state: request.state,
    approvals: `${request.approvals.length} of ${request.approvalsRequired}`,
    createdAt: request.createdAt,
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    ...(request.error ? { error: request.error } : {}),
    allowedActions: request.allowedActions ?? [],
  };
}

const requestOutput = (z: typeof import('zod/v3').z) =>
  z
    .object({
      id: z.string(),
      cluster: z.string(),
      state: z.enum(ACCESS_REQUEST_STATES),
      allowedActions: z.array(z.string()),
    })
    .passthrough();

/** Cursor paging, as `GET /requests` pages. */
const pageInput = (z: typeof import('zod/v3').z) => ({
  limit: z.number().int().min(1).max(100).optional(),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .describe('nextCursor of the previous page'),
});

/** A page of requests as the list actions answer it. */
function pageOf(
  page: { items: AccessRequest[]; nextCursor?: string },
  keep: (request: AccessRequest) => boolean = () => true,
) {
  return {
    items: page.items.filter(keep).map(compactRequest),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

const pageOutput = (z: typeof import('zod/v3').z) =>
  z.object({
    items: z.array(requestOutput(z)),
    nextCursor: z.string().optional(),
  });

/**
 * The request-flow actions. Each one goes through AccessRequestService, the
 * same code as the HTTP routes: the same validation, caps, permission checks,
 * self-approval refusal, audit events and notifications.
 */
export function registerAccessRequestActions(options: {
  actionsRegistry: ActionsRegistryService;
  requests: AccessRequestService;
  access: EksAccessService;
}) {
  const { actionsRegistry, requests, access } = options;

  actionsRegistry.register({
    name: 'request-cluster-access',
    title: 'Request access to an EKS cluster',
    description: `Asks for time-bound access to an Amazon EKS cluster for one of the calling user's IAM identities. The request must be approved by the cluster's owners or an EKS access admin; after approval the portal creates the access (an access entry, or an aws-auth mapping), verifies it, and removes it when it expires.
Before calling: use check-cluster-access to get the cluster's entity ref and the user's identities (principalArn), and confirm the level, scope, duration and reason with the user. Levels are configured per cluster (typically view, edit, admin).
Returns the created request, who must approve it, and how to follow it (list-my-access-requests).`,
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .min(1)
            .max(1024)
            .describe(
              'The cluster: catalog entity ref, EKS cluster name, or cluster ARN',
            ),
          principalArn: z
            .string()
            .min(1)
            .max(2048)
            .describe(
              "The IAM role or user ARN to grant: one of the user's identities as check-cluster-access lists them (principalArn)",
            ),
          level: z
            .string()
            .min(1)
            .max(100)
            .describe('The access level, e.g. view'),
          namespaces: z
            .array(z.string())
            .max(50)
            .optional()
            .describe(
              'Grant only in these namespaces; omit for the whole cluster',
            ),
          durationSeconds: z
            .number()
            .int()
            .min(60)
            .describe('How long the access lasts once granted, in seconds'),
          reason: z.string().max(10_000).describe('Why the access is needed'),
          ticketUrl: z.string().max(2048).optional(),
        }),
      output: z =>
        z.object({
          request: requestOutput(z),
          approvers: z.string(),
          next: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const actor = actionActor(credentials);
      const target = await access.findClusterEntity(
        input.cluster,
        actor.credentials,
      );
      // Exactly the body the HTTP route takes, validated by the same schema.
      const body = parseRequestInput(
        createAccessRequestSchema,
        {
          entityRef: target.entityRef,
          principalArn: input.principalArn,
          level: input.level,
          scope: input.namespaces?.length
            ? { type: 'namespace', namespaces: input.namespaces }
            : { type: 'cluster' },
          durationSeconds: input.durationSeconds,
          reason: input.reason,
          ...(input.ticketUrl !== undefined
            ? { ticketUrl: input.ticketUrl }
            : {}),
        },
        'request',
      );
      const created = await requests.create(body, actor);
      const owner = target.entity.spec?.owner;
      return {
        output: {
          request: compactRequest(created),
          approvers: `${
            created.approvalsRequired
          } approval(s) from the owners of ${target.entityRef}${
            owner ? ` (${owner})` : ''
          } or an EKS access admin; never the requester`,
          next: `Follow it with list-my-access-requests (id ${created.id}) or on the Access requests page; once it is active, check-cluster-access with refresh shows the new access.`,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-my-access-requests',
    title: 'List my EKS access requests',
    description: `Lists the calling user's own EKS access requests, newest first, with their state (pending, approved, active, expired, revoked, rejected, cancelled, failed), approvals and expiry. Filter by state or cluster entity ref.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          states: z.array(z.enum(ACCESS_REQUEST_STATES)).optional(),
          cluster: z
            .string()
            .max(255)
            .optional()
            .describe('A cluster entity ref'),
          ...pageInput(z),
        }),
      output: pageOutput,
    },
    action: async ({ input, credentials }) => {
      const actor = actionActor(credentials);
      const page = await requests.list(
        {
          mine: true,
          states: input.states,
          entityRef: input.cluster,
          limit: input.limit ?? 25,
          cursor: input.cursor,
        },
        actor,
      );
      return { output: pageOf(page) };
    },
  });

  actionsRegistry.register({
    name: 'cancel-access-request',
    title: 'Cancel my pending EKS access request',
    description: `Cancels one of the calling user's own access requests while it is still pending. Only the requester can cancel. To end access that is already active, the grant must be revoked in the portal.`,
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).max(100),
          comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
        }),
      output: z => z.object({ request: requestOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      const actor = actionActor(credentials);
      const request = await requests.cancel(input.id, input.comment, actor);
      return { output: { request: compactRequest(request) } };
    },
  });

  actionsRegistry.register({
    name: 'list-pending-approvals',
    title: 'List EKS access requests waiting for my approval',
    description: `For approvers (cluster owners and EKS access admins): the pending access requests the calling user may approve or reject, with who asks, for which identity, level, scope, duration and reason. The user's own requests are never listed: nobody approves their own request.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .max(255)
            .optional()
            .describe('A cluster entity ref'),
          ...pageInput(z),
        }),
      output: pageOutput,
    },
    action: async ({ input, credentials }) => {
      const actor = actionActor(credentials);
      const page = await requests.list(
        {
          states: ['pending'],
          entityRef: input.cluster,
          limit: input.limit ?? 25,
          cursor: input.cursor,
        },
        actor,
      );
      // Requests the caller may see but not decide (their own) are left
      // out; nextCursor continues the underlying list.
      return {
        output: pageOf(
          page,
          r =>
            !!r.allowedActions?.includes('approve') ||
            !!r.allowedActions?.includes('reject'),
        ),
      };
    },
  });

  actionsRegistry.register({
    name: 'decide-access-request',
    title: 'Approve or reject an EKS access request',
    description: `For approvers: approves or rejects a pending EKS access request. Approval lets the portal grant the requested access to the requester's IAM identity on a real cluster, so only call it after the user explicitly confirmed the decision for this request id. The same checks as the portal apply: only the cluster's owners and EKS access admins may decide, and never on their own request.`,
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).max(100),
          decision: z.enum(['approve', 'reject']),
          comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
        }),
      output: z => z.object({ request: requestOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      const actor = actionActor(credentials);
      const request =
        input.decision === 'approve'
          ? await requests.approve(input.id, input.comment, actor)
          : await requests.reject(input.id, input.comment, actor);
      return { output: { request: compactRequest(request) } };
    },
  });
}
