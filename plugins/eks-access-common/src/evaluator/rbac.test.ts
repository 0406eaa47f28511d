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
  groupsBound,
  ruleLevel,
  summarizePermissions,
  type RbacSnapshot,
} from './rbac';

const policy = (name: string) =>
  `arn:aws:eks::aws:cluster-access-policy/${name}`;

const rbac: RbacSnapshot = {
  roles: [
    {
      name: 'view',
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'configmaps'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      name: 'edit',
      rules: [
        {
          apiGroups: ['', 'apps'],
          resources: ['pods', 'deployments', 'secrets'],
          verbs: ['get', 'list', 'create', 'update', 'delete'],
        },
      ],
    },
    {
      name: 'cluster-admin',
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    // What every authenticated user gets: reviews and discovery, no objects.
    {
      name: 'system:basic-user',
      rules: [
        {
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
          verbs: ['create'],
        },
      ],
    },
  ],
  bindings: [
    {
      name: 'system:basic-user',
      roleRef: { kind: 'ClusterRole', name: 'system:basic-user' },
      subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    },
    {
      name: 'readers',
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'reporting-readers' }],
    },
    {
      name: 'dana-edit',
      namespace: 'payments',
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'User', name: 'dana' }],
    },
    {
      name: 'hidden',
      namespace: 'jobs',
      roleRef: { kind: 'Role', name: 'job-runner' },
      subjects: [{ kind: 'Group', name: 'jobs' }],
    },
  ],
};

describe('summarizePermissions', () => {
  it('is Forbidden when nothing binds (discovery rules do not count)', () => {
    const s = summarizePermissions(
      { username: 'x', groups: ['eks-access:view'] },
      rbac,
    );
    expect(s).toMatchObject({ forbidden: true, rbacKnown: true, scopes: [] });
  });

  it('combines a group binding and a namespaced user binding', () => {
    const s = summarizePermissions(
      { username: 'dana', groups: ['reporting-readers'] },
      rbac,
    );
    expect(s.forbidden).toBe(false);
    expect(s.scopes).toEqual([
      { namespace: '*', level: 'read', secrets: false, sources: ['readers'] },
      {
        namespace: 'payments',
        level: 'write',
        secrets: true,
        sources: ['dana-edit'],
      },
    ]);
  });

  it('reads access policies as their documented equivalents, per scope', () => {
    const s = summarizePermissions(
      {
        username: 'u',
        groups: [],
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSViewPolicy'),
            accessScope: { type: 'namespace', namespaces: ['a', 'b'] },
          },
          {
            policyArn: policy('AmazonEKSAdminViewPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
      },
      undefined,
    );
    expect(s.rbacKnown).toBe(false);
    expect(s.scopes.map(x => [x.namespace, x.level, x.secrets])).toEqual([
      ['*', 'read', true],
      ['a', 'read', false],
      ['b', 'read', false],
    ]);
  });

  it('system:masters and cluster-admin are admin', () => {
    expect(
      summarizePermissions(
        { username: 'u', groups: ['system:masters'] },
        undefined,
      ).scopes[0],
    ).toMatchObject({ level: 'admin', secrets: true });
    expect(
      ruleLevel({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
    ).toEqual({ level: 'admin', secrets: true });
  });

  it('never says Forbidden because of a binding to a Role it could not read', () => {
    const s = summarizePermissions({ username: 'u', groups: ['jobs'] }, rbac);
    expect(s.forbidden).toBe(false);
  });

  it('groupsBound lists the groups some binding names', () => {
    expect(groupsBound(rbac, ['reporting-readers', 'eks-access:view'])).toEqual(
      ['reporting-readers'],
    );
  });
});
