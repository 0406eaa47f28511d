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
import { decideAccess } from './decision';
import { explainDecision } from './explanation';
import { evaluateAccess } from './evaluate';

const NOW = '2026-01-01T00:00:00Z';
const callers = [danaSso, danaUser, alex, { arn: 'not an arn' }];

describe('decideAccess', () => {
  it('yields a verdict, reason codes and facts, and no prose', () => {
    for (const cluster of Object.values(clusters)) {
      const index = indexClusterAccess(cluster);
      for (const caller of callers) {
        const d = decideAccess(index, caller, NOW);
        expect(d.verdict).not.toHaveProperty('findings');
        for (const r of d.reasons) {
          expect(Object.keys(r).sort()).toEqual(['code', 'facts', 'severity']);
          // Nothing worded: no message, fix, summary or command in the facts.
          expect(JSON.stringify(r.facts)).not.toMatch(
            /"(message|fix|summary|commands)"/,
          );
        }
      }
    }
  });

  it('states the facts a renderer needs, e.g. a stale entry shadowed by aws-auth', () => {
    const index = indexClusterAccess({
      name: 'c',
      accountId: '111122223333',
      region: 'us-east-1',
      authenticationMode: 'API_AND_CONFIG_MAP',
      accessEntries: [
        {
          principalArn: 'arn:aws:iam::111122223333:user/dana',
          type: 'STANDARD',
          createdAt: '2024-01-01T00:00:00Z',
        },
      ],
      awsAuth: {
        data: {
          mapUsers:
            '- userarn: arn:aws:iam::111122223333:user/dana\n  username: dana\n  groups:\n  - readers\n',
        },
      },
    });
    const d = decideAccess(
      index,
      {
        arn: 'arn:aws:iam::111122223333:user/dana',
        principalCreatedAt: '2025-01-01T00:00:00Z',
      },
      undefined,
    );
    expect(d.verdict).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-user',
      username: 'dana',
      groups: ['readers'],
    });
    expect(d.reasons).toEqual([
      {
        code: 'ACCESS_ENTRY_STALE',
        severity: 'warning',
        facts: expect.objectContaining({
          awsAuthAdmits: true,
          principalCreatedAt: '2025-01-01T00:00:00Z',
        }),
      },
    ]);
  });

  it('explained, is exactly what evaluateAccess answers', () => {
    for (const cluster of Object.values(clusters)) {
      const index = indexClusterAccess(cluster);
      for (const caller of callers) {
        expect(
          explainDecision(decideAccess(index, caller, NOW), index),
        ).toEqual(evaluateAccess({ caller, cluster: index, now: NOW }));
      }
    }
  });
});
