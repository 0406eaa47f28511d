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
  clusters,
  DANA_USER,
  SSO_ROLE_FULL,
} from './__fixtures__/demoClusters';
import { indexClusterAccess } from './clusterIndex';
import { grantPreflight } from './grantPreflight';
import type { FixPlan } from './fixPlan';

const mapping = (
  section: 'mapRoles' | 'mapUsers',
  arn: string,
  username: string,
  groups: string[],
): FixPlan => ({
  summary: 'grant',
  steps: [{ op: 'AwsAuthUpsertMapping', section, arn, username, groups }],
  promise: { groups, accessPolicies: [] },
});

describe('grantPreflight', () => {
  it('legacy-batch: a mapUsers grant cannot be applied while mapUsers is broken', () => {
    const p = grantPreflight({
      cluster: clusters['legacy-batch'],
      principalArn: DANA_USER,
      grant: mapping('mapUsers', DANA_USER, 'dana', ['eks-access:view']),
    });
    expect(p.applicable).toBe(false);
    expect(p.risks[0]).toMatch(/mapUsers/);
    expect(p.writes[0]).toMatch(/^Map .* in aws-auth mapUsers/);
  });

  it('analytics: a group nothing in RBAC binds makes the grant useless', () => {
    const p = grantPreflight({
      cluster: { ...clusters.analytics, rbac: { roles: [], bindings: [] } },
      principalArn: SSO_ROLE_FULL,
      grant: mapping(
        'mapRoles',
        'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
        '{{SessionName}}',
        ['eks-access:view'],
      ),
    });
    expect(p.applicable).toBe(false);
    expect(p.risks[0]).toMatch(/nothing in RBAC/);
    expect(p.plan).toBeUndefined();
  });

  it('reporting: an access entry would shadow the working aws-auth mapping', () => {
    const cluster = {
      ...clusters.reporting,
      accessEntries: clusters.reporting.accessEntries!.filter(
        e => e.principalArn !== DANA_USER,
      ),
    };
    const view = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
    const p = grantPreflight({
      cluster,
      principalArn: DANA_USER,
      grant: {
        summary: 'grant',
        steps: [
          { op: 'CreateAccessEntry', principal: { arn: DANA_USER } },
          {
            op: 'AssociateAccessPolicy',
            principal: { arn: DANA_USER },
            policyArn: view,
            accessScope: { type: 'cluster' },
          },
        ],
        promise: {
          groups: [],
          accessPolicies: [
            { policyArn: view, accessScope: { type: 'cluster' } },
          ],
        },
      },
    });
    expect(p.applicable).toBe(true);
    expect(p.risks.join(' ')).toMatch(/loses the groups reporting-readers/);
    // no one else's access changes; the plan to render comes redacted
    expect(p.othersAffected).toEqual([]);
    expect(p.plan).toMatchObject({ redacted: true });
    expect(p.plan?.awsAuthBefore).toBeUndefined();
  });

  it('answers the same from an index the caller already built', () => {
    // the backend hands in the snapshot's index, so aws-auth is parsed once
    for (const [cluster, principalArn, grant] of [
      [
        clusters['legacy-batch'],
        DANA_USER,
        mapping('mapUsers', DANA_USER, 'dana', ['eks-access:view']),
      ],
      [
        clusters.reporting,
        DANA_USER,
        mapping('mapUsers', DANA_USER, 'dana', ['reporting-readers']),
      ],
    ] as const) {
      expect(
        grantPreflight({
          cluster,
          index: indexClusterAccess(cluster),
          principalArn,
          grant,
        }),
      ).toEqual(grantPreflight({ cluster, principalArn, grant }));
    }
  });
});
