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

import type { SnapshotWarmerSettings } from '../snapshots/SnapshotWarmer';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import type { IdentityCenterConfig } from '../identity/IdentityCenterIdentityResolver';
import type { IdentityTemplateConfig } from '../identity/TemplateIdentityResolver';

/** The `eksAccess` config, with defaults applied. */
export interface EksAccessConfig {
  snapshots: {
    ttlMs: number;
    errorTtlMs: number;
    minRefreshIntervalMs: number;
    maxConcurrentCallsPerAccount: number;
    warmer: SnapshotWarmerSettings;
  };
  identity: {
    resolvers: Array<'annotation' | 'template' | 'identityCenter'>;
    /** Origin-location prefixes of User entities developers cannot write. */
    trustedUserLocations: string[];
    templates: IdentityTemplateConfig[];
    identityCenter?: IdentityCenterConfig;
  };
  aws: {
    endpoints: {
      eks?: string;
      sts?: string;
      iam?: string;
      logs?: string;
      cloudtrail?: string;
    };
  };
  kubernetes: {
    requestTimeoutMs: number;
    subjectAccessReview: { enabled: boolean; maxNamespaces: number };
  };
}

function durationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  if (!config?.has(key)) {
    return durationToMilliseconds(fallback);
  }
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

/** Reads `eksAccess` from the root config. Throws on invalid values. */
export function readEksAccessConfig(rootConfig: Config): EksAccessConfig {
  const config = rootConfig.getOptionalConfig('eksAccess');
  const snapshots = config?.getOptionalConfig('snapshots');
  const identity = config?.getOptionalConfig('identity');
  const aws = config?.getOptionalConfig('aws');

  const maxConcurrent =
    snapshots?.getOptionalNumber('maxConcurrentCallsPerAccount') ?? 4;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new Error(
      `eksAccess.snapshots.maxConcurrentCallsPerAccount must be a positive integer, got ${maxConcurrent}`,
    );
  }

  const resolvers = (identity?.getOptionalStringArray('resolvers') ?? [
    'annotation',
    'template',
  ]) as Array<'annotation' | 'template' | 'identityCenter'>;
  for (const resolver of resolvers) {
    if (
      resolver !== 'annotation' &&
      resolver !== 'template' &&
      resolver !== 'identityCenter'
    ) {
      throw new Error(
        `eksAccess.identity.resolvers: unknown resolver "${resolver}" (expected "annotation", "template" or "identityCenter")`,
      );
    }
  }

  const templates = (identity?.getOptionalConfigArray('templates') ?? []).map(
    (template, index) => {
      const roleArn = template.getOptionalString('roleArn');
      const userArn = template.getOptionalString('userArn');
      if (Boolean(roleArn) === Boolean(userArn)) {
        throw new Error(
          `eksAccess.identity.templates[${index}] must have exactly one of roleArn or userArn`,
        );
      }
      return {
        roleArn,
        userArn,
        sessionName: template.getOptionalString('sessionName') ?? '{{ email }}',
        label: template.getOptionalString('label'),
      };
    },
  );

  const endpoint = aws?.getOptionalString('endpoint');
  const endpoints = aws?.getOptionalConfig('endpoints');
  const identityCenter = readIdentityCenterConfig(
    identity?.getOptionalConfig('identityCenter'),
    {
      identitystore: endpoints?.getOptionalString('identitystore') ?? endpoint,
      sso: endpoints?.getOptionalString('sso') ?? endpoint,
    },
  );
  if (resolvers.includes('identityCenter') && !identityCenter) {
    throw new Error(
      'eksAccess.identity.resolvers lists "identityCenter", but eksAccess.identity.identityCenter is not configured',
    );
  }

  return {
    snapshots: {
      ttlMs: durationMs(snapshots, 'ttl', { minutes: 5 }),
      errorTtlMs: durationMs(snapshots, 'errorTtl', { seconds: 30 }),
      minRefreshIntervalMs: durationMs(snapshots, 'minRefreshInterval', {
        seconds: 10,
      }),
      maxConcurrentCallsPerAccount: maxConcurrent,
      warmer: readWarmerSettings(
        snapshots?.getOptionalConfig('warmer'),
        durationMs(snapshots, 'ttl', { minutes: 5 }),
      ),
    },
    identity: {
      resolvers,
      trustedUserLocations: (
        identity?.getOptionalStringArray('trustedUserLocations') ?? []
      ).filter(prefix => prefix !== ''),
      templates,
      ...(identityCenter ? { identityCenter } : {}),
    },
    aws: {
      endpoints: {
        eks: endpoints?.getOptionalString('eks') ?? endpoint,
        sts: endpoints?.getOptionalString('sts') ?? endpoint,
        iam: endpoints?.getOptionalString('iam') ?? endpoint,
        logs: endpoints?.getOptionalString('logs') ?? endpoint,
        cloudtrail: endpoints?.getOptionalString('cloudtrail') ?? endpoint,
      },
    },
    kubernetes: {
      requestTimeoutMs: durationMs(
        config?.getOptionalConfig('kubernetes'),
        'requestTimeout',
        { seconds: 10 },
      ),
      subjectAccessReview: {
        enabled:
          config?.getOptionalBoolean(
            'kubernetes.subjectAccessReview.enabled',
          ) ?? true,
        maxNamespaces:
          config?.getOptionalNumber(
            'kubernetes.subjectAccessReview.maxNamespaces',
          ) ?? 25,
      },
    },
  };
}

/**
 * Reads `eksAccess.snapshots.warmer`. A snapshot is read again two passes
 * before its time to live ends, so one slow pass still finds it fresh.
 */
function readWarmerSettings(
  config: Config | undefined,
  ttlMs: number,
): SnapshotWarmerSettings {
  const intervalMs = durationMs(config, 'interval', { seconds: 30 });
  const maxClusters = config?.getOptionalNumber('maxClusters') ?? 500;
  if (!Number.isInteger(maxClusters) || maxClusters < 1) {
    throw new Error(
      `eksAccess.snapshots.warmer.maxClusters must be a positive integer, got ${maxClusters}`,
    );
  }
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? false,
    intervalMs,
    recentMs: durationMs(config, 'recentFor', { minutes: 30 }),
    refreshAfterMs: Math.max(0, ttlMs - 2 * intervalMs),
    maxClusters,
  };
}

/** Reads `eksAccess.identity.identityCenter`; undefined when absent. */
function readIdentityCenterConfig(
  config: Config | undefined,
  endpoints: IdentityCenterConfig['endpoints'],
): IdentityCenterConfig | undefined {
  if (!config) return undefined;
  const userFrom = config.getOptionalString('userFrom') ?? 'email';
  if (!['email', 'entityName', 'annotation'].includes(userFrom)) {
    throw new Error(
      `eksAccess.identity.identityCenter.userFrom must be "email", "entityName" or "annotation", got "${userFrom}"`,
    );
  }
  const matchAttribute =
    config.getOptionalString('matchAttribute') ?? 'userName';
  if (matchAttribute !== 'userName' && matchAttribute !== 'email') {
    throw new Error(
      `eksAccess.identity.identityCenter.matchAttribute must be "userName" or "email", got "${matchAttribute}"`,
    );
  }
  const accountId = config.getString('accountId');
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(
      `eksAccess.identity.identityCenter.accountId must be a 12-digit account id, got "${accountId}"`,
    );
  }
  return {
    instanceArn: config.getString('instanceArn'),
    identityStoreId: config.getString('identityStoreId'),
    region: config.getString('region'),
    accountId,
    userFrom: userFrom as IdentityCenterConfig['userFrom'],
    userAnnotation:
      config.getOptionalString('userAnnotation') ??
      'eks-access.io/identity-center-user',
    matchAttribute,
    cacheTtlMs: durationMs(config, 'cacheTtl', { minutes: 5 }),
    endpoints,
  };
}
