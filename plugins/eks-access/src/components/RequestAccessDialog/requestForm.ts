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
 * The request form's logic, without React: which identities may be offered,
 * the form's values and how a level choice changes them, the request body
 * they make, and what is wrong with them. The rules are -common's
 * (`createAccessRequestSchema`, `accessRequestProblems`), which the backend
 * enforces; this module only maps them onto the form's fields.
 */

import {
  accessRequestProblems,
  canonicalPrincipalArn,
  canonicalizeArnWithKind,
  createAccessRequestSchema,
  MAX_REASON_LENGTH,
  parseNamespaces,
  type AccessLevelInfo,
  type CreateAccessRequestBody,
  type IdentityAccess,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';

/** One identity the user may request access for. */
export interface RequestablePrincipal {
  principalArn: string;
  label: string;
  /** Whether this identity already has usable access to the cluster. */
  hasAccess: boolean;
}

/**
 * Whether an ARN names an IAM role or user, what a grant is given to: never
 * an STS session (access is granted to the role behind it), a root or a
 * federated user.
 */
export function isGrantablePrincipalArn(arn: string): boolean {
  try {
    const { kind, parsed } = canonicalizeArnWithKind(arn);
    return (
      (kind === 'role' || kind === 'user') &&
      /^\d{12}$/.test(parsed.accountId) &&
      /^(role|user)\/./.test(parsed.resource)
    );
  } catch {
    return false;
  }
}

/**
 * The role and user ARNs behind the user's resolved identities, once each,
 * those without usable access first. Session ARNs are never offered: access
 * is granted to the role behind a session.
 */
export function requestablePrincipals(
  identities: IdentityAccess[],
): RequestablePrincipal[] {
  const byArn = new Map<string, RequestablePrincipal>();
  for (const { identity, verdict } of identities) {
    const arn = identity.principalArn;
    if (!arn || !isGrantablePrincipalArn(arn) || !isVerified(identity)) {
      continue;
    }
    const hasAccess =
      verdict.decision === 'allowed' && !verdict.expectForbidden;
    const known = byArn.get(arn);
    if (known) {
      known.hasAccess = known.hasAccess || hasAccess;
    } else {
      byArn.set(arn, { principalArn: arn, label: identity.label, hasAccess });
    }
  }
  return [...byArn.values()].sort(
    (a, b) => Number(a.hasAccess) - Number(b.hasAccess),
  );
}

/**
 * Whether access may be requested for an identity: it comes from a source
 * the user cannot write, or they proved it (the backend refuses the rest).
 */
function isVerified(identity: ResolvedIdentity): boolean {
  return identity.source !== 'pasted' && !identity.unverifiedReason;
}

/**
 * The user's role and user ARNs that cannot be requested until proven with
 * a kubectl token, with the reason, once each.
 */
export function unverifiedPrincipals(
  identities: IdentityAccess[],
): Array<{ principalArn: string; label: string; reason: string }> {
  const requestable = new Set(
    requestablePrincipals(identities).map(p => p.principalArn),
  );
  const byArn = new Map<
    string,
    { principalArn: string; label: string; reason: string }
  >();
  for (const { identity } of identities) {
    const arn = identity.principalArn;
    if (
      identity.unverifiedReason &&
      arn &&
      isGrantablePrincipalArn(arn) &&
      !requestable.has(arn) &&
      !byArn.has(arn)
    ) {
      byArn.set(arn, {
        principalArn: arn,
        label: identity.label,
        reason: identity.unverifiedReason,
      });
    }
  }
  return [...byArn.values()];
}

/**
 * The principal an ARN names, path and case aside (-common's
 * `canonicalPrincipalArn`): two ARNs of one principal compare equal.
 */
export function principalWithoutPath(arn: string): string {
  try {
    return canonicalPrincipalArn(arn).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
}

/**
 * The principals offered, plus the identity the user proved with a kubectl
 * token when none of their identities is the same principal.
 */
export function withProvenIdentity(
  principals: RequestablePrincipal[],
  proven: ResolvedIdentity | undefined,
): RequestablePrincipal[] {
  if (
    !proven ||
    !isGrantablePrincipalArn(proven.principalArn) ||
    principals.some(
      p =>
        principalWithoutPath(p.principalArn) ===
        principalWithoutPath(proven.principalArn),
    )
  ) {
    return principals;
  }
  return [
    ...principals,
    {
      principalArn: proven.principalArn,
      label: proven.label,
      hasAccess: false,
    },
  ];
}

/** The request form's values. */
export interface RequestFormValues {
  principalArn: string;
  level: string;
  scopeType: 'cluster' | 'namespace';
  namespaces: string;
  durationSeconds: number;
  reason: string;
  ticketUrl: string;
}

/** What is wrong with the form, per field. */
export type RequestFormErrors = Partial<
  Record<keyof RequestFormValues, string>
>;

/** The form's fields in the order they are shown, with their words. */
export const requestFormFields: Array<[keyof RequestFormValues, string]> = [
  ['principalArn', 'Identity'],
  ['level', 'Access level'],
  ['scopeType', 'Scope'],
  ['namespaces', 'Namespaces'],
  ['durationSeconds', 'Duration'],
  ['reason', 'Reason'],
  ['ticketUrl', 'Ticket link'],
];

/** The form as it opens: the first offered identity, one hour. */
export function initialRequestFormValues(
  principals: RequestablePrincipal[],
): RequestFormValues {
  return {
    principalArn: principals[0]?.principalArn ?? '',
    level: '',
    scopeType: 'cluster',
    namespaces: '',
    durationSeconds: 3600,
    reason: '',
    ticketUrl: '',
  };
}

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

/**
 * The values after choosing a level: a scope and a duration the level
 * allows, keeping the user's choices where they still fit.
 */
export function valuesForLevel(
  values: RequestFormValues,
  level: AccessLevelInfo | undefined,
): RequestFormValues {
  if (!level) {
    return { ...values, level: '' };
  }
  return {
    ...values,
    level: level.name,
    scopeType: level.scopes.includes(values.scopeType)
      ? values.scopeType
      : level.scopes[0],
    durationSeconds:
      values.durationSeconds <= level.maxDurationSeconds
        ? values.durationSeconds
        : defaultDuration(level.maxDurationSeconds),
  };
}

/** The `POST /requests` body the values make. */
export function requestBody(
  values: RequestFormValues,
  entityRef: string,
): CreateAccessRequestBody {
  return {
    entityRef,
    principalArn: values.principalArn,
    level: values.level,
    scope:
      values.scopeType === 'cluster'
        ? { type: 'cluster' }
        : { type: 'namespace', namespaces: parseNamespaces(values.namespaces) },
    durationSeconds: values.durationSeconds,
    reason: values.reason.trim(),
    ticketUrl: values.ticketUrl.trim() || undefined,
  };
}

/** The form field a path in `createAccessRequestSchema` belongs to. */
function fieldOfSchemaPath(path: PropertyKey[]): keyof RequestFormValues {
  const [head, next] = path;
  if (head === 'scope') {
    return next === 'namespaces' ? 'namespaces' : 'scopeType';
  }
  return head as keyof RequestFormValues;
}

/**
 * What is wrong with the form, per field: the backend's own rules, in the
 * form's words. A field has at most one message; the level-dependent
 * explanation wins over the schema's generic one.
 */
export function validateRequestForm(
  values: RequestFormValues,
  level: AccessLevelInfo | undefined,
  maxReasonLength = MAX_REASON_LENGTH,
): RequestFormErrors {
  const errors: RequestFormErrors = {};
  if (!values.principalArn) {
    errors.principalArn = 'Choose the identity to grant access to.';
  }
  if (!level) {
    errors.level = 'Choose an access level.';
  } else if (level.unavailable) {
    // The backend refuses it too (409, same code): say why before sending.
    errors.level = level.unavailable.reason;
  }
  const body = requestBody(values, 'form');
  const shape = createAccessRequestSchema.safeParse(body);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const field = fieldOfSchemaPath(issue.path);
      errors[field] ??= issue.message;
    }
  }
  if (level) {
    const problems = accessRequestProblems(body, level, { maxReasonLength });
    errors.scopeType = problems.scope ?? errors.scopeType;
    errors.namespaces = problems.namespaces ?? errors.namespaces;
    errors.durationSeconds = problems.durationSeconds ?? errors.durationSeconds;
    errors.reason = problems.reason ?? errors.reason;
    errors.ticketUrl = problems.ticketUrl ?? errors.ticketUrl;
  }
  for (const field of Object.keys(errors) as Array<keyof RequestFormValues>) {
    if (!errors[field]) delete errors[field];
  }
  return errors;
}

/**
 * The mistakes worth saying while the user is still typing, before the
 * first submit: namespaces once some are typed, a reason over the limit, a
 * ticket link that is not a link.
 */
export function liveRequestFormErrors(
  values: RequestFormValues,
  errors: RequestFormErrors,
  maxReasonLength: number,
): RequestFormErrors {
  return {
    namespaces: values.namespaces.trim() ? errors.namespaces : undefined,
    reason:
      values.reason.trim().length > maxReasonLength ? errors.reason : undefined,
    ticketUrl: errors.ticketUrl,
  };
}
