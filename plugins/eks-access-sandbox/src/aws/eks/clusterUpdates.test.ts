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
  DescribeClusterCommand,
  DescribeUpdateCommand,
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { RunningSandbox, startSandbox } from '../../startSandbox';
import { DEMO, sandboxClients } from '../../__testUtils__/sandboxClients';

jest.setTimeout(60_000);

describe('UpdateClusterConfig accessConfig through @aws-sdk/client-eks', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.resetFaults());

  // PlatformAdmin may call every EKS action (Backstage's role may not).
  const eks = () =>
    sandboxClients(sandbox, {
      region: 'us-east-1',
      credentials: sandbox.issueSessionCredentials(DEMO.platformAdmin, 'admin'),
    }).eks;
  const mode = async (name: string) =>
    (await eks().send(new DescribeClusterCommand({ name }))).cluster
      ?.accessConfig?.authenticationMode;
  const setMode = (name: string, authenticationMode: string) =>
    eks().send(
      new UpdateClusterConfigCommand({
        name,
        accessConfig: { authenticationMode: authenticationMode as any },
      }),
    );

  it('moves one way, one step at a time, with an update id DescribeUpdate knows', async () => {
    expect(await mode('platform-tools')).toBe('CONFIG_MAP');
    const skip = await setMode('platform-tools', 'API').catch(e => e);
    expect(skip).toBeInstanceOf(InvalidParameterException);
    expect(skip.message).toBe(
      'Unsupported authentication mode update from CONFIG_MAP to API',
    );

    const first = await setMode('platform-tools', 'API_AND_CONFIG_MAP');
    expect(first.update).toMatchObject({
      type: 'AccessConfigUpdate',
      status: 'InProgress',
      params: [{ type: 'AuthenticationMode', value: 'API_AND_CONFIG_MAP' }],
    });
    expect(first.update?.id).toMatch(/^[0-9a-f-]{36}$/);
    const described = await eks().send(
      new DescribeUpdateCommand({
        name: 'platform-tools',
        updateId: first.update!.id!,
      }),
    );
    expect(described.update).toMatchObject({
      id: first.update!.id,
      status: 'Successful',
      type: 'AccessConfigUpdate',
    });
    expect(await mode('platform-tools')).toBe('API_AND_CONFIG_MAP');

    const back = await setMode('platform-tools', 'CONFIG_MAP').catch(e => e);
    expect(back).toBeInstanceOf(InvalidParameterException);
    expect(back.message).toBe(
      'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP',
    );
    const same = await setMode('platform-tools', 'API_AND_CONFIG_MAP').catch(
      e => e,
    );
    expect(same.message).toBe(
      'Unsupported authentication mode update from API_AND_CONFIG_MAP to API_AND_CONFIG_MAP',
    );

    await setMode('platform-tools', 'API');
    expect(await mode('platform-tools')).toBe('API');
    const undo = await setMode('platform-tools', 'API_AND_CONFIG_MAP').catch(
      e => e,
    );
    expect(undo).toBeInstanceOf(InvalidParameterException);
  });

  it('answers ResourceInUseException while an update is in progress', async () => {
    sandbox.setFaults({ clusterUpdateDurationMs: 60_000 });
    const first = await setMode('docs-site', 'API_AND_CONFIG_MAP');
    const busy = await setMode('docs-site', 'API').catch(e => e);
    expect(busy).toBeInstanceOf(ResourceInUseException);
    expect(busy.$metadata.httpStatusCode).toBe(409);
    expect(busy.message).toBe(
      `Cannot AccessConfigUpdate because cluster docs-site currently has update ${
        first.update!.id
      } in progress`,
    );
    const logging = await eks()
      .send(
        new UpdateClusterConfigCommand({
          name: 'docs-site',
          logging: {
            clusterLogging: [{ types: ['authenticator'], enabled: true }],
          },
        }),
      )
      .catch(e => e);
    expect(logging).toBeInstanceOf(ResourceInUseException);
    const status = await eks().send(
      new DescribeUpdateCommand({
        name: 'docs-site',
        updateId: first.update!.id!,
      }),
    );
    expect(status.update?.status).toBe('InProgress');
  });

  it('refuses an unknown update id, two kinds of update at once and creator-permission changes', async () => {
    const unknown = await eks()
      .send(
        new DescribeUpdateCommand({
          name: 'analytics',
          updateId: '00000000-0000-0000-0000-000000000000',
        }),
      )
      .catch(e => e);
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    const both = await eks()
      .send(
        new UpdateClusterConfigCommand({
          name: 'analytics',
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
          logging: {
            clusterLogging: [{ types: ['authenticator'], enabled: true }],
          },
        }),
      )
      .catch(e => e);
    expect(both).toBeInstanceOf(InvalidParameterException);
    const bootstrap = await eks()
      .send(
        new UpdateClusterConfigCommand({
          name: 'analytics',
          accessConfig: {
            bootstrapClusterCreatorAdminPermissions: false,
          } as any,
        }),
      )
      .catch(e => e);
    expect(bootstrap).toBeInstanceOf(InvalidParameterException);
    expect(await mode('analytics')).toBe('CONFIG_MAP');
  });
});
