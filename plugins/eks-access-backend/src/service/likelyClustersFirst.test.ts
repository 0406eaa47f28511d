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

import type { Entity } from '@backstage/catalog-model';
import type { ResolvedIdentity } from '@eks-access/plugin-eks-access-common';
import { likelyClustersFirst } from './EksAccessService';

function cluster(account: string, name: string): { entity: Entity } {
  return {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        annotations: {
          'amazonaws.com/arn': `arn:aws:eks:us-east-1:${account}:cluster/${name}`,
        },
      },
      spec: { type: 'kubernetes-cluster' },
    },
  };
}

const names = (items: { entity: Entity }[]) =>
  items.map(item => item.entity.metadata.name);

describe('likelyClustersFirst', () => {
  // in entity-ref order, as the fleet lists them: grouped by account
  const fleet = [
    cluster('111111111111', 'a1'),
    cluster('111111111111', 'a2'),
    cluster('111111111111', 'a3'),
    cluster('222222222222', 'b1'),
    cluster('222222222222', 'b2'),
    cluster('333333333333', 'c1'),
    cluster('333333333333', 'c2'),
    cluster('333333333333', 'c3'),
  ];
  const identity = (account: string): ResolvedIdentity =>
    ({
      callerArn: `arn:aws:sts::${account}:assumed-role/dev/dana`,
      principalArn: `arn:aws:iam::${account}:role/dev`,
      sessionName: 'dana',
      source: 'annotation',
    } as ResolvedIdentity);

  it('puts the accounts of the user identities first, then lets accounts take turns in each group', () => {
    expect(
      names(
        likelyClustersFirst(fleet, [
          identity('111111111111'),
          identity('333333333333'),
        ]),
      ),
    ).toEqual(['a1', 'c1', 'a2', 'c2', 'a3', 'c3', 'b1', 'b2']);
  });

  it('without identities, spreads every page over the accounts (each is rate-limited on its own)', () => {
    const ordered = likelyClustersFirst(fleet, []);
    expect(names(ordered)).toEqual([
      'a1',
      'b1',
      'c1',
      'a2',
      'b2',
      'c2',
      'a3',
      'c3',
    ]);
    // every cluster once
    expect([...names(ordered)].sort()).toEqual(names(fleet).sort());
  });

  it('keeps clusters without an EKS ARN, after the rest', () => {
    const odd = { entity: { ...fleet[0].entity, metadata: { name: 'x' } } };
    expect(
      names(
        likelyClustersFirst(
          [odd, ...fleet.slice(0, 2)],
          [identity('111111111111')],
        ),
      ),
    ).toEqual(['a1', 'a2', 'x']);
  });
});
