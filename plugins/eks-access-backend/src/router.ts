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
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  type ClusterAccessReport,
  type ClusterAccessSummaryEvent,
  eksAccessCheckIdentityPermission,
  eksAccessDiagnosticsReadPermission,
  eksAccessReadPermission,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { EksAccessService } from './service/EksAccessService';
import type { ClusterDiagnosticsService } from './service/ClusterDiagnosticsService';
import { pastedIdentity } from './identity/pastedIdentity';
import { parse } from './service/parseInput';
import { requirePermission } from './service/requirePermission';
import {
  abortedWhenClientLeaves,
  openServerSentEvents,
} from './serverSentEvents';

const entityRefSchema = z
  .string({ error: 'entityRef is required' })
  .trim()
  .min(1, 'entityRef is required')
  .max(1024, 'entityRef is too long');

const refreshSchema = z
  .enum(['true', 'false'], { error: 'refresh must be true or false' })
  .optional()
  .transform(value => value === 'true');

const accessQuerySchema = z.object({
  entityRef: entityRefSchema,
  refresh: refreshSchema,
});

const checkBodySchema = z.object({
  entityRef: entityRefSchema,
  identity: z
    .string({
      error:
        'identity is required: the output of `aws sts get-caller-identity` or the ARN it prints',
    })
    .trim()
    .min(1, 'identity is required')
    .max(8192, 'identity is too long'),
});

const clustersQuerySchema = z.object({
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be an integer')
    .min(0, 'offset must be 0 or more')
    .default(0),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be between 1 and 100')
    .max(100, 'limit must be between 1 and 100')
    .default(25),
});

/**
 * Cluster-wide aws-auth problems: they quote other principals' entries, so a
 * pasted check shows them to diagnostics readers only.
 */
const CLUSTER_WIDE_FINDINGS = new Set([
  'AWS_AUTH_PARSE_ERROR',
  'AWS_AUTH_ENTRY_INVALID',
  'AWS_AUTH_KEY_CASE',
  'AWS_AUTH_FIELD_TYPE',
  'AWS_AUTH_MERGED_GROUPS',
]);

const ARN_IN_TEXT = /arn:[a-z-]+:[a-z0-9-]+:[^\s"'`,;)]*/gi;

/**
 * The report of a pasted check as a user without diagnostics rights sees
 * it: only findings about the pasted identity. A finding is dropped when it
 * is a cluster-wide aws-auth problem, or when it names an ARN that is not
 * the pasted identity's, the cluster's or an AWS-managed access policy.
 */
function withOnlyFindingsAboutThePastedIdentity(
  report: ClusterAccessReport,
): ClusterAccessReport {
  return {
    ...report,
    identities: report.identities.map(entry => {
      const own = new Set(
        [
          entry.identity.callerArn,
          entry.identity.principalArn,
          entry.verdict.canonicalArn,
          report.cluster.arn,
        ]
          .filter((a): a is string => !!a)
          .map(a => a.toLowerCase()),
      );
      const aboutOthers = (text: string) =>
        (text.match(ARN_IN_TEXT) ?? []).some(arn => {
          const a = arn.replace(/[.:]+$/, '').toLowerCase();
          return (
            !own.has(a) &&
            !/^arn:[^:]+:eks::aws:cluster-access-policy\//.test(a)
          );
        });
      return {
        ...entry,
        verdict: {
          ...entry.verdict,
          findings: entry.verdict.findings.filter(
            f =>
              !CLUSTER_WIDE_FINDINGS.has(f.code) &&
              !aboutOthers(
                [
                  f.message,
                  f.fix?.summary ?? '',
                  ...(f.fix?.commands ?? []),
                ].join('\n'),
              ),
          ),
        },
      };
    }),
  };
}

/** The HTTP routes of "can I reach this cluster?". */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  access: EksAccessService;
  diagnostics: ClusterDiagnosticsService;
}): Promise<express.Router> {
  const { httpAuth, userInfo, permissions, auditor, access, diagnostics } =
    options;

  const authorize = (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => requirePermission(permissions, credentials, permission);

  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/access', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessReadPermission);
    const query = parse(accessQuerySchema, req.query);
    res.json(
      await access.checkForUser({
        entityRef: query.entityRef,
        credentials,
        refresh: query.refresh,
      }),
    );
  });

  router.post('/access/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessCheckIdentityPermission);
    const body = parse(checkBodySchema, req.body ?? {});
    const identity = pastedIdentity(body.identity);
    const target = await access.getClusterEntity(body.entityRef, credentials);
    const report = await access.report(target, [identity], []);
    // Anyone may paste any ARN; only those who may read the cluster's
    // diagnostics see findings about other principals' mappings.
    const [diagnosticsDecision] = await permissions.authorize(
      [{ permission: eksAccessDiagnosticsReadPermission }],
      { credentials },
    );
    res.json(
      diagnosticsDecision.result === AuthorizeResult.ALLOW
        ? report
        : withOnlyFindingsAboutThePastedIdentity(report),
    );
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessReadPermission);
    const query = parse(clustersQuerySchema, req.query);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    res.json(
      await access.summaries({
        credentials,
        userEntityRef,
        offset: query.offset,
        limit: query.limit,
      }),
    );
  });

  // "My EKS access" as server-sent events: a row as each cluster resolves
  // (ClusterAccessSummaryEvent), so that the page never waits for a whole
  // page of clusters or for one slow account.
  router.get('/clusters/stream', async (req, res) => {
    const clientLeft = abortedWhenClientLeaves(res);
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorize(credentials, eksAccessReadPermission);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    // a failure to read the catalog or the user's identities is an error
    // answer, before the stream starts
    const fleet = await access.fleetOf({ credentials, userEntityRef });
    if (clientLeft.aborted) return;
    const stream = openServerSentEvents(res, clientLeft);
    const send = (event: ClusterAccessSummaryEvent) => {
      const { type, ...data } = event;
      stream.send(type, data);
    };
    send({ type: 'total', totalCount: fleet.clusters.length });
    try {
      await access.checkFleet(fleet, {
        signal: stream.signal,
        onRow: (index, item) => send({ type: 'row', index, item }),
      });
      send({ type: 'done' });
    } finally {
      // without `done`, the client knows the stream broke off
      stream.end();
    }
  });

  router.get('/diagnostics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const auditorEvent = await auditor.createEvent({
      eventId: 'cluster-diagnostics-read',
      request: req,
    });
    try {
      await authorize(credentials, eksAccessDiagnosticsReadPermission);
      const query = parse(accessQuerySchema, req.query);
      const target = await access.getClusterEntity(
        query.entityRef,
        credentials,
      );
      const result = await diagnostics.diagnose(target, {
        refresh: query.refresh,
      });
      await auditorEvent.success({ meta: { entityRef: target.entityRef } });
      res.json(result);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
