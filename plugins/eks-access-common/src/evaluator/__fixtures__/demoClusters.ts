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
 * The 13 clusters of docs/demo-scenario.md and its three callers, as
 * hand-written fixtures shared by the demo-scenario, plan and simulation tests.
 */

import { serializeAwsAuthEntries } from '../awsAuth';
import type {
  AccessCheckInput,
  AccessEntryInfo,
  ClusterAccessData,
} from '../types';

export const PLATFORM = '111122223333';
export const WORKLOADS = '444455556666';
export const SSO_ROLE_NAME =
  'AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
export const SSO_ROLE_FULL = `arn:aws:iam::${PLATFORM}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${SSO_ROLE_NAME}`;
export const SSO_ROLE_STRIPPED = `arn:aws:iam::${PLATFORM}:role/${SSO_ROLE_NAME}`;
export const OLD_SSO_ROLE_STRIPPED = `arn:aws:iam::${PLATFORM}:role/AWSReservedSSO_PaymentsDeveloper_9f8e7d6c5b4a3f2e`;
export const DANA_USER = `arn:aws:iam::${WORKLOADS}:user/engineering/dana`;
export const PLATFORM_ADMIN = `arn:aws:iam::${PLATFORM}:role/PlatformAdmin`;
export const DATA_ENGINEER = `arn:aws:iam::${WORKLOADS}:role/DataEngineer`;

export const danaSso: AccessCheckInput['caller'] = {
  arn: `arn:aws:sts::${PLATFORM}:assumed-role/${SSO_ROLE_NAME}/dana@example.com`,
  iamArn: SSO_ROLE_FULL,
  principalCreatedAt: '2024-03-01T00:00:00Z',
};
export const danaUser: AccessCheckInput['caller'] = {
  arn: DANA_USER,
  iamArn: DANA_USER,
  principalCreatedAt: '2025-06-01T00:00:00Z',
};
export const alex: AccessCheckInput['caller'] = {
  arn: `arn:aws:sts::${PLATFORM}:assumed-role/PlatformAdmin/alex@example.com`,
  iamArn: PLATFORM_ADMIN,
};

export const policy = (name: string) =>
  `arn:aws:eks::aws:cluster-access-policy/${name}`;
export const adminEntry: AccessEntryInfo = {
  principalArn: PLATFORM_ADMIN,
  type: 'STANDARD',
  createdAt: '2024-01-01T00:00:00Z',
  accessPolicies: [
    {
      policyArn: policy('AmazonEKSClusterAdminPolicy'),
      accessScope: { type: 'cluster' },
    },
  ],
};
export const adminMapping = {
  rolearn: PLATFORM_ADMIN,
  username: 'platform-admin',
  groups: ['system:masters'],
};
export const yamlOf = (roles: object[], users: object[] = []) =>
  serializeAwsAuthEntries({ mapRoles: roles as any, mapUsers: users as any });

export type Cluster = ClusterAccessData;
export const base = (
  name: string,
  accountId: string,
  region: string,
  authenticationMode: Cluster['authenticationMode'],
  rest: Partial<Cluster>,
): Cluster => ({
  name,
  accountId,
  region,
  authenticationMode,
  creatorArn: PLATFORM_ADMIN,
  ...rest,
});

export const clusters: Record<string, Cluster> = {
  'payments-prod': base(
    'payments-prod',
    PLATFORM,
    'us-east-1',
    'API_AND_CONFIG_MAP',
    {
      accessEntries: [
        adminEntry,
        {
          principalArn: SSO_ROLE_FULL,
          type: 'STANDARD',
          createdAt: '2024-04-01T00:00:00Z',
          accessPolicies: [
            {
              policyArn: policy('AmazonEKSViewPolicy'),
              accessScope: {
                type: 'namespace',
                namespaces: ['payments', 'payments-jobs'],
              },
            },
          ],
        },
      ],
      awsAuth: {
        data: yamlOf([
          adminMapping,
          {
            rolearn: SSO_ROLE_STRIPPED,
            username: '{{SessionName}}',
            groups: ['payments-admins'],
          },
        ]),
      },
    },
  ),
  'payments-staging': base(
    'payments-staging',
    PLATFORM,
    'us-east-1',
    'CONFIG_MAP',
    {
      awsAuth: {
        data: {
          mapRoles: yamlOf([
            adminMapping,
            {
              rolearn: SSO_ROLE_FULL,
              username: '{{SessionName}}',
              groups: ['payments-devs'],
            },
          ]).mapRoles,
          mapUsers: `- userARN: arn:aws:iam::${PLATFORM}:user/ops/bob\n  username: bob\n  groups:\n  - ops\n`,
        },
      },
    },
  ),
  'Data-Lake_01': base('Data-Lake_01', WORKLOADS, 'eu-west-1', 'API', {
    accessEntries: [
      adminEntry,
      {
        principalArn: DATA_ENGINEER,
        type: 'STANDARD',
        createdAt: '2024-01-01T00:00:00Z',
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSEditPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
      },
    ],
    awsAuth: {
      data: yamlOf(
        [],
        [{ userarn: DANA_USER, username: 'dana', groups: ['data-readers'] }],
      ),
    },
  }),
  'checkout-dev': base(
    'checkout-dev',
    WORKLOADS,
    'eu-west-1',
    'API_AND_CONFIG_MAP',
    {
      accessEntries: [
        adminEntry,
        {
          principalArn: DANA_USER,
          type: 'STANDARD',
          createdAt: '2025-07-01T00:00:00Z',
        },
      ],
      awsAuth: { data: yamlOf([adminMapping]) },
    },
  ),
  'legacy-batch': base('legacy-batch', PLATFORM, 'us-west-2', 'CONFIG_MAP', {
    awsAuth: {
      data: {
        mapRoles: yamlOf([
          adminMapping,
          {
            rolearn: OLD_SSO_ROLE_STRIPPED,
            username: '{{SessionName}}',
            groups: ['batch-devs'],
          },
        ]).mapRoles,
        mapUsers: `- userarn: arn:aws:iam::${PLATFORM}:user/ops/bob\n\tusername: bob\n`,
        maproles: `- rolearn: ${SSO_ROLE_STRIPPED}\n  username: dana\n  groups:\n  - batch-devs\n`,
      },
    },
  }),
  analytics: base('analytics', PLATFORM, 'us-east-1', 'CONFIG_MAP', {
    awsAuth: {
      data: yamlOf([
        adminMapping,
        { rolearn: danaSso.arn, username: 'dana', groups: ['analysts'] },
        { username: 'nobody', groups: ['analysts'] },
      ]),
    },
  }),
  'ml-training': base('ml-training', WORKLOADS, 'us-east-2', 'API', {
    accessEntries: [
      adminEntry,
      {
        principalArn: DATA_ENGINEER,
        type: 'STANDARD',
        createdAt: '2024-01-01T00:00:00Z',
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSEditPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
      },
    ],
  }),
  'search-prod': base('search-prod', WORKLOADS, 'eu-west-1', 'CONFIG_MAP', {
    awsAuth: {
      data: yamlOf(
        [
          adminMapping,
          {
            rolearn: SSO_ROLE_STRIPPED,
            username: 'system:node:{{EC2PrivateDNSName}}',
            groups: ['system:bootstrappers', 'system:nodes'],
          },
        ],
        [
          {
            userarn: `arn:aws:iam::${WORKLOADS}:user/engineering/Dana`,
            username: 'dana',
            groups: ['search-devs'],
          },
        ],
      ),
    },
  }),
  'edge-gateway': base(
    'edge-gateway',
    PLATFORM,
    'ap-southeast-2',
    'API_AND_CONFIG_MAP',
    {
      accessEntries: [adminEntry],
      awsAuth: undefined,
    },
  ),
  'platform-tools': base(
    'platform-tools',
    PLATFORM,
    'us-east-1',
    'CONFIG_MAP',
    {
      creatorArn: SSO_ROLE_FULL,
      awsAuth: { data: yamlOf([adminMapping]) },
    },
  ),
  'docs-site': base('docs-site', PLATFORM, 'us-east-1', 'CONFIG_MAP', {
    awsAuth: {
      data: {
        ...yamlOf([
          adminMapping,
          {
            rolearn: SSO_ROLE_STRIPPED,
            username: '{{SessionName}}',
            groups: [],
          },
        ]),
        mapAccounts: `- "${WORKLOADS}"\n`,
      },
    },
  }),
  'ci-runners': base('ci-runners', PLATFORM, 'us-east-1', 'API', {
    accessEntries: [
      adminEntry,
      {
        principalArn: SSO_ROLE_FULL,
        type: 'EC2_LINUX',
        createdAt: '2024-05-01T00:00:00Z',
      },
    ],
  }),
  reporting: base('reporting', WORKLOADS, 'eu-west-1', 'API_AND_CONFIG_MAP', {
    accessEntries: [
      adminEntry,
      {
        principalArn: DANA_USER,
        type: 'STANDARD',
        createdAt: '2024-01-10T00:00:00Z',
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSViewPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
      },
    ],
    awsAuth: {
      data: yamlOf(
        [adminMapping],
        [
          {
            userarn: DANA_USER,
            username: 'dana',
            groups: ['reporting-readers'],
          },
        ],
      ),
    },
  }),
};
