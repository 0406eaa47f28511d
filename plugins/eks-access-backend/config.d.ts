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

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * EKS Access backend. Backstage's own AWS identity comes from the root
   * `aws` config (`@backstage/integration-aws-node`: `mainAccount`,
   * `accounts[]` with `roleName`/`externalId`, `accountDefaults`).
   */
  eksAccess?: {
    /** How long each cluster's access data is shared before it is read again. */
    snapshots?: {
      /**
       * Time to live of a cluster snapshot that was read without errors.
       * An ISO 8601 duration string (`PT5M`) or a duration object.
       * @default { minutes: 5 }
       */
      ttl?: HumanDuration | string;
      /**
       * Time to live of a snapshot in which a source failed (throttling,
       * access denied, unreachable), so that failures are retried soon.
       * @default { seconds: 30 }
       */
      errorTtl?: HumanDuration | string;
      /**
       * A `refresh=true` request re-reads a cluster only if its snapshot is
       * older than this.
       * @default { seconds: 10 }
       */
      minRefreshInterval?: HumanDuration | string;
      /**
       * The most AWS/Kubernetes calls in flight at once per AWS account.
       * @default 4
       */
      maxConcurrentCallsPerAccount?: number;
      /**
       * Keeps the snapshots of recently checked clusters warm: each is read
       * again shortly before its TTL ends (two intervals before), while
       * checks keep using the old one. Its AWS calls queue behind every
       * user's check (background priority), one cluster per account at a
       * time.
       */
      warmer?: {
        /** @default false */
        enabled?: boolean;
        /**
         * How often a pass runs.
         * @default { seconds: 30 }
         */
        interval?: HumanDuration | string;
        /**
         * A cluster checked within this long ago is kept warm.
         * @default { minutes: 30 }
         */
        recentFor?: HumanDuration | string;
        /**
         * The most clusters kept warm (the most recently checked).
         * @default 500
         */
        maxClusters?: number;
      };
    };

    /** Who the signed-in developer is in AWS. */
    identity?: {
      /**
       * Resolvers to use, in order. `annotation` reads
       * `eks-access.io/iam-principals` from the user's User entity;
       * `template` renders `identity.templates`. Pasted identities are
       * always checked through their own route.
       * @default ['annotation', 'template']
       */
      resolvers?: Array<'annotation' | 'template' | 'identityCenter'>;
      /**
       * Where User entities come from that developers cannot write to:
       * prefixes of their `backstage.io/managed-by-origin-location`, e.g.
       * `url:https://github.com/acme/org-data/` or an org provider's
       * `msgraph:` origin. Identities from the `annotation` resolver count
       * as verified (and may be requested) only when the User entity comes
       * from one of them; others are still checked, but must be proven with
       * a kubectl token before access can be requested for them.
       * @default []
       */
      trustedUserLocations?: string[];
      /**
       * IAM principals every user acts as, rendered from their User entity.
       * Variables: `{{ email }}`, `{{ emailLocalPart }}`, `{{ name }}`
       * (entity name), `{{ namespace }}`.
       */
      templates?: Array<{
        /** A role ARN (with path), e.g. an SSO permission set role. */
        roleArn?: string;
        /** A user ARN, e.g. `arn:aws:iam::111122223333:user/{{ name }}`. */
        userArn?: string;
        /**
         * The role session name.
         * @default '{{ email }}'
         */
        sessionName?: string;
        /** A short label shown to the developer. */
        label?: string;
      }>;
      /**
       * The IAM Identity Center instance of the `identityCenter` resolver.
       * Backstage needs identitystore:GetUserId, identitystore:DescribeUser,
       * identitystore:ListGroupMembershipsForMember, identitystore:DescribeGroup,
       * sso:ListAccountAssignmentsForPrincipal and sso:DescribePermissionSet
       * in `accountId`, and iam:ListRoles in every assigned account.
       */
      identityCenter?: {
        /** e.g. `arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f` */
        instanceArn: string;
        /** e.g. `d-9067a1b2c3` */
        identityStoreId: string;
        /** The region of the instance. */
        region: string;
        /** The account Backstage reads Identity Center from (management or delegated administrator). */
        accountId: string;
        /**
         * Where the signed-in user's Identity Store name comes from: the User
         * entity's profile email, its entity name, or `userAnnotation`.
         * @default 'email'
         */
        userFrom?: 'email' | 'entityName' | 'annotation';
        /**
         * With `userFrom: annotation`, the annotation to read.
         * @default 'eks-access.io/identity-center-user'
         */
        userAnnotation?: string;
        /**
         * The Identity Store attribute matched: `userName` or `email` (`emails.value`).
         * @default 'userName'
         */
        matchAttribute?: 'userName' | 'email';
        /**
         * How long a user's resolved identities are reused.
         * @default { minutes: 5 }
         */
        cacheTtl?: HumanDuration | string;
      };
    };

    /** Where the AWS APIs are; set only to point at a local sandbox or a VPC endpoint. */
    aws?: {
      /** One endpoint for EKS, STS and IAM, e.g. `http://localhost:4566`. */
      endpoint?: string;
      /** Per-service endpoints; they take precedence over `endpoint`. */
      endpoints?: {
        eks?: string;
        sts?: string;
        iam?: string;
        /** IAM Identity Center's Identity Store. */
        identitystore?: string;
        /** IAM Identity Center admin (sso-admin). */
        sso?: string;
        /** CloudWatch Logs (the clusters' authenticator logs). */
        logs?: string;
        /** CloudTrail (the clusters' CreateCluster events, for the creator). */
        cloudtrail?: string;
      };
    };

    /** Recent authentication attempts, read from each cluster's authenticator log in CloudWatch Logs. */
    attempts?: {
      /** How far back to read, in hours. Default 24, at most 168. */
      windowHours?: number;
      /** At most this many log lines per cluster per read. Default 500. */
      maxEvents?: number;
    };

    /** The admin's migration from aws-auth to access entries. */
    migration?: {
      /**
       * Seconds after the entries stage was verified before the final switch
       * to API may be approved: time to notice what the simulation could not
       * see while a rollback is still possible. Default 3600.
       */
      verificationWindowSeconds?: number;
    };

    /**
     * Self-service access requests: the levels developers can ask for, who
     * administers them, and the task that applies and expires grants.
     */
    requests?: {
      /**
       * Groups (entity refs, e.g. `group:default/platform-team`) whose members
       * administer access requests on every cluster: approve, see all, revoke.
       */
      adminGroups?: string[];
      /** Flood protection of request creation (answered with 429). */
      limits?: {
        /** Open (pending or approved) requests per user. @default 20 */
        maxOpenPerUser?: number;
        /** Open requests per cluster. @default 200 */
        maxOpenPerCluster?: number;
        /** Requests one user may create per `createWindow`. @default 10 */
        createPerWindow?: number;
        /** @default { minutes: 1 } */
        createWindow?: HumanDuration | string;
      };
      /** Who besides the admin groups may approve (see the README's trust model). */
      approvers?: {
        /**
         * Prefixes of `backstage.io/managed-by-origin-location` (e.g.
         * `url:https://github.com/acme/platform-catalog/`, or an entity
         * provider's origin): the owners of cluster entities read from there
         * may approve requests for that cluster. Only list places requesters
         * cannot write to. Empty: only the admin groups approve.
         */
        trustedLocations?: string[];
        /**
         * An AWS tag key on the EKS clusters (e.g. `owner`): members of the
         * group its value names (`team-data` is `group:default/team-data`)
         * may approve requests for that cluster. Use it only when requesters
         * cannot tag clusters (no `eks:TagResource` for them). Unset: tags
         * give no authority.
         */
        awsOwnerTag?: string;
      };
      /**
       * How often the grant task runs (apply approved grants, expire and revoke).
       * @default { frequency: { seconds: 30 }, timeout: { minutes: 5 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long before expiry the requester is told that a grant expires soon.
       * @default { minutes: 30 }
       */
      expiryWarning?: HumanDuration | string;
      /**
       * Longest accepted request reason, in characters.
       * @default 1000
       */
      maxReasonLength?: number;
      /** The access levels developers can request. */
      levels?: Array<{
        /** Identifier, lower-case letters, digits and dashes, e.g. `view`. */
        name: string;
        /** Display name; defaults to the name. */
        title?: string;
        description?: string;
        /**
         * EKS access policy associated on API and API_AND_CONFIG_MAP clusters,
         * e.g. `arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`.
         */
        accessPolicyArn?: string;
        /**
         * Kubernetes groups mapped in aws-auth on CONFIG_MAP clusters. A group
         * containing `{namespace}` is expanded once per requested namespace,
         * which makes namespace scopes possible on CONFIG_MAP clusters.
         */
        kubernetesGroups?: string[];
        /**
         * Scope types a requester may pick.
         * @default ['cluster', 'namespace']
         */
        scopes?: Array<'cluster' | 'namespace'>;
        /**
         * Whether namespace names may end in `*` (e.g. `dev-*`).
         * @default false
         */
        namespaceWildcards?: boolean;
        /** Longest grant, e.g. `{ hours: 8 }` or `PT8H`. */
        maxDuration: HumanDuration | string;
        /**
         * Distinct approvers needed.
         * @default 1
         */
        approvalsRequired?: number;
        /**
         * Clusters this level is offered on: catalog entity refs
         * (`resource:default/ml-training`) or cluster ARNs. Omit for all clusters.
         */
        clusters?: string[];
      }>;
    };

    /** Kubernetes API calls (reading aws-auth). */
    kubernetes?: {
      /**
       * Timeout of one Kubernetes API request.
       * @default { seconds: 10 }
       */
      requestTimeout?: HumanDuration | string;
      /**
       * What an identity that gets in can do, asked of the cluster with
       * SubjectAccessReviews (exact, access policies included). Backstage
       * needs `create subjectaccessreviews` (bind it to the built-in
       * `system:auth-delegator` ClusterRole); where it may not, or the
       * cluster has too many namespaces, the evaluator answers from the
       * RBAC objects Backstage lists instead.
       */
      subjectAccessReview?: {
        /** @default true */
        enabled?: boolean;
        /**
         * Most namespaces asked about one by one (four reviews each at
         * most); more, and the RBAC snapshot answers.
         * @default 25
         */
        maxNamespaces?: number;
      };
    };
  };
}
