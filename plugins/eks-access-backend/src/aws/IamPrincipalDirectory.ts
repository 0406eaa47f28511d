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

import type { IamPrincipalRef } from '@eks-access/plugin-eks-access-common';
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { ClusterClients } from './ClusterClients';
import { toIso } from './EksApiSources';

/** IAM facts about a principal. */
export interface PrincipalFacts {
  /** The full IAM ARN with its path. */
  arn: string;
  createdAt?: string;
}

/** Looks up IAM roles and users (GetRole / GetUser). */
export interface PrincipalDirectory {
  /**
   * Facts about a role or user given as an IAM ARN (the path may be
   * missing). `undefined` when IAM says it does not exist.
   */
  lookupPrincipal(
    principal: IamPrincipalRef,
  ): Promise<PrincipalFacts | undefined>;
}

/** {@link PrincipalDirectory} over IAM GetRole / GetUser. */
export class IamPrincipalDirectory implements PrincipalDirectory {
  readonly #clients: ClusterClients;

  constructor(clients: ClusterClients) {
    this.#clients = clients;
  }

  async lookupPrincipal(
    principal: IamPrincipalRef,
  ): Promise<PrincipalFacts | undefined> {
    const client = this.#clients.iam(principal);
    try {
      if (principal.type === 'role') {
        const { Role } = await client.send(
          new GetRoleCommand({ RoleName: principal.name }),
        );
        return Role?.Arn
          ? { arn: Role.Arn, createdAt: toIso(Role.CreateDate) }
          : undefined;
      }
      const { User } = await client.send(
        new GetUserCommand({ UserName: principal.name }),
      );
      return User?.Arn
        ? { arn: User.Arn, createdAt: toIso(User.CreateDate) }
        : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchEntityException') {
        return undefined;
      }
      throw error;
    }
  }
}
