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
 * A Backstage instance that already runs the Kubernetes plugin gets the
 * check with zero catalog changes: its clusters are declared only in
 * `kubernetes.clusterLocatorMethods` (type `config`, `authProvider: aws`,
 * a per-cluster role with an ExternalId) or carry only the Kubernetes
 * plugin's own annotations (type `catalog`). No cluster entity here has an
 * EKS ARN annotation. Without a role of Backstage's own in the clusters'
 * account, the only way in is the Kubernetes plugin's role, through STS
 * AssumeRole with its ExternalId.
 */

import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  createSandboxServices,
  loadDemoEntities,
  sandboxAwsConfig,
} from '../__testUtils__/sandboxServices';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { createEksAccessServices } from '../createEksAccessServices';

jest.setTimeout(120_000);

const credentials = {
  $$type: '@backstage/BackstageCredentials' as const,
  principal: { type: 'user' as const, userEntityRef: 'user:default/dana' },
};

const REPO = path.resolve(__dirname, '../../../..');

/** The demo's Kubernetes plugin config (app-config.kubernetes-plugin.yaml). */
function kubernetesPluginConfig() {
  return parse(
    fs.readFileSync(
      path.join(REPO, 'app-config.kubernetes-plugin.yaml'),
      'utf8',
    ),
  ).kubernetes;
}

/** The demo's cluster entities without EKS annotations. */
function plainClusterEntities(): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(
      path.join(REPO, 'examples/kubernetes-plugin-clusters.yaml'),
      'utf8',
    ),
  )
    .map(doc => doc.toJS() as Entity)
    .filter(Boolean)
    .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));
}

const sandbox = demoSandboxForSuite();

/**
 * The services with `kubernetes.clusterLocatorMethods` only. `ownRole`:
 * whether Backstage also has its own role in 444455556666 (as in the demo),
 * or only its identity in 111122223333.
 */
function kubernetesPluginServices(options: { ownRole: boolean }) {
  const people = loadDemoEntities().filter(e => e.kind !== 'Resource');
  const aws = sandboxAwsConfig(sandbox);
  return createEksAccessServices({
    config: new ConfigReader({
      aws: options.ownRole ? aws : { mainAccount: aws.mainAccount },
      eksAccess: { aws: { endpoint: sandbox.endpoint } },
      kubernetes: kubernetesPluginConfig(),
    }),
    logger: mockServices.logger.mock(),
    catalog: catalogServiceMock({
      entities: [...people, ...plainClusterEntities()],
    }),
  });
}

/** Dana's verdicts on a cluster, as the card shows them. */
async function verdicts(
  services: ReturnType<typeof createEksAccessServices>,
  entityRef: string,
) {
  const report = await services.access.checkForUser({
    entityRef,
    credentials,
  });
  return {
    cluster: {
      arn: report.cluster.arn,
      authenticationMode: report.cluster.authenticationMode,
      sources: report.cluster.sources,
    },
    identities: report.identities.map(i => ({
      principal: i.identity.principalArn,
      decision: i.verdict.decision,
      via: i.verdict.via,
      findings: i.verdict.findings.map(f => f.code),
    })),
  };
}

describe('clusters the Kubernetes plugin already knows', () => {
  it('lists them, and only the EKS ones, with no EKS annotation in the catalog', async () => {
    const services = kubernetesPluginServices({ ownRole: true });
    const listed = await services.access.listClusterEntities(credentials);
    expect(listed.map(e => e.entityRef)).toEqual([
      'resource:default/ml-training',
      'resource:default/reporting',
    ]);
  });

  const clusters = [
    [
      'resource:default/ml-training',
      'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
    ],
    [
      'resource:default/reporting',
      'arn:aws:eks:eu-west-1:444455556666:cluster/reporting',
    ],
  ];

  it.each(clusters)(
    'gives %s the same verdicts as the annotated demo entity',
    async (entityRef, arn) => {
      const result = await verdicts(
        kubernetesPluginServices({ ownRole: true }),
        entityRef,
      );
      expect(result.cluster.arn).toBe(arn);
      const annotated = createSandboxServices({
        sandbox,
        logger: mockServices.logger.mock(),
        entities: loadDemoEntities(),
      });
      expect(result).toEqual(await verdicts(annotated, entityRef));
    },
  );

  it.each(clusters)(
    'reads %s with the Kubernetes plugin’s role when Backstage has none of its own there',
    async entityRef => {
      sandbox.resetCalls();
      const result = await verdicts(
        kubernetesPluginServices({ ownRole: false }),
        entityRef,
      );
      // DescribeCluster, the access entries and the RBAC lists all read.
      expect(result.cluster.authenticationMode).toBeDefined();
      for (const source of Object.values(result.cluster.sources)) {
        expect(source.state).not.toBe('error');
      }
      expect(
        sandbox.calls({ service: 'sts', operation: 'AssumeRole' }),
      ).toBeGreaterThanOrEqual(1);
    },
  );

  it('does not take a non-AWS cluster of the Kubernetes plugin for an EKS cluster', async () => {
    await expect(
      kubernetesPluginServices({ ownRole: true }).access.checkForUser({
        entityRef: 'resource:default/gke-cluster',
        credentials,
      }),
    ).rejects.toThrow('is not an Amazon EKS cluster');
  });
});
