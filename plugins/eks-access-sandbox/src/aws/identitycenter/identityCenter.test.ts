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
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ResourceNotFoundException,
  ValidationException,
  paginateListGroupMembershipsForMember,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsForPrincipalCommand,
  SSOAdminClient,
  ThrottlingException,
  paginateListAccountAssignmentsForPrincipal,
} from '@aws-sdk/client-sso-admin';
import { RunningSandbox, startSandbox } from '../../startSandbox';
import { DEMO } from '../../__testUtils__/sandboxClients';

jest.setTimeout(60_000);

const STORE = 'd-9067a1b2c3';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f';

describe('identitystore and sso-admin through the real SDK clients', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.resetFaults());

  const clients = (options: { region?: string; principal?: string } = {}) => {
    const config = {
      region: options.region ?? 'eu-west-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(
        options.principal ?? DEMO.backstageUser,
      ),
      maxAttempts: 1,
    };
    return {
      store: new IdentitystoreClient(config),
      sso: new SSOAdminClient(config),
    };
  };

  const danaId = async () =>
    (
      await clients().store.send(
        new GetUserIdCommand({
          IdentityStoreId: STORE,
          AlternateIdentifier: {
            UniqueAttribute: {
              AttributePath: 'emails.value',
              AttributeValue: 'dana@example.com',
            },
          },
        }),
      )
    ).UserId!;

  it('finds a user by userName (case-insensitive) or email, and describes it', async () => {
    const { store } = clients();
    const byName = await store.send(
      new GetUserIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: {
          UniqueAttribute: {
            AttributePath: 'userName',
            AttributeValue: 'Dana@Example.com',
          },
        },
      }),
    );
    expect(byName.UserId).toBe(await danaId());
    expect(byName.UserId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const user = await store.send(
      new DescribeUserCommand({
        IdentityStoreId: STORE,
        UserId: byName.UserId,
      }),
    );
    expect(user).toMatchObject({
      UserName: 'dana@example.com',
      DisplayName: 'Dana Developer',
    });
  });

  it('answers ResourceNotFoundException for an unknown user, store or region', async () => {
    const unknownUser = await clients()
      .store.send(
        new GetUserIdCommand({
          IdentityStoreId: STORE,
          AlternateIdentifier: {
            UniqueAttribute: {
              AttributePath: 'userName',
              AttributeValue: 'nobody@example.com',
            },
          },
        }),
      )
      .catch(e => e);
    expect(unknownUser).toBeInstanceOf(ResourceNotFoundException);
    expect(unknownUser).toMatchObject({
      ResourceType: 'USER',
      $metadata: { httpStatusCode: 404 },
    });
    const otherRegion = await clients({ region: 'us-east-1' })
      .store.send(
        new DescribeUserCommand({
          IdentityStoreId: STORE,
          UserId: await danaId(),
        }),
      )
      .catch(e => e);
    expect(otherRegion).toBeInstanceOf(ResourceNotFoundException);
    expect(otherRegion.ResourceType).toBe('IDENTITY_STORE');
    const badId = await clients()
      .store.send(
        new DescribeUserCommand({ IdentityStoreId: 'nope', UserId: 'x' }),
      )
      .catch(e => e);
    expect(badId).toBeInstanceOf(ValidationException);
  });

  it('lists group memberships page by page', async () => {
    const { store } = clients();
    const groupIds: string[] = [];
    let pages = 0;
    for await (const page of paginateListGroupMembershipsForMember(
      { client: store, pageSize: 1 },
      { IdentityStoreId: STORE, MemberId: { UserId: await danaId() } },
    )) {
      pages += 1;
      groupIds.push(...page.GroupMemberships!.map(m => m.GroupId!));
    }
    expect(pages).toBe(2);
    const names = await Promise.all(
      groupIds.map(
        async GroupId =>
          (
            await store.send(
              new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId }),
            )
          ).DisplayName,
      ),
    );
    expect(names.sort()).toEqual(['everyone', 'payments-developers']);
    const first = await store.send(
      new ListGroupMembershipsForMemberCommand({
        IdentityStoreId: STORE,
        MemberId: { UserId: await danaId() },
        MaxResults: 1,
      }),
    );
    expect(first.NextToken).toBeDefined();
  });

  it('lists account assignments of a group and describes the permission set', async () => {
    const { store, sso } = clients();
    const memberships = await store.send(
      new ListGroupMembershipsForMemberCommand({
        IdentityStoreId: STORE,
        MemberId: { UserId: await danaId() },
      }),
    );
    const assignments = [];
    for (const m of memberships.GroupMemberships!) {
      for await (const page of paginateListAccountAssignmentsForPrincipal(
        { client: sso, pageSize: 1 },
        {
          InstanceArn: INSTANCE,
          PrincipalId: m.GroupId,
          PrincipalType: 'GROUP',
        },
      )) {
        assignments.push(...page.AccountAssignments!);
      }
    }
    expect(assignments).toEqual([
      expect.objectContaining({
        AccountId: '111122223333',
        PrincipalType: 'GROUP',
        PermissionSetArn: expect.stringMatching(
          /^arn:aws:sso:::permissionSet\/ssoins-72230a1b2c3d4e5f\/ps-[0-9a-f]{16}$/,
        ),
      }),
    ]);
    const set = await sso.send(
      new DescribePermissionSetCommand({
        InstanceArn: INSTANCE,
        PermissionSetArn: assignments[0].PermissionSetArn,
      }),
    );
    expect(set.PermissionSet).toMatchObject({
      Name: 'PaymentsDeveloper',
      SessionDuration: 'PT12H',
    });
    expect(set.PermissionSet!.CreatedDate).toEqual(
      new Date('2023-05-10T00:00:00Z'),
    );
    const direct = await sso.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: INSTANCE,
        PrincipalId: await danaId(),
        PrincipalType: 'USER',
      }),
    );
    expect(direct.AccountAssignments).toEqual([]);
  });

  it('denies callers without the action, and callers from another account, with AccessDeniedException', async () => {
    const fromOtherAccount = await clients({ principal: DEMO.danaUser })
      .store.send(
        new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId: 'g' }),
      )
      .catch(e => e);
    expect(fromOtherAccount).toBeInstanceOf(AccessDeniedException);
    expect(fromOtherAccount.message).toContain(
      'not authorized to perform: identitystore:DescribeGroup',
    );
    expect(fromOtherAccount.$metadata.httpStatusCode).toBe(403);

    const restricted = await startSandbox({
      scenario: {
        accounts: [{ id: '111122223333' }],
        iam: {
          users: [
            {
              arn: 'arn:aws:iam::111122223333:user/reader',
              permissions: ['identitystore:*'],
            },
          ],
        },
        identityCenter: {
          instanceArn: INSTANCE,
          identityStoreId: STORE,
          region: 'eu-west-1',
          account: '111122223333',
        },
      },
    });
    try {
      const sso = new SSOAdminClient({
        region: 'eu-west-1',
        endpoint: restricted.endpoint,
        credentials: restricted.credentialsFor(
          'arn:aws:iam::111122223333:user/reader',
        ),
      });
      const denied = await sso
        .send(
          new ListAccountAssignmentsForPrincipalCommand({
            InstanceArn: INSTANCE,
            PrincipalId: 'x',
            PrincipalType: 'USER',
          }),
        )
        .catch(e => e);
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toContain(
        'sso:ListAccountAssignmentsForPrincipal',
      );
    } finally {
      await restricted.stop();
    }
  });

  it('rejects bad signatures and throttles with the JSON error shapes', async () => {
    const forged = new IdentitystoreClient({
      region: 'eu-west-1',
      endpoint: sandbox.endpoint,
      credentials: {
        accessKeyId: sandbox.credentialsFor(DEMO.backstageUser).accessKeyId,
        secretAccessKey: 'wrong',
      },
      maxAttempts: 1,
    });
    const error = await forged
      .send(new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId: 'g' }))
      .catch(e => e);
    expect(error.name).toBe('InvalidSignatureException');

    sandbox.setFaults({
      rules: [{ service: 'sso', throttle: { ratePerSecond: 0.001, burst: 1 } }],
    });
    const { sso } = clients();
    const call = () =>
      sso.send(
        new DescribePermissionSetCommand({
          InstanceArn: INSTANCE,
          PermissionSetArn:
            'arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-0000000000000000',
        }),
      );
    await expect(call()).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(call()).rejects.toBeInstanceOf(ThrottlingException);
  });
});
