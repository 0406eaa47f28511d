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

import { SharedReadCache } from '../snapshots/SharedReadCache';
import type { LogsClientFor } from '../aws/ClusterClients';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import {
  authenticatorLogPages,
  parseAuthenticatorLine,
  unlessLoggingOff,
} from '../aws/AuthenticatorLogReader';
import type {
  ClusterCreatorSource,
  CreatorLookup,
} from './ClusterCreatorResolver';

/**
 * The cluster creator as the AWS troubleshooting article finds it: the
 * earliest authenticator line that maps someone to `kubernetes-admin` in
 * `system:masters` (EKS's implicit mapping of the creator in CONFIG_MAP
 * modes). FilterLogEvents returns the oldest lines first, so the first match
 * is the earliest: at most `maxPages` calls of one line each per cluster, and
 * a found creator is kept for the life of the process (it never changes);
 * "not found" and failures are kept for `retryAfterMs`.
 */
export class AuthenticatorLogCreatorSource implements ClusterCreatorSource {
  readonly #clientFor: LogsClientFor;
  readonly #logger?: LoggerService;
  readonly #maxPages: number;
  /** A creator found is kept; none found is asked again after `retryAfterMs`. */
  readonly #cache: SharedReadCache<string | undefined>;

  constructor(options: {
    clientFor: LogsClientFor;
    logger?: LoggerService;
    maxPages?: number;
    retryAfterMs?: number;
    now?: () => number;
  }) {
    this.#clientFor = options.clientFor;
    this.#logger = options.logger;
    this.#maxPages = options.maxPages ?? 3;
    const retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
    this.#cache = new SharedReadCache({
      ttlFor: found => (found ? Infinity : retryAfterMs),
      now: options.now,
    });
  }

  async creatorOf(cluster: EksClusterRef): Promise<CreatorLookup> {
    const arn = await this.#creatorArnOf(cluster);
    return arn ? { arn } : {};
  }

  #creatorArnOf(cluster: EksClusterRef): Promise<string | undefined> {
    return this.#cache.get(cluster.arn, () =>
      this.#read(cluster).catch(error => {
        this.#logger?.warn(
          `Could not read the authenticator log of ${cluster.arn} for its creator: ${error}`,
        );
        return undefined;
      }),
    );
  }

  #read(cluster: EksClusterRef): Promise<string | undefined> {
    return unlessLoggingOff(async () => {
      let pages = 0;
      for await (const page of authenticatorLogPages(
        this.#clientFor(cluster),
        cluster.name,
        {
          filterPattern:
            '"access granted" "username=kubernetes-admin" "system:masters"',
          limit: () => 1,
        },
      )) {
        for (const { message } of page.lines) {
          const line = parseAuthenticatorLine(message);
          if (
            line?.outcome === 'granted' &&
            line.username === 'kubernetes-admin' &&
            line.groups?.includes('system:masters') &&
            line.arn
          ) {
            return line.arn;
          }
        }
        if (++pages >= this.#maxPages) break;
      }
      return undefined;
    });
  }
}
