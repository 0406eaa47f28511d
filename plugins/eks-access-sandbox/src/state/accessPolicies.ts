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

/** The EKS access policies ListAccessPolicies returns, in EKS's order. */
export const ACCESS_POLICY_NAMES = [
  'AmazonEKSAdminPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSAutoNodePolicy',
  'AmazonEKSBlockStorageClusterPolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSComputeClusterPolicy',
  'AmazonEKSComputePolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSHybridPolicy',
  'AmazonEKSLoadBalancingClusterPolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingClusterPolicy',
  'AmazonEKSNetworkingPolicy',
  'AmazonEKSViewPolicy',
];

export function accessPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}

/** Accepts a policy name or ARN; returns the ARN, or undefined if it is not an access policy. */
export function resolveAccessPolicyArn(
  partition: string,
  nameOrArn: string,
): string | undefined {
  const name = nameOrArn.startsWith('arn:')
    ? nameOrArn.replace(/^arn:[^:]+:eks::aws:cluster-access-policy\//, '')
    : nameOrArn;
  if (!ACCESS_POLICY_NAMES.includes(name)) {
    return undefined;
  }
  const arn = accessPolicyArn(partition, name);
  if (nameOrArn.startsWith('arn:') && nameOrArn !== arn) {
    return undefined;
  }
  return arn;
}

export function accessPolicyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
