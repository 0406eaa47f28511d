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
import {
  CLUSTER_LOG_TYPES,
  openClusterLogGroup,
} from '../../cloudwatch/authenticatorLog';
import { LogStore } from '../../cloudwatch/LogStore';
import { ClusterState } from '../../state/model';
import { eksErrors } from './eksErrors';

/** DescribeCluster's `logging`: one group of enabled types and one of disabled types. */
export function describeClusterLogging(cluster: ClusterState) {
  const enabled = CLUSTER_LOG_TYPES.filter(t =>
    (cluster.enabledLogTypes ?? []).includes(t),
  );
  const disabled = CLUSTER_LOG_TYPES.filter(t => !enabled.includes(t));
  return {
    clusterLogging: [
      ...(enabled.length ? [{ types: enabled, enabled: true }] : []),
      ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
    ],
  };
}

/**
 * UpdateClusterConfig's `logging` part: turns control-plane log types on or
 * off and answers the `LoggingUpdate` update. Applied at once; EKS reports
 * the update InProgress first, so the sandbox does too.
 */
export function updateClusterLogging(
  logs: LogStore,
  cluster: ClusterState,
  logging: unknown,
): { update: Record<string, unknown> } {
  const groups = (logging as { clusterLogging?: unknown })?.clusterLogging;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw eksErrors.invalidParameter(
      'logging.clusterLogging must list at least one group of log types',
      cluster.name,
    );
  }
  const next = new Set(cluster.enabledLogTypes ?? []);
  for (const group of groups) {
    const types = (group as { types?: unknown })?.types;
    const enabled = (group as { enabled?: unknown })?.enabled;
    if (!Array.isArray(types) || typeof enabled !== 'boolean') {
      throw eksErrors.invalidParameter(
        'Each logging.clusterLogging entry needs types and enabled',
        cluster.name,
      );
    }
    for (const type of types) {
      if (!(CLUSTER_LOG_TYPES as readonly unknown[]).includes(type)) {
        throw eksErrors.invalidParameter(
          `${String(
            type,
          )} is not a valid log type. Valid types: ${CLUSTER_LOG_TYPES.join(
            ', ',
          )}`,
          cluster.name,
        );
      }
      if (enabled) next.add(type as string);
      else next.delete(type as string);
    }
  }
  const before = [...(cluster.enabledLogTypes ?? [])].sort().join(',');
  if ([...next].sort().join(',') === before) {
    throw eksErrors.invalidParameter(
      'No changes needed for the logging config provided',
      cluster.name,
    );
  }
  cluster.enabledLogTypes = CLUSTER_LOG_TYPES.filter(t => next.has(t));
  openClusterLogGroup(logs, cluster);
  return {
    update: {
      id: randomUUID(),
      status: 'InProgress',
      type: 'LoggingUpdate',
      params: [
        {
          type: 'ClusterLogging',
          value: JSON.stringify(describeClusterLogging(cluster)),
        },
      ],
      createdAt: Math.floor(Date.now() / 1000),
      errors: [],
    },
  };
}
