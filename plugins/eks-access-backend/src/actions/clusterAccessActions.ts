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

import type {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  eksAccessReadPermission,
  explainFindingCode,
  FINDING_CODES,
  isFindingCode,
  type ClusterAccessSummary,
} from '@eks-access/plugin-eks-access-common';
import type { EksAccessService } from '../service/EksAccessService';
import { requirePermission } from '../service/requirePermission';
import { actionUser } from './actionCaller';
import { compactReport } from './compactReport';

const STATUSES = [
  'allowed',
  'forbidden',
  'denied',
  'unknown',
  'no-identities',
  'error',
] as const;

/**
 * The read-only actions: "can I reach this cluster?", "which clusters can I
 * reach?" and "what does this finding mean?". They call the same service
 * methods and permission checks as `GET /access` and `GET /clusters`.
 */
export function registerClusterAccessActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: EksAccessService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
}) {
  const { actionsRegistry, access, permissions, userInfo } = options;

  actionsRegistry.register({
    name: 'check-cluster-access',
    title: 'Check my access to an EKS cluster',
    description: `Answers "can I reach this Amazon EKS cluster with kubectl, and if not, why and how do I get in?" for the calling user.
Use it when the user asks why kubectl says "You must be logged in to the server (Unauthorized)" or "Forbidden", or whether they can reach a cluster.
The cluster can be named by catalog entity ref (resource:default/payments-staging), by EKS cluster name, or by cluster ARN.
Returns, for each of the user's IAM identities: the decision EKS would make (allowed / denied / unknown), the Kubernetes username, groups and access policies, the root cause with its finding code and the one fix plan verified by simulation (its steps, rendered for the AWS CLI, eksctl, kubectl and Terraform) or the decision an admin must make, what the identity can do once in, and the kubeconfig command to use. Cluster-wide findings (e.g. aws-auth that does not parse) are listed once.
Use explain-finding for more about a finding code, and request-cluster-access to ask for access.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
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
          refresh: z
            .boolean()
            .optional()
            .describe(
              'Re-read the cluster from AWS instead of the shared snapshot (a few minutes old at most); use after a change was just made',
            ),
        }),
      output: z =>
        z.object({
          summary: z.string(),
          cluster: z
            .object({
              entityRef: z.string(),
              name: z.string(),
              arn: z.string(),
              accountId: z.string(),
              region: z.string(),
            })
            .passthrough(),
          identities: z.array(
            z
              .object({
                identity: z.string(),
                callerArn: z.string(),
                decision: z.enum(['allowed', 'denied', 'unknown']),
              })
              .passthrough(),
          ),
          clusterFindings: z.array(
            z.object({
              code: z.string(),
              severity: z.string(),
              message: z.string(),
            }),
          ),
          notes: z.array(z.object({ code: z.string(), message: z.string() })),
          checkedAt: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = actionUser(credentials);
      await requirePermission(permissions, user, eksAccessReadPermission);
      const target = await access.findClusterEntity(input.cluster, user);
      const report = await access.checkForUser({
        entityRef: target.entityRef,
        credentials: user,
        refresh: input.refresh,
      });
      return { output: compactReport(report) };
    },
  });

  actionsRegistry.register({
    name: 'list-my-cluster-access',
    title: 'List my access to every EKS cluster',
    description: `Lists every Amazon EKS cluster in the catalog with the calling user's access status: allowed, forbidden (authenticates but no permissions), denied, unknown (data unavailable), no-identities, or error.
Use it for "which clusters can I reach?" or to find a cluster by account or region. Filter by status, AWS account id or region; results are paged (offset/limit, nextOffset when there is more).
Follow up with check-cluster-access on one cluster for the root cause and fix.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          status: z
            .array(z.enum(STATUSES))
            .optional()
            .describe('Only clusters with one of these statuses'),
          accountId: z
            .string()
            .regex(/^\d{12}$/, 'a 12-digit AWS account id')
            .optional(),
          region: z
            .string()
            .regex(
              /^[a-z]{2}(-[a-z]+)+-\d+$/,
              'an AWS region such as us-east-1',
            )
            .optional(),
          offset: z.number().int().min(0).optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
      output: z =>
        z.object({
          items: z.array(
            z
              .object({
                entityRef: z.string(),
                name: z.string(),
                accountId: z.string(),
                region: z.string(),
                status: z.enum(STATUSES),
              })
              .passthrough(),
          ),
          totalCount: z.number(),
          nextOffset: z.number().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = actionUser(credentials);
      await requirePermission(permissions, user, eksAccessReadPermission);
      const { userEntityRef } = await userInfo.getUserInfo(user);
      // The status is only known after evaluation, so the filter runs over
      // the whole fleet; the snapshots are shared, so this costs what one
      // visit of the "My EKS access" page costs.
      const rows: ClusterAccessSummary[] = [];
      for (let offset: number | undefined = 0; offset !== undefined; ) {
        const page = await access.summaries({
          credentials: user,
          userEntityRef,
          offset,
          limit: 100,
        });
        rows.push(...page.items);
        offset = page.nextOffset;
      }
      const matching = rows.filter(
        row =>
          (!input.status || input.status.includes(row.status)) &&
          (!input.accountId || row.accountId === input.accountId) &&
          (!input.region || row.region === input.region),
      );
      const offset = input.offset ?? 0;
      const limit = input.limit ?? 25;
      const items = matching.slice(offset, offset + limit);
      const next = offset + items.length;
      return {
        output: {
          items: items.map(item => ({ ...item })),
          totalCount: matching.length,
          ...(next < matching.length ? { nextOffset: next } : {}),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'explain-finding',
    title: 'Explain an EKS access finding code',
    description: `Explains a finding code that check-cluster-access returned (for example NOT_MAPPED, AWS_AUTH_ROLE_ARN_HAS_PATH, ACCESS_ENTRY_NO_PERMISSIONS): what EKS does, why it leads to Unauthorized or Forbidden, and how this kind of problem is fixed, with the AWS documentation page.
The exact fix for one cluster and identity comes from check-cluster-access.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          code: z
            .string()
            .min(1)
            .max(64)
            .describe('The finding code, e.g. AWS_AUTH_ROLE_ARN_HAS_PATH'),
        }),
      output: z =>
        z.object({
          code: z.string(),
          title: z.string(),
          meaning: z.string(),
          fix: z.string(),
          reference: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = actionUser(credentials);
      await requirePermission(permissions, user, eksAccessReadPermission);
      const code = input.code.trim().toUpperCase();
      if (!isFindingCode(code)) {
        throw new InputError(
          `Unknown finding code "${
            input.code
          }"; known codes: ${FINDING_CODES.join(', ')}`,
        );
      }
      return { output: { ...explainFindingCode(code) } };
    },
  });
}
