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
 * Generated sandbox scenarios for scale: many accounts, clusters and access
 * entries, one developer whose role has an entry on some of them, and the
 * backend's services wired to the sandbox. Shared by the scale tests and
 * `bench:scale`.
 */

import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startSandbox,
  type AuthenticationMode,
  type RunningSandbox,
  type SandboxScenario,
  type ScenarioAccessEntry,
  type ScenarioCluster,
} from '@eks-access/plugin-eks-access-sandbox';
import { pointStsAtSandbox } from './sandboxServices';
import { createEksAccessServices } from '../createEksAccessServices';
import type { AdaptiveRateLimiterOptions } from '../aws/AdaptiveRateLimiter';
import { AdaptiveRateLimiter } from '../aws/AdaptiveRateLimiter';
import { ClusterClients } from '../aws/ClusterClients';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import type { RetryBudget } from '../aws/ThrottleTolerantRetryStrategy';

/** The shape of a generated fleet. */
export interface ScaleScenarioOptions {
  accounts: number;
  clustersPerAccount: number;
  /** Access entries per cluster, Backstage's own entry included. */
  entriesPerCluster: number;
  authenticationMode?: AuthenticationMode;
  /** mapRoles in each cluster's aws-auth (modes with CONFIG_MAP). */
  awsAuthMappings?: number;
  /** The developer's role has an entry on every n-th cluster (0: none). */
  developerEntryEvery?: number;
}

/** A generated fleet with what a check of it should cost. */
export interface ScaleScenario {
  scenario: SandboxScenario;
  entities: Entity[];
  /** The developer's User entity ref. */
  userEntityRef: string;
  developerRoleArn: string;
  accountIds: string[];
  /**
   * The fewest AWS/Kubernetes calls that answer the developer on every
   * cluster: DescribeCluster, ⌈n/100⌉ ListAccessEntries pages, aws-auth,
   * DescribeAccessEntry + ListAssociatedAccessPolicies per matching entry,
   * one GetRole for the developer, and where the developer gets in, what
   * it can do: one SubjectAccessReview (refused here) and 4 RBAC lists.
   */
  lowerBound: { total: number; byOperation: Record<string, number> };
}

const BACKSTAGE_USER = 'backstage-eks-access';
/** Kubernetes list calls of one RBAC read (see KubernetesRbacReader). */
const RBAC_LISTS = 4;
const REFUSED_REVIEW = 1;
const BACKSTAGE_ROLE = 'BackstageEksAccess';

function accountId(index: number): string {
  return String(210000000000 + index);
}

/** The principal Backstage reads an account's clusters as. */
function backstagePrincipal(accounts: string[], account: string): string {
  return account === accounts[0]
    ? `arn:aws:iam::${account}:user/${BACKSTAGE_USER}`
    : `arn:aws:iam::${account}:role/${BACKSTAGE_ROLE}`;
}

/** Generates a fleet (see {@link ScaleScenarioOptions}). */
export function scaleScenario(options: ScaleScenarioOptions): ScaleScenario {
  const mode = options.authenticationMode ?? 'API_AND_CONFIG_MAP';
  const every = options.developerEntryEvery ?? 0;
  const accounts = Array.from({ length: options.accounts }, (_, i) =>
    accountId(i),
  );
  const developerRoleArn = `arn:aws:iam::${accounts[0]}:role/Developer`;
  const clusters: ScenarioCluster[] = [];
  const entities: Entity[] = [];
  const byOperation: Record<string, number> = { GetRole: 1 };
  const add = (op: string, n: number) => {
    byOperation[op] = (byOperation[op] ?? 0) + n;
  };
  let index = 0;
  for (const account of accounts) {
    for (let c = 0; c < options.clustersPerAccount; c++, index++) {
      const name = `fleet-${String(index).padStart(4, '0')}`;
      const developerHasEntry = every > 0 && index % every === 0;
      const accessEntries: ScenarioAccessEntry[] = [
        {
          principalArn: backstagePrincipal(accounts, account),
          policies: [
            { policy: 'AmazonEKSAdminViewPolicy', scope: { type: 'cluster' } },
          ],
        },
      ];
      if (developerHasEntry) {
        accessEntries.push({
          principalArn: developerRoleArn,
          policies: [
            { policy: 'AmazonEKSViewPolicy', scope: { type: 'cluster' } },
          ],
        });
      }
      while (accessEntries.length < options.entriesPerCluster) {
        accessEntries.push({
          principalArn: `arn:aws:iam::${account}:role/team/service-${accessEntries.length}`,
          kubernetesGroups: [`team-${accessEntries.length % 50}`],
        });
      }
      const usesAwsAuth = mode !== 'API';
      const mappings = options.awsAuthMappings ?? 5;
      clusters.push({
        name,
        account,
        region: 'us-east-1',
        authenticationMode: mode,
        bootstrapClusterCreatorAdminPermissions: false,
        accessEntries,
        awsAuth: usesAwsAuth
          ? {
              data: {
                mapRoles: Array.from(
                  { length: mappings },
                  (_, m) =>
                    `- rolearn: arn:aws:iam::${account}:role/mapped-${m}\n  username: mapped-${m}\n  groups: [team-${
                      m % 50
                    }]\n`,
                ).join(''),
              },
            }
          : null,
      });
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'amazonaws.com/arn': `arn:aws:eks:us-east-1:${account}:cluster/${name}`,
          },
        },
        spec: { type: 'kubernetes-cluster', owner: 'platform' },
      });
      add('DescribeCluster', 1);
      if (mode !== 'CONFIG_MAP') {
        add('ListAccessEntries', Math.ceil(accessEntries.length / 100));
        if (developerHasEntry) {
          add('DescribeAccessEntry', 1);
          add('ListAssociatedAccessPolicies', 1);
        }
      }
      if (usesAwsAuth) add('k8s', 1);
      // What an admitted developer can do: one SubjectAccessReview, which
      // Backstage may not create here (403), then the RBAC lists
      // (ClusterRoles, ClusterRoleBindings, Roles, RoleBindings). A denied
      // developer's fix (an access entry with a policy) needs no RBAC.
      if (developerHasEntry && mode !== 'CONFIG_MAP') {
        add('k8s', REFUSED_REVIEW + RBAC_LISTS);
      }
    }
  }
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'developer',
      namespace: 'default',
      annotations: {
        'eks-access.io/iam-principals': `${developerRoleArn} session=developer@example.com`,
      },
    },
    spec: {},
  });
  const scenario: SandboxScenario = {
    name: 'scale',
    accounts: accounts.map(id => ({ id })),
    iam: {
      users: [{ arn: `arn:aws:iam::${accounts[0]}:user/${BACKSTAGE_USER}` }],
      roles: [
        { arn: developerRoleArn },
        ...accounts.slice(1).map(account => ({
          arn: `arn:aws:iam::${account}:role/${BACKSTAGE_ROLE}`,
          trustedPrincipals: [
            `arn:aws:iam::${accounts[0]}:user/${BACKSTAGE_USER}`,
          ],
        })),
      ],
    },
    clusters,
  };
  return {
    scenario,
    entities,
    userEntityRef: 'user:default/developer',
    developerRoleArn,
    accountIds: accounts,
    lowerBound: {
      total: Object.values(byOperation).reduce((a, b) => a + b, 0),
      byOperation,
    },
  };
}

/** The backend's services for a generated fleet running in a sandbox. */
export function createScaleServices(options: {
  /** A running sandbox (in this process or a child: only these are used). */
  sandbox: Pick<RunningSandbox, 'endpoint' | 'credentialsFor'>;
  fleet: ScaleScenario;
  logger: LoggerService;
  rateLimiter?: AdaptiveRateLimiterOptions;
  retryBudget?: RetryBudget;
  /** Extra `eksAccess` config. */
  config?: object;
}) {
  const { sandbox, fleet } = options;
  const [, ...others] = fleet.accountIds;
  const config = new ConfigReader({
    aws: {
      mainAccount: sandbox.credentialsFor(backstageUserArn(fleet)),
      accounts: others.map(id => ({
        accountId: id,
        roleName: BACKSTAGE_ROLE,
        region: 'us-east-1',
      })),
    },
    eksAccess: { aws: { endpoint: sandbox.endpoint }, ...options.config },
  });
  const clients = new ClusterClients({
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    endpoints: {
      eks: sandbox.endpoint,
      sts: sandbox.endpoint,
      iam: sandbox.endpoint,
    },
    rateLimiter: new AdaptiveRateLimiter(options.rateLimiter),
    retryBudget: options.retryBudget,
  });
  return createEksAccessServices({
    config,
    logger: options.logger,
    catalog: catalogServiceMock({ entities: fleet.entities }),
    clients,
  });
}

/** The IAM user Backstage runs as in a generated fleet (its first account). */
export function backstageUserArn(fleet: ScaleScenario): string {
  return `arn:aws:iam::${fleet.accountIds[0]}:user/${BACKSTAGE_USER}`;
}

/** Credentials of the developer, as the routes would see them. */
export function userCredentials(userEntityRef: string) {
  return {
    $$type: '@backstage/BackstageCredentials' as const,
    principal: { type: 'user' as const, userEntityRef },
  };
}

/** Runs `body` against a sandbox serving the fleet, then stops it. */
export async function withScaleSandbox<T>(
  fleet: ScaleScenario,
  body: (sandbox: RunningSandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({
    scenario: fleet.scenario,
    port: 0,
    kubePortBase: 0,
  });
  const restoreSts = pointStsAtSandbox(sandbox);
  try {
    return await body(sandbox);
  } finally {
    restoreSts();
    await sandbox.stop();
  }
}
