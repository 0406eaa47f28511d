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

import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../serviceError';
import type { ClusterState } from '../../state/model';
import { eksErrors } from './eksErrors';

/** The order EKS allows: one way only (eks-auth-spec §5.1). */
const MODE_ORDER = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

/** An EKS `Update`, as `UpdateClusterConfig` and `DescribeUpdate` answer it. */
export interface ClusterUpdate {
  id: string;
  status: 'InProgress' | 'Successful';
  type: 'AccessConfigUpdate' | 'LoggingUpdate';
  params: { type: string; value: string }[];
  createdAt: number;
  errors: unknown[];
}

interface TrackedUpdate {
  clusterArn: string;
  update: ClusterUpdate;
  /** Epoch ms when the update stops being InProgress. */
  doneAt: number;
}

/**
 * The updates of every cluster: their ids for `DescribeUpdate`, and the
 * rule that a cluster takes one update at a time (`ResourceInUseException`
 * while one is InProgress). An update stays InProgress for `durationMs`
 * (the `clusterUpdateDurationMs` fault; 0 = done at the next read). The
 * change itself is applied when the update starts, so the cluster's
 * authenticator and DescribeCluster see it at once.
 */
export class ClusterUpdates {
  readonly #updates = new Map<string, TrackedUpdate>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws EKS's `ResourceInUseException` when the cluster has an update InProgress. */
  assertIdle(cluster: ClusterState, updateType: ClusterUpdate['type']) {
    for (const t of this.#updates.values()) {
      if (t.clusterArn === cluster.arn && this.#status(t) === 'InProgress') {
        throw new AwsServiceError(
          'ResourceInUseException',
          409,
          `Cannot ${updateType} because cluster ${cluster.name} currently has update ${t.update.id} in progress`,
          { clusterName: cluster.name },
        );
      }
    }
  }

  /** Records an update (created InProgress) and returns it as EKS answers it. */
  start(
    cluster: ClusterState,
    update: Omit<ClusterUpdate, 'id' | 'status' | 'createdAt' | 'errors'> &
      Partial<Pick<ClusterUpdate, 'id'>>,
    durationMs: number,
  ): { update: ClusterUpdate } {
    const now = this.now();
    const tracked: TrackedUpdate = {
      clusterArn: cluster.arn,
      update: {
        id: update.id ?? randomUUID(),
        status: 'InProgress',
        type: update.type,
        params: update.params,
        createdAt: Math.floor(now / 1000),
        errors: [],
      },
      doneAt: now + Math.max(0, durationMs),
    };
    this.#updates.set(tracked.update.id, tracked);
    return { update: { ...tracked.update } };
  }

  /** `DescribeUpdate`. */
  describe(cluster: ClusterState, updateId: string): { update: ClusterUpdate } {
    const t = this.#updates.get(updateId);
    if (!t || t.clusterArn !== cluster.arn) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        404,
        `No update found for ID: ${updateId}`,
        { clusterName: cluster.name },
      );
    }
    return { update: { ...t.update, status: this.#status(t) } };
  }

  #status(t: TrackedUpdate): ClusterUpdate['status'] {
    return this.now() >= t.doneAt ? 'Successful' : 'InProgress';
  }
}

/**
 * UpdateClusterConfig's `accessConfig` part: EKS's one-way mode rules
 * (CONFIG_MAP → API_AND_CONFIG_MAP → API, one step at a time, never back,
 * never to the same mode) with its error text, and
 * `bootstrapClusterCreatorAdminPermissions`, which cannot be changed.
 */
export function updateAuthenticationMode(
  updates: ClusterUpdates,
  cluster: ClusterState,
  accessConfig: unknown,
  durationMs: number,
): { update: ClusterUpdate } {
  const config = (accessConfig ?? {}) as Record<string, unknown>;
  if ('bootstrapClusterCreatorAdminPermissions' in config) {
    throw eksErrors.invalidParameter(
      'Unsupported accessConfig update: bootstrapClusterCreatorAdminPermissions can only be set when the cluster is created',
      cluster.name,
    );
  }
  const to = config.authenticationMode;
  if (typeof to !== 'string' || !MODE_ORDER.includes(to)) {
    throw eksErrors.invalidParameter(
      `Invalid authenticationMode ${String(
        to,
      )}. Valid values: ${MODE_ORDER.join(', ')}`,
      cluster.name,
    );
  }
  updates.assertIdle(cluster, 'AccessConfigUpdate');
  const from = cluster.authenticationMode;
  if (MODE_ORDER.indexOf(to) !== MODE_ORDER.indexOf(from) + 1) {
    throw eksErrors.invalidParameter(
      `Unsupported authentication mode update from ${from} to ${to}`,
      cluster.name,
    );
  }
  cluster.authenticationMode = to as ClusterState['authenticationMode'];
  return updates.start(
    cluster,
    {
      type: 'AccessConfigUpdate',
      params: [{ type: 'AuthenticationMode', value: to }],
    },
    durationMs,
  );
}
