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

import type { CallerIdentity } from '../callerIdentity';
import { pageOffset, pageToken } from '../pageTokens';
import { AwsServiceError } from '../serviceError';
import type { CloudTrailStore, TrailEvent } from './CloudTrailStore';

/**
 * CloudTrail (awsJson1_1): `POST /` with `X-Amz-Target` naming the service
 * shape. AWS accepts the fully qualified name (the API reference and older
 * SDKs) and the short one (SDK v3 sends `CloudTrail_20131101.<Operation>`).
 */
const CLOUDTRAIL_TARGET =
  /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(.*)$/;

/** Whether an `X-Amz-Target` header names a CloudTrail operation. */
export function isCloudTrailTarget(target: string): boolean {
  return CLOUDTRAIL_TARGET.test(target);
}

/** The operations the sandbox serves. */
export const CLOUDTRAIL_OPERATIONS = ['LookupEvents'] as const;

/** Event history keeps management events for 90 days; older ones are gone. */
export const CLOUDTRAIL_RETENTION_MS = 90 * 24 * 3600 * 1000;

const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

const error = (code: string, message: string) =>
  new AwsServiceError(code, 400, message);

/** awsJson1_1 timestamps are epoch seconds (the SDK sends fractions). */
function optionalTime(body: Record<string, unknown>, name: string) {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw error('SerializationException', `${name} must be a timestamp`);
  }
  return value * 1000;
}

function attributeMatcher(
  body: Record<string, unknown>,
): (event: TrailEvent) => boolean {
  const raw = body.LookupAttributes;
  if (raw === undefined || raw === null) return () => true;
  if (!Array.isArray(raw)) {
    throw error(
      'InvalidLookupAttributesException',
      'LookupAttributes must be a list.',
    );
  }
  if (raw.length === 0) return () => true;
  // The API takes a list but accepts one attribute only.
  if (raw.length > 1) {
    throw error(
      'InvalidLookupAttributesException',
      'You can only specify one lookup attribute.',
    );
  }
  const { AttributeKey: key, AttributeValue: value } = (raw[0] ?? {}) as {
    AttributeKey?: unknown;
    AttributeValue?: unknown;
  };
  if (
    typeof key !== 'string' ||
    !(ATTRIBUTE_KEYS as readonly string[]).includes(key)
  ) {
    throw error(
      'InvalidLookupAttributesException',
      `Lookup attribute key ${String(
        key,
      )} is not valid. Valid keys: ${ATTRIBUTE_KEYS.join(', ')}.`,
    );
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > 2000) {
    throw error(
      'InvalidLookupAttributesException',
      'Lookup attribute value must be between 1 and 2000 characters.',
    );
  }
  switch (key as (typeof ATTRIBUTE_KEYS)[number]) {
    case 'EventId':
      return e => e.eventId === value;
    case 'EventName':
      return e => e.eventName === value;
    case 'ReadOnly':
      return e => String(e.readOnly) === value;
    case 'Username':
      return e => e.username === value;
    case 'ResourceType':
      return e => e.resources.some(r => r.ResourceType === value);
    case 'ResourceName':
      return e => e.resources.some(r => r.ResourceName === value);
    case 'EventSource':
      return e => e.eventSource === value;
    case 'AccessKeyId':
      return e => e.accessKeyId === value;
    default:
      return () => false;
  }
}

/** CloudTrail's event history over the sandbox's trail. */
export class CloudTrailApi {
  constructor(
    private readonly trail: CloudTrailStore,
    private readonly now: () => number = Date.now,
  ) {}

  handle(
    operation: string,
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ): unknown {
    if (operation === 'LookupEvents') {
      return this.lookupEvents(caller, region, body);
    }
    throw error('UnknownOperationException', `Unknown operation ${operation}`);
  }

  /**
   * LookupEvents: management events of the last 90 days in the caller's
   * account and the request's region, newest first, at most one lookup
   * attribute, 50 per page by default.
   */
  private lookupEvents(
    caller: CallerIdentity,
    region: string,
    body: Record<string, unknown>,
  ) {
    const matches = attributeMatcher(body);
    const category = body.EventCategory;
    if (category !== undefined && category !== null && category !== 'insight') {
      throw error(
        'InvalidEventCategoryException',
        'The event category is not valid. The only valid value is insight.',
      );
    }
    const maxResults = body.MaxResults ?? 50;
    if (
      typeof maxResults !== 'number' ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > 50
    ) {
      throw error(
        'InvalidMaxResultsException',
        'The maximum number of results must be between 1 and 50.',
      );
    }
    const startTime = optionalTime(body, 'StartTime');
    const endTime = optionalTime(body, 'EndTime');
    if (
      startTime !== undefined &&
      endTime !== undefined &&
      startTime > endTime
    ) {
      throw error(
        'InvalidTimeRangeException',
        'Start time must be before the end time.',
      );
    }
    const now = this.now();
    const oldest = now - CLOUDTRAIL_RETENTION_MS;
    // no insights in the sandbox: an insight lookup finds nothing
    const events =
      category === 'insight'
        ? []
        : this.trail
            .events(caller.account, region)
            .filter(
              e =>
                e.eventTime >= oldest &&
                e.eventTime <= now &&
                (startTime === undefined || e.eventTime >= startTime) &&
                (endTime === undefined || e.eventTime <= endTime) &&
                matches(e),
            );
    const key = JSON.stringify([
      caller.account,
      region,
      body.LookupAttributes ?? null,
      startTime ?? null,
      endTime ?? null,
      category ?? null,
    ]);
    const token = body.NextToken;
    if (token !== undefined && token !== null && typeof token !== 'string') {
      throw error('InvalidNextTokenException', 'NextToken must be a string.');
    }
    const offset = token ? pageOffset(token, key) : 0;
    if (offset === undefined) {
      throw error(
        'InvalidNextTokenException',
        'A token that is not valid, or a token that was previously used in a request with different parameters.',
      );
    }
    const page = events.slice(offset, offset + maxResults);
    return {
      Events: page.map(e => ({
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly),
        ...(e.accessKeyId ? { AccessKeyId: e.accessKeyId } : {}),
        EventTime: e.eventTime / 1000,
        EventSource: e.eventSource,
        ...(e.username ? { Username: e.username } : {}),
        Resources: e.resources,
        CloudTrailEvent: JSON.stringify(e.record),
      })),
      ...(offset + maxResults < events.length
        ? { NextToken: pageToken(key, offset + maxResults) }
        : {}),
    };
  }
}

/** Parses an awsJson1_1 CloudTrail request: its operation and JSON body. */
export function cloudTrailRequest(target: string, body: Buffer) {
  const operation = CLOUDTRAIL_TARGET.exec(target)?.[1] ?? '';
  if (!(CLOUDTRAIL_OPERATIONS as readonly string[]).includes(operation)) {
    throw error('UnknownOperationException', `Unknown operation ${operation}`);
  }
  let parsed: unknown = {};
  if (body.length) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw error(
        'SerializationException',
        'Could not parse the request body as JSON.',
      );
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw error(
      'SerializationException',
      'The request body must be a JSON object.',
    );
  }
  return { operation, body: parsed as Record<string, unknown> };
}
