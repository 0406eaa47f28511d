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

import { type EksRoute, routeEksRequest } from './EksApi';

const ROLE = 'arn:aws:iam::111122223333:role/team/Dev';
const POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const enc = encodeURIComponent;

describe('routeEksRequest', () => {
  const routes: Array<[string, string, EksRoute]> = [
    ['GET', '/access-policies', { operation: 'ListAccessPolicies' }],
    ['GET', '/clusters', { operation: 'ListClusters' }],
    ['GET', '/clusters/c', { operation: 'DescribeCluster', clusterName: 'c' }],
    [
      'POST',
      '/clusters/c/update-config',
      { operation: 'UpdateClusterConfig', clusterName: 'c' },
    ],
    [
      'GET',
      '/clusters/c/updates/u-1',
      { operation: 'DescribeUpdate', clusterName: 'c', updateId: 'u-1' },
    ],
    [
      'GET',
      '/clusters/c/access-entries',
      { operation: 'ListAccessEntries', clusterName: 'c' },
    ],
    [
      'POST',
      '/clusters/c/access-entries',
      { operation: 'CreateAccessEntry', clusterName: 'c' },
    ],
    ...(['GET', 'POST', 'DELETE'] as const).map(
      method =>
        [
          method,
          `/clusters/c/access-entries/${enc(ROLE)}`,
          {
            operation: {
              GET: 'DescribeAccessEntry',
              POST: 'UpdateAccessEntry',
              DELETE: 'DeleteAccessEntry',
            }[method],
            clusterName: 'c',
            principalArn: ROLE,
          },
        ] as [string, string, EksRoute],
    ),
    [
      'GET',
      `/clusters/c/access-entries/${enc(ROLE)}/access-policies`,
      {
        operation: 'ListAssociatedAccessPolicies',
        clusterName: 'c',
        principalArn: ROLE,
      },
    ],
    [
      'POST',
      `/clusters/c/access-entries/${enc(ROLE)}/access-policies`,
      {
        operation: 'AssociateAccessPolicy',
        clusterName: 'c',
        principalArn: ROLE,
      },
    ],
    [
      'DELETE',
      `/clusters/c/access-entries/${enc(ROLE)}/access-policies/${enc(POLICY)}`,
      {
        operation: 'DisassociateAccessPolicy',
        clusterName: 'c',
        principalArn: ROLE,
        policyArn: POLICY,
      },
    ],
    // decoded once: an encoded `%` stays encoded
    [
      'GET',
      '/clusters/c/access-entries/a%252Fb',
      {
        operation: 'DescribeAccessEntry',
        clusterName: 'c',
        principalArn: 'a%2Fb',
      },
    ],
  ];

  it.each(routes)('%s %s', (method, path, expected) => {
    expect(routeEksRequest(method, path)).toEqual(expected);
  });

  it.each([
    ['PUT', '/clusters'],
    ['HEAD', '/clusters'],
    ['GET', '/clusters/'],
    ['GET', '/Clusters'],
    ['GET', '/clusters/c/'],
    ['DELETE', '/clusters/c'],
    ['GET', '/clusters/c/update-config'],
    ['GET', '/clusters/c/updates'],
    ['PUT', '/clusters/c/access-entries'],
    ['GET', '/clusters/c//access-entries'],
    ['GET', '/clusters/c/access-entries/%E0%A4%A'],
    ['GET', `/clusters/c/access-entries/${ROLE}`],
    ['GET', `/clusters/c/access-entries/${enc(ROLE)}/access-policies/x`],
    ['GET', '/access-policies/x'],
    ['GET', '/other'],
  ])('%s %s matches no operation', (method, path) => {
    expect(routeEksRequest(method, path)).toBeUndefined();
  });
});
