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
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ACCOUNT_ID,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_CLUSTER_ID,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import { partitionForRegion } from '../evaluator/arn';
import {
  AWS_ARN_ANNOTATION,
  AWS_CONFIG_ARN_ANNOTATION,
  AWS_CONFIG_EKS_CLUSTER_RESOURCE_TYPE,
  AWS_CONFIG_RESOURCE_TYPE_ANNOTATION,
  EKS_ACCESS_CLUSTER_ARN_ANNOTATION,
  ROADIE_EKS_CLUSTER_ARN_ANNOTATION,
} from './annotations';

/**
 * Where an EKS cluster lives and what it is really called, taken from its ARN.
 * @public
 */
export interface EksClusterRef {
  /** The cluster ARN, exactly as annotated. */
  arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  partition: string;
  region: string;
  accountId: string;
  /** The real EKS cluster name (case and `_` preserved), not the catalog name. */
  name: string;
  /**
   * The role the Kubernetes plugin reads this cluster with
   * (`kubernetes.io/aws-assume-role`, `kubernetes.io/aws-external-id`):
   * this plugin reads it with the same role. Writes never use it.
   */
  assumeRole?: { roleArn: string; externalId?: string };
}

// arn:<partition>:eks:<region>:<12-digit account>:cluster/<name>
// Cluster names: 1-100 characters, start alphanumeric, then [A-Za-z0-9_-].
const EKS_CLUSTER_ARN =
  /^arn:(aws[a-z-]*):eks:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})$/;

// https://<id>.<suffix>.<region>.eks.amazonaws.com(.cn)
const EKS_API_SERVER =
  /^https:\/\/[a-z0-9.-]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/i;

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;

const CLUSTER_SPEC_TYPES = new Set(['kubernetes-cluster', 'eks-cluster']);

/**
 * Parses an EKS cluster ARN (`arn:aws:eks:us-east-1:111122223333:cluster/name`).
 * Returns `undefined` for anything else, including ARNs of other EKS resources.
 * @public
 */
export function parseEksClusterArn(arn: string): EksClusterRef | undefined {
  const match = EKS_CLUSTER_ARN.exec(arn.trim());
  if (!match) {
    return undefined;
  }
  const [, partition, region, accountId, name] = match;
  return { arn: arn.trim(), partition, region, accountId, name };
}

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function isResource(entity: Entity): boolean {
  return entity.kind?.toLocaleLowerCase('en-US') === 'resource';
}

/**
 * The cluster ARN annotated on an entity, in order of precedence:
 * `eks-access.io/cluster-arn`, `amazonaws.com/arn` (upstream),
 * `amazon.com/eks-cluster-arn` (Roadie), `aws.amazon.com/arn` (AWS Config,
 * unless its resource type says it is not an EKS cluster).
 */
function annotatedClusterArn(entity: Entity): string | undefined {
  const configResourceType = annotation(
    entity,
    AWS_CONFIG_RESOURCE_TYPE_ANNOTATION,
  );
  const candidates = [
    annotation(entity, EKS_ACCESS_CLUSTER_ARN_ANNOTATION),
    annotation(entity, AWS_ARN_ANNOTATION),
    annotation(entity, ROADIE_EKS_CLUSTER_ARN_ANNOTATION),
    configResourceType === undefined ||
    configResourceType === AWS_CONFIG_EKS_CLUSTER_RESOURCE_TYPE
      ? annotation(entity, AWS_CONFIG_ARN_ANNOTATION)
      : undefined,
  ];
  return candidates.find(
    candidate => candidate !== undefined && parseEksClusterArn(candidate),
  );
}

/**
 * A cluster as the Kubernetes plugin declares it: an entry of
 * `kubernetes.clusterLocatorMethods[].clusters` (type `config`), or a
 * cluster entity read by the `catalog` locator, whose annotations are its
 * `authMetadata`.
 * @public
 */
export interface KubernetesClusterDeclaration {
  name: string;
  url?: string;
  authProvider?: string;
  authMetadata?: Record<string, string | undefined>;
}

function metadataValue(
  metadata: Record<string, string | undefined> | undefined,
  key: string,
): string | undefined {
  const value = metadata?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The read role of a cluster, from Kubernetes plugin annotations or authMetadata. */
function readRole(
  metadata: Record<string, string | undefined> | undefined,
): EksClusterRef['assumeRole'] {
  const roleArn = metadataValue(
    metadata,
    ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  );
  if (!roleArn) {
    return undefined;
  }
  const externalId = metadataValue(
    metadata,
    ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
  );
  return externalId ? { roleArn, externalId } : { roleArn };
}

function withRole(
  ref: EksClusterRef,
  metadata: Record<string, string | undefined> | undefined,
): EksClusterRef {
  const assumeRole = readRole(metadata);
  return assumeRole ? { ...ref, assumeRole } : ref;
}

/**
 * The EKS cluster behind a Kubernetes plugin cluster with `authProvider: aws`,
 * or `undefined` when it cannot be told. In order:
 * - `eks-access.io/cluster-arn` in its authMetadata (needed only when the URL
 *   is not an EKS endpoint, e.g. a local sandbox);
 * - otherwise the region from its EKS API server URL, the account from
 *   `kubernetes.io/aws-account-id` or from the account of
 *   `kubernetes.io/aws-assume-role`, and the name from
 *   `kubernetes.io/x-k8s-aws-id` (the name the plugin's token is for), else
 *   the cluster's own name.
 *
 * The read role (`kubernetes.io/aws-assume-role` with
 * `kubernetes.io/aws-external-id`) comes along in `assumeRole`.
 * @public
 */
export function eksClusterRefFromKubernetesCluster(
  cluster: KubernetesClusterDeclaration,
): EksClusterRef | undefined {
  const metadata = cluster.authMetadata;
  const explicit = metadataValue(metadata, EKS_ACCESS_CLUSTER_ARN_ANNOTATION);
  if (explicit) {
    const ref = parseEksClusterArn(explicit);
    return ref ? withRole(ref, metadata) : undefined;
  }
  const region = cluster.url
    ? EKS_API_SERVER.exec(cluster.url.trim())?.[1]?.toLocaleLowerCase('en-US')
    : undefined;
  if (!region || (cluster.authProvider && cluster.authProvider !== 'aws')) {
    return undefined;
  }
  const roleAccount = IAM_ROLE_ARN.exec(
    metadataValue(metadata, ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE) ?? '',
  )?.[1];
  const accountId =
    metadataValue(metadata, ANNOTATION_KUBERNETES_AWS_ACCOUNT_ID) ??
    roleAccount;
  const name =
    metadataValue(metadata, ANNOTATION_KUBERNETES_AWS_CLUSTER_ID) ??
    cluster.name;
  if (!accountId) {
    return undefined;
  }
  const ref = parseEksClusterArn(
    `arn:${partitionForRegion(
      region,
    )}:eks:${region}:${accountId}:cluster/${name}`,
  );
  return ref ? withRole(ref, metadata) : undefined;
}

function isClusterResource(entity: Entity): boolean {
  const specType = (entity.spec as { type?: unknown } | undefined)?.type;
  return (
    isResource(entity) &&
    typeof specType === 'string' &&
    CLUSTER_SPEC_TYPES.has(specType)
  );
}

/**
 * The cluster an entity describes: partition, region, account and the real
 * cluster name, from its ARN annotation, or else, for a cluster entity the
 * Kubernetes plugin's `catalog` locator reads (`kubernetes.io/api-server`,
 * `kubernetes.io/auth-provider: aws`, …), from those annotations as
 * {@link eksClusterRefFromKubernetesCluster} reads them. Either way with the
 * read role of `kubernetes.io/aws-assume-role`. `undefined` when the entity
 * is not a `Resource` or names no EKS cluster.
 * @public
 */
export function getEksClusterRef(entity: Entity): EksClusterRef | undefined {
  if (!isResource(entity)) {
    return undefined;
  }
  const annotations = entity.metadata.annotations;
  const arn = annotatedClusterArn(entity);
  if (arn) {
    const ref = parseEksClusterArn(arn);
    return ref ? withRole(ref, annotations) : undefined;
  }
  if (!isClusterResource(entity)) {
    return undefined;
  }
  return eksClusterRefFromKubernetesCluster({
    name: entity.metadata.name,
    url: annotation(entity, ANNOTATION_KUBERNETES_API_SERVER),
    authProvider: annotation(entity, ANNOTATION_KUBERNETES_AUTH_PROVIDER),
    authMetadata: annotations,
  });
}

/**
 * Whether an entity is an Amazon EKS cluster: a `Resource` that carries an
 * EKS cluster ARN in any of the known annotations, or a
 * `kubernetes-cluster`/`eks-cluster` resource whose `kubernetes.io/api-server`
 * is an EKS endpoint or whose `kubernetes.io/auth-provider` is `aws` (as the
 * Kubernetes plugin's `catalog` locator reads it; {@link getEksClusterRef}
 * is `undefined` when its annotations do not tell account and region, until
 * `eks-access.io/cluster-arn` is added). The frontend shows the card on
 * these entities.
 * @public
 */
export function isEksClusterEntity(entity: Entity): boolean {
  if (!isResource(entity)) {
    return false;
  }
  if (annotatedClusterArn(entity)) {
    return true;
  }
  if (!isClusterResource(entity)) {
    return false;
  }
  const apiServer = annotation(entity, ANNOTATION_KUBERNETES_API_SERVER);
  return (
    (apiServer !== undefined && EKS_API_SERVER.test(apiServer)) ||
    annotation(entity, ANNOTATION_KUBERNETES_AUTH_PROVIDER) === 'aws'
  );
}

/**
 * Where the card may appear: every {@link isEksClusterEntity} entity, and
 * every other `kubernetes-cluster`/`eks-cluster` resource, which may be an
 * EKS cluster declared only in the Kubernetes plugin's config
 * (`kubernetes.clusterLocatorMethods`, read by the backend alone). On
 * those, the card hides itself when the backend says it is not an EKS
 * cluster.
 * @public
 */
export function mayBeEksClusterEntity(entity: Entity): boolean {
  return isEksClusterEntity(entity) || isClusterResource(entity);
}
