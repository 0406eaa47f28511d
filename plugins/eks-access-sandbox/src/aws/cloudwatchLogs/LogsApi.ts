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

import { randomUUID } from 'node:crypto';
import { LogGroup, LogStore } from '../../cloudwatch/LogStore';
import { CallerIdentity } from '../callerIdentity';
import { pageOffset, pageToken } from '../pageTokens';
import { AwsServiceError } from '../serviceError';
import {
  InsightsQuery,
  InsightsRecord,
  parseInsightsQuery,
  runInsightsQuery,
} from './logsInsights';

/** The CloudWatch Logs operations the sandbox serves (awsJson1_1, `Logs_20140328.*`). */
export const LOGS_OPERATIONS = [
  'DescribeLogGroups',
  'FilterLogEvents',
  'StartQuery',
  'GetQueryResults',
  'StopQuery',
] as const;

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

const invalid = (message: string) =>
  new AwsServiceError('InvalidParameterException', 400, message);
const notFound = (message: string) =>
  new AwsServiceError('ResourceNotFoundException', 400, message);

type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Cancelled';

interface StoredQuery {
  id: string;
  account: string;
  region: string;
  status: QueryStatus;
  polls: number;
  query: InsightsQuery;
  records: InsightsRecord[];
  limit: number;
}

function optionalInteger(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw invalid(
      `1 validation error detected: Value '${String(
        value,
      )}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return value;
}

function optionalString(body: Record<string, unknown>, name: string) {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

/** `startTime`/`endTime` (epoch ms for FilterLogEvents, seconds for StartQuery), ordered. */
function timeRange(body: Record<string, unknown>) {
  const startTime = optionalInteger(
    body,
    'startTime',
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const endTime = optionalInteger(body, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw invalid('endTime must be greater than or equal to startTime');
  }
  return { startTime, endTime };
}

/**
 * A FilterLogEvents pattern of the supported subset: space-separated terms,
 * bare or double-quoted, that must all occur in the message (case-sensitive).
 */
export function parseFilterPattern(pattern: string): (m: string) => boolean {
  const terms: string[] = [];
  for (const m of pattern.matchAll(/"((?:\\.|[^"\\])*)"|([^\s"]+)|(")/g)) {
    if (m[3]) throw invalid('Invalid filter pattern: unbalanced quote');
    terms.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  }
  return message => terms.every(t => message.includes(t));
}

/** CloudWatch Logs over the sandbox's log store. */
export class LogsApi {
  readonly #queries = new Map<string, StoredQuery>();

  constructor(private readonly logs: LogStore) {}

  handle(
    operation: string,
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ): unknown {
    switch (operation) {
      case 'DescribeLogGroups':
        return this.describeLogGroups(caller, region, body);
      case 'FilterLogEvents':
        return this.filterLogEvents(caller, region, body);
      case 'StartQuery':
        return this.startQuery(caller, region, body);
      case 'GetQueryResults':
        return this.getQueryResults(caller, body);
      case 'StopQuery':
        return this.stopQuery(caller, body);
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          400,
          `Unknown operation ${operation}`,
        );
    }
  }

  /** The log group a request names (by name or ARN), or ResourceNotFoundException. */
  private groupOf(
    caller: CallerIdentity,
    region: string,
    nameOrArn: string | undefined,
  ): LogGroup {
    if (!nameOrArn) {
      throw invalid('Either logGroupName or logGroupIdentifier is required');
    }
    const name = nameOrArn.startsWith('arn:')
      ? nameOrArn
          .replace(/^arn:[^:]+:logs:[^:]+:\d+:log-group:/, '')
          .replace(/:\*$/, '')
      : nameOrArn;
    const group = this.logs.group(caller.account, region, name);
    if (!group) throw notFound('The specified log group does not exist.');
    return group;
  }

  private describeLogGroups(
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ) {
    const prefix = optionalString(body, 'logGroupNamePrefix') ?? '';
    const limit = optionalInteger(body, 'limit', 1, 50) ?? 50;
    const all = this.logs
      .groups(caller.account, region)
      .filter(g => g.name.startsWith(prefix));
    const key = `groups|${prefix}`;
    const token = optionalString(body, 'nextToken');
    const offset = token ? pageOffset(token, key) : 0;
    if (offset === undefined) {
      throw invalid('The specified nextToken is invalid.');
    }
    const page = all.slice(offset, offset + limit);
    return {
      logGroups: page.map(g => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: g.arn,
        logGroupArn: g.arn.replace(/:\*$/, ''),
        storedBytes: [...g.streams.values()].reduce(
          (n, s) => n + s.events.reduce((m, e) => m + e.message.length, 0),
          0,
        ),
        logGroupClass: 'STANDARD',
      })),
      nextToken:
        offset + limit < all.length
          ? pageToken(key, offset + limit)
          : undefined,
    };
  }

  private filterLogEvents(
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ) {
    const group = this.groupOf(
      caller,
      region,
      optionalString(body, 'logGroupName') ??
        optionalString(body, 'logGroupIdentifier'),
    );
    const names = body.logStreamNames;
    const prefix = optionalString(body, 'logStreamNamePrefix');
    if (Array.isArray(names) && prefix !== undefined) {
      throw invalid(
        'logStreamNames and logStreamNamePrefix are mutually exclusive',
      );
    }
    const { startTime, endTime } = timeRange(body);
    const limit = optionalInteger(body, 'limit', 1, 10000) ?? 10000;
    const pattern = optionalString(body, 'filterPattern') ?? '';
    const matches = parseFilterPattern(pattern);
    const streams = [...group.streams.values()].filter(s =>
      Array.isArray(names)
        ? names.includes(s.name)
        : !prefix || s.name.startsWith(prefix),
    );
    const events = streams
      .flatMap(s => s.events.map(e => ({ stream: s.name, ...e })))
      .filter(
        e =>
          (startTime === undefined || e.timestamp >= startTime) &&
          (endTime === undefined || e.timestamp <= endTime) &&
          matches(e.message),
      )
      .sort(
        (a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1),
      );
    const key = JSON.stringify([
      group.arn,
      names,
      prefix,
      startTime,
      endTime,
      pattern,
    ]);
    const token = optionalString(body, 'nextToken');
    const offset = token ? pageOffset(token, key) : 0;
    if (offset === undefined) {
      throw invalid('The specified nextToken is invalid.');
    }
    const page = events.slice(offset, offset + limit);
    return {
      events: page.map(e => ({
        logStreamName: e.stream,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: [],
      nextToken:
        offset + limit < events.length
          ? pageToken(key, offset + limit)
          : undefined,
    };
  }

  private startQuery(
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ) {
    const names = [
      ...(optionalString(body, 'logGroupName')
        ? [body.logGroupName as string]
        : []),
      ...(Array.isArray(body.logGroupNames) ? body.logGroupNames : []),
      ...(Array.isArray(body.logGroupIdentifiers)
        ? body.logGroupIdentifiers
        : []),
    ];
    if (names.length === 0) {
      throw invalid('Query must specify at least one log group');
    }
    const { startTime, endTime } = timeRange(body);
    if (startTime === undefined || endTime === undefined) {
      throw invalid('startTime and endTime are required');
    }
    const queryString = optionalString(body, 'queryString');
    if (!queryString) throw invalid('queryString is required');
    const query = parseInsightsQuery(queryString);
    const groups = names.map(n => {
      try {
        return this.groupOf(caller, region, String(n));
      } catch (error) {
        throw notFound(
          `Log group '${String(n)}' does not exist for account ID '${
            caller.account
          }'`,
        );
      }
    });
    // Insights times are epoch seconds; the end second is inclusive.
    const records: InsightsRecord[] = groups.flatMap(g =>
      [...g.streams.values()].flatMap(s =>
        s.events
          .filter(
            e =>
              e.timestamp >= startTime * 1000 &&
              e.timestamp < (endTime + 1) * 1000,
          )
          .map(e => ({
            '@timestamp': e.timestamp,
            '@message': e.message,
            '@logStream': s.name,
            '@log': `${g.account}:${g.name}`,
            '@ptr': Buffer.from(`${g.name}|${s.name}|${e.eventId}`).toString(
              'base64',
            ),
          })),
      ),
    );
    const id = randomUUID();
    this.#queries.set(id, {
      id,
      account: caller.account,
      region,
      status: 'Scheduled',
      polls: 0,
      query,
      records,
      limit: optionalInteger(body, 'limit', 1, 10000) ?? 10000,
    });
    return { queryId: id };
  }

  private queryOf(caller: CallerIdentity, body: Record<string, unknown>) {
    const id = optionalString(body, 'queryId');
    if (!id) throw invalid('queryId is required');
    const query = this.#queries.get(id);
    if (!query || query.account !== caller.account) {
      throw notFound(`Query ${id} does not exist`);
    }
    return query;
  }

  /**
   * A query moves Scheduled → Running → Complete, one step per poll, so
   * clients see every state a real query passes through.
   */
  private getQueryResults(
    caller: CallerIdentity,
    body: Record<string, unknown>,
  ) {
    const query = this.queryOf(caller, body);
    if (query.status === 'Scheduled' && query.polls++ > 0) {
      query.status = 'Running';
    } else if (query.status === 'Running') {
      query.status = 'Complete';
    }
    const done = query.status === 'Complete';
    const results = done
      ? runInsightsQuery(query.query, query.records, query.limit)
      : [];
    return {
      status: query.status,
      results,
      statistics: {
        recordsMatched: results.length,
        recordsScanned: done ? query.records.length : 0,
        bytesScanned: done
          ? query.records.reduce((n, r) => n + String(r['@message']).length, 0)
          : 0,
      },
    };
  }

  private stopQuery(caller: CallerIdentity, body: Record<string, unknown>) {
    const query = this.queryOf(caller, body);
    if (query.status !== 'Scheduled' && query.status !== 'Running') {
      throw invalid(`Query ${query.id} is not running`);
    }
    query.status = 'Cancelled';
    return { success: true };
  }
}

/** Parses an awsJson1_1 Logs request: its operation, JSON body and the IAM resource it is authorized against. */
export function logsRequest(target: string, body: Buffer, partition: string) {
  const operation = target.slice(LOGS_TARGET_PREFIX.length);
  if (!(LOGS_OPERATIONS as readonly string[]).includes(operation)) {
    throw new AwsServiceError(
      'UnknownOperationException',
      400,
      `Unknown operation ${operation}`,
    );
  }
  let parsed: unknown = {};
  if (body.length) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsServiceError(
        'SerializationException',
        400,
        'Could not parse the request body as JSON.',
      );
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError(
      'SerializationException',
      400,
      'The request body must be a JSON object.',
    );
  }
  const json = parsed as Record<string, unknown>;
  const group =
    typeof json.logGroupName === 'string' ? json.logGroupName : undefined;
  return {
    operation,
    body: json,
    resource: (account: string, region: string) =>
      group
        ? `arn:${partition}:logs:${region}:${account}:log-group:${group}:*`
        : '*',
  };
}
