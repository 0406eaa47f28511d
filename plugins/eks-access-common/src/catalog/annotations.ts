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
 * Annotation keys that identify an Amazon EKS cluster in the catalog, as
 * written by the three catalog modules that ingest EKS clusters, plus the
 * keys this plugin defines itself. The Kubernetes plugin's keys
 * (`kubernetes.io/api-server`, `kubernetes.io/aws-assume-role`, …) are
 * `@backstage/plugin-kubernetes-common`'s `ANNOTATION_KUBERNETES_*`.
 */

/**
 * Cluster ARN written by the upstream `@backstage/plugin-catalog-backend-module-aws`
 * (`AwsEKSClusterProcessor`) on `spec.type: kubernetes-cluster` resources.
 * @public
 */
export const AWS_ARN_ANNOTATION = 'amazonaws.com/arn';

/**
 * Cluster ARN written by Roadie's `AWSEKSClusterProvider` on
 * `spec.type: eks-cluster` resources.
 * @public
 */
export const ROADIE_EKS_CLUSTER_ARN_ANNOTATION = 'amazon.com/eks-cluster-arn';

/**
 * Resource ARN written by the AWS Config catalog module
 * (`@aws/aws-config-catalog-module-for-backstage`).
 * @public
 */
export const AWS_CONFIG_ARN_ANNOTATION = 'aws.amazon.com/arn';

/**
 * Resource type written by the AWS Config catalog module; EKS clusters carry
 * {@link AWS_CONFIG_EKS_CLUSTER_RESOURCE_TYPE}.
 * @public
 */
export const AWS_CONFIG_RESOURCE_TYPE_ANNOTATION =
  'aws.amazon.com/resource-type';

/**
 * The AWS Config resource type of an EKS cluster.
 * @public
 */
export const AWS_CONFIG_EKS_CLUSTER_RESOURCE_TYPE = 'AWS::EKS::Cluster';

/**
 * Set by hand on a cluster entity whose catalog module records no ARN (for
 * example one found only by its `kubernetes.io/api-server`). Takes
 * precedence over every other ARN annotation.
 * @public
 */
export const EKS_ACCESS_CLUSTER_ARN_ANNOTATION = 'eks-access.io/cluster-arn';

/**
 * On a `User` entity: the IAM principals the user acts as. One principal per
 * line or comma-separated; each is a role or user ARN (with its path),
 * optionally followed by whitespace and `session=<sessionName>`. Roles
 * without a session name get the user's email, else the user entity's name.
 *
 * @example
 * ```yaml
 * metadata:
 *   annotations:
 *     eks-access.io/iam-principals: |
 *       arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b
 *       arn:aws:iam::444455556666:user/engineering/dana
 * ```
 * @public
 */
export const EKS_ACCESS_PRINCIPALS_ANNOTATION = 'eks-access.io/iam-principals';

/**
 * On a cluster entity: the IAM ARN (role with its path, or user) that
 * created the cluster. EKS admits the creator in `CONFIG_MAP` mode without
 * any mapping, but no EKS API tells who that is, so it has to be recorded.
 * The backend also reads a cluster tag with the same key.
 * @public
 */
export const EKS_ACCESS_CLUSTER_CREATOR_ANNOTATION =
  'eks-access.io/cluster-creator-arn';
