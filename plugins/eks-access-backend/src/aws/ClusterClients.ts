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

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import type { Config } from '@backstage/config';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  MiddlewareStack,
} from '@smithy/types';
import * as k8s from '@kubernetes/client-node';
import { AdaptiveRateLimiter } from './AdaptiveRateLimiter';
import { createEksBearerToken, EKS_TOKEN_REUSE_MS } from './eksBearerToken';
import {
  ThrottleTolerantRetryStrategy,
  type RetryBudget,
} from './ThrottleTolerantRetryStrategy';

/** Endpoint overrides for the AWS APIs (a sandbox or VPC endpoints). */
export interface AwsEndpoints {
  eks?: string;
  sts?: string;
  iam?: string;
  logs?: string;
  cloudtrail?: string;
}

/**
 * The per-cluster role the Kubernetes plugin reads a cluster with
 * (`kubernetes.io/aws-assume-role`, `kubernetes.io/aws-external-id`); this
 * plugin reads that cluster with the same role.
 */
export interface ClusterReadRole {
  roleArn: string;
  externalId?: string;
}

/** Which credentials a call uses: the account's own, or a cluster's read role. */
export interface CredentialsTarget {
  accountId: string;
  assumeRole?: ClusterReadRole;
}

/** The cache key of a credentials target. */
function credentialsKey(target: CredentialsTarget): string {
  const role = target.assumeRole;
  return role
    ? `${target.accountId}|${role.roleArn}|${role.externalId ?? ''}`
    : target.accountId;
}

/** An AWS account and region: what a regional client is for. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/** A CloudWatch Logs client for a cluster's account and region. */
export type LogsClientFor = (target: AccountRegion) => CloudWatchLogsClient;

/** A CloudTrail client for a cluster's account and region (event history is regional). */
export type CloudTrailClientFor = (target: AccountRegion) => CloudTrailClient;

/** What is needed to reach one cluster's Kubernetes API. */
export interface KubernetesTarget {
  name: string;
  partition: string;
  region: string;
  accountId: string;
  /** The API server URL from DescribeCluster. */
  endpoint: string;
  /** Base64 of the PEM CA bundle, as DescribeCluster returns it. */
  certificateAuthorityData?: string;
  /** The cluster's read role, if the Kubernetes plugin uses one. */
  assumeRole?: ClusterReadRole;
}

/** Refresh session credentials this long before they expire. */
const CREDENTIALS_REFRESH_MARGIN_MS = 5 * 60 * 1000;

function iamRegion(partition: string): string {
  switch (partition) {
    case 'aws-cn':
      return 'cn-north-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return 'us-east-1';
  }
}

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

function isThrottling(error: unknown): boolean {
  const e = error as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  return (
    THROTTLING_ERRORS.has(e?.name ?? '') ||
    e?.$metadata?.httpStatusCode === 429 ||
    e?.$retryable?.throttling === true
  );
}

/**
 * Puts every attempt of the client's calls, not the whole call with its
 * retries, through the rate limiter: back-off sleeps (in the SDK's retry
 * middleware, outside this one) hold no slot, and each answer tells the
 * limiter whether AWS throttled.
 */
function rateLimitEachAttempt(
  client: { middlewareStack: MiddlewareStack<any, any> },
  limiter: AdaptiveRateLimiter,
  key: string,
) {
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>) => async (args: any) => {
      const release = await limiter.acquire(key);
      try {
        const result = await next(args);
        limiter.onSuccess(key);
        return result;
      } catch (error) {
        if (isThrottling(error)) {
          limiter.onThrottle(key);
        }
        throw error;
      } finally {
        release();
      }
    },
    {
      name: 'eksAccessRateLimitMiddleware',
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      override: true,
    },
  );
}

/**
 * Builds the AWS and Kubernetes clients the plugin uses, with Backstage's
 * own credentials for each account (root `aws` config through
 * `@backstage/integration-aws-node`). Clients are cached per account and
 * region, session credentials are reused until shortly before they expire,
 * and bearer tokens per cluster for ten minutes. Used for reads here and for
 * writes by the access-request flow.
 */
export class ClusterClients {
  readonly #credentialsManager: AwsCredentialsManager;
  readonly #endpoints: AwsEndpoints;
  readonly #eksClients = new Map<string, EKSClient>();
  readonly #iamClients = new Map<string, IAMClient>();
  readonly #logsClients = new Map<string, CloudWatchLogsClient>();
  readonly #cloudTrailClients = new Map<string, CloudTrailClient>();
  readonly #credentials = new Map<string, Promise<AwsCredentialIdentity>>();
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();
  readonly #now: () => number;
  readonly #rateLimiter: AdaptiveRateLimiter;
  readonly #retryStrategy: ThrottleTolerantRetryStrategy;

  static fromConfig(
    config: Config,
    options: { endpoints?: AwsEndpoints } = {},
  ): ClusterClients {
    return new ClusterClients({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      endpoints: options.endpoints,
    });
  }

  constructor(options: {
    credentialsManager: AwsCredentialsManager;
    endpoints?: AwsEndpoints;
    now?: () => number;
    /** Shared client-side rate limiting per account and region. */
    rateLimiter?: AdaptiveRateLimiter;
    retryBudget?: RetryBudget;
  }) {
    this.#credentialsManager = options.credentialsManager;
    this.#endpoints = options.endpoints ?? {};
    this.#now = options.now ?? Date.now;
    this.#rateLimiter = options.rateLimiter ?? new AdaptiveRateLimiter();
    this.#retryStrategy = new ThrottleTolerantRetryStrategy(
      options.retryBudget,
    );
  }

  /** The client-side rate limiter every AWS call goes through. */
  get rateLimiter(): AdaptiveRateLimiter {
    return this.#rateLimiter;
  }

  /** The endpoint overrides in use. */
  get endpoints(): AwsEndpoints {
    return this.#endpoints;
  }

  /**
   * An EKS client for a cluster's account and region, with the cluster's
   * read role when it has one.
   */
  eks(target: CredentialsTarget & { region: string }): EKSClient {
    const key = `${credentialsKey(target)}/${target.region}`;
    let client = this.#eksClients.get(key);
    if (!client) {
      client = new EKSClient({
        region: target.region,
        endpoint: this.#endpoints.eks,
        credentials: this.credentialProvider(
          target.accountId,
          target.assumeRole,
        ),
        retryStrategy: this.#retryStrategy,
      });
      // One rate per account and region, whichever role calls.
      rateLimitEachAttempt(
        client,
        this.#rateLimiter,
        `eks:${target.accountId}/${target.region}`,
      );
      this.#eksClients.set(key, client);
    }
    return client;
  }

  /** An IAM client for an account (IAM is global per partition). */
  iam(target: { accountId: string; partition: string }): IAMClient {
    const key = `${target.partition}/${target.accountId}`;
    let client = this.#iamClients.get(key);
    if (!client) {
      client = new IAMClient({
        region: iamRegion(target.partition),
        endpoint: this.#endpoints.iam,
        credentials: this.credentialProvider(target.accountId),
        retryStrategy: this.#retryStrategy,
      });
      rateLimitEachAttempt(client, this.#rateLimiter, `iam:${key}`);
      this.#iamClients.set(key, client);
    }
    return client;
  }

  /**
   * A CloudWatch Logs client for an account and region, with Backstage's
   * own credentials for the account (the authenticator log: recent
   * attempts, recent denials, the cluster creator).
   */
  logs(target: AccountRegion): CloudWatchLogsClient {
    return this.#regional(
      'logs',
      this.#logsClients,
      target,
      config => new CloudWatchLogsClient(config),
    );
  }

  /** A CloudTrail client for an account and region (the cluster creator). */
  cloudTrail(target: AccountRegion): CloudTrailClient {
    return this.#regional(
      'cloudtrail',
      this.#cloudTrailClients,
      target,
      config => new CloudTrailClient(config),
    );
  }

  /**
   * One client of a regional service per account and region, cached, with
   * the same retry strategy and the same rate limiting per account and
   * region as EKS: AWS throttles each service apart, and a throttled log or
   * event-history read must wait its turn, not fail.
   */
  #regional<C extends { middlewareStack: MiddlewareStack<any, any> }>(
    service: 'logs' | 'cloudtrail',
    cache: Map<string, C>,
    { accountId, region }: AccountRegion,
    create: (config: {
      region: string;
      endpoint?: string;
      credentials: AwsCredentialIdentityProvider;
      retryStrategy: ThrottleTolerantRetryStrategy;
    }) => C,
  ): C {
    const key = `${accountId}/${region}`;
    let client = cache.get(key);
    if (!client) {
      client = create({
        region,
        endpoint: this.#endpoints[service],
        credentials: this.credentialProvider(accountId),
        retryStrategy: this.#retryStrategy,
      });
      rateLimitEachAttempt(client, this.#rateLimiter, `${service}:${key}`);
      cache.set(key, client);
    }
    return client;
  }

  /**
   * Backstage's credentials for an account, or for a cluster's read role
   * (STS AssumeRole with its ExternalId, from Backstage's main credentials,
   * as the Kubernetes plugin does), resolved once and reused until five
   * minutes before they expire.
   */
  credentialProvider(
    accountId: string,
    assumeRole?: ClusterReadRole,
  ): AwsCredentialIdentityProvider {
    const key = credentialsKey({ accountId, assumeRole });
    return async () => {
      const cached = this.#credentials.get(key);
      if (cached) {
        try {
          const credentials = await cached;
          if (
            !credentials.expiration ||
            credentials.expiration.getTime() - CREDENTIALS_REFRESH_MARGIN_MS >
              this.#now()
          ) {
            return credentials;
          }
        } catch {
          // resolve again below
        }
        if (this.#credentials.get(key) !== cached) {
          return this.#credentials.get(key)!;
        }
      }
      const pending = assumeRole
        ? this.#assumeRole(assumeRole)
        : this.#credentialsManager
            .getCredentialProvider({ accountId })
            .then(provider => provider.sdkCredentialProvider());
      this.#credentials.set(key, pending);
      pending.catch(() => {
        if (this.#credentials.get(key) === pending) {
          this.#credentials.delete(key);
        }
      });
      return pending;
    };
  }

  async #assumeRole(role: ClusterReadRole): Promise<AwsCredentialIdentity> {
    const main = await this.#credentialsManager.getCredentialProvider();
    const partition = role.roleArn.split(':')[1] ?? 'aws';
    const sts = new STSClient({
      region: iamRegion(partition),
      endpoint: this.#endpoints.sts,
      credentials: main.sdkCredentialProvider,
    });
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role.roleArn,
        ExternalId: role.externalId,
        RoleSessionName: 'backstage-eks-access',
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new Error(
        `STS AssumeRole of ${role.roleArn} returned no credentials`,
      );
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }

  /**
   * A Kubernetes CoreV1Api for a described cluster, authenticated with a
   * `k8s-aws-v1.` token Backstage presigns for that cluster.
   */
  async kubernetesCoreApi(target: KubernetesTarget): Promise<k8s.CoreV1Api> {
    return this.kubernetesApi(target, k8s.CoreV1Api);
  }

  /** Any Kubernetes API client (e.g. RbacAuthorizationV1Api) for a described cluster. */
  async kubernetesApi<T extends k8s.ApiType>(
    target: KubernetesTarget,
    api: k8s.ApiConstructor<T>,
  ): Promise<T> {
    const token = await this.#bearerToken(target);
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: target.name,
          server: target.endpoint,
          caData: target.certificateAuthorityData,
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'backstage-eks-access', token }],
      contexts: [
        {
          name: 'eks-access',
          cluster: target.name,
          user: 'backstage-eks-access',
        },
      ],
      currentContext: 'eks-access',
    });
    return kubeConfig.makeApiClient(api);
  }

  /** Forgets the cached token of a cluster (e.g. after a 401). */
  forgetToken(target: CredentialsTarget & { region: string; name: string }) {
    this.#tokens.delete(
      `${credentialsKey(target)}/${target.region}/${target.name}`,
    );
  }

  async #bearerToken(target: KubernetesTarget): Promise<string> {
    const key = `${credentialsKey(target)}/${target.region}/${target.name}`;
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > this.#now()) {
      return cached.token;
    }
    const credentials = await this.credentialProvider(
      target.accountId,
      target.assumeRole,
    )();
    const token = await createEksBearerToken({
      clusterName: target.name,
      partition: target.partition,
      region: target.region,
      credentials,
      stsEndpoint: this.#endpoints.sts,
    });
    this.#tokens.set(key, {
      token,
      expiresAt: this.#now() + EKS_TOKEN_REUSE_MS,
    });
    return token;
  }
}
