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
 * The fix plans, proven with the real tools: the plan the card shows for
 * Dana is rendered in its kubectl form, run as a cluster admin (Alex) with
 * the real `kubectl` and AWS CLI (`aws eks update-kubeconfig` first, as the
 * form says), and then Dana's own kubectl — with a token from the real
 * `aws eks get-token` — can do what the card promised, and her card turns
 * green. One aws-auth plan (a mapping rewritten through `kubectl patch`),
 * one RBAC plan (a binding created with `kubectl create … | kubectl apply`)
 * and one access-entry plan (its AWS CLI form: `aws eks create-access-entry`
 * and `associate-access-policy`).
 *
 * Both tools must be on PATH: a missing tool fails the test with its name
 * (CI installs them, see scripts/test-all.sh).
 */

import { mockServices } from '@backstage/backend-test-utils';
import {
  diagnoseAccess,
  evaluateAccess,
  type FixPlan,
  renderPlan,
} from '@eks-access/plugin-eks-access-common';
import path from 'node:path';
import { demoSandboxForSuite } from '../__testUtils__/demoSandboxForSuite';
import { DANA_SSO_ROLE } from '../__testUtils__/demoPrincipalsAndClusters';
import { realCliForSuite } from '../__testUtils__/realCliForSuite';
import {
  createSandboxServices,
  loadDemoEntities,
} from '../__testUtils__/sandboxServices';
import { snapshotClusterData } from '../snapshots/SnapshotEvaluator';

jest.setTimeout(180_000);

const credentials = {
  $$type: '@backstage/BackstageCredentials' as const,
  principal: { type: 'user' as const, userEntityRef: 'user:default/dana' },
};

describe('shown fix plans, applied with the real kubectl and aws CLI', () => {
  const { tool, home, generateSandboxProfiles } = realCliForSuite({
    suite: 'plan test',
    tools: ['kubectl', 'aws'],
    homePrefix: 'eks-access-plans-',
    timeoutMs: 90_000,
  });
  const sandbox = demoSandboxForSuite();
  let services: ReturnType<typeof createSandboxServices>;

  beforeAll(async () => {
    // The profiles and contexts a newcomer would generate.
    await generateSandboxProfiles(sandbox.endpoint, ['dana', 'alex', 'sam']);
    services = createSandboxServices({
      sandbox,
      logger: mockServices.logger.mock(),
      entities: loadDemoEntities(),
    });
  });

  /** Dana's kubectl, through the generated context (aws eks get-token as her SSO session). */
  const danaKubectl = (clusterName: string, ...args: string[]) =>
    tool('kubectl', ['--context', `dana@${clusterName}`, ...args]);

  /**
   * Runs a plan's form as written, as Alex (a cluster admin) unless another
   * profile is given: a kubectl form's first line is `aws eks
   * update-kubeconfig`, which points a kubeconfig of its own at the cluster.
   */
  async function runAsAdmin(form: string, profile = 'sandbox-alex') {
    const result = await tool('sh', ['-ec', form], {
      AWS_PROFILE: profile,
      KUBECONFIG: path.join(home(), 'admin-kubeconfig'),
    });
    if (result.code !== 0) {
      throw new Error(
        `The plan's form failed (${result.code}):\n${form}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      );
    }
    return result;
  }

  /**
   * Dana's real kubectl does what the card's summary says in each scope:
   * reads (get, list pods), and no more than the level (no delete at read,
   * no secrets unless the summary says so).
   */
  async function expectKubectlAgrees(
    clusterName: string,
    scopes: Array<{ namespace: string; level: string; secrets: boolean }>,
  ) {
    const can = async (ns: string, verb: string, resource: string) => {
      const out = await danaKubectl(
        clusterName,
        'auth',
        'can-i',
        verb,
        resource,
        ...(ns === '*' ? ['--all-namespaces'] : ['-n', ns]),
      );
      return out.stdout.trim();
    };
    for (const scope of scopes) {
      const where = `${clusterName} ${scope.namespace}`;
      expect([where, await can(scope.namespace, 'get', 'pods')]).toEqual([
        where,
        'yes',
      ]);
      expect([where, await can(scope.namespace, 'delete', 'pods')]).toEqual([
        where,
        scope.level === 'read' ? 'no' : 'yes',
      ]);
      expect([where, await can(scope.namespace, 'get', 'secrets')]).toEqual([
        where,
        scope.secrets ? 'yes' : 'no',
      ]);
      const pods = await danaKubectl(
        clusterName,
        'get',
        'pods',
        ...(scope.namespace === '*' ? ['-A'] : ['-n', scope.namespace]),
      );
      expect([where, pods.code, pods.stderr]).toEqual([
        where,
        0,
        expect.not.stringMatching(/forbidden/i),
      ]);
    }
  }

  /** Dana's card on a cluster, read again from the sandbox. */
  async function danaCard(clusterName: string) {
    const entities = await services.access.listClusterEntities(credentials);
    const match = entities.find(e =>
      Object.values(e.entity.metadata.annotations ?? {}).some(v =>
        v.endsWith(`:cluster/${clusterName}`),
      ),
    );
    if (!match) throw new Error(`no entity for ${clusterName}`);
    const target = await services.access.getClusterEntity(
      match.entityRef,
      credentials,
    );
    services.snapshots.invalidate(target.cluster.arn);
    const { identities } = await services.access.resolveUserIdentities(
      'user:default/dana',
      credentials,
    );
    const report = await services.access.report(target, identities, []);
    const sso = report.identities.find(
      i => i.identity.principalArn === DANA_SSO_ROLE,
    );
    if (!sso) throw new Error('no verdict for Dana’s SSO role');
    return { target, sso };
  }

  /**
   * The plan the card shows, unredacted: the card leaves out other
   * principals' aws-auth data, so its kubectl form edits by hand; an admin's
   * form patches the whole key. Both come from the same verified plan.
   */
  async function adminPlan(
    clusterName: string,
    shown: FixPlan,
  ): Promise<FixPlan> {
    const { target, sso } = await danaCard(clusterName);
    const snapshot = await services.snapshots.get(target.cluster);
    const cluster = snapshotClusterData(snapshot);
    const caller = { arn: sso.identity.callerArn, iamArn: DANA_SSO_ROLE };
    const diagnosis = diagnoseAccess({
      cluster,
      caller,
      verdict: evaluateAccess({ caller, cluster }),
    });
    expect(diagnosis.plan?.steps).toEqual(shown.steps);
    return diagnosis.plan!;
  }

  it('an aws-auth plan, patched with kubectl, lets Dana in and turns her card green', async () => {
    const before = await danaCard('analytics');
    expect(before.sso.verdict.decision).not.toBe('allowed');
    const shown = before.sso.diagnosis?.plan;
    if (!shown) {
      throw new Error(
        `no plan for Dana on analytics: ${JSON.stringify(
          before.sso.diagnosis,
        )}`,
      );
    }
    expect(shown.steps.map(s => s.op)).toContain('AwsAuthUpsertMapping');
    const denied = await danaKubectl('analytics', 'get', 'pods');
    expect(denied.code).not.toBe(0);

    const plan = await adminPlan('analytics', shown);
    const form = renderPlan(
      plan,
      { name: 'analytics', region: 'us-east-1' },
      'kubectl',
    );
    expect(form).toMatch(/^aws eks update-kubeconfig --name analytics/);
    expect(form).toContain('kubectl patch configmap aws-auth');
    await runAsAdmin(form);

    // The card is green and its summary says where Dana may read: the
    // sandbox's Kubernetes API must agree, scope by scope.
    const after = await danaCard('analytics');
    expect(after.sso.verdict).toMatchObject({ decision: 'allowed' });
    expect(after.sso.verdict.expectForbidden ?? false).toBe(false);
    const scopes = after.sso.diagnosis?.permissions?.scopes ?? [];
    expect(scopes).toEqual([
      expect.objectContaining({
        namespace: 'analytics',
        level: 'read',
        secrets: false,
      }),
    ]);
    await expectKubectlAgrees('analytics', scopes);
    expect(after.sso.diagnosis?.rootCause).toBeUndefined();
  });

  it('an RBAC plan, created with kubectl, lets Dana read what the card promised', async () => {
    const before = await danaCard('docs-site');
    expect(before.sso.verdict).toMatchObject({
      decision: 'allowed',
      expectForbidden: true,
    });
    const shown = before.sso.diagnosis?.plan;
    if (!shown) {
      throw new Error(
        `no plan for Dana on docs-site: ${JSON.stringify(
          before.sso.diagnosis,
        )}`,
      );
    }
    expect(shown.steps.map(s => s.op)).toEqual(['CreateRoleBinding']);
    const forbidden = await danaKubectl('docs-site', 'get', 'pods');
    expect(forbidden.stderr).toMatch(/Forbidden|forbidden/);

    // No aws-auth data in it: the card's own form is the one to run.
    const form = renderPlan(
      shown,
      { name: 'docs-site', region: 'us-east-1' },
      'kubectl',
    );
    expect(form).toContain('kubectl create clusterrolebinding');
    await runAsAdmin(form);

    const after = await danaCard('docs-site');
    expect(after.sso.verdict.expectForbidden ?? false).toBe(false);
    expect(after.sso.diagnosis?.rootCause).toBeUndefined();
    const scopes = after.sso.diagnosis?.permissions?.scopes ?? [];
    expect(scopes).toEqual([
      expect.objectContaining({
        namespace: '*',
        level: 'read',
        secrets: false,
      }),
    ]);
    await expectKubectlAgrees('docs-site', scopes);
  });

  it('an access-entry plan, run with the AWS CLI, lets Dana in and turns her card green', async () => {
    const before = await danaCard('ml-training');
    expect(before.sso.verdict.decision).toBe('denied');
    const shown = before.sso.diagnosis?.plan;
    if (!shown) {
      throw new Error(
        `no plan for Dana on ml-training: ${JSON.stringify(
          before.sso.diagnosis,
        )}`,
      );
    }
    expect(shown.steps.map(s => s.op)).toEqual([
      'CreateAccessEntry',
      'AssociateAccessPolicy',
    ]);
    const denied = await danaKubectl('ml-training', 'get', 'pods', '-A');
    expect(denied.code).not.toBe(0);

    // An access entry carries no other principal's data: the card's own
    // AWS CLI form is the one an admin runs. ml-training lives in the
    // workloads account, so the EKS API calls go with a session of that
    // account (Sam's), not Alex's.
    const region = before.target.cluster.arn.split(':')[3];
    const form = renderPlan(shown, { name: 'ml-training', region }, 'aws-cli');
    expect(form).toContain('aws eks create-access-entry');
    expect(form).toContain('aws eks associate-access-policy');
    await runAsAdmin(form, 'sandbox-sam');

    const after = await danaCard('ml-training');
    expect(after.sso.verdict).toMatchObject({
      decision: 'allowed',
      via: 'access-entry',
    });
    expect(after.sso.verdict.expectForbidden ?? false).toBe(false);
    expect(after.sso.diagnosis?.rootCause).toBeUndefined();
    const scopes = after.sso.diagnosis?.permissions?.scopes ?? [];
    expect(scopes).toEqual([
      expect.objectContaining({ namespace: '*', level: 'read' }),
    ]);
    await expectKubectlAgrees('ml-training', scopes);
  });
});
