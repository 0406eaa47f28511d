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
  AWS_ARN_ANNOTATION,
  AWS_CONFIG_ARN_ANNOTATION,
  AWS_CONFIG_EKS_CLUSTER_RESOURCE_TYPE,
  AWS_CONFIG_RESOURCE_TYPE_ANNOTATION,
  EKS_ACCESS_CLUSTER_ARN_ANNOTATION,
  KUBERNETES_API_SERVER_ANNOTATION,
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
}

// arn:<partition>:eks:<region>:<12-digit account>:cluster/<name>
// Cluster names: 1-100 characters, start alphanumeric, then [A-Za-z0-9_-].
const EKS_CLUSTER_ARN =
  /^arn:(aws[a-z-]*):eks:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})$/;

// https://<id>.<suffix>.<region>.eks.amazonaws.com(.cn)
const EKS_API_SERVER =
  /^https:\/\/[a-z0-9.-]+\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/i;

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
 * The cluster an entity describes: partition, region, account and the real
 * cluster name, from its ARN annotation. `undefined` when the entity is not
 * a `Resource` or carries no EKS cluster ARN.
 * @public
 */
export function getEksClusterRef(entity: Entity): EksClusterRef | undefined {
  if (!isResource(entity)) {
    return undefined;
  }
  const arn = annotatedClusterArn(entity);
  return arn ? parseEksClusterArn(arn) : undefined;
}

/**
 * Whether an entity is an Amazon EKS cluster: a `Resource` that carries an
 * EKS cluster ARN in any of the known annotations, or a
 * `kubernetes-cluster`/`eks-cluster` resource whose `kubernetes.io/api-server`
 * is an EKS endpoint (its ARN must then be supplied with
 * `eks-access.io/cluster-arn`; {@link getEksClusterRef} returns `undefined`
 * until it is). The frontend shows the card on exactly these entities.
 * @public
 */
export function isEksClusterEntity(entity: Entity): boolean {
  if (!isResource(entity)) {
    return false;
  }
  if (annotatedClusterArn(entity)) {
    return true;
  }
  const specType = (entity.spec as { type?: unknown } | undefined)?.type;
  const apiServer = annotation(entity, KUBERNETES_API_SERVER_ANNOTATION);
  return (
    typeof specType === 'string' &&
    CLUSTER_SPEC_TYPES.has(specType) &&
    apiServer !== undefined &&
    EKS_API_SERVER.test(apiServer)
  );
}
