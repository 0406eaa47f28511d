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
 * Asks a cluster whether a subject (username, groups, the ARN EKS puts in
 * the user's extra fields) may make a request: SubjectAccessReview, with
 * Backstage's own credentials for the cluster. SubjectAccessReview is used
 * rather than SelfSubjectRulesReview because it answers for another subject
 * with only `create subjectaccessreviews` (the built-in
 * `system:auth-delegator` ClusterRole), where a rules review would need
 * impersonation rights, and because EKS marks rules reviews incomplete: the
 * access-policy webhook cannot list its rules, but it does answer reviews.
 */

import * as k8s from '@kubernetes/client-node';
import type {
  AccessReviewAttributes,
  EksClusterRef,
} from '@eks-access/plugin-eks-access-common';
import { ClusterClients } from './ClusterClients';
import type { DescribedCluster } from './EksApiSources';
import { withTimeout } from './withTimeout';

/** Who is asked about: what EKS's authenticator would hand Kubernetes. */
export interface ReviewSubject {
  username: string;
  groups: string[];
  /** Extra fields as EKS sets them (`arn`, `canonicalArn`); access policies are keyed on them. */
  extra?: Record<string, string[]>;
}

/** The cluster refused or does not serve reviews: the answer must come from elsewhere. */
export class AccessReviewUnavailableError extends Error {
  name = 'AccessReviewUnavailableError';
}

/** Asks a cluster about a subject's requests. */
export interface AccessReviewer {
  /**
   * Whether the subject may make the request; namespace undefined asks
   * about every namespace at once. Throws AccessReviewUnavailableError
   * when Backstage may not ask (403) or the API is not served (404).
   */
  review(
    cluster: EksClusterRef,
    described: DescribedCluster,
    subject: ReviewSubject,
    request: AccessReviewAttributes & { namespace?: string },
  ): Promise<boolean>;
  /** The cluster's namespaces; AccessReviewUnavailableError when Backstage may not list them. */
  listNamespaces(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<string[]>;
}

function unavailableOr(error: unknown, what: string): unknown {
  const status = (error as { code?: unknown }).code;
  if (status === 403) {
    return new AccessReviewUnavailableError(
      `Backstage may not ${what} on this cluster (403)`,
    );
  }
  if (status === 404) {
    return new AccessReviewUnavailableError(
      `the cluster does not serve ${what} (404)`,
    );
  }
  return error;
}

/** {@link AccessReviewer} over the cluster's Kubernetes API. */
export class KubernetesAccessReviewer implements AccessReviewer {
  readonly #clients: ClusterClients;
  readonly #timeoutMs: number;

  constructor(clients: ClusterClients, options: { timeoutMs: number }) {
    this.#clients = clients;
    this.#timeoutMs = options.timeoutMs;
  }

  async review(
    cluster: EksClusterRef,
    described: DescribedCluster,
    subject: ReviewSubject,
    request: AccessReviewAttributes & { namespace?: string },
  ): Promise<boolean> {
    const api = await this.#clients.kubernetesApi(
      this.#target(cluster, described),
      k8s.AuthorizationV1Api,
    );
    try {
      const review = await withTimeout(
        api.createSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: subject.username,
              groups: subject.groups,
              ...(subject.extra ? { extra: subject.extra } : {}),
              resourceAttributes: {
                verb: request.verb,
                group: request.group,
                resource: request.resource,
                ...(request.namespace ? { namespace: request.namespace } : {}),
              },
            },
          },
        }),
        this.#timeoutMs,
        `a SubjectAccessReview on ${cluster.name}`,
      );
      return review.status?.allowed === true;
    } catch (error) {
      throw unavailableOr(error, 'create subjectaccessreviews');
    }
  }

  async listNamespaces(
    cluster: EksClusterRef,
    described: DescribedCluster,
  ): Promise<string[]> {
    const core = await this.#clients.kubernetesCoreApi(
      this.#target(cluster, described),
    );
    try {
      const list = await withTimeout(
        core.listNamespace(),
        this.#timeoutMs,
        `listing namespaces on ${cluster.name}`,
      );
      return list.items.flatMap(ns =>
        ns.metadata?.name ? [ns.metadata.name] : [],
      );
    } catch (error) {
      throw unavailableOr(error, 'list namespaces');
    }
  }

  #target(cluster: EksClusterRef, described: DescribedCluster) {
    if (!described.endpoint) {
      throw new AccessReviewUnavailableError(
        `DescribeCluster returned no endpoint for ${cluster.name}`,
      );
    }
    return {
      ...cluster,
      endpoint: described.endpoint,
      certificateAuthorityData: described.certificateAuthorityData,
    };
  }
}
