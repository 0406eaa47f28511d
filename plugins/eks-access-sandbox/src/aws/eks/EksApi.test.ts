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
  AccessDeniedException,
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DisassociateAccessPolicyCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListAccessEntriesCommand,
  ListAccessPoliciesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  paginateListAccessEntries,
  paginateListAccessPolicies,
  paginateListClusters,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateAccessEntryCommand,
} from '@aws-sdk/client-eks';
import { X509Certificate } from 'node:crypto';
import { RunningSandbox, startSandbox } from '../../startSandbox';
import { DEMO, sandboxClients } from '../../__testUtils__/sandboxClients';

jest.setTimeout(60_000);

const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const EDIT = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';
const CLUSTER_ADMIN =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

describe('EKS through @aws-sdk/client-eks', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
  });
  afterAll(() => sandbox.stop());

  const eks = (region = 'us-east-1') => sandboxClients(sandbox, { region }).eks;
  const workloads = (region = 'eu-west-1') =>
    sandboxClients(sandbox, {
      region,
      credentials: sandbox.issueSessionCredentials(
        DEMO.backstageRole,
        'backstage',
      ),
    }).eks;

  it('lists the clusters of the caller account in the signing region, page by page', async () => {
    const names: string[] = [];
    const pages: number[] = [];
    for await (const page of paginateListClusters(
      { client: eks(), pageSize: 2 },
      {},
    )) {
      names.push(...(page.clusters ?? []));
      pages.push(page.clusters?.length ?? 0);
    }
    expect(names.sort()).toEqual([
      'analytics',
      'ci-runners',
      'docs-site',
      'payments-prod',
      'payments-staging',
      'platform-tools',
    ]);
    expect(pages).toEqual([2, 2, 2]);
    expect(
      (await eks('us-west-2').send(new ListClustersCommand({}))).clusters,
    ).toEqual(['legacy-batch']);
    expect(
      (await workloads().send(new ListClustersCommand({}))).clusters,
    ).toEqual(['Data-Lake_01', 'checkout-dev', 'reporting', 'search-prod']);
  });

  it('describes a cluster with endpoint, CA, access config and epoch-second timestamps', async () => {
    const { cluster } = await eks().send(
      new DescribeClusterCommand({ name: 'payments-prod' }),
    );
    expect(cluster).toMatchObject({
      name: 'payments-prod',
      arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
      status: 'ACTIVE',
      version: '1.31',
      accessConfig: {
        authenticationMode: 'API_AND_CONFIG_MAP',
        bootstrapClusterCreatorAdminPermissions: true,
      },
    });
    expect(cluster!.createdAt).toEqual(new Date('2023-06-01T09:00:00Z'));
    expect(cluster!.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(
      Buffer.from(cluster!.certificateAuthority!.data!, 'base64'),
    );
    expect(ca.ca).toBe(true);
  });

  it('raises ResourceNotFoundException for an unknown cluster (and for a cluster of another region)', async () => {
    const error = await eks()
      .send(new DescribeClusterCommand({ name: 'nope' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('No cluster found for name: nope.');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      eks('eu-west-1').send(
        new DescribeClusterCommand({ name: 'payments-prod' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists access entries with pagination and the associatedPolicyArn filter', async () => {
    const all: string[] = [];
    for await (const page of paginateListAccessEntries(
      { client: eks(), pageSize: 1 },
      { clusterName: 'payments-prod' },
    )) {
      all.push(...(page.accessEntries ?? []));
    }
    expect(all).toEqual([DEMO.platformAdmin, DEMO.ssoRole, DEMO.backstageUser]);
    const view = await eks().send(
      new ListAccessEntriesCommand({
        clusterName: 'payments-prod',
        associatedPolicyArn: VIEW,
      }),
    );
    expect(view.accessEntries).toEqual([DEMO.ssoRole]);
    expect(view.nextToken).toBeUndefined();
    await expect(
      eks().send(
        new ListAccessEntriesCommand({
          clusterName: 'payments-prod',
          maxResults: 101,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      eks().send(
        new ListAccessEntriesCommand({
          clusterName: 'payments-prod',
          nextToken: 'garbage',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('describes an access entry and its associated policies; the path-stripped SSO ARN is not found', async () => {
    const { accessEntry } = await eks().send(
      new DescribeAccessEntryCommand({
        clusterName: 'payments-prod',
        principalArn: DEMO.ssoRole,
      }),
    );
    expect(accessEntry).toMatchObject({
      principalArn: DEMO.ssoRole,
      type: 'STANDARD',
      kubernetesGroups: [],
      username:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}',
      createdAt: new Date('2024-04-15T10:00:00Z'),
    });
    expect(accessEntry!.accessEntryArn).toMatch(
      /^arn:aws:eks:us-east-1:111122223333:access-entry\/payments-prod\/role\/111122223333\/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b\/[0-9a-f-]{36}$/,
    );
    const policies = await eks().send(
      new ListAssociatedAccessPoliciesCommand({
        clusterName: 'payments-prod',
        principalArn: DEMO.ssoRole,
      }),
    );
    expect(policies).toMatchObject({
      clusterName: 'payments-prod',
      principalArn: DEMO.ssoRole,
      associatedAccessPolicies: [
        {
          policyArn: VIEW,
          accessScope: {
            type: 'namespace',
            namespaces: ['payments', 'payments-jobs'],
          },
        },
      ],
    });
    const missing = await eks()
      .send(
        new DescribeAccessEntryCommand({
          clusterName: 'payments-prod',
          principalArn: DEMO.ssoRoleNoPath,
        }),
      )
      .catch(e => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe(
      "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
    );
  });

  it('lists the access policies with pagination', async () => {
    const names: string[] = [];
    for await (const page of paginateListAccessPolicies(
      { client: eks(), pageSize: 4 },
      {},
    )) {
      names.push(...(page.accessPolicies ?? []).map(p => p.name!));
    }
    expect(names).toContain('AmazonEKSClusterAdminPolicy');
    expect(names).toContain('AmazonEKSAdminViewPolicy');
    expect(names.length).toBeGreaterThanOrEqual(15);
    const first = await eks().send(
      new ListAccessPoliciesCommand({ maxResults: 1 }),
    );
    expect(first.accessPolicies).toEqual([
      {
        name: 'AmazonEKSAdminPolicy',
        arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy',
      },
    ]);
  });

  it('answers InvalidRequestException for access-entry calls on a CONFIG_MAP cluster', async () => {
    const error = await eks()
      .send(new ListAccessEntriesCommand({ clusterName: 'payments-staging' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toBe(
      "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
    );
    await expect(
      eks().send(
        new CreateAccessEntryCommand({
          clusterName: 'docs-site',
          principalArn: DEMO.platformAdmin,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('creates, updates, associates, disassociates and deletes an access entry', async () => {
    const client = workloads('us-east-2');
    const created = await client.send(
      new CreateAccessEntryCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
        kubernetesGroups: ['ml-readers'],
        tags: { requestedBy: 'dana' },
      }),
    );
    expect(created.accessEntry).toMatchObject({
      clusterName: 'ml-training',
      principalArn: DEMO.danaUser,
      kubernetesGroups: ['ml-readers'],
      username: DEMO.danaUser,
      type: 'STANDARD',
      tags: { requestedBy: 'dana' },
    });
    expect(
      Math.abs(created.accessEntry!.createdAt!.getTime() - Date.now()),
    ).toBeLessThan(5000);
    const dup = await client
      .send(
        new CreateAccessEntryCommand({
          clusterName: 'ml-training',
          principalArn: DEMO.danaUser,
        }),
      )
      .catch(e => e);
    expect(dup).toBeInstanceOf(ResourceInUseException);
    expect(dup.message).toBe(
      'The specified access entry resource is already in use on this cluster.',
    );

    const updated = await client.send(
      new UpdateAccessEntryCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
        kubernetesGroups: [],
        username: 'dana',
      }),
    );
    expect(updated.accessEntry).toMatchObject({
      kubernetesGroups: [],
      username: 'dana',
    });

    const associated = await client.send(
      new AssociateAccessPolicyCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
        policyArn: EDIT,
        accessScope: { type: 'namespace', namespaces: ['training', 'ml-*'] },
      }),
    );
    expect(associated).toMatchObject({
      clusterName: 'ml-training',
      principalArn: DEMO.danaUser,
      associatedAccessPolicy: {
        policyArn: EDIT,
        accessScope: { type: 'namespace', namespaces: ['training', 'ml-*'] },
      },
    });
    const view = sandbox.state
      .getCluster('ml-training')!
      .accessEntries.find(e => e.principalArn === DEMO.danaUser)!;
    expect(view.associatedPolicies.map(p => p.policyArn)).toEqual([EDIT]);
    expect(
      (
        await client.send(
          new ListAccessEntriesCommand({
            clusterName: 'ml-training',
            associatedPolicyArn: EDIT,
          }),
        )
      ).accessEntries,
    ).toEqual([DEMO.dataEngineer, DEMO.danaUser]);

    await client.send(
      new DisassociateAccessPolicyCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
        policyArn: EDIT,
      }),
    );
    await expect(
      client.send(
        new DisassociateAccessPolicyCommand({
          clusterName: 'ml-training',
          principalArn: DEMO.danaUser,
          policyArn: EDIT,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await client.send(
      new DeleteAccessEntryCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
      }),
    );
    await expect(
      client.send(
        new DescribeAccessEntryCommand({
          clusterName: 'ml-training',
          principalArn: DEMO.danaUser,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(
      sandbox.state
        .getCluster('ml-training')!
        .accessEntries.map(e => e.principalArn),
    ).not.toContain(DEMO.danaUser);
  });

  it.each([
    [
      'an STS session ARN',
      {
        principalArn:
          'arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_DataEngineer_3c4d5e6f7a8b9c0d/sam@example.com',
      },
      'The specified principalArn is invalid: invalid principal.',
    ],
    [
      'a path-stripped SSO role ARN',
      {
        principalArn:
          'arn:aws:iam::444455556666:role/AWSReservedSSO_Nope_0123456789abcdef',
      },
      'The specified principalArn is invalid: invalid principal.',
    ],
    [
      'a service-linked role',
      {
        principalArn:
          'arn:aws:iam::444455556666:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS',
      },
      'The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role',
    ],
    [
      'a system: group',
      { principalArn: DEMO.danaUser, kubernetesGroups: ['system:masters'] },
      'The kubernetes group name system:masters is invalid, it cannot start with system:',
    ],
    [
      'a reserved username prefix',
      { principalArn: DEMO.danaUser, username: 'eks:dana' },
      'The username must not begin with eks:',
    ],
    [
      '{{SessionName}} without a colon before it',
      { principalArn: DEMO.danaUser, username: '{{SessionName}}' },
      'The username must contain a ":" before {{SessionName}}.',
    ],
    [
      'groups on a non-STANDARD entry',
      {
        principalArn: 'arn:aws:iam::444455556666:role/eks-node-role',
        type: 'EC2_LINUX',
        kubernetesGroups: ['nodes'],
      },
      'This operation can only be performed on Access Entries with a type of "STANDARD".',
    ],
    [
      'an unknown type',
      { principalArn: DEMO.danaUser, type: 'ROBOT' },
      'The type ROBOT is invalid.',
    ],
    [
      'an aws: tag key',
      { principalArn: DEMO.danaUser, tags: { 'aws:x': 'y' } },
      'Tag keys must not begin with aws:',
    ],
  ])(
    'rejects %s with InvalidParameterException',
    async (_label, input, message) => {
      const error = await workloads('us-east-2')
        .send(
          new CreateAccessEntryCommand({
            clusterName: 'ml-training',
            ...input,
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe(message);
      expect(error.clusterName).toBe('ml-training');
    },
  );

  it('enforces the access-scope rules and STANDARD-only policies', async () => {
    const client = eks();
    const associate = (
      principalArn: string,
      accessScope: any,
      policyArn = VIEW,
    ) =>
      client
        .send(
          new AssociateAccessPolicyCommand({
            clusterName: 'ci-runners',
            principalArn,
            policyArn,
            accessScope,
          }),
        )
        .catch(e => e);
    expect(
      await associate(DEMO.platformAdmin, {
        type: 'namespace',
        namespaces: [],
      }),
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await associate(DEMO.platformAdmin, {
        type: 'cluster',
        namespaces: ['a'],
      }),
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await associate(DEMO.platformAdmin, {
        type: 'namespace',
        namespaces: ['Bad_NS'],
      }),
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await associate(
        DEMO.platformAdmin,
        { type: 'cluster' },
        'arn:aws:eks::aws:cluster-access-policy/Nope',
      ),
    ).toBeInstanceOf(InvalidParameterException);
    const node = await associate(DEMO.ssoRole, { type: 'cluster' });
    expect(node).toBeInstanceOf(InvalidParameterException);
    expect(node.message).toBe(
      'This operation can only be performed on Access Entries with a type of "STANDARD".',
    );
    expect(
      await associate(DEMO.ssoRoleNoPath, { type: 'cluster' }),
    ).toBeInstanceOf(ResourceNotFoundException);
    // Re-associating replaces the scope.
    const replaced = await client.send(
      new AssociateAccessPolicyCommand({
        clusterName: 'ci-runners',
        principalArn: DEMO.platformAdmin,
        policyArn: CLUSTER_ADMIN,
        accessScope: { type: 'cluster' },
      }),
    );
    expect(
      replaced.associatedAccessPolicy!.associatedAt!.getTime(),
    ).toBeLessThan(replaced.associatedAccessPolicy!.modifiedAt!.getTime());
  });

  it('answers AccessDeniedException with AWS message when the IAM model denies the action', async () => {
    const sandbox2 = await startSandbox({
      scenario: {
        accounts: [{ id: '123456789012' }],
        iam: {
          users: [
            {
              arn: 'arn:aws:iam::123456789012:user/reader',
              permissions: [
                'eks:List*',
                {
                  action: 'eks:DescribeCluster',
                  resource: 'arn:aws:eks:*:*:cluster/allowed',
                },
              ],
            },
          ],
        },
        clusters: [
          {
            name: 'allowed',
            account: '123456789012',
            region: 'us-east-1',
            authenticationMode: 'API',
          },
          {
            name: 'secret',
            account: '123456789012',
            region: 'us-east-1',
            authenticationMode: 'API',
          },
        ],
      },
    });
    try {
      const client = sandboxClients(sandbox2, {
        credentials: sandbox2.credentialsFor(
          'arn:aws:iam::123456789012:user/reader',
        ),
      }).eks;
      expect((await client.send(new ListClustersCommand({}))).clusters).toEqual(
        ['allowed', 'secret'],
      );
      await client.send(new DescribeClusterCommand({ name: 'allowed' }));
      const denied = await client
        .send(new DescribeClusterCommand({ name: 'secret' }))
        .catch(e => e);
      expect(denied).toBeInstanceOf(AccessDeniedException);
      expect(denied.message).toBe(
        'User: arn:aws:iam::123456789012:user/reader is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:us-east-1:123456789012:cluster/secret',
      );
      const create = await client
        .send(
          new CreateAccessEntryCommand({
            clusterName: 'allowed',
            principalArn: 'arn:aws:iam::123456789012:user/reader',
          }),
        )
        .catch(e => e);
      expect(create).toBeInstanceOf(AccessDeniedException);
      expect(create.message).toContain('eks:CreateAccessEntry');
    } finally {
      await sandbox2.stop();
    }
  });
});
