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
 * The AWS calls a migration makes, behind one small interface, and its
 * implementation over the AWS SDK v3. Entries the migration creates carry
 * the tag `eks-access/migration`, so a resumed or rolled-back migration
 * knows them from AWS itself, whatever happened to this process.
 */

import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  type EKSClient,
  ListAssociatedAccessPoliciesCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import type {
  AuthenticationMode,
  PlanAccessScope,
} from '@eks-access/plugin-eks-access-common';

/** The tag that marks the entries a migration created; its value is the migration id. */
export const MIGRATION_TAG = 'eks-access/migration';

/** An access entry as the migration reads it. */
export interface MigrationTargetEntry {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  tags: Record<string, string>;
  accessPolicies: { policyArn: string; accessScope: PlanAccessScope }[];
}

/** What a migration does to one cluster. */
export interface MigrationTarget {
  authenticationMode(): Promise<AuthenticationMode>;
  /** Starts a mode change; the update id. Throws EKS's errors (ResourceInUseException...). */
  updateAuthenticationMode(mode: AuthenticationMode): Promise<string>;
  updateStatus(updateId: string): Promise<string>;
  describeEntry(principalArn: string): Promise<MigrationTargetEntry | null>;
  /** False when an entry for the principal already exists. */
  createEntry(
    entry: Omit<MigrationTargetEntry, 'accessPolicies'>,
  ): Promise<boolean>;
  associatePolicy(
    principalArn: string,
    policyArn: string,
    accessScope: PlanAccessScope,
  ): Promise<void>;
  deleteEntry(principalArn: string): Promise<void>;
  /** The full ARN (with path) of a role, for entries whose path aws-auth drops. */
  roleArn(roleName: string): Promise<string>;
}

const errorName = (error: unknown) => (error as { name?: string })?.name;

/** {@link MigrationTarget} over the EKS and IAM APIs. */
export class SdkMigrationTarget implements MigrationTarget {
  constructor(
    private readonly eks: EKSClient,
    private readonly iam: IAMClient,
    private readonly clusterName: string,
  ) {}

  async authenticationMode(): Promise<AuthenticationMode> {
    const { cluster } = await this.eks.send(
      new DescribeClusterCommand({ name: this.clusterName }),
    );
    return (cluster?.accessConfig?.authenticationMode ??
      'CONFIG_MAP') as AuthenticationMode;
  }

  async updateAuthenticationMode(mode: AuthenticationMode): Promise<string> {
    const { update } = await this.eks.send(
      new UpdateClusterConfigCommand({
        name: this.clusterName,
        accessConfig: { authenticationMode: mode },
      }),
    );
    return update?.id ?? '';
  }

  async updateStatus(updateId: string): Promise<string> {
    const { update } = await this.eks.send(
      new DescribeUpdateCommand({ name: this.clusterName, updateId }),
    );
    return update?.status ?? 'InProgress';
  }

  async describeEntry(
    principalArn: string,
  ): Promise<MigrationTargetEntry | null> {
    let entry;
    try {
      ({ accessEntry: entry } = await this.eks.send(
        new DescribeAccessEntryCommand({
          clusterName: this.clusterName,
          principalArn,
        }),
      ));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return null;
      throw error;
    }
    const accessPolicies: MigrationTargetEntry['accessPolicies'] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.eks.send(
        new ListAssociatedAccessPoliciesCommand({
          clusterName: this.clusterName,
          principalArn,
          nextToken,
        }),
      );
      for (const p of page.associatedAccessPolicies ?? []) {
        accessPolicies.push({
          policyArn: p.policyArn!,
          accessScope:
            p.accessScope?.type === 'namespace'
              ? { type: 'namespace', namespaces: p.accessScope.namespaces }
              : { type: 'cluster' },
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return {
      principalArn: entry?.principalArn ?? principalArn,
      type: entry?.type ?? 'STANDARD',
      username: entry?.username,
      kubernetesGroups: entry?.kubernetesGroups ?? [],
      tags: entry?.tags ?? {},
      accessPolicies,
    };
  }

  async createEntry(
    entry: Omit<MigrationTargetEntry, 'accessPolicies'>,
  ): Promise<boolean> {
    try {
      await this.eks.send(
        new CreateAccessEntryCommand({
          clusterName: this.clusterName,
          principalArn: entry.principalArn,
          type: entry.type,
          ...(entry.username ? { username: entry.username } : {}),
          ...(entry.kubernetesGroups.length
            ? { kubernetesGroups: entry.kubernetesGroups }
            : {}),
          tags: entry.tags,
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') return false;
      throw error;
    }
  }

  async associatePolicy(
    principalArn: string,
    policyArn: string,
    accessScope: PlanAccessScope,
  ): Promise<void> {
    await this.eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: this.clusterName,
        principalArn,
        policyArn,
        accessScope:
          accessScope.type === 'namespace'
            ? { type: 'namespace', namespaces: accessScope.namespaces }
            : { type: 'cluster' },
      }),
    );
  }

  async deleteEntry(principalArn: string): Promise<void> {
    try {
      await this.eks.send(
        new DeleteAccessEntryCommand({
          clusterName: this.clusterName,
          principalArn,
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
  }

  async roleArn(roleName: string): Promise<string> {
    const { Role } = await this.iam.send(
      new GetRoleCommand({ RoleName: roleName }),
    );
    if (!Role?.Arn) throw new Error(`IAM has no role ${roleName}`);
    return Role.Arn;
  }
}
