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
 * Words, formats and client-side checks shared by the request dialog, the
 * card's "My requests" list and the "Access requests" page. The backend
 * repeats every check; these only let the form say what is wrong before
 * sending.
 */

import type {
  AccessRequestIdentityProvenance,
  AccessRequestScope,
  AccessRequestState,
} from '@eks-access/plugin-eks-access-common';

/** What each request state is called on screen. */
export const requestStateLabels: Record<AccessRequestState, string> = {
  pending: 'Pending approval',
  approved: 'Approved, being applied',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** The default longest reason the backend accepts (`maxReasonLength`). */
export const MAX_REASON_LENGTH = 1000;

/** The longest comment the backend accepts on a decision. */
export const MAX_COMMENT_LENGTH = 2000;

/** The request dialog's duration choices, in seconds. */
const DURATION_CHOICES = [
  15 * 60,
  30 * 60,
  3600,
  2 * 3600,
  4 * 3600,
  8 * 3600,
  12 * 3600,
  24 * 3600,
  3 * 24 * 3600,
  7 * 24 * 3600,
];

/** "45 min", "1 h", "1 h 30 min", "1 day", "3 days 2 h". */
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
 * The durations a requester may pick for a level: the usual choices up to
 * the level's maximum, and the maximum itself.
 */
export function durationChoices(maxSeconds: number): number[] {
  const choices = DURATION_CHOICES.filter(d => d <= maxSeconds);
  if (!choices.includes(maxSeconds)) {
    choices.push(maxSeconds);
  }
  return choices;
}

/** The default duration for a level: 1 h when allowed, else the maximum. */
export function defaultDuration(maxSeconds: number): number {
  return Math.min(3600, maxSeconds);
}

/** "whole cluster" or "namespaces a, b". */
/** The requested level as people read it: its title, else its name. */
export function levelLabel(request: {
  level: string;
  levelTitle?: string;
}): string {
  return request.levelTitle ?? request.level;
}

export function scopeLabel(scope: AccessRequestScope): string {
  return scope.type === 'cluster'
    ? 'whole cluster'
    : `${
        scope.namespaces.length === 1 ? 'namespace' : 'namespaces'
      } ${scope.namespaces.join(', ')}`;
}

/** A date and time in the user's locale. */
export function dateTimeLabel(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * Where a request's identity came from, for approvers: "IAM Identity Center,
 * permission set PaymentsDeveloper (group payments-developers); verified
 * 30 Nov 2026, 12:00", "Proven with a kubectl token at …".
 */
export function identityProvenanceLabel(
  provenance: AccessRequestIdentityProvenance | undefined,
): string {
  if (!provenance) {
    return 'Not recorded (requested before identities were verified)';
  }
  const at = dateTimeLabel(provenance.verifiedAt);
  switch (provenance.source) {
    case 'identity-center': {
      const through = provenance.assignedThrough?.length
        ? ` (${provenance.assignedThrough.join(', ')})`
        : '';
      const set = provenance.permissionSetName
        ? `, permission set ${provenance.permissionSetName}${through}`
        : through;
      return `IAM Identity Center${set}; verified ${at}`;
    }
    case 'template':
      return `Identity template in the portal's configuration; verified ${at}`;
    case 'annotation':
      return `Annotation on the requester's user entity${
        provenance.origin ? `, read from ${provenance.origin}` : ''
      } (a trusted location); verified ${at}`;
    case 'verified':
      return `Proven by the requester with a kubectl token at ${at}`;
    default:
      return `${String(provenance.source)}; verified ${at}`;
  }
}

/** "in 55 min", "in 2 h 5 min", "3 min ago", "just now". */
export function relativeTimeLabel(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  // Under a minute either way (clocks differ a little): not "in 1 min".
  if (Math.abs(seconds) < 60) {
    return seconds > 5 ? 'in less than a minute' : 'just now';
  }
  const minutes = Math.max(1, Math.round(Math.abs(seconds) / 60));
  const span = durationLabel(minutes * 60);
  return seconds >= 0 ? `in ${span}` : `${span} ago`;
}

/** The name part of an entity ref: `user:default/dana` → `dana`. */
export function entityRefName(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why a namespace is not acceptable, or undefined when it is: a DNS-1123
 * label, or with `allowWildcard` a label prefix followed by `*`.
 */
export function namespaceProblem(
  name: string,
  allowWildcard: boolean,
): string | undefined {
  if (name.includes('*')) {
    if (!allowWildcard) {
      return `"${name}": this access level does not allow namespace wildcards`;
    }
    const prefix = name.slice(0, -1);
    if (
      !name.endsWith('*') ||
      prefix.length === 0 ||
      prefix.length > 62 ||
      !/^[a-z0-9][-a-z0-9]*$/.test(prefix)
    ) {
      return `"${name}" is not a namespace prefix wildcard such as dev-*`;
    }
    return undefined;
  }
  if (name.length > 63) {
    return `"${name}" is longer than 63 characters`;
  }
  if (/[A-Z]/.test(name)) {
    return `"${name}" has upper-case letters; namespaces are lower-case`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return `"${name}" is not a valid namespace: use lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Namespaces typed into one field, separated by commas or white space. */
export function parseNamespaces(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** Whether a ticket link is an http(s) URL, as the backend requires. */
export function isTicketUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text);
}
