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
  type ClusterAccessData,
  indexClusterAccess,
  parseAwsAuth,
  type RbacSnapshot,
  serializeAwsAuthEntries,
} from '@eks-access/plugin-eks-access-common';
import type { AccessLevel } from './readAccessRequestsConfig';
import type { ClusterSnapshot } from '../snapshots/ClusterSnapshotStore';
import {
  levelUnavailable,
  requestPreflight,
  snapshotRequestClusterData,
} from './requestPreflight';

const ADMIN = 'arn:aws:iam::111122223333:role/PlatformAdmin';
const DEV = 'arn:aws:iam::111122223333:role/Developer';
const OTHER = 'arn:aws:iam::111122223333:role/Other';
const VIEW_POLICY =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

const level = (overrides: Partial<AccessLevel> = {}): AccessLevel => ({
  name: 'view',
  title: 'View',
  kubernetesGroups: ['eks-access:view'],
  accessPolicyArn: VIEW_POLICY,
  scopes: ['cluster', 'namespace'],
  namespaceWildcards: false,
  maxDurationSeconds: 3600,
  approvalsRequired: 1,
  ...overrides,
});

const viewRole = {
  name: 'view',
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
};
const bindingOf = (group: string, namespace?: string) => ({
  name: `bind-${group}`,
  ...(namespace ? { namespace } : {}),
  roleRef: { kind: 'ClusterRole' as const, name: 'view' },
  subjects: [{ kind: 'Group', name: group }],
});

const configMapCluster = (
  rbac: RbacSnapshot | undefined,
  extraRoles: object[] = [],
): ClusterAccessData => ({
  name: 'analytics',
  accountId: '111122223333',
  region: 'us-east-1',
  authenticationMode: 'CONFIG_MAP',
  awsAuth: {
    data: serializeAwsAuthEntries({
      mapRoles: [
        { rolearn: ADMIN, username: 'admin', groups: ['system:masters'] },
        { rolearn: OTHER, username: 'other', groups: ['eks-access:view'] },
        ...(extraRoles as any[]),
      ],
    }),
  },
  ...(rbac ? { rbac } : {}),
});

const request = (scope: any = { type: 'cluster' }) => ({
  principalArn: DEV,
  level: 'view',
  scope,
});

describe('levelUnavailable', () => {
  it('refuses a CONFIG_MAP level whose group nothing binds, with a stable code', () => {
    const result = levelUnavailable(
      level(),
      configMapCluster({ roles: [viewRole], bindings: [] }),
      'analytics',
    );
    expect(result?.code).toBe('LEVEL_GROUPS_UNBOUND');
    expect(result?.reason).toMatch(/names the group eks-access:view/);
  });

  it('accepts bound groups, system:masters, and unread RBAC or cluster', () => {
    const bound = configMapCluster({
      roles: [viewRole],
      bindings: [bindingOf('eks-access:view')],
    });
    expect(levelUnavailable(level(), bound, 'analytics')).toBeUndefined();
    expect(
      levelUnavailable(
        level({ kubernetesGroups: ['system:masters'] }),
        configMapCluster({ roles: [], bindings: [] }),
        'analytics',
      ),
    ).toBeUndefined();
    expect(
      levelUnavailable(level(), configMapCluster(undefined), 'analytics'),
    ).toBeUndefined();
    expect(levelUnavailable(level(), undefined, 'analytics')).toBeUndefined();
  });

  it('names every unbound group of a level, and matches per-namespace groups by pattern', () => {
    const rbac = {
      roles: [viewRole],
      bindings: [bindingOf('dev:ml', 'ml'), bindingOf('eks-access:view')],
    };
    expect(
      levelUnavailable(
        level({ kubernetesGroups: ['eks-access:view', 'dev:{namespace}'] }),
        configMapCluster(rbac),
        'analytics',
      ),
    ).toBeUndefined();
    expect(
      levelUnavailable(
        level({ kubernetesGroups: ['eks-access:edit', 'ops:{namespace}'] }),
        configMapCluster(rbac),
        'analytics',
      )?.reason,
    ).toMatch(/groups eks-access:edit, ops:\{namespace\}/);
  });

  it('refuses a level the mode cannot use', () => {
    expect(
      levelUnavailable(
        level({ kubernetesGroups: undefined }),
        configMapCluster({ roles: [], bindings: [] }),
        'analytics',
      )?.code,
    ).toBe('LEVEL_NOT_GRANTABLE');
    expect(
      levelUnavailable(
        level({ accessPolicyArn: undefined }),
        { ...configMapCluster(undefined), authenticationMode: 'API' },
        'analytics',
      )?.code,
    ).toBe('LEVEL_NOT_GRANTABLE');
  });
});

describe('requestPreflight', () => {
  const rbac = {
    roles: [viewRole],
    bindings: [bindingOf('eks-access:view'), bindingOf('dev:ml', 'ml')],
  };

  it('says what an applicable aws-auth grant writes, and that it affects no one else', () => {
    const p = requestPreflight(
      request(),
      level(),
      configMapCluster(rbac),
      'analytics',
    )!;
    expect(p.applicable).toBe(true);
    expect(p.code).toBeUndefined();
    expect(p.writes).toEqual([
      expect.stringMatching(
        /^Map arn:aws:iam::111122223333:role\/Developer .*mapRoles/,
      ),
    ]);
    expect(p.othersAffected).toEqual([]);
    expect(p.risks).toEqual([]);
    expect(p.plan?.redacted).toBe(true);
    expect(p.plan?.steps[0]).toMatchObject({
      op: 'AwsAuthUpsertMapping',
      username:
        'arn:aws:sts::111122223333:assumed-role/Developer/{{SessionName}}',
      groups: ['eks-access:view'],
    });
  });

  it('refuses a namespace whose per-namespace group nothing binds', () => {
    const lvl = level({ kubernetesGroups: ['dev:{namespace}'] });
    const cluster = configMapCluster(rbac);
    expect(
      requestPreflight(
        request({ type: 'namespace', namespaces: ['ml'] }),
        lvl,
        cluster,
        'analytics',
      )?.applicable,
    ).toBe(true);
    const refused = requestPreflight(
      request({ type: 'namespace', namespaces: ['payments'] }),
      lvl,
      cluster,
      'analytics',
    )!;
    expect(refused).toMatchObject({
      applicable: false,
      code: 'LEVEL_GROUPS_UNBOUND',
    });
    expect(refused.risks[0]).toMatch(/dev:payments/);
  });

  it('refuses when aws-auth is broken or already maps the role another way', () => {
    const broken = configMapCluster(rbac);
    broken.awsAuth = { data: { mapRoles: '- rolearn: [unclosed' } };
    expect(
      requestPreflight(request(), level(), broken, 'analytics'),
    ).toMatchObject({ applicable: false, code: 'GRANT_NOT_APPLICABLE' });

    const mapped = configMapCluster(rbac, [
      { rolearn: DEV, username: 'developer', groups: ['eks-access:view'] },
    ]);
    const p = requestPreflight(request(), level(), mapped, 'analytics')!;
    expect(p).toMatchObject({
      applicable: false,
      code: 'GRANT_NOT_APPLICABLE',
    });
    expect(p.risks[0]).toMatch(/did not add \(username developer\)/);
  });

  it('reads existing mappings from the aws-auth the evaluator parsed, when given', () => {
    const mapped = configMapCluster(rbac, [
      { rolearn: DEV, username: 'developer', groups: ['eks-access:view'] },
    ]);
    const index = indexClusterAccess(mapped);
    // the raw ConfigMap is not read again: only the parsed index counts
    const p = requestPreflight(
      request(),
      level(),
      { ...mapped, awsAuth: { data: {} }, index },
      'analytics',
    )!;
    expect(p.risks[0]).toMatch(/did not add \(username developer\)/);
  });

  it('plans an access entry on API clusters, reusing an existing entry', () => {
    const api: ClusterAccessData = {
      name: 'ml-training',
      accountId: '111122223333',
      region: 'us-east-2',
      authenticationMode: 'API',
      accessEntries: [],
    };
    const fresh = requestPreflight(request(), level(), api, 'ml-training')!;
    expect(fresh.applicable).toBe(true);
    expect(fresh.plan?.steps.map(s => s.op)).toEqual([
      'CreateAccessEntry',
      'AssociateAccessPolicy',
    ]);
    const existing = requestPreflight(
      request({ type: 'namespace', namespaces: ['ml'] }),
      level(),
      {
        ...api,
        accessEntries: [
          {
            principalArn: DEV,
            type: 'STANDARD',
            kubernetesGroups: [],
            accessPolicies: [],
          },
        ],
      },
      'ml-training',
    )!;
    expect(existing.plan?.steps).toEqual([
      expect.objectContaining({
        op: 'AssociateAccessPolicy',
        accessScope: { type: 'namespace', namespaces: ['ml'] },
      }),
    ]);
  });

  it('knows nothing, and refuses nothing, without cluster data', () => {
    expect(
      requestPreflight(request(), level(), undefined, 'x'),
    ).toBeUndefined();
  });
});

describe('snapshotRequestClusterData', () => {
  const cluster = {
    entityRef: 'resource:default/analytics',
    arn: 'arn:aws:eks:us-east-1:111122223333:cluster/analytics',
    name: 'analytics',
    partition: 'aws',
    accountId: '111122223333',
    region: 'us-east-1',
  };
  const awsAuth = configMapCluster(undefined).awsAuth!;
  const snapshot = {
    cluster,
    described: { authenticationMode: 'CONFIG_MAP' },
    awsAuth,
    sources: {
      cluster: { state: 'ok' },
      accessEntries: { state: 'not-used' },
      awsAuth: { state: 'ok' },
    },
  } as unknown as ClusterSnapshot;
  const snapshots = {
    snapshot: async () => snapshot,
    get: async () => snapshot,
    rbac: async () => undefined,
  };

  it("hands the preflight the evaluator's index of the snapshot", async () => {
    const built = { awsAuth: parseAwsAuth(awsAuth.data) } as any;
    const index = jest.fn(() => built);
    const data = await snapshotRequestClusterData(snapshots, { index }).read(
      cluster,
      { complete: true },
    );
    expect(index).toHaveBeenCalledWith(snapshot);
    expect(data?.index).toBe(built);
    expect(data?.awsAuth).toBe(awsAuth);
  });

  it('leaves parsing to the preflight without an evaluator', async () => {
    const data = await snapshotRequestClusterData(snapshots).read(cluster, {
      complete: false,
    });
    expect(data?.index).toBeUndefined();
    expect(data?.authenticationMode).toBe('CONFIG_MAP');
  });
});
