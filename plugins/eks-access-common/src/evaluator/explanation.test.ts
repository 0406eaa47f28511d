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

import { clusters, danaSso, danaUser, alex } from './__fixtures__/demoClusters';
import { indexClusterAccess } from './clusterIndex';
import { decideAccess, reason } from './decision';
import { explainReason, FINDING_RENDERERS } from './explanation';
import { FINDING_CODES } from './findingCatalog';
import type { FixCluster } from './fixes';

const cluster: FixCluster = {
  name: 'dev',
  region: 'eu-west-1',
  accountId: '111122223333',
  partition: 'aws',
  authenticationMode: 'CONFIG_MAP',
};
const caller = {
  canonicalArn: 'arn:aws:iam::111122223333:role/Dev',
  kind: 'assumed-role' as const,
  partition: 'aws',
  accountId: '111122223333',
  sessionName: 'dana',
};

describe('FINDING_RENDERERS', () => {
  it('has exactly one renderer, with a message and plans, per code of the finding catalog', () => {
    expect(Object.keys(FINDING_RENDERERS).sort()).toEqual(
      [...FINDING_CODES].sort(),
    );
    for (const code of FINDING_CODES) {
      expect(typeof FINDING_RENDERERS[code].finding).toBe('function');
      expect(typeof FINDING_RENDERERS[code].plans).toBe('function');
    }
  });

  it('renders every reason the demo clusters produce into a non-empty message', () => {
    for (const data of Object.values(clusters)) {
      const index = indexClusterAccess(data);
      for (const who of [danaSso, danaUser, alex, { arn: 'not an arn' }]) {
        const d = decideAccess(index, who, undefined);
        for (const r of d.reasons) {
          const f = explainReason(r, {
            cluster: { ...index.cluster },
            caller: d.caller,
          });
          expect(f.code).toBe(r.code);
          expect(f.severity).toBe(r.severity);
          expect(f.message.length).toBeGreaterThan(20);
        }
      }
    }
  });

  it('words a reason from its facts alone', () => {
    expect(
      explainReason(reason('NOT_MAPPED', 'error', { creatorKnown: false }), {
        cluster,
        caller,
      }),
    ).toMatchObject({
      code: 'NOT_MAPPED',
      severity: 'error',
      message: expect.stringContaining(
        'Only the identity that created the cluster has hidden admin access.',
      ),
      fix: {
        commands: expect.arrayContaining([
          expect.stringContaining('eksctl create iamidentitymapping'),
        ]),
      },
    });
    expect(
      explainReason(
        reason('RBAC_NOT_BOUND', 'error', {
          username: 'dana',
          groups: ['eks-access:view'],
        }),
        { cluster },
      ),
    ).toMatchObject({
      message: expect.stringContaining('403 Forbidden'),
      fix: {
        commands: [
          'kubectl create clusterrolebinding eks-access-view --clusterrole=view --group=eks-access:view',
        ],
      },
    });
  });

  it('refuses to word an identity reason without the identity', () => {
    expect(() =>
      explainReason(reason('CLUSTER_CREATOR', 'info', {}), { cluster }),
    ).toThrow(/caller is missing/);
  });
});
