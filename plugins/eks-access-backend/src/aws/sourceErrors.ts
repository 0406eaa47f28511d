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

import type { SourceStatus } from '@eks-access/plugin-eks-access-common';

const ACCESS_DENIED_CODES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
]);

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
]);

/** Thrown by a source when a call did not answer in time. */
export class SourceTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) {
    return 'Unknown';
  }
  const e = error as {
    name?: unknown;
    code?: unknown;
    cause?: { code?: unknown; cause?: { code?: unknown } };
  };
  for (const candidate of [e.cause?.cause?.code, e.cause?.code]) {
    if (typeof candidate === 'string' && NETWORK_CODES.has(candidate)) {
      return candidate;
    }
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return e.code;
  }
  if (typeof e.name === 'string' && e.name !== 'Error') {
    return e.name;
  }
  return typeof e.code === 'string' ? e.code : 'Unknown';
}

// "User: arn:... is not authorized to perform: eks:ListAccessEntries on resource: ..."
const NOT_AUTHORIZED_ACTION =
  /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/;

/**
 * Describes a failed AWS call for the developer, without credentials or raw
 * responses. AccessDenied names the IAM action Backstage's role lacks.
 */
export function awsSourceError(
  error: unknown,
  action: string,
  what: string,
): SourceStatus {
  const code = errorCode(error);
  const rawMessage =
    error instanceof Error && typeof error.message === 'string'
      ? error.message
      : '';
  if (ACCESS_DENIED_CODES.has(code)) {
    const missingAction = NOT_AUTHORIZED_ACTION.exec(rawMessage)?.[1] ?? action;
    return {
      state: 'error',
      errorCode: code,
      missingAction,
      message: `Backstage's AWS role is not allowed to ${what}: it needs the IAM permission ${missingAction}.`,
    };
  }
  if (THROTTLING_CODES.has(code)) {
    return {
      state: 'error',
      errorCode: code,
      message: `AWS throttled Backstage while it tried to ${what}; try again in a moment.`,
    };
  }
  if (NETWORK_CODES.has(code)) {
    return {
      state: 'error',
      errorCode: 'Unreachable',
      message: `Backstage could not reach AWS to ${what} (${code}).`,
    };
  }
  if (code === 'ResourceNotFoundException') {
    return {
      state: 'error',
      errorCode: code,
      message: `AWS says the cluster does not exist (${action}); check the ARN on the catalog entity.`,
    };
  }
  return {
    state: 'error',
    errorCode: code,
    message: `Backstage could not ${what} (${code}).`,
  };
}

/**
 * Describes a failed Kubernetes API call reading aws-auth.
 * `@kubernetes/client-node` throws `ApiException { code, body }`.
 */
export function kubernetesSourceError(
  error: unknown,
  clusterName: string,
): SourceStatus {
  const status =
    typeof error === 'object' && error !== null && 'code' in error
      ? (error as { code: unknown }).code
      : undefined;
  if (status === 401) {
    return {
      state: 'error',
      errorCode: 'Unauthorized',
      message: `The Kubernetes API of ${clusterName} did not accept Backstage's AWS identity: map Backstage's role in the cluster (access entry or aws-auth).`,
    };
  }
  if (status === 403) {
    return {
      state: 'error',
      errorCode: 'Forbidden',
      missingAction: 'get configmaps/aws-auth in namespace kube-system',
      message: `Backstage may not read kube-system/aws-auth on ${clusterName}: grant it "get" on that ConfigMap (see the plugin README for the RBAC).`,
    };
  }
  if (typeof status === 'number') {
    return {
      state: 'error',
      errorCode: `HTTP${status}`,
      message: `The Kubernetes API of ${clusterName} answered ${status} when Backstage read aws-auth.`,
    };
  }
  const code = errorCode(error);
  if (code === 'TimeoutError') {
    return {
      state: 'error',
      errorCode: 'Unreachable',
      message: `The Kubernetes API of ${clusterName} did not answer in time.`,
    };
  }
  return {
    state: 'error',
    errorCode: 'Unreachable',
    message: `Backstage could not reach the Kubernetes API of ${clusterName} (${code}).`,
  };
}
