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
 * The backend's services wired to a running sandbox exactly as the dev app
 * wires them to it: Backstage's own IAM user in 111122223333, assume-role
 * into 444455556666, every AWS client pointed at the sandbox. Shared by the
 * integration tests and the benchmark.
 */

import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { RunningSandbox } from '@eks-access/plugin-eks-access-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createEksAccessServices } from '../createEksAccessServices';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

/** The demo catalog (examples/), as the catalog would serve it. */
export function loadDemoEntities(): Entity[] {
  return ['org.yaml', 'clusters.yaml'].flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'))
      .map(doc => doc.toJS() as Entity)
      .filter(Boolean)
      // the origin annotation the catalog sets on entities read from a file
      .map(e => ({
        ...e,
        metadata: {
          namespace: 'default',
          ...e.metadata,
          annotations: {
            'backstage.io/managed-by-origin-location': `file:${path.join(
              EXAMPLES,
              file,
            )}`,
            ...e.metadata.annotations,
          },
        },
      })),
  );
}

/**
 * Points integration-aws-node's own STS client (assume-role) at the sandbox;
 * only this variable reaches it. Returns a function that restores it.
 */
export function pointStsAtSandbox(
  sandbox: Pick<RunningSandbox, 'endpoint'>,
): () => void {
  const saved = process.env.AWS_ENDPOINT_URL_STS;
  process.env.AWS_ENDPOINT_URL_STS = sandbox.endpoint;
  return () => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
    else process.env.AWS_ENDPOINT_URL_STS = saved;
  };
}

/**
 * The `aws` config of the dev app on the sandbox: Backstage's own IAM user in
 * 111122223333, assume-role into 444455556666.
 */
export function sandboxAwsConfig(sandbox: RunningSandbox) {
  return {
    mainAccount: sandbox.credentialsFor(
      'arn:aws:iam::111122223333:user/backstage-eks-access',
    ),
    accounts: [
      {
        accountId: '444455556666',
        roleName: 'BackstageEksAccess',
        region: 'us-east-1',
      },
    ],
  };
}

export function createSandboxServices(options: {
  sandbox: RunningSandbox;
  logger: LoggerService;
  entities?: Entity[];
  /** Extra `eksAccess` config. */
  config?: object;
}) {
  const { sandbox } = options;
  return createEksAccessServices({
    config: new ConfigReader({
      aws: sandboxAwsConfig(sandbox),
      eksAccess: { aws: { endpoint: sandbox.endpoint }, ...options.config },
    }),
    logger: options.logger,
    catalog: catalogServiceMock({ entities: options.entities ?? [] }),
  });
}

/** A logger that drops everything, for the benchmarks. */
export const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
