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

import { NotAllowedError } from '@backstage/errors';
import type {
  AccessRequestIdentityErrorCode,
  AccessRequestIdentityProvenance,
  ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import { canonicalPrincipalArn } from '@eks-access/plugin-eks-access-common';

/**
 * A request for an identity that is not the requester's verified identity:
 * a 403 whose `error.code` is stable for clients and assistants.
 * @public
 */
export class RequesterIdentityError extends NotAllowedError {
  constructor(readonly code: AccessRequestIdentityErrorCode, message: string) {
    super(message);
  }
}

function sameKey(arn: string): string | undefined {
  try {
    return canonicalPrincipalArn(arn).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * Whether an identity counts as verified: it comes from a source the
 * requester cannot write (IAM Identity Center, a config template, an
 * annotation on a User entity from a trusted location) or from a kubectl
 * token they proved. Pasted identities never do.
 */
function isVerified(
  identity: ResolvedIdentity,
): identity is ResolvedIdentity & {
  source: AccessRequestIdentityProvenance['source'];
} {
  return identity.source !== 'pasted' && !identity.unverifiedReason;
}

function provenanceOf(
  identity: ResolvedIdentity & {
    source: AccessRequestIdentityProvenance['source'];
  },
  now: Date,
): AccessRequestIdentityProvenance {
  return {
    source: identity.source,
    label: identity.label,
    verifiedAt:
      identity.source === 'verified' && identity.verifiedAt
        ? identity.verifiedAt
        : now.toISOString(),
    ...(identity.permissionSetName
      ? { permissionSetName: identity.permissionSetName }
      : {}),
    ...(identity.assignedThrough?.length
      ? { assignedThrough: identity.assignedThrough }
      : {}),
    ...(identity.origin ? { origin: identity.origin } : {}),
  };
}

/**
 * The identity a request is for, among the requester's identities (their
 * resolvers' and their current kubectl proof): the IAM principal to grant
 * and where it came from. Refuses an ARN that is none of them
 * (`IDENTITY_NOT_YOURS`, e.g. a pasted one) or is theirs only by data they
 * could have written (`IDENTITY_NOT_VERIFIED`).
 * @public
 */
export function requestedIdentity(
  principalArn: string,
  identities: ResolvedIdentity[],
  options: { requester: string; now?: Date },
): { principalArn: string; provenance: AccessRequestIdentityProvenance } {
  const key = sameKey(principalArn);
  const matching = key
    ? identities.filter(i => sameKey(i.principalArn) === key)
    : [];
  if (matching.length === 0) {
    throw new RequesterIdentityError(
      'IDENTITY_NOT_YOURS',
      `${principalArn} is not one of your IAM identities; you can only request access for identities resolved for ${options.requester} or proven with "Verify the identity my kubectl uses"`,
    );
  }
  // A resolver's source the requester cannot write first, then a proof.
  const candidates = matching.filter(isVerified);
  const verified =
    candidates.find(i => i.source !== 'verified') ?? candidates[0];
  if (!verified) {
    const reason = matching.find(i => i.unverifiedReason)?.unverifiedReason;
    throw new RequesterIdentityError(
      'IDENTITY_NOT_VERIFIED',
      `${principalArn} is not a verified identity of yours${
        reason ? ` (${reason})` : ''
      }; prove that you use it with "Verify the identity my kubectl uses" on the cluster's card, then request it again`,
    );
  }
  // A resolver's ARN keeps the role's path, which a proven session lacks.
  const grantArn =
    matching.find(i => i.source !== 'verified')?.principalArn ??
    verified.principalArn;
  return {
    principalArn: grantArn,
    provenance: provenanceOf(verified, options.now ?? new Date()),
  };
}
