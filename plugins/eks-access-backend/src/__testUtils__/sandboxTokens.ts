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
 * What kubectl presents to a sandbox cluster for a person: an EKS bearer
 * token presigned with a role session's credentials (what `aws eks
 * get-token` returns), and a kubeconfig that presents it.
 */

import type { RunningSandbox } from '@eks-access/plugin-eks-access-sandbox';
import * as k8s from '@kubernetes/client-node';
import { createEksBearerToken } from '../aws/eksBearerToken';

/**
 * A bearer token for `clusterName`, signed with the credentials of a session
 * of `roleArn` named `sessionName`, verified by the sandbox's STS.
 */
export async function sandboxBearerToken(
  sandbox: RunningSandbox,
  options: {
    roleArn: string;
    sessionName: string;
    clusterName: string;
    signingDate?: Date;
  },
): Promise<string> {
  return createEksBearerToken({
    clusterName: options.clusterName,
    partition: 'aws',
    region: 'us-east-1',
    credentials: sandbox.issueSessionCredentials(
      options.roleArn,
      options.sessionName,
    ),
    stsEndpoint: sandbox.endpoint,
    signingDate: options.signingDate,
  });
}

/** A kubeconfig whose only context presents `token` to the sandbox cluster. */
export function sandboxKubeConfig(
  sandbox: RunningSandbox,
  clusterName: string,
  token: string,
): k8s.KubeConfig {
  const cluster = sandbox.state.getCluster(clusterName)!;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: cluster.endpoint!,
        caData: Buffer.from(cluster.caCertPem).toString('base64'),
      },
    ],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'c', cluster: clusterName, user: 'user' }],
    currentContext: 'c',
  });
  return kc;
}
