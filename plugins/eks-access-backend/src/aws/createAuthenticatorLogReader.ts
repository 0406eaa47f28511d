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

import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ClusterClients } from './ClusterClients';
import { CloudWatchAuthenticatorLogReader } from './AuthenticatorLogReader';

/**
 * The authenticator log reader of the running plugin: a CloudWatch Logs
 * client per account and region with Backstage's own credentials for the
 * account, bounded by `eksAccess.attempts`.
 */
export function createAuthenticatorLogReader(
  config: Config,
  clients: Pick<ClusterClients, 'logs'>,
): CloudWatchAuthenticatorLogReader {
  const windowHours =
    config.getOptionalNumber('eksAccess.attempts.windowHours') ?? 24;
  const maxEvents =
    config.getOptionalNumber('eksAccess.attempts.maxEvents') ?? 500;
  if (!(windowHours > 0 && windowHours <= 168)) {
    throw new InputError('eksAccess.attempts.windowHours must be in (0, 168]');
  }
  if (!(Number.isInteger(maxEvents) && maxEvents >= 1 && maxEvents <= 10000)) {
    throw new InputError('eksAccess.attempts.maxEvents must be 1..10000');
  }
  return new CloudWatchAuthenticatorLogReader({
    windowHours,
    maxEvents,
    clientFor: target => clients.logs(target),
  });
}
