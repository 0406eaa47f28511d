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
 * "What can this identity do?" answered by the cluster (SubjectAccessReview)
 * where Backstage may ask, by the RBAC snapshot where it may not, and the two
 * agreeing on every demo cluster and demo person.
 */

import { mockServices } from '@backstage/backend-test-utils';
import type {
  PermissionLevel,
  PermissionSummary,
} from '@eks-access/plugin-eks-access-common';
import {
  loadScenario,
  startSandbox,
  type RunningSandbox,
  type SandboxScenario,
} from '@eks-access/plugin-eks-access-sandbox';
import {
  createSandboxServices,
  loadDemoEntities,
  pointStsAtSandbox,
} from '../__testUtils__/sandboxServices';
import { pastedIdentity } from '../identity/pastedIdentity';

// the agreement test checks 13 clusters x 6 people twice; slow on a loaded machine
jest.setTimeout(600_000);

/** The demo people's identities (docs/demo-scenario.md) and Backstage's. */
const PEOPLE = [
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_9f8e7d6c5b4a3f2e/sam@example.com',
  'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/alex',
  'arn:aws:sts::444455556666:assumed-role/DataEngineer/dana',
  'arn:aws:iam::444455556666:user/engineering/dana',
  'arn:aws:iam::111122223333:user/ops/priya',
];

/** The demo scenario with Backstage's group bound to system:auth-delegator on every cluster. */
function demoWithReviews(): SandboxScenario {
  const demo = loadScenario('demo');
  return {
    ...demo,
    clusters: (demo.clusters ?? []).map(cluster => ({
      ...cluster,
      rbac: {
        ...cluster.rbac,
        clusterRoleBindings: [
          ...(cluster.rbac?.clusterRoleBindings ?? []),
          {
            name: 'eks-access-reviews',
            roleRef: { kind: 'ClusterRole', name: 'system:auth-delegator' },
            subjects: [
              { kind: 'Group', name: 'eks-access:aws-auth-editors' },
              { kind: 'User', name: 'backstage-eks-access' },
            ],
          },
        ],
      },
    })),
  } as SandboxScenario;
}

const ORDER: PermissionLevel[] = ['none', 'read', 'write', 'admin'];

/** What a summary allows in each namespace, the whole cluster folded in. */
function effective(summary: PermissionSummary, namespaces: string[]) {
  const clusterWide = summary.scopes.find(s => s.namespace === '*');
  return Object.fromEntries(
    ['*', ...namespaces].map(namespace => {
      const own = summary.scopes.find(s => s.namespace === namespace);
      const levels = [clusterWide?.level ?? 'none', own?.level ?? 'none'];
      return [
        namespace,
        {
          level: ORDER[Math.max(...levels.map(l => ORDER.indexOf(l)))],
          secrets: !!clusterWide?.secrets || !!own?.secrets,
        },
      ];
    }),
  );
}

/*
 * One sandbox per test, not demoSandboxForSuite: the first test needs a
 * scenario of its own (the demo where Backstage may create
 * SubjectAccessReviews), which demoSandboxForSuite (the plain demo) does
 * not start; the second, on the plain demo, uses the same helper so both
 * tests read alike.
 */
async function withSandbox(
  scenario: SandboxScenario | 'demo',
  body: (sandbox: RunningSandbox) => Promise<void>,
) {
  const sandbox = await startSandbox({ scenario, port: 0, kubePortBase: 0 });
  const restore = pointStsAtSandbox(sandbox);
  try {
    await body(sandbox);
  } finally {
    restore();
    await sandbox.stop();
  }
}

describe('what an admitted identity can do', () => {
  it('is asked of the cluster where Backstage may create SubjectAccessReviews, and agrees with the RBAC snapshot on every demo cluster', async () => {
    const scenario = demoWithReviews();
    await withSandbox(scenario, async sandbox => {
      const entities = loadDemoEntities();
      const logger = mockServices.logger.mock();
      const asking = createSandboxServices({ sandbox, logger, entities });
      const snapshotOnly = createSandboxServices({
        sandbox,
        logger,
        entities,
        config: { kubernetes: { subjectAccessReview: { enabled: false } } },
      });
      const identities = PEOPLE.map(arn => pastedIdentity(arn));
      const namespacesOf = new Map(
        (scenario.clusters ?? []).map(c => [c.name, c.namespaces ?? []]),
      );
      let compared = 0;
      const user = {
        $$type: '@backstage/BackstageCredentials' as const,
        principal: { type: 'user' as const, userEntityRef: 'user:default/x' },
      };
      for (const { entityRef } of await asking.access.listClusterEntities(
        user,
      )) {
        const target = await asking.access.getClusterEntity(entityRef, user);
        const [reviewed, evaluated] = await Promise.all([
          asking.access.report(target, identities, []),
          snapshotOnly.access.report(target, identities, []),
        ]);
        for (const [i, access] of reviewed.identities.entries()) {
          const other = evaluated.identities[i];
          expect(access.verdict.decision).toBe(other.verdict.decision);
          const sar = access.diagnosis?.permissions;
          const rbac = other.diagnosis?.permissions;
          // a cluster whose Kubernetes API is down (edge-gateway) answers neither way
          if (
            access.verdict.decision !== 'allowed' ||
            rbac?.answeredBy !== 'RbacSnapshot'
          ) {
            continue;
          }
          const label = `${access.identity.callerArn} on ${target.cluster.name}`;
          expect({ label, by: sar?.answeredBy }).toEqual({
            label,
            by: 'SubjectAccessReview',
          });
          expect({ label, by: rbac.answeredBy }).toEqual({
            label,
            by: 'RbacSnapshot',
          });
          const namespaces = namespacesOf.get(target.cluster.name) ?? [];
          expect({ label, can: effective(sar!, namespaces) }).toEqual({
            label,
            can: effective(rbac, namespaces),
          });
          expect({ label, forbidden: sar!.forbidden }).toEqual({
            label,
            forbidden: rbac.forbidden,
          });
          compared++;
        }
      }
      // every demo cluster with an admitted person was compared
      expect(compared).toBeGreaterThanOrEqual(8);
    });
  });

  it('falls back to the RBAC snapshot where Backstage may not create SubjectAccessReviews, and says why', async () => {
    await withSandbox('demo', async sandbox => {
      const entities = loadDemoEntities();
      const services = createSandboxServices({
        sandbox,
        logger: mockServices.logger.mock(),
        entities,
      });
      const user = {
        $$type: '@backstage/BackstageCredentials' as const,
        principal: { type: 'user' as const, userEntityRef: 'user:default/x' },
      };
      const target = await services.access.findClusterEntity(
        'payments-prod',
        user,
      );
      const dana = pastedIdentity(PEOPLE[0]);
      sandbox.resetCalls();
      const report = await services.access.report(target, [dana], []);
      const permissions = report.identities[0].diagnosis?.permissions;
      expect(report.identities[0].verdict.decision).toBe('allowed');
      expect(permissions).toMatchObject({
        answeredBy: 'RbacSnapshot',
        fallbackReason: expect.stringContaining('403'),
        forbidden: false,
      });
      // one refused review, then the RBAC lists
      expect(sandbox.calls({ operation: 'CreateSubjectAccessReview' })).toBe(1);

      // the refusal is remembered for the cluster: the next identity asks nothing
      sandbox.resetCalls();
      await services.access.report(target, [pastedIdentity(PEOPLE[2])], []);
      expect(sandbox.calls({ operation: 'CreateSubjectAccessReview' })).toBe(0);
    });
  });
});
