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

import { ConfigReader } from '@backstage/config';
import {
  levelsForCluster,
  readAccessRequestsConfig,
} from './readAccessRequestsConfig';

const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

function read(requests: unknown) {
  return readAccessRequestsConfig(
    new ConfigReader({ eksAccess: { requests } } as any),
  );
}

describe('readAccessRequestsConfig', () => {
  it('applies defaults when nothing is configured', () => {
    const settings = readAccessRequestsConfig(new ConfigReader({}));
    expect(settings.levels).toEqual([]);
    expect(settings.adminGroups).toEqual([]);
    expect(settings.schedule).toMatchObject({
      frequency: { seconds: 30 },
      scope: 'global',
    });
    expect(settings.expiryWarningSeconds).toBe(1800);
    expect(settings.maxReasonLength).toBe(1000);
  });

  it('reads a full level', () => {
    const settings = read({
      adminGroups: ['group:default/Platform-Team'],
      schedule: { frequency: { seconds: 10 }, timeout: { minutes: 1 } },
      expiryWarning: 'PT10M',
      levels: [
        {
          name: 'view',
          title: 'View',
          description: 'Read-only',
          accessPolicyArn: VIEW,
          kubernetesGroups: ['eks-access-view'],
          scopes: ['namespace'],
          namespaceWildcards: true,
          maxDuration: { hours: 8 },
          approvalsRequired: 2,
          clusters: ['resource:default/ml-training'],
        },
      ],
    });
    expect(settings.adminGroups).toEqual(['group:default/platform-team']);
    expect(settings.schedule).toMatchObject({
      frequency: { seconds: 10 },
      scope: 'global',
    });
    expect(settings.expiryWarningSeconds).toBe(600);
    expect(settings.levels).toEqual([
      {
        name: 'view',
        title: 'View',
        description: 'Read-only',
        accessPolicyArn: VIEW,
        kubernetesGroups: ['eks-access-view'],
        scopes: ['namespace'],
        namespaceWildcards: true,
        maxDurationSeconds: 8 * 3600,
        approvalsRequired: 2,
        clusters: ['resource:default/ml-training'],
      },
    ]);
  });

  it.each([
    [
      { name: 'Bad Name', accessPolicyArn: VIEW, maxDuration: 'PT1H' },
      'Invalid eksAccess.requests.levels[0]: name "Bad Name" must be lower-case letters, digits and dashes',
    ],
    [
      { name: 'x', maxDuration: 'PT1H' },
      'Invalid eksAccess.requests.levels[0] ("x"): grants nothing',
    ],
    [
      {
        name: 'x',
        accessPolicyArn: 'AmazonEKSViewPolicy',
        maxDuration: 'PT1H',
      },
      'accessPolicyArn "AmazonEKSViewPolicy" is not an EKS access policy ARN',
    ],
    [
      { name: 'x', accessPolicyArn: VIEW },
      'Invalid eksAccess.requests.levels[0] ("x"): maxDuration is required',
    ],
    [
      { name: 'x', accessPolicyArn: VIEW, maxDuration: { days: 365 } },
      'maxDuration must be between 1 minute and 90 days',
    ],
    [
      {
        name: 'x',
        accessPolicyArn: VIEW,
        maxDuration: 'PT1H',
        approvalsRequired: 0,
      },
      'approvalsRequired must be a whole number from 1 to 10',
    ],
    [
      {
        name: 'x',
        accessPolicyArn: VIEW,
        maxDuration: 'PT1H',
        scopes: ['org'],
      },
      'scope "org" is not one of cluster, namespace',
    ],
    [
      {
        name: 'x',
        accessPolicyArn: VIEW,
        maxDuration: 'PT1H',
        scopes: ['cluster'],
        namespaceWildcards: true,
      },
      'namespaceWildcards needs the namespace scope',
    ],
    [
      { name: 'x', kubernetesGroups: [], maxDuration: 'PT1H' },
      'kubernetesGroups must not be empty when set',
    ],
  ])('rejects an invalid level %#', (level, message) => {
    expect(() => read({ levels: [level] })).toThrow(message);
  });

  it('rejects duplicate level names', () => {
    const level = { name: 'view', accessPolicyArn: VIEW, maxDuration: 'PT1H' };
    expect(() => read({ levels: [level, level] })).toThrow(
      'the name "view" is used twice',
    );
  });

  it('rejects admin groups that are not group refs', () => {
    expect(() => read({ adminGroups: ['platform-team'] })).toThrow(
      '"platform-team" is not a full group entity ref',
    );
  });
});

describe('levelsForCluster', () => {
  const settings = read({
    levels: [
      { name: 'all', accessPolicyArn: VIEW, maxDuration: 'PT1H' },
      {
        name: 'ml',
        accessPolicyArn: VIEW,
        maxDuration: 'PT1H',
        clusters: ['Resource:default/ml-training'],
      },
      {
        name: 'by-arn',
        accessPolicyArn: VIEW,
        maxDuration: 'PT1H',
        clusters: ['arn:aws:eks:us-east-1:111122223333:cluster/payments-prod'],
      },
    ],
  });

  it('offers unrestricted levels everywhere and restricted ones by ref or ARN', () => {
    expect(
      levelsForCluster(settings.levels, {
        entityRef: 'resource:default/ml-training',
        arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
      }).map(l => l.name),
    ).toEqual(['all', 'ml']);
    expect(
      levelsForCluster(settings.levels, {
        entityRef: 'resource:default/payments-prod',
        arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
      }).map(l => l.name),
    ).toEqual(['all', 'by-arn']);
  });
});
