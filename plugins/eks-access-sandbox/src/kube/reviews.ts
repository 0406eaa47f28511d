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
 * The authentication and authorization reviews: `kubectl auth whoami`
 * (SelfSubjectReview), `kubectl auth can-i` (SelfSubjectAccessReview,
 * SelfSubjectRulesReview) and SubjectAccessReview. Every answer comes from
 * the same authenticator and authorizer that guard the sandbox's API, so a
 * review never disagrees with what the request itself would get.
 */

import { ClusterState } from '../state/model';
import { KubernetesUser } from './clusterAuthenticator';
import {
  isAuthorized,
  ResourceAttributes,
  rulesFor,
} from './kubernetesAuthorizer';
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP } from './resourceCatalog';

/** A review body the API server rejects (422). */
export class InvalidReview extends Error {}

function userInfo(user: KubernetesUser) {
  return {
    username: user.username,
    groups: user.groups,
    // EKS adds the ARN and the access key to the extra fields.
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

/** authentication.k8s.io/v1 SelfSubjectReview: who the caller is. */
export function selfSubjectReview(user: KubernetesUser) {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `${AUTHENTICATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    status: { userInfo: userInfo(user) },
  };
}

function attributesOf(spec: any): ResourceAttributes {
  const r = spec?.resourceAttributes;
  if (!r || typeof r !== 'object') {
    if (spec?.nonResourceAttributes) {
      throw new InvalidReview(
        'nonResourceAttributes are not served by the sandbox',
      );
    }
    throw new InvalidReview(
      'spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const resource = text(r.resource);
  return {
    verb: text(r.verb),
    apiGroup: text(r.group),
    resource: r.subresource ? `${resource}/${text(r.subresource)}` : resource,
    ...(r.namespace ? { namespace: text(r.namespace) } : {}),
    ...(r.name ? { name: text(r.name) } : {}),
  };
}

function accessReviewStatus(
  cluster: ClusterState,
  user: KubernetesUser,
  spec: any,
) {
  const attributes = attributesOf(spec);
  const allowed = isAuthorized(cluster, user, attributes);
  return allowed
    ? { allowed: true, reason: reasonFor(user) }
    : { allowed: false };
}

function reasonFor(user: KubernetesUser): string {
  if (user.groups.includes('system:masters')) return '';
  return user.policies.length
    ? 'EKS Access Policy: allowed by an access policy or RBAC'
    : 'RBAC: allowed by a (Cluster)RoleBinding';
}

/** authorization.k8s.io/v1 SelfSubjectAccessReview: may I do this? */
export function selfSubjectAccessReview(
  cluster: ClusterState,
  user: KubernetesUser,
  body: any,
) {
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: body?.spec ?? {},
    status: accessReviewStatus(cluster, user, body?.spec),
  };
}

/**
 * authorization.k8s.io/v1 SubjectAccessReview: may this user (and groups) do
 * this? EKS access policies belong to an access entry, not to a username, so
 * the caller resolves them (`policiesOf`) from the spec's extra `arn` /
 * `canonicalArn` (as EKS sets them on authenticated users) or the username.
 */
export function subjectAccessReview(
  cluster: ClusterState,
  body: any,
  policiesOf: (spec: {
    user: string;
    extra: Record<string, string[]>;
  }) => KubernetesUser['policies'],
) {
  const spec = body?.spec ?? {};
  const username = typeof spec.user === 'string' ? spec.user : '';
  const groups: string[] = Array.isArray(spec.groups)
    ? spec.groups.filter((g: unknown) => typeof g === 'string')
    : [];
  if (!username && groups.length === 0) {
    throw new InvalidReview(
      'spec.user: Invalid value: "": at least one of user or group must be specified',
    );
  }
  const subject: KubernetesUser = {
    username,
    groups,
    policies: policiesOf({
      user: username,
      extra:
        spec.extra &&
        typeof spec.extra === 'object' &&
        !Array.isArray(spec.extra)
          ? spec.extra
          : {},
    }),
    via: 'access-entry',
  };
  return {
    kind: 'SubjectAccessReview',
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec,
    status: accessReviewStatus(cluster, subject, spec),
  };
}

/** authorization.k8s.io/v1 SelfSubjectRulesReview: what may I do in a namespace? */
export function selfSubjectRulesReview(
  cluster: ClusterState,
  user: KubernetesUser,
  body: any,
) {
  const namespace = body?.spec?.namespace;
  if (typeof namespace !== 'string' || !namespace) {
    throw new InvalidReview(
      'spec.namespace: Required value: the namespace is required',
    );
  }
  const { resourceRules, nonResourceRules, approximated } = rulesFor(
    cluster,
    user,
    namespace,
  );
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules,
      nonResourceRules,
      // Like EKS: access policies are evaluated by a webhook authorizer, whose
      // rules the API server cannot list, so the list is marked incomplete.
      incomplete: approximated,
      ...(approximated
        ? {
            evaluationError:
              'rules of built-in ClusterRoles and EKS access policies are approximated',
          }
        : {}),
    },
  };
}
