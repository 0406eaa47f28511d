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

import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { type Config, readDurationFromConfig } from '@backstage/config';
import type { AccessLevelInfo } from '@eks-access/plugin-eks-access-common';
import { Duration } from 'luxon';

// The schema of `eksAccess.requests` lives in the plugin's config.d.ts.

/** An access level, validated. @public */
export interface AccessLevel extends AccessLevelInfo {
  /** Lower-cased entity refs and ARNs; undefined means every cluster. */
  clusters?: string[];
}

/** `eksAccess.requests`, validated, with defaults applied. @public */
export interface AccessRequestsSettings {
  adminGroups: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  expiryWarningSeconds: number;
  maxReasonLength: number;
  levels: AccessLevel[];
  /**
   * Origin-location prefixes (`backstage.io/managed-by-origin-location`) of
   * cluster entities whose owners may approve; empty: only admins approve.
   */
  trustedLocations: string[];
  /**
   * The AWS tag on the EKS cluster (e.g. `owner`) that names the group whose
   * members may approve requests for it; unset: tags give no authority.
   */
  awsOwnerTag?: string;
  /** Flood protection of request creation. */
  limits: {
    /** Open (pending or approved) requests one user may have. */
    maxOpenPerUser: number;
    /** Open requests one cluster may have. */
    maxOpenPerCluster: number;
    /** Requests one user may create per `createWindowSeconds`. */
    createPerWindow: number;
    createWindowSeconds: number;
  };
}

const LEVEL_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ACCESS_POLICY_ARN =
  /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z0-9]+$/;
const GROUP_NAME = /^[^\s]{1,255}$/;
const MAX_GRANT_SECONDS = 90 * 24 * 3600;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
  scope: 'global',
};

function durationSeconds(config: Config, key: string): number {
  const duration = readDurationFromConfig(config, { key });
  return Duration.fromObject(duration).as('seconds');
}

function readLevel(config: Config, path: string): AccessLevel {
  const fail = (message: string): never => {
    throw new Error(`Invalid ${path}: ${message}`);
  };
  const name = config.getString('name');
  if (!LEVEL_NAME.test(name)) {
    fail(
      `name "${name}" must be lower-case letters, digits and dashes (at most 63)`,
    );
  }
  const where = `${path} ("${name}")`;
  const failLevel = (message: string): never => {
    throw new Error(`Invalid ${where}: ${message}`);
  };

  const accessPolicyArn = config.getOptionalString('accessPolicyArn');
  if (
    accessPolicyArn !== undefined &&
    !ACCESS_POLICY_ARN.test(accessPolicyArn)
  ) {
    failLevel(
      `accessPolicyArn "${accessPolicyArn}" is not an EKS access policy ARN (arn:aws:eks::aws:cluster-access-policy/<Name>)`,
    );
  }
  const kubernetesGroups = config.getOptionalStringArray('kubernetesGroups');
  if (kubernetesGroups !== undefined) {
    if (kubernetesGroups.length === 0) {
      failLevel('kubernetesGroups must not be empty when set');
    }
    for (const group of kubernetesGroups) {
      if (!GROUP_NAME.test(group)) {
        failLevel(`kubernetesGroups entry "${group}" is not a group name`);
      }
    }
  }
  if (accessPolicyArn === undefined && kubernetesGroups === undefined) {
    failLevel(
      'grants nothing: set accessPolicyArn (API clusters) and/or kubernetesGroups (CONFIG_MAP clusters)',
    );
  }

  const scopes = (config.getOptionalStringArray('scopes') ?? [
    'cluster',
    'namespace',
  ]) as Array<'cluster' | 'namespace'>;
  if (scopes.length === 0) {
    failLevel('scopes must list at least one of cluster, namespace');
  }
  for (const scope of scopes) {
    if (scope !== 'cluster' && scope !== 'namespace') {
      failLevel(`scope "${scope}" is not one of cluster, namespace`);
    }
  }
  const namespaceWildcards =
    config.getOptionalBoolean('namespaceWildcards') ?? false;
  if (namespaceWildcards && !scopes.includes('namespace')) {
    failLevel('namespaceWildcards needs the namespace scope');
  }

  if (!config.has('maxDuration')) {
    failLevel('maxDuration is required, e.g. { hours: 8 }');
  }
  let maxDurationSeconds = 0;
  try {
    maxDurationSeconds = durationSeconds(config, 'maxDuration');
  } catch (error) {
    failLevel(`maxDuration: ${(error as Error).message}`);
  }
  if (
    !Number.isFinite(maxDurationSeconds) ||
    maxDurationSeconds < 60 ||
    maxDurationSeconds > MAX_GRANT_SECONDS
  ) {
    failLevel('maxDuration must be between 1 minute and 90 days');
  }

  const approvalsRequired = config.getOptionalNumber('approvalsRequired') ?? 1;
  if (
    !Number.isInteger(approvalsRequired) ||
    approvalsRequired < 1 ||
    approvalsRequired > 10
  ) {
    failLevel('approvalsRequired must be a whole number from 1 to 10');
  }

  const clusters = config.getOptionalStringArray('clusters');
  if (clusters !== undefined && clusters.length === 0) {
    failLevel('clusters must not be empty when set (omit it for all clusters)');
  }

  return {
    name,
    title: config.getOptionalString('title') ?? name,
    description: config.getOptionalString('description'),
    accessPolicyArn,
    kubernetesGroups,
    scopes,
    namespaceWildcards,
    maxDurationSeconds,
    approvalsRequired,
    clusters: clusters?.map(c => c.toLocaleLowerCase('en-US')),
  };
}

/**
 * Reads and validates `eksAccess.requests`. Throws at start-up with the path
 * of the offending value and what is wrong with it.
 * @public
 */
export function readAccessRequestsConfig(
  rootConfig: Config,
): AccessRequestsSettings {
  const config = rootConfig.getOptionalConfig('eksAccess.requests');
  const levelConfigs = config?.getOptionalConfigArray('levels') ?? [];
  const levels = levelConfigs.map((c, i) =>
    readLevel(c, `eksAccess.requests.levels[${i}]`),
  );
  const seen = new Set<string>();
  for (const level of levels) {
    if (seen.has(level.name)) {
      throw new Error(
        `Invalid eksAccess.requests.levels: the name "${level.name}" is used twice`,
      );
    }
    seen.add(level.name);
  }

  const adminGroups = (config?.getOptionalStringArray('adminGroups') ?? []).map(
    g => g.toLocaleLowerCase('en-US'),
  );
  for (const group of adminGroups) {
    if (!/^group:[^/\s]+\/[^/\s]+$/.test(group)) {
      throw new Error(
        `Invalid eksAccess.requests.adminGroups: "${group}" is not a full group entity ref such as group:default/platform-team`,
      );
    }
  }

  const schedule = config?.has('schedule')
    ? {
        ...readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        ),
        scope: 'global' as const,
      }
    : DEFAULT_SCHEDULE;

  const expiryWarningSeconds = config?.has('expiryWarning')
    ? durationSeconds(config, 'expiryWarning')
    : 30 * 60;
  const maxReasonLength = config?.getOptionalNumber('maxReasonLength') ?? 1000;
  if (!Number.isInteger(maxReasonLength) || maxReasonLength < 10) {
    throw new Error(
      'Invalid eksAccess.requests.maxReasonLength: must be a whole number of at least 10',
    );
  }

  const trustedLocations =
    config?.getOptionalStringArray('approvers.trustedLocations') ?? [];
  for (const location of trustedLocations) {
    if (!/^[a-z][a-z0-9+-]*:/i.test(location)) {
      throw new Error(
        `Invalid eksAccess.requests.approvers.trustedLocations: "${location}" must start with a location type, e.g. url:https://github.com/acme/platform-catalog/ or file:`,
      );
    }
  }

  const awsOwnerTag = config
    ?.getOptionalString('approvers.awsOwnerTag')
    ?.trim();
  if (awsOwnerTag === '') {
    throw new Error(
      'Invalid eksAccess.requests.approvers.awsOwnerTag: must be a tag key such as owner',
    );
  }

  const positive = (key: string, fallback: number) => {
    const value = config?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid eksAccess.requests.${key}: must be a whole number of at least 1`,
      );
    }
    return value;
  };
  const limits = {
    maxOpenPerUser: positive('limits.maxOpenPerUser', 20),
    maxOpenPerCluster: positive('limits.maxOpenPerCluster', 200),
    createPerWindow: positive('limits.createPerWindow', 10),
    createWindowSeconds: config?.has('limits.createWindow')
      ? durationSeconds(config, 'limits.createWindow')
      : 60,
  };

  return {
    adminGroups,
    schedule,
    expiryWarningSeconds,
    maxReasonLength,
    levels,
    trustedLocations,
    ...(awsOwnerTag ? { awsOwnerTag } : {}),
    limits,
  };
}

/**
 * The levels offered on a cluster, given its entity ref and ARN.
 * @public
 */
export function levelsForCluster(
  levels: AccessLevel[],
  cluster: { entityRef: string; arn: string },
): AccessLevel[] {
  const ref = cluster.entityRef.toLocaleLowerCase('en-US');
  const arn = cluster.arn.toLocaleLowerCase('en-US');
  return levels.filter(
    level =>
      !level.clusters ||
      level.clusters.includes(ref) ||
      level.clusters.includes(arn),
  );
}

/** The public view of a level (without the cluster list). @public */
export function toAccessLevelInfo(level: AccessLevel): AccessLevelInfo {
  const { clusters: _clusters, ...info } = level;
  return info;
}
