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
 * Words and formats shared by the request dialog, the card's "My requests"
 * list and the "Access requests" page. The checks of a request are
 * -common's `accessRequestProblems`, which the backend enforces.
 */

import {
  durationLabel,
  type AccessRequestIdentityProvenance,
  type AccessRequestScope,
  type AccessRequestState,
} from '@eks-access/plugin-eks-access-common';

export { durationLabel };

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

/** The requested level as people read it: its title, else its name. */
export function levelLabel(request: {
  level: string;
  levelTitle?: string;
}): string {
  return request.levelTitle ?? request.level;
}

/** "whole cluster" or "namespaces a, b". */
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
