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
import type {
  PrincipalDirectory,
  PrincipalFacts,
} from '../aws/IamPrincipalDirectory';
import type { IamPrincipalRef } from '@eks-access/plugin-eks-access-common';
import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';
import { SharedReadCache } from './SharedReadCache';

/** One principal's IAM lookup. */
export type PrincipalLookup =
  | { state: 'found'; facts: PrincipalFacts }
  | { state: 'absent' }
  | { state: 'error' };

/**
 * IAM facts about principals (full ARN with path, creation date), shared by
 * every user like cluster snapshots. A failed lookup is not fatal: the check
 * goes on without the facts, and the lookup is retried after the error TTL.
 */
export class PrincipalFactsCache {
  readonly #directory: PrincipalDirectory;
  readonly #limiter: KeyedConcurrencyLimiter;
  readonly #cache: SharedReadCache<PrincipalLookup>;
  readonly #logger?: LoggerService;

  constructor(options: {
    directory: PrincipalDirectory;
    limiter: KeyedConcurrencyLimiter;
    ttlMs: number;
    errorTtlMs: number;
    logger?: LoggerService;
    now?: () => number;
  }) {
    this.#directory = options.directory;
    this.#limiter = options.limiter;
    this.#logger = options.logger;
    this.#cache = new SharedReadCache<PrincipalLookup>({
      ttlFor: lookup =>
        lookup.state === 'error' ? options.errorTtlMs : options.ttlMs,
      now: options.now,
    });
  }

  /** The principal's facts; `undefined` when unknown or absent. */
  async get(principal: IamPrincipalRef): Promise<PrincipalFacts | undefined> {
    const lookup = await this.find(principal);
    return lookup.state === 'found' ? lookup.facts : undefined;
  }

  /**
   * The lookup itself: `absent` only when IAM said so, `error` when it could
   * not be asked (the admin overview reports a stale principal only on
   * IAM's word).
   */
  async find(principal: IamPrincipalRef): Promise<PrincipalLookup> {
    const key = `${principal.partition}:${principal.accountId}:${principal.type}/${principal.name}`;
    return this.#cache.get(key, async () => {
      try {
        const facts = await this.#limiter.run(principal.accountId, () =>
          this.#directory.lookupPrincipal(principal),
        );
        return facts
          ? ({ state: 'found', facts } as const)
          : ({ state: 'absent' } as const);
      } catch (error) {
        this.#logger?.warn(
          `Could not look up IAM ${principal.type} ${
            principal.name
          } in account ${principal.accountId}: ${(error as Error).name}`,
        );
        return { state: 'error' } as const;
      }
    });
  }
}
