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

import type { LogsClientFor } from './ClusterClients';
import type { AccessAttempt } from '@eks-access/plugin-eks-access-common';
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { LRUCache } from 'lru-cache';

/** One line of the EKS authenticator log, parsed (the HTTP API's `AccessAttempt`). */
export type AuthenticatorAttempt = AccessAttempt;

/** Reads a cluster's authenticator log (the `authenticator-*` streams of `/aws/eks/<cluster>/cluster`). */
export interface AuthenticatorLogReader {
  /**
   * Recent attempts that name one of `arns` (canonical ARNs, as the
   * authenticator logs them), newest first; `undefined` when the cluster has
   * no log group (logging off).
   */
  recentAttempts(
    cluster: { name: string; accountId: string; region: string },
    arns: string[],
  ): Promise<AuthenticatorAttempt[] | undefined>;
  /** How far back `recentAttempts` reads, in hours. */
  readonly windowHours?: number;
}

/** Reads the denied lines of a cluster's authenticator log, everyone's (admin diagnostics). */
export interface AuthenticatorDenialReader {
  /**
   * Denied attempts of the last `windowHours`, newest first, at most
   * `maxEvents`; `undefined` when the cluster has no log group (logging off).
   */
  recentDenials(cluster: {
    name: string;
    accountId: string;
    region: string;
  }): Promise<
    { attempts: AuthenticatorAttempt[]; truncated: boolean } | undefined
  >;
  readonly windowHours?: number;
}

/** Parses a logrus text line (`key=value`, values optionally Go-quoted). */
export function parseAuthenticatorLine(
  message: string,
): AuthenticatorAttempt | undefined {
  const fields: Record<string, string> = {};
  for (const m of message.matchAll(/(\w+)=(?:"((?:\\.|[^"\\])*)"|(\S*))/g)) {
    let value = m[3] ?? '';
    if (m[2] !== undefined) {
      try {
        value = JSON.parse(`"${m[2]}"`);
      } catch {
        value = m[2];
      }
    }
    fields[m[1]] = value;
  }
  if (fields.path !== '/authenticate') return undefined;
  if (fields.msg !== 'access granted' && fields.msg !== 'access denied') {
    return undefined;
  }
  const groups = fields.groups
    ?.replace(/^\[|\]$/g, '')
    .split(' ')
    .filter(Boolean);
  return {
    time: fields.time,
    outcome: fields.msg === 'access granted' ? 'granted' : 'denied',
    ...(fields.arn ? { arn: fields.arn } : {}),
    ...(fields.username ? { username: fields.username } : {}),
    ...(groups ? { groups } : {}),
    ...(fields.error ? { reason: fields.error } : {}),
  };
}

/** Reads of the attempts and of the denials kept at once (each kind). */
const CACHED_READS = 1000;

/**
 * FilterLogEvents over the last `windowHours`, at most `maxEvents` lines per
 * ARN (`pageSize` per call), cached per cluster and ARNs for `cacheTtlMs`: a
 * card view costs at most `ARNs × ceil(maxEvents / pageSize)` calls per TTL.
 */
export class CloudWatchAuthenticatorLogReader
  implements AuthenticatorLogReader, AuthenticatorDenialReader
{
  readonly #clientFor: LogsClientFor;
  readonly windowHours: number;
  readonly #windowMs: number;
  readonly #maxEvents: number;
  readonly #pageSize: number;
  readonly #now: () => number;
  /** Reads in flight or done, per cluster and ARNs; a failed one is dropped. */
  readonly #attempts: LRUCache<
    string,
    Promise<AuthenticatorAttempt[] | undefined>
  >;
  readonly #denials: LRUCache<string, Promise<DenialLines | undefined>>;

  constructor(options: {
    clientFor: LogsClientFor;
    windowHours?: number;
    maxEvents?: number;
    pageSize?: number;
    cacheTtlMs?: number;
    now?: () => number;
  }) {
    this.#clientFor = options.clientFor;
    this.windowHours = options.windowHours ?? 24;
    this.#windowMs = this.windowHours * 3600_000;
    this.#maxEvents = options.maxEvents ?? 500;
    this.#pageSize = options.pageSize ?? 100;
    this.#now = options.now ?? Date.now;
    const ttl = options.cacheTtlMs ?? 30_000;
    this.#attempts = new LRUCache({ max: CACHED_READS, ttl });
    this.#denials = new LRUCache({ max: CACHED_READS, ttl });
  }

  recentAttempts(
    cluster: { name: string; accountId: string; region: string },
    arns: string[],
  ) {
    const wanted = [...new Set(arns)].sort();
    const key = `${clusterKey(cluster)}|${wanted.join(',')}`;
    return cachedRead(this.#attempts, key, () => this.#read(cluster, wanted));
  }

  /**
   * Everyone's denied lines, for the admin view: one filter
   * (`"path=/authenticate" "access denied"`), the same window and bound as
   * the attempts, cached per cluster for the same TTL.
   */
  recentDenials(cluster: { name: string; accountId: string; region: string }) {
    return cachedRead(this.#denials, clusterKey(cluster), () =>
      this.#readDenials(cluster),
    );
  }

  #readDenials(cluster: {
    name: string;
    accountId: string;
    region: string;
  }): Promise<DenialLines | undefined> {
    const now = this.#now();
    return unlessLoggingOff(async () => {
      const lines: LogLine[] = [];
      let truncated = false;
      for await (const page of authenticatorLogPages(
        this.#clientFor(cluster),
        cluster.name,
        {
          startTime: now - this.#windowMs,
          endTime: now,
          filterPattern: '"path=/authenticate" "access denied"',
          limit: () => Math.min(this.#pageSize, this.#maxEvents - lines.length),
        },
      )) {
        lines.push(...page.lines);
        // FilterLogEvents returns the oldest first: a cut drops the newest
        truncated = page.more;
        if (lines.length >= this.#maxEvents) break;
      }
      return {
        attempts: newestFirst(lines).filter(a => a.outcome === 'denied'),
        truncated,
      };
    });
  }

  #read(
    cluster: { name: string; accountId: string; region: string },
    arns: string[],
  ): Promise<AuthenticatorAttempt[] | undefined> {
    const now = this.#now();
    return unlessLoggingOff(async () => {
      const client = this.#clientFor(cluster);
      const lines: LogLine[] = [];
      // One filter per ARN: only the caller's lines leave CloudWatch, and
      // someone else's busy traffic cannot push them out of `maxEvents`.
      for (const arn of arns) {
        let read = 0;
        for await (const page of authenticatorLogPages(client, cluster.name, {
          startTime: now - this.#windowMs,
          endTime: now,
          filterPattern: `"path=/authenticate" ${JSON.stringify(arn)}`,
          limit: () => Math.min(this.#pageSize, this.#maxEvents - read),
        })) {
          lines.push(...page.lines);
          read += page.lines.length;
          if (read >= this.#maxEvents) break;
        }
      }
      return newestFirst(lines);
    });
  }
}

/** Denied attempts of a cluster, newest first, and whether the bound cut them. */
type DenialLines = { attempts: AuthenticatorAttempt[]; truncated: boolean };

/** One log event, as FilterLogEvents returns it. */
export interface LogLine {
  timestamp: number;
  message: string;
}

function clusterKey(cluster: {
  name: string;
  accountId: string;
  region: string;
}): string {
  return `${cluster.accountId}/${cluster.region}/${cluster.name}`;
}

/** The cached read of `key`, or `read` kept there until its TTL; a failed read is not kept. */
function cachedRead<V>(
  cache: LRUCache<string, Promise<V>>,
  key: string,
  read: () => Promise<V>,
): Promise<V> {
  const cached = cache.get(key);
  if (cached) return cached;
  const value = read();
  cache.set(key, value);
  value.catch(() => {
    if (cache.get(key) === value) cache.delete(key);
  });
  return value;
}

/** The parsed authentication decisions of `lines`, newest first. */
function newestFirst(lines: LogLine[]): AuthenticatorAttempt[] {
  return [...lines]
    .sort((a, b) => b.timestamp - a.timestamp)
    .map(line => parseAuthenticatorLine(line.message))
    .filter((a): a is AuthenticatorAttempt => !!a);
}

/**
 * `read`, or `undefined` when the cluster sends no authenticator log to
 * CloudWatch (its log group does not exist: logging is off).
 */
export async function unlessLoggingOff<T>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * The pages of FilterLogEvents over a cluster's authenticator log streams
 * (`authenticator-*` in `/aws/eks/<cluster>/cluster`), oldest first, for as
 * long as the caller goes on reading: `limit` is asked before each page,
 * and `more` says whether AWS has another. Throws ResourceNotFoundException
 * when the log group does not exist (see {@link unlessLoggingOff}).
 */
export async function* authenticatorLogPages(
  client: CloudWatchLogsClient,
  clusterName: string,
  filter: {
    filterPattern: string;
    startTime?: number;
    endTime?: number;
    limit: () => number;
  },
): AsyncGenerator<{ lines: LogLine[]; more: boolean }> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/eks/${clusterName}/cluster`,
        logStreamNamePrefix: 'authenticator',
        startTime: filter.startTime,
        endTime: filter.endTime,
        filterPattern: filter.filterPattern,
        limit: filter.limit(),
        nextToken,
      }),
    );
    nextToken = page.nextToken;
    yield {
      lines: (page.events ?? []).map(e => ({
        timestamp: e.timestamp ?? 0,
        message: e.message ?? '',
      })),
      more: !!nextToken,
    };
  } while (nextToken);
}
