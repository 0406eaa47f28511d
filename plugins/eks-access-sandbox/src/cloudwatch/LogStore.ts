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

import { createHash } from 'node:crypto';

/** One log event as CloudWatch Logs stores it (times in epoch milliseconds). */
export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

/** A log stream: events in the order they were written. */
export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

/** A log group of one account and region. */
export interface LogGroup {
  name: string;
  account: string;
  region: string;
  arn: string;
  creationTime: number;
  streams: Map<string, LogStream>;
}

/** The sandbox's CloudWatch Logs data: log groups by account, region and name. */
export class LogStore {
  readonly #groups = new Map<string, LogGroup>();
  #sequence = 0;

  constructor(private readonly partition: string = 'aws') {}

  group(account: string, region: string, name: string): LogGroup | undefined {
    return this.#groups.get(`${account}/${region}/${name}`);
  }

  /** The account's log groups in the region, sorted by name as DescribeLogGroups lists them. */
  groups(account: string, region: string): LogGroup[] {
    return [...this.#groups.values()]
      .filter(g => g.account === account && g.region === region)
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  /** Creates the log group if it does not exist yet (EKS does so when logging is turned on). */
  ensureGroup(
    account: string,
    region: string,
    name: string,
    creationTime: number = Date.now(),
  ): LogGroup {
    const key = `${account}/${region}/${name}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = {
        name,
        account,
        region,
        arn: `arn:${this.partition}:logs:${region}:${account}:log-group:${name}:*`,
        creationTime,
        streams: new Map(),
      };
      this.#groups.set(key, group);
    }
    return group;
  }

  /** Appends one event, creating the group and stream on first use. */
  append(
    where: { account: string; region: string; group: string; stream: string },
    message: string,
    timestamp: number = Date.now(),
  ): LogEvent {
    const group = this.ensureGroup(
      where.account,
      where.region,
      where.group,
      Math.min(timestamp, Date.now()),
    );
    let stream = group.streams.get(where.stream);
    if (!stream) {
      stream = { name: where.stream, creationTime: timestamp, events: [] };
      group.streams.set(where.stream, stream);
    }
    const sequence = ++this.#sequence;
    // CloudWatch event ids are long decimal strings; derive one that sorts with time.
    const eventId = `${String(timestamp).padStart(15, '0')}${String(
      sequence,
    ).padStart(20, '0')}${parseInt(
      createHash('sha256').update(message).digest('hex').slice(0, 8),
      16,
    )
      .toString()
      .padStart(10, '0')}`;
    const event: LogEvent = {
      timestamp,
      ingestionTime: Math.max(timestamp, Date.now()),
      message,
      eventId,
    };
    stream.events.push(event);
    return event;
  }
}
