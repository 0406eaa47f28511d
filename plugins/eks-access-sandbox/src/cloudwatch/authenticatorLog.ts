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

import { createHash } from 'node:crypto';
import { stripIamPath } from '../aws/arn';
import { KubernetesUser } from '../kube/clusterAuthenticator';
import { TokenIdentity } from '../kube/tokenVerifier';
import { ClusterState } from '../state/model';
import { LogStore } from './LogStore';

/** The control-plane log types EKS can send to CloudWatch Logs. */
export const CLUSTER_LOG_TYPES = [
  'api',
  'audit',
  'authenticator',
  'controllerManager',
  'scheduler',
] as const;

/** `/aws/eks/<cluster>/cluster`, the log group EKS writes control-plane logs to. */
export function clusterLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** `authenticator-<32 hex>`: stable per cluster, like one authenticator instance. */
export function authenticatorStreamName(cluster: ClusterState): string {
  return `authenticator-${createHash('sha256')
    .update(cluster.arn)
    .digest('hex')
    .slice(0, 32)}`;
}

export function isAuthenticatorLogging(cluster: ClusterState): boolean {
  return (cluster.enabledLogTypes ?? []).includes('authenticator');
}

// logrus' text formatter quotes a value when it holds anything outside this set.
const BARE_VALUE = /^[A-Za-z0-9\-._/@^+]+$/;

function logfmtValue(value: string): string {
  return BARE_VALUE.test(value) ? value : JSON.stringify(value);
}

/** One aws-iam-authenticator line: time, level, msg, then the fields sorted by key. */
export function authenticatorLine(
  level: 'info' | 'warning',
  msg: string,
  fields: Record<string, string>,
  at: Date,
): string {
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rest = Object.keys(fields)
    .sort()
    .map(k => `${k}=${logfmtValue(fields[k])}`);
  return [
    `time="${time}"`,
    `level=${level}`,
    `msg=${logfmtValue(msg)}`,
    ...rest,
  ].join(' ');
}

/** What one authentication attempt came to. */
export type AuthenticationOutcome =
  | { identity: TokenIdentity; user: KubernetesUser | undefined }
  | { rejected: string };

/**
 * Writes the authenticator's line for one attempt to the cluster's log group,
 * when the cluster has `authenticator` logging on (otherwise nothing, as EKS).
 */
export function logAuthenticationAttempt(
  logs: LogStore,
  cluster: ClusterState,
  client: string,
  outcome: AuthenticationOutcome,
  at: Date = new Date(),
) {
  if (!isAuthenticatorLogging(cluster)) return;
  const common = { client, method: 'POST', path: '/authenticate' };
  let line: string;
  if ('rejected' in outcome) {
    line = authenticatorLine(
      'warning',
      'access denied',
      { ...common, error: outcome.rejected },
      at,
    );
  } else if (!outcome.user) {
    line = authenticatorLine(
      'warning',
      'access denied',
      {
        ...common,
        arn: outcome.identity.canonicalArn,
        error: 'ARN is not mapped',
      },
      at,
    );
  } else {
    line = authenticatorLine(
      'info',
      'access granted',
      {
        ...common,
        arn: outcome.identity.canonicalArn,
        groups: `[${outcome.user.groups
          .filter(g => g !== 'system:authenticated')
          .join(' ')}]`,
        uid: `aws-iam-authenticator:${outcome.identity.account}:${outcome.identity.userId}`,
        username: outcome.user.username,
      },
      at,
    );
  }
  logs.append(
    {
      account: cluster.account,
      region: cluster.region,
      group: clusterLogGroupName(cluster.name),
      stream: authenticatorStreamName(cluster),
    },
    line,
    at.getTime(),
  );
}

/** Creates the cluster's log group when some control-plane logging is on. */
export function openClusterLogGroup(
  logs: LogStore,
  cluster: ClusterState,
  at: number = Date.now(),
) {
  if (!(cluster.enabledLogTypes ?? []).length) return;
  logs.ensureGroup(
    cluster.account,
    cluster.region,
    clusterLogGroupName(cluster.name),
    at,
  );
}

/**
 * Opens the log group of a cluster created with logging on, and writes the
 * creator's first `kubectl` call after creating the cluster: on a
 * CONFIG_MAP cluster the authenticator maps it to kubernetes-admin in
 * system:masters, which is how the article finds a hidden creator.
 */
export function startClusterLogs(
  logs: LogStore,
  cluster: ClusterState,
  creatorUserId: string | undefined,
) {
  openClusterLogGroup(logs, cluster, cluster.createdAt * 1000);
  if (!isAuthenticatorLogging(cluster) || !cluster.creator) return;
  if (cluster.authenticationMode !== 'CONFIG_MAP' || !creatorUserId) return;
  const canonical = stripIamPath(cluster.creator);
  const at = new Date((cluster.createdAt + 600) * 1000);
  logs.append(
    {
      account: cluster.account,
      region: cluster.region,
      group: clusterLogGroupName(cluster.name),
      stream: authenticatorStreamName(cluster),
    },
    authenticatorLine(
      'info',
      'access granted',
      {
        arn: canonical,
        client: '127.0.0.1:50412',
        groups: '[system:masters]',
        method: 'POST',
        path: '/authenticate',
        uid: `aws-iam-authenticator:${cluster.account}:${creatorUserId}`,
        username: 'kubernetes-admin',
      },
      at,
    ),
    at.getTime(),
  );
}
