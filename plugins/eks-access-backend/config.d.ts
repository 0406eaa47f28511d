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
      resolvers?: Array<'annotation' | 'template'>;
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
      };
    };

    /** Kubernetes API calls (reading aws-auth). */
    kubernetes?: {
      /**
       * Timeout of one Kubernetes API request.
       * @default { seconds: 10 }
       */
      requestTimeout?: HumanDuration | string;
    };
  };
}
