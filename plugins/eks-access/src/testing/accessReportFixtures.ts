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
 * Access reports shaped like the demo scenario (docs/demo-scenario.md), for
 * the frontend's tests. Only tests import this file.
 */

import type {
  AccessLevelInfo,
  AccessRequest,
  ClusterAccessReport,
  ClusterAccessSummary,
  ClusterFacts,
  IdentityAccess,
} from '@eks-access/plugin-eks-access-common';
import { ResponseError } from '@backstage/errors';
import type { EksAccessApi } from '../api';

export const danaSsoIdentity: IdentityAccess['identity'] = {
  callerArn:
    'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
  principalArn:
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
  sessionName: 'dana@example.com',
  source: 'annotation',
  label: 'SSO PaymentsDeveloper',
};

export const danaUserIdentity: IdentityAccess['identity'] = {
  callerArn: 'arn:aws:iam::444455556666:user/engineering/dana',
  principalArn: 'arn:aws:iam::444455556666:user/engineering/dana',
  source: 'annotation',
  label: 'IAM user engineering/dana',
};

export function clusterFacts(
  overrides: Partial<ClusterFacts> & { name: string },
): ClusterFacts {
  return {
    entityRef: `resource:default/${overrides.name.toLowerCase()}`,
    arn: `arn:aws:eks:us-east-1:111122223333:cluster/${overrides.name}`,
    partition: 'aws',
    accountId: '111122223333',
    region: 'us-east-1',
    authenticationMode: 'API_AND_CONFIG_MAP',
    status: 'ACTIVE',
    fetchedAt: new Date().toISOString(),
    sources: {
      cluster: { state: 'ok' },
      accessEntries: { state: 'ok' },
      awsAuth: { state: 'ok' },
    },
    ...overrides,
  };
}

const notMappedUser: IdentityAccess = {
  identity: danaUserIdentity,
  verdict: {
    decision: 'denied',
    canonicalArn: danaUserIdentity.callerArn,
    findings: [
      {
        code: 'NOT_MAPPED',
        severity: 'error',
        message:
          'No access entry or aws-auth mapping on this cluster admits arn:aws:iam::444455556666:user/engineering/dana.',
        fix: {
          summary: 'Ask the cluster owners for an access entry.',
          commands: [
            'aws eks create-access-entry --cluster-name payments-prod --region us-east-1 --principal-arn arn:aws:iam::444455556666:user/engineering/dana',
          ],
        },
      },
    ],
  },
};

/** payments-prod: Dana's SSO role gets in through an access entry. */
export function allowedReport(): ClusterAccessReport {
  return {
    cluster: clusterFacts({ name: 'payments-prod' }),
    identities: [
      {
        identity: danaSsoIdentity,
        verdict: {
          decision: 'allowed',
          via: 'access-entry',
          canonicalArn:
            'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
          username: 'dana-sso',
          groups: [],
          accessPolicies: [
            {
              policyArn:
                'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              accessScope: {
                type: 'namespace',
                namespaces: ['payments', 'payments-jobs'],
              },
            },
          ],
          findings: [
            {
              code: 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH',
              severity: 'info',
              message:
                'The access entry is used; the aws-auth mapping to payments-admins is ignored for this role.',
            },
          ],
        },
        kubeconfigCommand:
          'aws eks update-kubeconfig --name payments-prod --region us-east-1',
        kubeconfig: {
          command:
            'aws eks update-kubeconfig --name payments-prod --region us-east-1',
          notes: [
            'This is an IAM Identity Center role: add "--profile <profile>" to the command.',
          ],
        },
      },
      notMappedUser,
    ],
    checkedAt: new Date(Date.now() - 12_000).toISOString(),
  };
}

/** payments-staging: aws-auth names the SSO role with its path. */
export function deniedReport(): ClusterAccessReport {
  return {
    cluster: clusterFacts({
      name: 'payments-staging',
      entityRef: 'resource:default/eks-payments-staging',
      authenticationMode: 'CONFIG_MAP',
      sources: {
        cluster: { state: 'ok' },
        accessEntries: { state: 'not-used' },
        awsAuth: { state: 'ok' },
      },
    }),
    identities: [
      {
        identity: danaSsoIdentity,
        verdict: {
          decision: 'denied',
          canonicalArn:
            'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
          findings: [
            {
              code: 'AWS_AUTH_KEY_CASE',
              severity: 'warning',
              message: 'mapUsers has an entry with the key userARN.',
            },
            {
              code: 'AWS_AUTH_ROLE_ARN_HAS_PATH',
              severity: 'error',
              message:
                'aws-auth maps the role with its path /aws-reserved/sso.amazonaws.com/eu-west-1/; EKS compares the ARN without the path, so this entry never matches.',
              fix: {
                summary: 'Map the role ARN without its path.',
                commands: [
                  'eksctl create iamidentitymapping --cluster payments-staging --region us-east-1 --arn arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b --username dana --group payments-developers',
                ],
              },
            },
          ],
        },
      },
    ],
    checkedAt: new Date().toISOString(),
  };
}

/** edge-gateway: the Kubernetes API cannot be reached, so aws-auth is unknown. */
export function unknownReport(): ClusterAccessReport {
  return {
    cluster: clusterFacts({
      name: 'edge-gateway',
      region: 'ap-southeast-2',
      sources: {
        cluster: { state: 'ok' },
        accessEntries: { state: 'ok' },
        awsAuth: {
          state: 'error',
          errorCode: 'Unreachable',
          message: 'The Kubernetes API server did not answer',
        },
      },
    }),
    identities: [
      {
        identity: danaSsoIdentity,
        verdict: {
          decision: 'unknown',
          findings: [
            {
              code: 'DATA_UNAVAILABLE',
              severity: 'warning',
              message:
                'The aws-auth ConfigMap could not be read, and no access entry admits this identity.',
            },
          ],
        },
      },
    ],
    checkedAt: new Date().toISOString(),
  };
}

/** docs-site: mapped with no groups, so every request is Forbidden. */
export function forbiddenReport(): ClusterAccessReport {
  return {
    cluster: clusterFacts({
      name: 'docs-site',
      authenticationMode: 'CONFIG_MAP',
    }),
    identities: [
      {
        identity: danaSsoIdentity,
        verdict: {
          decision: 'allowed',
          via: 'aws-auth-role',
          username: 'dana-example.com',
          groups: [],
          expectForbidden: true,
          findings: [
            {
              code: 'NO_GROUPS',
              severity: 'warning',
              message:
                'The aws-auth mapping gives no groups, so Kubernetes RBAC grants nothing.',
              fix: {
                summary: 'Add a group that is bound to a role.',
                commands: ['kubectl edit configmap aws-auth -n kube-system'],
              },
            },
          ],
        },
        kubeconfigCommand:
          'aws eks update-kubeconfig --name docs-site --region us-east-1',
      },
    ],
    checkedAt: new Date().toISOString(),
  };
}

/** A user without any declared IAM identity. */
export function noIdentitiesReport(): ClusterAccessReport {
  return {
    cluster: clusterFacts({ name: 'payments-prod' }),
    identities: [],
    notes: [],
    checkedAt: new Date().toISOString(),
  };
}

/** A `ResponseError` as the client throws it for a failed response. */
export async function responseError(
  status: number,
  statusText: string,
  error: { name: string; message: string },
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error, response: { statusCode: status } }), {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

export function summary(
  overrides: Partial<ClusterAccessSummary> & { name: string },
): ClusterAccessSummary {
  return {
    entityRef: `resource:default/${overrides.name.toLowerCase()}`,
    accountId: '111122223333',
    region: 'us-east-1',
    authenticationMode: 'API',
    status: 'denied',
    findingCount: 1,
    ...overrides,
  };
}

export type MockEksAccessApi = jest.Mocked<EksAccessApi>;

type StreamClustersOptions = Parameters<EksAccessApi['streamClusters']>[0];

/** A `streamClusters` that sends every cluster, in index order, then ends. */
export function fullStream(clusters: ClusterAccessSummary[]) {
  return async (options: StreamClustersOptions) => {
    options.onTotal(clusters.length);
    clusters.forEach((cluster, index) => options.onRow(index, cluster));
  };
}

/**
 * The next `streamClusters` call, driven by the test event by event, as the
 * backend sends them when clusters resolve in their own time.
 */
export function controlledStream(api: MockEksAccessApi) {
  let options: StreamClustersOptions | undefined;
  let end: () => void = () => {};
  let fail: (error: Error) => void = () => {};
  api.streamClusters.mockImplementationOnce(
    given =>
      new Promise<void>((resolve, reject) => {
        options = given;
        end = resolve;
        fail = reject;
      }),
  );
  const started = () => {
    if (!options) throw new Error('streamClusters was not called');
    return options;
  };
  return {
    options: started,
    total: (totalCount: number) => started().onTotal(totalCount),
    row: (index: number, item: ClusterAccessSummary) =>
      started().onRow(index, item),
    end: () => end(),
    fail: (error: Error) => fail(error),
  };
}

export function mockEksAccessApi(): MockEksAccessApi {
  return {
    getAccess: jest.fn(),
    checkIdentity: jest.fn(),
    listClusters: jest.fn(),
    streamClusters: jest.fn(),
    getAttempts: jest.fn().mockResolvedValue({ logging: 'on', identities: [] }),
    getDiagnostics: jest.fn(),
    getDenials: jest
      .fn()
      .mockResolvedValue({ logging: 'on', read: 0, groups: [] }),
    listAccessLevels: jest.fn(),
    createAccessRequest: jest.fn(),
    listAccessRequests: jest.fn(),
    getAccessRequest: jest.fn(),
    getAccessRequestPreflight: jest.fn().mockResolvedValue({
      known: true,
      applicable: true,
      writes: ['Associate AmazonEKSViewPolicy with the requester’s role'],
      risks: [],
      othersAffected: [],
    }),
    actOnAccessRequest: jest.fn(),
    startIdentityProof: jest.fn(),
    verifyIdentityProof: jest.fn(),
    getIdentityProof: jest.fn().mockResolvedValue({}),
  };
}

/** The demo levels (app-config.yaml `eksAccess.requests.levels`). */
export function demoLevels(): AccessLevelInfo[] {
  return [
    {
      name: 'view',
      title: 'View',
      description: 'Read-only access to workloads, no secrets',
      accessPolicyArn:
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      scopes: ['cluster', 'namespace'],
      namespaceWildcards: true,
      maxDurationSeconds: 8 * 3600,
      approvalsRequired: 1,
    },
    {
      name: 'edit',
      title: 'Edit',
      description: 'Change workloads in the chosen namespaces',
      accessPolicyArn:
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      scopes: ['namespace'],
      namespaceWildcards: false,
      maxDurationSeconds: 4 * 3600,
      approvalsRequired: 1,
    },
    {
      name: 'cluster-admin',
      title: 'Cluster admin',
      description: 'Full control of the cluster; two approvals',
      scopes: ['cluster'],
      namespaceWildcards: false,
      maxDurationSeconds: 2 * 3600,
      approvalsRequired: 2,
    },
  ];
}

/** An access request on ml-training by Dana, in the given state. */
export function accessRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    id: 'req-1',
    cluster: {
      entityRef: 'resource:default/ml-training',
      arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
      name: 'ml-training',
      accountId: '444455556666',
      region: 'us-east-2',
    },
    requester: 'user:default/dana',
    principalArn: danaUserIdentity.principalArn,
    canonicalPrincipalArn: danaUserIdentity.principalArn,
    level: 'view',
    scope: { type: 'cluster' },
    durationSeconds: 3600,
    reason: 'Debug the nightly training job',
    state: 'pending',
    approvalsRequired: 1,
    approvals: [],
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    allowedActions: ['cancel'],
    ...overrides,
  };
}
