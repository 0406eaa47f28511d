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

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { ClusterClients } from './ClusterClients';

const main = {
  accessKeyId: 'AKIAMAIN',
  secretAccessKey: 'main-secret',
};

function credentialsManager(): AwsCredentialsManager {
  return {
    getCredentialProvider: jest.fn(async () => ({
      sdkCredentialProvider: async () => main,
    })),
  } as unknown as AwsCredentialsManager;
}

describe('ClusterClients with a cluster read role', () => {
  afterEach(() => jest.restoreAllMocks());

  it('assumes the Kubernetes plugin role with its ExternalId, once, from the main credentials', async () => {
    const send = jest
      .spyOn(STSClient.prototype, 'send')
      .mockImplementation(async () => ({
        Credentials: {
          AccessKeyId: 'ASIAROLE',
          SecretAccessKey: 'role-secret',
          SessionToken: 'token',
          Expiration: new Date(Date.now() + 3600_000),
        },
      }));
    const manager = credentialsManager();
    const clients = new ClusterClients({
      credentialsManager: manager,
      endpoints: { sts: 'http://localhost:4566' },
    });
    const assumeRole = {
      roleArn: 'arn:aws:iam::444455556666:role/k8s-reader',
      externalId: 'ext-1',
    };

    const provider = clients.credentialProvider('444455556666', assumeRole);
    expect(await provider()).toMatchObject({ accessKeyId: 'ASIAROLE' });
    expect(await provider()).toMatchObject({ accessKeyId: 'ASIAROLE' });
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0][0] as AssumeRoleCommand;
    expect(command).toBeInstanceOf(AssumeRoleCommand);
    expect(command.input).toEqual({
      RoleArn: assumeRole.roleArn,
      ExternalId: 'ext-1',
      RoleSessionName: 'backstage-eks-access',
    });
    // The main credentials, not the account's own.
    expect(manager.getCredentialProvider).toHaveBeenCalledWith();

    // Without the role: the account's own credentials, cached apart.
    expect(await clients.credentialProvider('444455556666')()).toEqual(main);
    expect(manager.getCredentialProvider).toHaveBeenLastCalledWith({
      accountId: '444455556666',
    });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('keeps one EKS client per role', () => {
    const clients = new ClusterClients({
      credentialsManager: credentialsManager(),
    });
    const target = { accountId: '444455556666', region: 'eu-west-1' };
    const withRole = {
      ...target,
      assumeRole: { roleArn: 'arn:aws:iam::444455556666:role/k8s-reader' },
    };
    expect(clients.eks(withRole)).toBe(clients.eks({ ...withRole }));
    expect(clients.eks(withRole)).not.toBe(clients.eks(target));
  });
});
