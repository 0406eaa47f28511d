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

import * as k8s from '@kubernetes/client-node';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { RunningSandbox } from '../startSandbox';
import { createEksToken, TestCredentials } from './createEksToken';

/** TEST ONLY. Demo principals. */
export const DEMO = {
  backstageUser: 'arn:aws:iam::111122223333:user/backstage-eks-access',
  backstageRole: 'arn:aws:iam::444455556666:role/BackstageEksAccess',
  ssoRole:
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
  ssoRoleNoPath:
    'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
  danaUser: 'arn:aws:iam::444455556666:user/engineering/dana',
  platformAdmin:
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
  dataEngineer:
    'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataEngineer_3c4d5e6f7a8b9c0d',
};

type ClientOptions = {
  region?: string;
  credentials?: TestCredentials;
  maxAttempts?: number;
};

/** TEST ONLY. SDK clients pointed at the sandbox. */
export function sandboxClients(
  sandbox: RunningSandbox,
  options: ClientOptions = {},
) {
  const config = {
    region: options.region ?? 'us-east-1',
    endpoint: sandbox.endpoint,
    credentials:
      options.credentials ?? sandbox.credentialsFor(DEMO.backstageUser),
    maxAttempts: options.maxAttempts ?? 3,
  };
  return {
    eks: new EKSClient(config),
    sts: new STSClient(config),
    iam: new IAMClient(config),
  };
}

/** TEST ONLY. A client-node KubeConfig for one sandbox cluster and a bearer token. */
export function kubeConfigFor(
  sandbox: RunningSandbox,
  clusterName: string,
  token: string,
  region?: string,
): k8s.KubeConfig {
  const cluster = sandbox.state.getCluster(clusterName, region);
  if (!cluster?.endpoint) throw new Error(`no cluster ${clusterName}`);
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: cluster.endpoint,
        caData: Buffer.from(cluster.caCertPem).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'ctx', cluster: clusterName, user: 'user' }],
    currentContext: 'ctx',
  });
  return kc;
}

/** TEST ONLY. A token for a cluster, presigned with the given credentials. */
export async function tokenFor(
  clusterName: string,
  credentials: TestCredentials,
  extra: Partial<Parameters<typeof createEksToken>[0]> = {},
) {
  return createEksToken({ clusterName, credentials, ...extra });
}

/** TEST ONLY. Reads kube-system/aws-auth and returns the HTTP status (200, 401, 403, 404…). */
export async function awsAuthStatus(kc: k8s.KubeConfig): Promise<number> {
  try {
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' });
    return 200;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (typeof code === 'number') return code;
    throw error;
  }
}
