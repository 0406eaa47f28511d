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

import {
  EKS_ACCESS_PRINCIPALS_ANNOTATION,
  getUserIamPrincipals,
  parseArn,
  parseSsoRoleName,
  type AnnotatedIamPrincipal,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import type {
  IdentityResolution,
  IdentityResolver,
  IdentityResolverContext,
} from './IdentityResolver';

/** A short label for a principal: "role PaymentsDeveloper", "IAM user engineering/dana". */
export function principalLabel(principal: {
  type: 'role' | 'user';
  principalArn: string;
  name: string;
}): string {
  if (principal.type === 'user') {
    let resource = principal.name;
    try {
      resource = parseArn(principal.principalArn).resource;
    } catch {
      // not an ARN: the name alone
    }
    return `IAM user ${resource.replace(/^user\//, '')}`;
  }
  const sso = parseSsoRoleName(principal.name);
  return sso ? `SSO ${sso.permissionSetName}` : `role ${principal.name}`;
}

export function toResolvedIdentity(
  principal: AnnotatedIamPrincipal,
  source: ResolvedIdentity['source'],
  label?: string,
): ResolvedIdentity {
  return {
    callerArn: principal.callerArn,
    principalArn: principal.principalArn,
    ...(principal.sessionName ? { sessionName: principal.sessionName } : {}),
    source,
    label: label ?? principalLabel(principal),
  };
}

/** The annotation the catalog sets to where an entity was read from. */
const ORIGIN_LOCATION_ANNOTATION = 'backstage.io/managed-by-origin-location';

/**
 * Reads the IAM principals listed in `eks-access.io/iam-principals` on the
 * signed-in user's `User` entity. Whoever can write the entity's source can
 * write the annotation: unless the entity comes from one of
 * `trustedUserLocations`, its identities are marked unverified (checked,
 * but not requestable without a kubectl proof).
 */
export class AnnotationIdentityResolver implements IdentityResolver {
  readonly id = 'annotation';
  readonly #trustedUserLocations: string[];

  constructor(options: { trustedUserLocations?: string[] } = {}) {
    this.#trustedUserLocations = (options.trustedUserLocations ?? []).filter(
      prefix => prefix !== '',
    );
  }

  async resolve(context: IdentityResolverContext): Promise<IdentityResolution> {
    if (!context.userEntity) {
      return { identities: [], problems: [] };
    }
    const { principals, problems } = getUserIamPrincipals(context.userEntity);
    const origin =
      context.userEntity.metadata.annotations?.[ORIGIN_LOCATION_ANNOTATION];
    const trusted =
      !!origin && this.#trustedUserLocations.some(p => origin.startsWith(p));
    const provenance = {
      ...(origin ? { origin } : {}),
      ...(trusted
        ? {}
        : {
            unverifiedReason: `it comes from an annotation on ${
              context.userEntityRef
            }, read from ${
              origin ?? 'an unknown location'
            }, which is not a trusted user location`,
          }),
    };
    return {
      identities: principals.map(p => ({
        ...toResolvedIdentity(p, 'annotation'),
        ...provenance,
      })),
      problems: problems.map(
        problem =>
          `${EKS_ACCESS_PRINCIPALS_ANNOTATION} on ${context.userEntityRef}: ${problem}`,
      ),
    };
  }
}
