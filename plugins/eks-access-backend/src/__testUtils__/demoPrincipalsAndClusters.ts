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
 * The demo scenario's people and clusters (scenario/demo.yaml in the sandbox,
 * examples/ in the catalog) under the names the tests use for them.
 */

/** Dana's Identity Center role, with its path, as STS and the CLI present it. */
export const DANA_SSO_ROLE =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

/** The same role without its path: the form aws-auth and access entries match. */
export const DANA_SSO_ROLE_CANONICAL =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

/** ml-training as an access request names its cluster (API mode, account 444455556666). */
export const ML_TRAINING = {
  entityRef: 'resource:default/ml-training',
  arn: 'arn:aws:eks:us-east-2:444455556666:cluster/ml-training',
  name: 'ml-training',
  accountId: '444455556666',
  region: 'us-east-2',
};

/** payments-staging as an access request names its cluster (CONFIG_MAP mode, account 111122223333). */
export const PAYMENTS_STAGING = {
  entityRef: 'resource:default/eks-payments-staging',
  arn: 'arn:aws:eks:us-east-1:111122223333:cluster/payments-staging',
  name: 'payments-staging',
  accountId: '111122223333',
  region: 'us-east-1',
};

/** AWS's managed view policy, the demo's `view` level. */
export const EKS_VIEW_POLICY =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

/**
 * `eksAccess.requests` with one level, `view`: the managed view policy and a
 * Kubernetes group per namespace, for at most 8 hours.
 */
export const VIEW_REQUESTS_CONFIG = {
  levels: [
    {
      name: 'view',
      accessPolicyArn: EKS_VIEW_POLICY,
      kubernetesGroups: ['eks-access-view-{namespace}'],
      maxDuration: { hours: 8 },
    },
  ],
};
