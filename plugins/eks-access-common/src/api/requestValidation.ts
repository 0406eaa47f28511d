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

/*
 * The one validation of an access request, used by the request form (to say
 * what is wrong before sending) and by the backend (which enforces it): the
 * body's shape (`createAccessRequestSchema`), then the rules that depend on
 * the chosen access level (`accessRequestProblems`).
 */

import { z } from 'zod';
import type { AccessLevelInfo, CreateAccessRequestBody } from './requests';

/** Default of `eksAccess.requests.maxReasonLength`, in characters. @public */
export const MAX_REASON_LENGTH = 1000;

/** Longest comment on a decision (approve, reject, cancel, …). @public */
export const MAX_COMMENT_LENGTH = 2000;

/** Most namespaces one request may name. @public */
export const MAX_NAMESPACES_PER_REQUEST = 50;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WILDCARD_PREFIX = /^[a-z0-9][-a-z0-9]*$/;

/**
 * Why a requested namespace is not acceptable, or undefined when it is.
 *
 * Accepted: a DNS-1123 label (at most 63 lower-case letters, digits and
 * `-`, alphanumeric at both ends), and with `allowWildcard` a prefix
 * wildcard: a label prefix (starting alphanumeric, at most 62 characters)
 * followed by one trailing `*`, e.g. `dev-*`. A `*` anywhere else (`a*b`,
 * `**`, `*`) is never accepted, with or without wildcards: the grant code
 * only knows prefix matches.
 * @public
 */
export function namespaceProblem(
  name: string,
  allowWildcard: boolean,
): string | undefined {
  // `includes`, not `endsWith`: a `*` in the middle is a wildcard attempt
  // too, and deserves the wildcard explanation rather than the generic one.
  if (name.includes('*')) {
    if (!allowWildcard) {
      return `"${name}": this access level does not allow namespace wildcards`;
    }
    const prefix = name.slice(0, -1);
    if (
      !name.endsWith('*') ||
      prefix.length === 0 ||
      prefix.length > 62 ||
      !WILDCARD_PREFIX.test(prefix)
    ) {
      return `"${name}" is not a namespace prefix wildcard such as dev-*`;
    }
    return undefined;
  }
  if (name.length > 63) {
    return `"${name}" is longer than 63 characters`;
  }
  if (DNS1123_LABEL.test(name)) {
    return undefined;
  }
  // Say "upper-case" only when lower-casing is the whole fix.
  if (DNS1123_LABEL.test(name.toLocaleLowerCase('en-US'))) {
    return `"${name}" has upper-case letters; namespaces are lower-case`;
  }
  return `"${name}" is not a valid namespace name (DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit)`;
}

/** Namespaces typed into one field, separated by commas or white space, once each. @public */
export function parseNamespaces(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** Whether a ticket link is an http(s) URL. @public */
export function isTicketUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text);
}

/**
 * NUL and unpaired UTF-16 surrogates: PostgreSQL cannot store the first in
 * text and the second is not valid UTF-8, so both would become a 500 (or a
 * silently changed value) on one database and not on the other.
 */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- NUL is exactly what is refused
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string every supported database stores as given.
 * @public
 */
export const storableText = () =>
  z
    .string()
    .refine(
      v => !UNSTORABLE.test(v),
      'contains a NUL character or an unpaired surrogate, which cannot be stored',
    );

/**
 * The shape of `POST /requests` (and of the request-cluster-access action):
 * types, lengths, the ticket link. Rules that depend on the access level are
 * {@link accessRequestProblems}.
 * @public
 */
export const createAccessRequestSchema = z.object({
  entityRef: storableText().pipe(z.string().min(1).max(255)),
  principalArn: storableText().pipe(z.string().min(1).max(2048)),
  level: storableText().pipe(z.string().min(1).max(100)),
  scope: z.discriminatedUnion('type', [
    z.object({ type: z.literal('cluster') }),
    z.object({
      type: z.literal('namespace'),
      namespaces: z
        .array(storableText().pipe(z.string().max(64)))
        .min(1)
        .max(MAX_NAMESPACES_PER_REQUEST),
    }),
  ]),
  durationSeconds: z.number().int().min(60),
  reason: storableText().pipe(z.string().max(10_000)),
  ticketUrl: storableText()
    .pipe(z.string().max(2048).refine(isTicketUrl, 'must be an http(s) URL'))
    .optional(),
});

/**
 * The body of `POST /requests/:id/{approve,reject,cancel,revoke,retry}`.
 * @public
 */
export const accessRequestActionSchema = z
  .object({
    comment: storableText().pipe(z.string().max(MAX_COMMENT_LENGTH)).optional(),
  })
  .optional();

/** The parts of a request the level-dependent rules judge. @public */
export type AccessRequestField =
  | 'scope'
  | 'namespaces'
  | 'durationSeconds'
  | 'reason'
  | 'ticketUrl';

/** What is wrong with a request, per field, in words for its requester. @public */
export type AccessRequestProblems = Partial<Record<AccessRequestField, string>>;

/** "45 min", "1 h", "1 h 30 min", "1 day", "3 days 2 h". @public */
export function durationLabel(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  return parts.length > 0 ? parts.join(' ') : `${seconds} s`;
}

/**
 * The rules a request must meet for its access level: the scope type the
 * level offers, valid namespaces (wildcards only where allowed), at most the
 * level's duration, a reason of at most `maxReasonLength` characters, and an
 * http(s) ticket link if any. Empty when the request may be made.
 * @public
 */
export function accessRequestProblems(
  request: Pick<
    CreateAccessRequestBody,
    'scope' | 'durationSeconds' | 'reason' | 'ticketUrl'
  >,
  level: Pick<
    AccessLevelInfo,
    'title' | 'scopes' | 'namespaceWildcards' | 'maxDurationSeconds'
  >,
  options: { maxReasonLength?: number } = {},
): AccessRequestProblems {
  const maxReasonLength = options.maxReasonLength ?? MAX_REASON_LENGTH;
  const problems: AccessRequestProblems = {};
  const { scope } = request;
  if (!level.scopes.includes(scope.type)) {
    problems.scope = `${level.title} cannot be granted for ${
      scope.type === 'cluster' ? 'the whole cluster' : 'namespaces'
    }.`;
  }
  if (scope.type === 'namespace') {
    if (scope.namespaces.length === 0) {
      problems.namespaces = 'Enter at least one namespace.';
    } else if (scope.namespaces.length > MAX_NAMESPACES_PER_REQUEST) {
      problems.namespaces = `At most ${MAX_NAMESPACES_PER_REQUEST} namespaces in one request.`;
    } else {
      const wrong = scope.namespaces
        .map(n => namespaceProblem(n, level.namespaceWildcards))
        .filter(Boolean);
      if (wrong.length > 0) {
        problems.namespaces = wrong.join('; ');
      }
    }
  }
  if (request.durationSeconds > level.maxDurationSeconds) {
    problems.durationSeconds = `${
      level.title
    } can be granted for at most ${durationLabel(level.maxDurationSeconds)}.`;
  }
  const reason = request.reason.trim();
  if (!reason) {
    problems.reason = 'Say why you need access.';
  } else if (reason.length > maxReasonLength) {
    problems.reason = `At most ${maxReasonLength} characters (${reason.length}).`;
  }
  const ticketUrl = request.ticketUrl?.trim();
  if (ticketUrl && !isTicketUrl(ticketUrl)) {
    problems.ticketUrl =
      'Enter an http(s) link, e.g. https://jira.example.com/OPS-1.';
  }
  return problems;
}
