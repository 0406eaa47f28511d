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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ClusterDenialsReport,
  eksAccessDiagnosticsReadPermission,
} from '@eks-access/plugin-eks-access-common';
import express from 'express';
import Router from 'express-promise-router';
import type { AuthenticatorDenialReader } from '../aws/AuthenticatorLogReader';
import { loggingOnCommand } from '../aws/loggingOnCommand';
import { denialsReport } from './ClusterDenials';
import type { ClusterDiagnosticsService } from '../service/ClusterDiagnosticsService';
import type { EksAccessService } from '../service/EksAccessService';

/**
 * `GET /diagnostics/denials?entityRef=`: everyone's recent denials on one
 * cluster, for admins (`eks-access.diagnostics.read`): the lines name other
 * people's ARNs, which the developers' attempts route never returns.
 */
export function createDenialsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  access: Pick<EksAccessService, 'getClusterEntity'>;
  diagnostics: Pick<ClusterDiagnosticsService, 'explainDenials'>;
  reader: AuthenticatorDenialReader;
}): express.Router {
  const { httpAuth, permissions, access, diagnostics, reader } = options;
  const router = Router();
  router.get('/diagnostics/denials', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: eksAccessDiagnosticsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${eksAccessDiagnosticsReadPermission.name}`,
      );
    }
    const entityRef = req.query.entityRef;
    if (typeof entityRef !== 'string' || !entityRef || entityRef.length > 512) {
      throw new InputError('entityRef must be one catalog entity reference');
    }
    const target = await access.getClusterEntity(entityRef, credentials);
    const read = await reader.recentDenials(target.cluster);
    if (!read) {
      const off: ClusterDenialsReport = {
        logging: 'off',
        command: loggingOnCommand(target.cluster),
        read: 0,
        groups: [],
      };
      res.json(off);
      return;
    }
    res.json(
      await denialsReport(read.attempts, {
        windowHours: reader.windowHours,
        truncated: read.truncated,
        explain: groups => diagnostics.explainDenials(target, groups),
      }),
    );
  });
  return router;
}
