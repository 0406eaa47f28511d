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
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';

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
  readonly #cacheTtlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<
    string,
    { at: number; value: Promise<AuthenticatorAttempt[] | undefined> }
  >();
  readonly #denials = new Map<
    string,
    {
      at: number;
      value: Promise<
        { attempts: AuthenticatorAttempt[]; truncated: boolean } | undefined
      >;
    }
  >();

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
    this.#cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  recentAttempts(
    cluster: { name: string; accountId: string; region: string },
    arns: string[],
  ) {
    const wanted = [...new Set(arns)].sort();
    const key = `${cluster.accountId}/${cluster.region}/${
      cluster.name
    }|${wanted.join(',')}`;
    const now = this.#now();
    const cached = this.#cache.get(key);
    if (cached && now - cached.at < this.#cacheTtlMs) return cached.value;
    const value = this.#read(cluster, wanted, now);
    this.#cache.set(key, { at: now, value });
    value.catch(() => this.#cache.delete(key));
    return value;
  }

  /**
   * Everyone's denied lines, for the admin view: one filter
   * (`"path=/authenticate" "access denied"`), the same window and bound as
   * the attempts, cached per cluster for the same TTL.
   */
  recentDenials(cluster: { name: string; accountId: string; region: string }) {
    const key = `${cluster.accountId}/${cluster.region}/${cluster.name}`;
    const now = this.#now();
    const cached = this.#denials.get(key);
    if (cached && now - cached.at < this.#cacheTtlMs) return cached.value;
    const value = this.#readDenials(cluster, now);
    this.#denials.set(key, { at: now, value });
    value.catch(() => this.#denials.delete(key));
    return value;
  }

  async #readDenials(
    cluster: { name: string; accountId: string; region: string },
    now: number,
  ) {
    const client = this.#clientFor(cluster);
    const lines: { timestamp: number; message: string }[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await client.send(
          new FilterLogEventsCommand({
            logGroupName: `/aws/eks/${cluster.name}/cluster`,
            logStreamNamePrefix: 'authenticator',
            startTime: now - this.#windowMs,
            endTime: now,
            filterPattern: '"path=/authenticate" "access denied"',
            limit: Math.min(this.#pageSize, this.#maxEvents - lines.length),
            nextToken,
          }),
        );
        for (const e of page.events ?? []) {
          lines.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '' });
        }
        nextToken = page.nextToken;
      } while (nextToken && lines.length < this.#maxEvents);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    return {
      attempts: lines
        .sort((a, b) => b.timestamp - a.timestamp)
        .map(line => parseAuthenticatorLine(line.message))
        .filter(
          (a): a is AuthenticatorAttempt => !!a && a.outcome === 'denied',
        ),
      // FilterLogEvents returns the oldest first: a cut drops the newest
      truncated: !!nextToken,
    };
  }

  async #read(
    cluster: { name: string; accountId: string; region: string },
    arns: string[],
    now: number,
  ): Promise<AuthenticatorAttempt[] | undefined> {
    const client = this.#clientFor(cluster);
    const lines: { timestamp: number; message: string }[] = [];
    try {
      // One filter per ARN: only the caller's lines leave CloudWatch, and
      // someone else's busy traffic cannot push them out of `maxEvents`.
      for (const arn of arns) {
        let nextToken: string | undefined;
        let read = 0;
        do {
          const page = await client.send(
            new FilterLogEventsCommand({
              logGroupName: `/aws/eks/${cluster.name}/cluster`,
              logStreamNamePrefix: 'authenticator',
              startTime: now - this.#windowMs,
              endTime: now,
              filterPattern: `"path=/authenticate" ${JSON.stringify(arn)}`,
              limit: Math.min(this.#pageSize, this.#maxEvents - read),
              nextToken,
            }),
          );
          for (const e of page.events ?? []) {
            lines.push({
              timestamp: e.timestamp ?? 0,
              message: e.message ?? '',
            });
          }
          read += page.events?.length ?? 0;
          nextToken = page.nextToken;
        } while (nextToken && read < this.#maxEvents);
      }
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    return lines
      .sort((a, b) => b.timestamp - a.timestamp)
      .map(line => parseAuthenticatorLine(line.message))
      .filter((a): a is AuthenticatorAttempt => !!a);
  }
}
