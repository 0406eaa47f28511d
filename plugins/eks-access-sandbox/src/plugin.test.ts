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

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { parseArguments } from './cli';
import { eksAccessSandboxPlugin } from './plugin';
import { loadScenario, validateScenario } from './scenario/loadScenario';
import { startSandbox } from './startSandbox';
import { DEMO, sandboxClients } from './__testUtils__/sandboxClients';

jest.setTimeout(60_000);

describe('scenarios', () => {
  it('loads the demo scenario with its 13 clusters in 2 accounts', () => {
    const demo = loadScenario('demo');
    expect(demo.accounts.map(a => a.id)).toEqual([
      '111122223333',
      '444455556666',
    ]);
    expect(demo.clusters).toHaveLength(13);
    expect(
      demo.clusters!.find(c => c.name === 'legacy-batch')!.awsAuth!.data,
    ).toHaveProperty('maproles');
    expect(demo.faults).toEqual({ unreachableClusters: ['edge-gateway'] });
  });

  it('rejects malformed scenarios with a message naming the problem', () => {
    expect(() => validateScenario({ accounts: [] })).toThrow(
      'accounts must be a non-empty list',
    );
    expect(() =>
      validateScenario({
        accounts: [{ id: '123456789012' }],
        clusters: [{ name: 'c', account: '999999999999', region: 'us-east-1' }],
      }),
    ).toThrow('account 999999999999 is not listed');
    expect(() =>
      validateScenario({
        accounts: [{ id: '123456789012' }],
        clusters: [
          {
            name: 'c',
            account: '123456789012',
            region: 'us-east-1',
            awsAuth: { data: { mapRoles: [] as any } },
          },
        ],
      }),
    ).toThrow('aws-auth data.mapRoles must be a string');
    expect(() => loadScenario('does-not-exist')).toThrow(
      'Sandbox scenario not found',
    );
  });
});

describe('state file', () => {
  it('keeps access-entry changes across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-sandbox-'));
    const stateFile = path.join(dir, 'state.json');
    const first = await startSandbox({ stateFile });
    const credentials = first.issueSessionCredentials(DEMO.backstageRole, 'b');
    await sandboxClients(first, { region: 'us-east-2', credentials }).eks.send(
      new CreateAccessEntryCommand({
        clusterName: 'ml-training',
        principalArn: DEMO.danaUser,
      }),
    );
    const ca = first.state.getCluster('ml-training')!.caCertPem;
    await first.stop();
    const second = await startSandbox({ stateFile });
    try {
      expect(second.state.getCluster('ml-training')!.caCertPem).toBe(ca);
      // The session issued before the restart still works.
      const { accessEntry } = await sandboxClients(second, {
        region: 'us-east-2',
        credentials,
      }).eks.send(
        new DescribeAccessEntryCommand({
          clusterName: 'ml-training',
          principalArn: DEMO.danaUser,
        }),
      );
      expect(accessEntry!.principalArn).toBe(DEMO.danaUser);
    } finally {
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('state file: logging', () => {
  it('keeps the control-plane logging settings across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-sandbox-'));
    const stateFile = path.join(dir, 'state.json');
    const first = await startSandbox({ stateFile });
    const credentials = first.issueSessionCredentials(DEMO.platformAdmin, 'a');
    await sandboxClients(first, { credentials }).eks.send(
      new UpdateClusterConfigCommand({
        name: 'analytics',
        logging: {
          clusterLogging: [{ types: ['authenticator'], enabled: true }],
        },
      }),
    );
    await first.stop();
    const second = await startSandbox({ stateFile });
    try {
      const { cluster } = await sandboxClients(second, {
        credentials,
      }).eks.send(new DescribeClusterCommand({ name: 'analytics' }));
      const enabled = cluster!.logging!.clusterLogging!.find(
        setup => setup.enabled,
      );
      expect(enabled?.types).toEqual(['authenticator']);
    } finally {
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI arguments', () => {
  it('parses the documented flags with defaults', () => {
    expect(parseArguments([])).toMatchObject({
      port: 4566,
      kubePortBase: 4600,
      scenario: 'demo',
    });
    expect(
      parseArguments([
        '--port',
        '0',
        '--scenario=./x.yaml',
        '--state-file',
        's.json',
        '--kube-port-base',
        '5000',
      ]),
    ).toMatchObject({
      port: 0,
      scenario: './x.yaml',
      stateFile: 's.json',
      kubePortBase: 5000,
    });
    expect(() => parseArguments(['--port', 'abc'])).toThrow(
      '--port must be a port number',
    );
    expect(() => parseArguments(['--nope'])).toThrow('Unknown argument --nope');
  });
});

describe('eksAccessSandboxPlugin', () => {
  it('starts the sandbox on the configured ports, logs requests, and stops at shutdown', async () => {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        eksAccessSandboxPlugin,
        mockServices.rootConfig.factory({
          data: {
            eksAccessSandbox: {
              enabled: true,
              port: 0,
              kubePortBase: 0,
              scenario: 'demo',
            },
          },
        }),
        logger.factory,
      ],
    });
    const lines = logger.info.mock.calls.map(c => String(c[0]));
    const endpoint = /listening on (http:\/\/\S+)/.exec(
      lines.find(l => l.includes('EKS access sandbox listening on'))!,
    )![1];
    expect((await fetch(`${endpoint}/__sandbox/health`)).status).toBe(200);
    await fetch(`${endpoint}/clusters`);
    expect(logger.info.mock.calls.map(c => String(c[0]))).toContainEqual(
      expect.stringMatching(
        /^eks ListClusters -> 403 MissingAuthenticationTokenException/,
      ),
    );
    await backend.stop();
    await expect(fetch(`${endpoint}/__sandbox/health`)).rejects.toThrow();
  });

  it('does nothing unless enabled', async () => {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        eksAccessSandboxPlugin,
        mockServices.rootConfig.factory({ data: {} }),
        logger.factory,
      ],
    });
    expect(logger.info).toHaveBeenCalledWith(
      'EKS access sandbox is disabled (eksAccessSandbox.enabled)',
    );
    await backend.stop();
  });
});
