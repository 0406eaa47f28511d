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
import { FaultInjector } from '../../faults/FaultInjector';
import {
  ACCESS_POLICY_NAMES,
  accessPolicyArn,
} from '../../state/accessPolicies';
import {
  AccessEntryState,
  AssociatedPolicyState,
  ClusterState,
} from '../../state/model';
import {
  defaultAccessEntryUsername,
  SandboxState,
} from '../../state/SandboxState';
import { parseArn, parseIamArn } from '../arn';
import { CallerIdentity } from '../callerIdentity';
import { RouteTable } from '../../routing/RouteTable';
import { AwsServiceError } from '../serviceError';
import { eksErrors } from './eksErrors';
import { pageOffset, pageToken } from '../pageTokens';
import { ClusterUpdates, updateAuthenticationMode } from './clusterUpdates';
import { describeClusterLogging, updateClusterLogging } from './clusterLogging';

/** A routed EKS request. */
export interface EksRoute {
  operation: string;
  clusterName?: string;
  principalArn?: string;
  policyArn?: string;
  updateId?: string;
}

/**
 * The EKS REST API's routes (restJson1): each parameter is one path segment
 * of the raw path, percent-decoded once, so an ARN's `/` arrives as `%2F`.
 */
const EKS_ROUTES = new RouteTable<EksRoute>()
  .add('get', '/access-policies', () => ({ operation: 'ListAccessPolicies' }))
  .add('get', '/clusters', () => ({ operation: 'ListClusters' }))
  .add('get', '/clusters/:clusterName', ({ clusterName }) => ({
    operation: 'DescribeCluster',
    clusterName,
  }))
  .add('post', '/clusters/:clusterName/update-config', ({ clusterName }) => ({
    operation: 'UpdateClusterConfig',
    clusterName,
  }))
  .add('get', '/clusters/:clusterName/updates/:updateId', params => ({
    operation: 'DescribeUpdate',
    ...params,
  }))
  .add('get', '/clusters/:clusterName/access-entries', ({ clusterName }) => ({
    operation: 'ListAccessEntries',
    clusterName,
  }))
  .add('post', '/clusters/:clusterName/access-entries', ({ clusterName }) => ({
    operation: 'CreateAccessEntry',
    clusterName,
  }))
  .add(
    'get',
    '/clusters/:clusterName/access-entries/:principalArn',
    params => ({
      operation: 'DescribeAccessEntry',
      ...params,
    }),
  )
  .add(
    'post',
    '/clusters/:clusterName/access-entries/:principalArn',
    params => ({
      operation: 'UpdateAccessEntry',
      ...params,
    }),
  )
  .add(
    'delete',
    '/clusters/:clusterName/access-entries/:principalArn',
    params => ({ operation: 'DeleteAccessEntry', ...params }),
  )
  .add(
    'get',
    '/clusters/:clusterName/access-entries/:principalArn/access-policies',
    params => ({ operation: 'ListAssociatedAccessPolicies', ...params }),
  )
  .add(
    'post',
    '/clusters/:clusterName/access-entries/:principalArn/access-policies',
    params => ({ operation: 'AssociateAccessPolicy', ...params }),
  )
  .add(
    'delete',
    '/clusters/:clusterName/access-entries/:principalArn/access-policies/:policyArn',
    params => ({ operation: 'DisassociateAccessPolicy', ...params }),
  );

/** Routes a restJson1 request by its method and raw path. */
export function routeEksRequest(
  method: string,
  rawPath: string,
): EksRoute | undefined {
  return EKS_ROUTES.match(method, rawPath);
}

const ENTRY_TYPES = [
  'STANDARD',
  'EC2',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
];
const RESERVED_USERNAME_PREFIXES = [
  'system:',
  'eks:',
  'aws:',
  'amazon:',
  'iam:',
];
// A DNS label, or a prefix followed by a trailing `*` wildcard.
const NAMESPACE_PATTERN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^[a-z0-9][-a-z0-9]*\*$/;

interface Page<T> {
  items: T[];
  nextToken?: string;
}

function paginate<T>(
  all: T[],
  query: Record<string, string[]>,
  kind: string,
): Page<T> {
  const maxRaw = query.maxResults?.[0];
  let max = 100;
  if (maxRaw !== undefined) {
    max = Number(maxRaw);
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw eksErrors.invalidParameter(
        `1 validation error detected: Value '${maxRaw}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
  }
  const token = query.nextToken?.[0];
  const offset = token === undefined ? 0 : pageOffset(token, kind);
  if (offset === undefined) {
    throw eksErrors.invalidParameter('The nextToken provided is invalid.');
  }
  const items = all.slice(offset, offset + max);
  const next = offset + max;
  return {
    items,
    nextToken: next < all.length ? pageToken(kind, next) : undefined,
  };
}

function parseBody(body: Buffer): Record<string, any> {
  if (!body.length) return {};
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed;
  } catch {
    // fall through
  }
  throw new AwsServiceError(
    'SerializationException',
    400,
    'Could not parse the request body as JSON.',
  );
}

function nowSeconds() {
  return Math.round(Date.now()) / 1000;
}

function serializeEntry(entry: AccessEntryState) {
  return {
    clusterName: entry.clusterName,
    principalArn: entry.principalArn,
    kubernetesGroups: entry.kubernetesGroups,
    accessEntryArn: entry.accessEntryArn,
    createdAt: entry.createdAt,
    modifiedAt: entry.modifiedAt,
    tags: entry.tags,
    username: entry.username,
    type: entry.type,
  };
}

function serializeAssociation(policy: AssociatedPolicyState) {
  return {
    policyArn: policy.policyArn,
    accessScope: policy.accessScope,
    associatedAt: policy.associatedAt,
    modifiedAt: policy.modifiedAt,
  };
}

/** The EKS operations over the sandbox state. */
export class EksApi {
  #idempotency = new Map<string, string>();
  #updates = new ClusterUpdates();

  constructor(
    private readonly state: SandboxState,
    private readonly faults: FaultInjector,
  ) {}

  /** The IAM resource an operation is authorized against. */
  resourceFor(route: EksRoute, caller: CallerIdentity, region: string): string {
    if (route.operation === 'ListAccessPolicies') return '*';
    const prefix = `arn:${this.state.partition}:eks:${region}:${caller.account}`;
    if (route.operation === 'ListClusters') return `${prefix}:cluster/*`;
    return `${prefix}:cluster/${route.clusterName}`;
  }

  handle(
    route: EksRoute,
    caller: CallerIdentity,
    region: string,
    query: Record<string, string[]>,
    body: Buffer,
  ): unknown {
    switch (route.operation) {
      case 'ListClusters':
        return this.listClusters(caller, region, query);
      case 'ListAccessPolicies': {
        const all = ACCESS_POLICY_NAMES.map(name => ({
          name,
          arn: accessPolicyArn(this.state.partition, name),
        }));
        const page = paginate(all, query, 'policies');
        return { accessPolicies: page.items, nextToken: page.nextToken };
      }
      default:
        break;
    }
    const cluster = this.state.findCluster(
      caller.account,
      region,
      route.clusterName!,
    );
    if (!cluster) throw eksErrors.clusterNotFound(route.clusterName!);
    if (route.operation === 'DescribeCluster') {
      return { cluster: this.describeCluster(cluster) };
    }
    if (route.operation === 'DescribeUpdate') {
      return this.#updates.describe(cluster, route.updateId!);
    }
    if (route.operation === 'UpdateClusterConfig') {
      const request = parseBody(body);
      const duration = this.faults.clusterUpdateDurationMs;
      if (request.logging && request.accessConfig) {
        throw eksErrors.invalidParameter(
          'Only one type of update can be allowed.',
          cluster.name,
        );
      }
      if (request.accessConfig) {
        return updateAuthenticationMode(
          this.#updates,
          cluster,
          request.accessConfig,
          duration,
        );
      }
      if (request.logging) {
        this.#updates.assertIdle(cluster, 'LoggingUpdate');
        const { update } = updateClusterLogging(
          this.state.logs,
          cluster,
          request.logging,
        );
        this.state.onChange(); // the state file keeps the logging settings
        return this.#updates.start(
          cluster,
          {
            id: update.id as string,
            type: 'LoggingUpdate',
            params: update.params as { type: string; value: string }[],
          },
          duration,
        );
      }
      throw eksErrors.invalidParameter('No changes requested', cluster.name);
    }
    if (cluster.authenticationMode === 'CONFIG_MAP') {
      throw eksErrors.configMapMode(cluster.name);
    }
    switch (route.operation) {
      case 'ListAccessEntries':
        return this.listAccessEntries(cluster, query);
      case 'CreateAccessEntry':
        return this.createAccessEntry(cluster, caller, parseBody(body));
      default:
        break;
    }
    const entry = cluster.accessEntries.get(route.principalArn!);
    if (!entry) throw eksErrors.principalNotFound(cluster.name);
    switch (route.operation) {
      case 'DescribeAccessEntry':
        return { accessEntry: serializeEntry(entry) };
      case 'UpdateAccessEntry':
        return this.updateAccessEntry(cluster, entry, parseBody(body));
      case 'DeleteAccessEntry':
        cluster.accessEntries.delete(entry.principalArn);
        this.changed(cluster, entry.principalArn);
        return {};
      case 'ListAssociatedAccessPolicies': {
        const page = paginate(
          entry.associatedPolicies.map(serializeAssociation),
          query,
          'associated',
        );
        return {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          nextToken: page.nextToken,
          associatedAccessPolicies: page.items,
        };
      }
      case 'AssociateAccessPolicy':
        return this.associate(cluster, entry, parseBody(body));
      case 'DisassociateAccessPolicy': {
        const index = entry.associatedPolicies.findIndex(
          p => p.policyArn === route.policyArn,
        );
        if (index < 0) throw eksErrors.policyNotAssociated(cluster.name);
        entry.associatedPolicies.splice(index, 1);
        this.changed(cluster, entry.principalArn);
        return {};
      }
      default:
        throw eksErrors.unknownOperation();
    }
  }

  private changed(cluster: ClusterState, principalArn: string) {
    this.state.recordAccessEntryChange(
      cluster,
      principalArn,
      this.faults.propagationDelayMs,
    );
  }

  private listClusters(
    caller: CallerIdentity,
    region: string,
    query: Record<string, string[]>,
  ) {
    const names = [...this.state.clusters.values()]
      .filter(c => c.account === caller.account && c.region === region)
      .map(c => c.name)
      .sort();
    const page = paginate(names, query, 'clusters');
    return { clusters: page.items, nextToken: page.nextToken };
  }

  describeCluster(cluster: ClusterState) {
    const id = cluster.arn
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-32)
      .toUpperCase();
    return {
      name: cluster.name,
      arn: cluster.arn,
      createdAt: cluster.createdAt,
      version: cluster.version,
      endpoint: cluster.endpoint ?? null,
      roleArn: `arn:${this.state.partition}:iam::${cluster.account}:role/eks-cluster-role-${cluster.name}`,
      resourcesVpcConfig: {
        subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
        securityGroupIds: [],
        clusterSecurityGroupId: 'sg-0a1b2c3d4e5f60003',
        vpcId: 'vpc-0a1b2c3d4e5f60004',
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: '10.100.0.0/16',
        ipFamily: 'ipv4',
      },
      logging: describeClusterLogging(cluster),
      identity: {
        oidc: {
          issuer: `https://oidc.eks.${cluster.region}.amazonaws.com/id/${id}`,
        },
      },
      status: cluster.status,
      certificateAuthority: {
        data: Buffer.from(cluster.certificates.caCertPem).toString('base64'),
      },
      platformVersion: cluster.platformVersion,
      tags: cluster.tags,
      health: { issues: [] },
      accessConfig: {
        bootstrapClusterCreatorAdminPermissions:
          cluster.bootstrapClusterCreatorAdminPermissions,
        authenticationMode: cluster.authenticationMode,
      },
      upgradePolicy: { supportType: 'STANDARD' },
    };
  }

  private listAccessEntries(
    cluster: ClusterState,
    query: Record<string, string[]>,
  ) {
    let entries = [...cluster.accessEntries.values()];
    const policyFilter = query.associatedPolicyArn?.[0];
    if (policyFilter !== undefined) {
      if (
        !ACCESS_POLICY_NAMES.some(
          n => accessPolicyArn(this.state.partition, n) === policyFilter,
        )
      ) {
        throw eksErrors.invalidParameter(
          `The specified policyArn is invalid: ${policyFilter}`,
          cluster.name,
        );
      }
      entries = entries.filter(e =>
        e.associatedPolicies.some(p => p.policyArn === policyFilter),
      );
    }
    const page = paginate(
      entries.map(e => e.principalArn),
      query,
      `entries:${policyFilter ?? ''}`,
    );
    return { accessEntries: page.items, nextToken: page.nextToken };
  }

  private validatePrincipal(
    cluster: ClusterState,
    principalArn: unknown,
    type: string,
  ) {
    if (typeof principalArn !== 'string' || !principalArn) {
      throw eksErrors.invalidParameter(
        'principalArn is required.',
        cluster.name,
      );
    }
    const parts = parseArn(principalArn);
    if (
      parts?.service === 'iam' &&
      parts.resource.startsWith('role/aws-service-role/')
    ) {
      throw eksErrors.invalidParameter(
        'The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role',
        cluster.name,
      );
    }
    const iam = parseIamArn(principalArn);
    // STS session ARNs (assumed-role, federated-user) are not allowed; the principal must exist in IAM.
    if (
      !iam ||
      iam.partition !== this.state.partition ||
      !this.state.principals.has(principalArn)
    ) {
      throw eksErrors.invalidPrincipal(cluster.name);
    }
    if (
      type !== 'STANDARD' &&
      (iam.type !== 'role' || iam.account !== cluster.account)
    ) {
      throw eksErrors.invalidPrincipal(cluster.name);
    }
  }

  private validateUsername(cluster: ClusterState, username: unknown) {
    if (username === undefined) return;
    if (typeof username !== 'string' || !username) {
      throw eksErrors.invalidParameter(
        'The username must not be empty.',
        cluster.name,
      );
    }
    const reserved = RESERVED_USERNAME_PREFIXES.find(p =>
      username.startsWith(p),
    );
    if (reserved) {
      throw eksErrors.invalidParameter(
        `The username must not begin with ${reserved}`,
        cluster.name,
      );
    }
    const session = username.indexOf('{{SessionName}}');
    if (session >= 0 && !username.slice(0, session).includes(':')) {
      throw eksErrors.invalidParameter(
        'The username must contain a ":" before {{SessionName}}.',
        cluster.name,
      );
    }
  }

  private validateGroups(
    cluster: ClusterState,
    groups: unknown,
  ): string[] | undefined {
    if (groups === undefined) return undefined;
    if (
      !Array.isArray(groups) ||
      groups.some(g => typeof g !== 'string' || !g)
    ) {
      throw eksErrors.invalidParameter(
        'kubernetesGroups must be a list of non-empty strings.',
        cluster.name,
      );
    }
    for (const group of groups) {
      if (group.startsWith('system:')) {
        throw eksErrors.invalidParameter(
          `The kubernetes group name ${group} is invalid, it cannot start with system:`,
          cluster.name,
        );
      }
    }
    return [...new Set(groups as string[])];
  }

  private validateTags(
    cluster: ClusterState,
    tags: unknown,
  ): Record<string, string> {
    if (tags === undefined) return {};
    if (!tags || typeof tags !== 'object' || Array.isArray(tags)) {
      throw eksErrors.invalidParameter(
        'tags must be a map of strings.',
        cluster.name,
      );
    }
    const entries = Object.entries(tags as Record<string, unknown>);
    if (entries.length > 50) {
      throw eksErrors.invalidParameter(
        'The number of tags must not exceed 50.',
        cluster.name,
      );
    }
    for (const [key, value] of entries) {
      if (
        !key ||
        key.length > 128 ||
        typeof value !== 'string' ||
        value.length > 256
      ) {
        throw eksErrors.invalidParameter(
          `The tag ${key} is invalid.`,
          cluster.name,
        );
      }
      if (key.toLowerCase().startsWith('aws:')) {
        throw eksErrors.invalidParameter(
          'Tag keys must not begin with aws:',
          cluster.name,
        );
      }
    }
    return tags as Record<string, string>;
  }

  private createAccessEntry(
    cluster: ClusterState,
    caller: CallerIdentity,
    body: Record<string, any>,
  ) {
    const type = body.type ?? 'STANDARD';
    if (typeof type !== 'string' || !ENTRY_TYPES.includes(type)) {
      throw eksErrors.invalidParameter(
        `The type ${String(type)} is invalid.`,
        cluster.name,
      );
    }
    const token =
      typeof body.clientRequestToken === 'string'
        ? body.clientRequestToken
        : undefined;
    const idempotencyKey = token && `${cluster.key}|${caller.account}|${token}`;
    if (
      idempotencyKey &&
      this.#idempotency.get(idempotencyKey) === body.principalArn
    ) {
      const existing = cluster.accessEntries.get(body.principalArn);
      if (existing) return { accessEntry: serializeEntry(existing) };
    }
    this.validatePrincipal(cluster, body.principalArn, type);
    this.validateUsername(cluster, body.username);
    const groups = this.validateGroups(cluster, body.kubernetesGroups);
    if (
      type !== 'STANDARD' &&
      (groups?.length || body.username !== undefined)
    ) {
      throw eksErrors.notStandard(cluster.name);
    }
    const tags = this.validateTags(cluster, body.tags);
    const principalArn: string = body.principalArn;
    const duplicate = [...cluster.accessEntries.keys()].some(
      k => k.toLowerCase() === principalArn.toLowerCase(),
    );
    if (duplicate) throw eksErrors.inUse(cluster.name);
    const now = nowSeconds();
    const entry: AccessEntryState = {
      clusterName: cluster.name,
      principalArn,
      principalId: this.state.principals.get(principalArn)?.id,
      type,
      username: body.username ?? defaultAccessEntryUsername(principalArn, type),
      kubernetesGroups: groups ?? [],
      tags,
      createdAt: now,
      modifiedAt: now,
      accessEntryArn: this.state.newAccessEntryArn(cluster, principalArn),
      associatedPolicies: [],
    };
    cluster.accessEntries.set(principalArn, entry);
    if (idempotencyKey) this.#idempotency.set(idempotencyKey, principalArn);
    this.changed(cluster, principalArn);
    return { accessEntry: serializeEntry(entry) };
  }

  private updateAccessEntry(
    cluster: ClusterState,
    entry: AccessEntryState,
    body: Record<string, any>,
  ) {
    this.validateUsername(cluster, body.username);
    const groups = this.validateGroups(cluster, body.kubernetesGroups);
    if (
      entry.type !== 'STANDARD' &&
      (groups !== undefined || body.username !== undefined)
    ) {
      throw eksErrors.notStandard(cluster.name);
    }
    if (groups !== undefined) entry.kubernetesGroups = groups;
    if (body.username !== undefined) entry.username = body.username;
    entry.modifiedAt = nowSeconds();
    this.changed(cluster, entry.principalArn);
    return { accessEntry: serializeEntry(entry) };
  }

  private associate(
    cluster: ClusterState,
    entry: AccessEntryState,
    body: Record<string, any>,
  ) {
    const policyArn = body.policyArn;
    if (typeof policyArn !== 'string' || !policyArn) {
      throw eksErrors.invalidParameter('policyArn is required.', cluster.name);
    }
    if (
      !ACCESS_POLICY_NAMES.some(
        n => accessPolicyArn(this.state.partition, n) === policyArn,
      )
    ) {
      throw eksErrors.invalidParameter(
        `The specified policyArn is invalid: ${policyArn}`,
        cluster.name,
      );
    }
    const scope = body.accessScope;
    if (!scope || typeof scope !== 'object') {
      throw eksErrors.invalidParameter(
        'accessScope is required.',
        cluster.name,
      );
    }
    if (scope.type !== 'cluster' && scope.type !== 'namespace') {
      throw eksErrors.invalidParameter(
        `The access scope type ${String(
          scope.type,
        )} is invalid. Valid values are cluster and namespace.`,
        cluster.name,
      );
    }
    const namespaces: unknown = scope.namespaces ?? [];
    if (
      !Array.isArray(namespaces) ||
      namespaces.some(n => typeof n !== 'string')
    ) {
      throw eksErrors.invalidParameter(
        'namespaces must be a list of strings.',
        cluster.name,
      );
    }
    if (scope.type === 'cluster' && namespaces.length > 0) {
      throw eksErrors.invalidParameter(
        'Namespaces cannot be specified when the access scope type is cluster.',
        cluster.name,
      );
    }
    if (scope.type === 'namespace') {
      if (namespaces.length === 0) {
        throw eksErrors.invalidParameter(
          'At least one namespace must be specified when the access scope type is namespace.',
          cluster.name,
        );
      }
      const bad = (namespaces as string[]).find(
        n => n.length > 63 || !NAMESPACE_PATTERN.test(n),
      );
      if (bad !== undefined) {
        throw eksErrors.invalidParameter(
          `The namespace ${bad} is invalid.`,
          cluster.name,
        );
      }
    }
    if (entry.type !== 'STANDARD') throw eksErrors.notStandard(cluster.name);
    const now = nowSeconds();
    const accessScope = {
      type: scope.type,
      namespaces: [...new Set(namespaces as string[])],
    };
    let association = entry.associatedPolicies.find(
      p => p.policyArn === policyArn,
    );
    if (association) {
      association.accessScope = accessScope;
      association.modifiedAt = now;
    } else {
      association = {
        policyArn,
        accessScope,
        associatedAt: now,
        modifiedAt: now,
      };
      entry.associatedPolicies.push(association);
    }
    this.changed(cluster, entry.principalArn);
    return {
      clusterName: cluster.name,
      principalArn: entry.principalArn,
      associatedAccessPolicy: serializeAssociation(association),
    };
  }
}

export const newRequestId = () => randomUUID();
