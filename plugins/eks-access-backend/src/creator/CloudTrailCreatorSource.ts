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
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EksClusterRef } from '@eks-access/plugin-eks-access-common';
import type { CloudTrailClientFor } from '../aws/ClusterClients';
import type {
  ClusterCreatorSource,
  CreatorLookup,
} from './ClusterCreatorResolver';

/** CloudTrail's event history keeps management events for 90 days. */
export const CLOUDTRAIL_HISTORY_DAYS = 90;
const HISTORY_MS = CLOUDTRAIL_HISTORY_DAYS * 24 * 3600_000;
/** Around the cluster's creation time: CreateCluster is logged when it is called. */
const AROUND_CREATION_MS = 3600_000;

/**
 * The IAM principal behind a CloudTrail `userIdentity`, as EKS admits the
 * creator: an assumed role's session issuer (the role), an IAM user, the
 * account root. Other identity types (AWS services) name no principal.
 */
export function creatorArnOf(userIdentity: unknown): string | undefined {
  if (!userIdentity || typeof userIdentity !== 'object') return undefined;
  const identity = userIdentity as {
    type?: string;
    arn?: string;
    accountId?: string;
    sessionContext?: { sessionIssuer?: { type?: string; arn?: string } };
  };
  switch (identity.type) {
    case 'AssumedRole': {
      const issuer = identity.sessionContext?.sessionIssuer;
      return issuer?.type === 'Role' ? issuer.arn : undefined;
    }
    case 'IAMUser':
      return identity.arn;
    case 'Root':
      return identity.arn;
    default:
      return undefined;
  }
}

/**
 * The cluster creator from the `CreateCluster` management event in
 * CloudTrail's event history (LookupEvents, EventName=CreateCluster, events
 * of eks.amazonaws.com naming the cluster). When DescribeCluster gave the
 * creation time, the lookup is bounded to the hour around it, and skipped
 * (no call) when that is past the 90 days CloudTrail keeps. At most
 * `maxPages` pages of 50; a found creator is kept for the life of the
 * process, "not found" and failures for `retryAfterMs`.
 */
export class CloudTrailCreatorSource implements ClusterCreatorSource {
  readonly #clientFor: CloudTrailClientFor;
  readonly #logger?: LoggerService;
  readonly #maxPages: number;
  readonly #now: () => number;
  /** A creator found is kept; none found is asked again after `retryAfterMs`. */
  readonly #cache: SharedReadCache<CreatorLookup>;

  constructor(options: {
    clientFor: CloudTrailClientFor;
    logger?: LoggerService;
    maxPages?: number;
    retryAfterMs?: number;
    now?: () => number;
  }) {
    this.#clientFor = options.clientFor;
    this.#logger = options.logger;
    this.#maxPages = options.maxPages ?? 5;
    const retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#cache = new SharedReadCache({
      ttlFor: found => (found.arn ? Infinity : retryAfterMs),
      now: this.#now,
    });
  }

  creatorOf(
    cluster: EksClusterRef,
    hints: { createdAt?: string } = {},
  ): Promise<CreatorLookup> {
    const key = `${cluster.arn}|${hints.createdAt ?? ''}`;
    return this.#cache.get(key, () =>
      this.#read(cluster, hints, this.#now()).catch((error): CreatorLookup => {
        this.#logger?.warn(
          `Could not read CloudTrail for the creator of ${cluster.arn}: ${error}`,
        );
        return {
          note: `CloudTrail could not be read (${
            (error as Error)?.name ?? 'error'
          }); Backstage's role needs cloudtrail:LookupEvents.`,
        };
      }),
    );
  }

  async #read(
    cluster: EksClusterRef,
    hints: { createdAt?: string },
    now: number,
  ): Promise<CreatorLookup> {
    const oldest = now - HISTORY_MS;
    const createdAt = hints.createdAt ? Date.parse(hints.createdAt) : NaN;
    const unkept = `CloudTrail keeps ${CLOUDTRAIL_HISTORY_DAYS} days of events only`;
    if (!Number.isNaN(createdAt) && createdAt + AROUND_CREATION_MS < oldest) {
      return {
        note: `${unkept}, and the cluster was created on ${new Date(createdAt)
          .toISOString()
          .slice(0, 10)}: its CreateCluster event is gone.`,
      };
    }
    const range = Number.isNaN(createdAt)
      ? { StartTime: new Date(oldest), EndTime: new Date(now) }
      : {
          StartTime: new Date(Math.max(oldest, createdAt - AROUND_CREATION_MS)),
          EndTime: new Date(Math.min(now, createdAt + AROUND_CREATION_MS)),
        };
    const client = this.#clientFor(cluster);
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'CreateCluster' },
          ],
          ...range,
          MaxResults: 50,
          NextToken: nextToken,
        }),
      );
      pages += 1;
      // Newest first: a name reused after a deletion finds the current cluster.
      for (const event of page.Events ?? []) {
        if (event.EventSource && event.EventSource !== 'eks.amazonaws.com') {
          continue;
        }
        let record: {
          eventSource?: string;
          requestParameters?: { name?: string };
          userIdentity?: unknown;
          errorCode?: string;
        };
        try {
          record = JSON.parse(event.CloudTrailEvent ?? '{}');
        } catch {
          continue;
        }
        if (
          record.eventSource !== 'eks.amazonaws.com' ||
          record.requestParameters?.name !== cluster.name ||
          record.errorCode // a failed CreateCluster created nothing
        ) {
          continue;
        }
        const arn = creatorArnOf(record.userIdentity);
        if (arn) return { arn };
      }
      nextToken = page.NextToken;
    } while (nextToken && pages < this.#maxPages);
    return {
      note: `No CreateCluster event for ${
        cluster.name
      } in CloudTrail: ${unkept}${
        nextToken ? ` (and at most ${this.#maxPages * 50} events are read)` : ''
      }.`,
    };
  }
}
