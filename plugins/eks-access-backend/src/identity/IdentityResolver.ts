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

import type { Entity } from '@backstage/catalog-model';
import type { ResolvedIdentity } from '@eks-access/plugin-eks-access-common';

/** What a resolver knows about the signed-in developer. */
export interface IdentityResolverContext {
  /** e.g. `user:default/dana` */
  userEntityRef: string;
  /** The user's `User` entity, when the catalog has one the user may see. */
  userEntity?: Entity;
}

/** The identities a resolver found, and problems to show the developer. */
export interface IdentityResolution {
  identities: ResolvedIdentity[];
  problems: string[];
}

/**
 * Finds the IAM identities a developer acts as. Resolvers run in the
 * configured order and their identities are concatenated (duplicates by
 * caller ARN dropped). An IAM Identity Center resolver (account assignments
 * of the user) can implement this interface later.
 */
export interface IdentityResolver {
  /** A short id used in config (`annotation`, `template`). */
  readonly id: string;
  resolve(context: IdentityResolverContext): Promise<IdentityResolution>;
}

/** Runs resolvers in order and merges their answers. */
export async function resolveIdentities(
  resolvers: IdentityResolver[],
  context: IdentityResolverContext,
): Promise<IdentityResolution> {
  const identities: ResolvedIdentity[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const resolver of resolvers) {
    const result = await resolver.resolve(context);
    problems.push(...result.problems);
    for (const identity of result.identities) {
      if (!seen.has(identity.callerArn)) {
        seen.add(identity.callerArn);
        identities.push(identity);
      }
    }
  }
  return { identities, problems };
}
