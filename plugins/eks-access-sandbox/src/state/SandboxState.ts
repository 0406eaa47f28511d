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

import { LogStore } from '../cloudwatch/LogStore';
import {
  CloudTrailStore,
  recordCreateCluster,
} from '../aws/cloudtrail/CloudTrailStore';
import {
  openClusterLogGroup,
  startClusterLogs,
} from '../cloudwatch/authenticatorLog';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseIamArn } from '../aws/arn';
import {
  createClusterCertificates,
  ClusterCertificates,
} from '../kube/clusterCertificates';
import {
  SandboxScenario,
  ScenarioAccessEntry,
  ScenarioCluster,
} from '../scenario/types';
import { resolveAccessPolicyArn } from './accessPolicies';
import {
  AccessEntryState,
  ClusterState,
  ConfigMapState,
  CredentialRecord,
  IamPrincipal,
} from './model';

const DEFAULT_DATE = '2024-01-01T00:00:00Z';

function digest(input: string): Buffer {
  return createHash('sha256').update(input).digest();
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += BASE32[bytes[i % bytes.length] % 32];
  }
  return out;
}

/** A deterministic IAM unique id (`AROA…`, `AIDA…`) for one incarnation of a principal. */
export function iamUniqueId(
  kind: 'role' | 'user',
  arn: string,
  createDate: string,
): string {
  return (
    (kind === 'role' ? 'AROA' : 'AIDA') +
    base32(digest(`${arn}|${createDate}`), 17)
  );
}

/** The long-term keys the sandbox derives for a user the scenario gives no keys. */
export function derivedAccessKey(arn: string) {
  return {
    accessKeyId: `AKIA${base32(digest(`akid|${arn}`), 16)}`,
    secretAccessKey: digest(`secret|${arn}`).toString('base64').slice(0, 40),
  };
}

function epochSeconds(iso: string | undefined, fallback = DEFAULT_DATE) {
  const ms = Date.parse(iso ?? fallback);
  if (Number.isNaN(ms)) {
    throw new Error(`Invalid date in scenario: ${iso}`);
  }
  return ms / 1000;
}

/** The username EKS gives an access entry when none is set. */
export function defaultAccessEntryUsername(
  principalArn: string,
  type: string,
): string {
  if (['EC2', 'EC2_LINUX', 'EC2_WINDOWS'].includes(type)) {
    return 'system:node:{{EC2PrivateDNSName}}';
  }
  if (['FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'].includes(type)) {
    return 'system:node:{{SessionName}}';
  }
  const iam = parseIamArn(principalArn);
  if (iam?.type === 'role') {
    return `arn:${iam.partition}:sts::${iam.account}:assumed-role/${iam.name}/{{SessionName}}`;
  }
  return principalArn;
}

export function accessEntryArn(
  cluster: { name: string; region: string; account: string },
  principalArn: string,
  partition: string,
  uuid: string,
): string {
  const iam = parseIamArn(principalArn);
  const kind = iam?.type ?? 'principal';
  return `arn:${partition}:eks:${cluster.region}:${
    cluster.account
  }:access-entry/${cluster.name}/${kind}/${iam?.account ?? cluster.account}/${
    iam?.name ?? 'unknown'
  }/${uuid}`;
}

function uuidFrom(seed: string): string {
  const h = digest(seed).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** What survives a restart when a state file is used. */
export interface PersistedSandboxState {
  version: 1;
  clusters: Record<
    string,
    {
      accessEntries: AccessEntryState[];
      awsAuth: ConfigMapState | null;
      resourceVersion: number;
      certificates: ClusterCertificates;
      /** RBAC as kubectl left it (absent in files written before RBAC writes existed). */
      rbac?: ClusterState['rbac'];
      /**
       * Control-plane log types as UpdateClusterConfig left them (absent in
       * older files: the scenario's). The log lines themselves are not kept.
       */
      enabledLogTypes?: string[];
    }
  >;
  sessions: CredentialRecord[];
}

/**
 * The sandbox's mutable world: IAM principals, credentials, clusters with
 * their access entries, aws-auth ConfigMaps and RBAC.
 */
export class SandboxState {
  readonly partition: string;
  readonly defaultRegion: string;
  readonly accounts: Set<string>;
  readonly principals = new Map<string, IamPrincipal>();
  readonly credentials = new Map<string, CredentialRecord>();
  readonly clusters = new Map<string, ClusterState>();
  /** CloudWatch Logs: the clusters' control-plane log groups. */
  readonly logs: LogStore;
  /** CloudTrail event history: each cluster's CreateCluster event. */
  readonly cloudTrail = new CloudTrailStore();
  /** Called after every mutation (the state file is written from here). */
  onChange: () => void = () => {};

  constructor(
    scenario: SandboxScenario,
    options: { host: string; persisted?: PersistedSandboxState },
  ) {
    this.partition = scenario.partition ?? 'aws';
    this.defaultRegion =
      scenario.defaultRegion ?? scenario.clusters?.[0]?.region ?? 'us-east-1';
    this.accounts = new Set(scenario.accounts.map(a => String(a.id)));
    this.logs = new LogStore(this.partition);
    for (const role of scenario.iam?.roles ?? []) {
      if (role.deleted) continue;
      this.addPrincipal('role', role.arn, role.createDate, {
        tags: role.tags ?? {},
        description: role.description,
        maxSessionDuration: role.maxSessionDuration ?? 3600,
        trustedPrincipals: role.trustedPrincipals,
        permissions: role.permissions,
      });
    }
    for (const user of scenario.iam?.users ?? []) {
      this.addPrincipal('user', user.arn, user.createDate, {
        tags: user.tags ?? {},
        maxSessionDuration: 3600,
        permissions: user.permissions,
      });
      const keys = user.accessKeys?.length
        ? user.accessKeys
        : [derivedAccessKey(user.arn)];
      for (const key of keys) {
        this.credentials.set(key.accessKeyId, {
          accessKeyId: key.accessKeyId,
          secretAccessKey: key.secretAccessKey,
          principalArn: user.arn,
        });
      }
    }
    for (const cluster of scenario.clusters ?? []) {
      const key = `${cluster.account}/${cluster.region}/${cluster.name}`;
      const state = this.buildCluster(
        cluster,
        options.persisted?.clusters?.[key]?.certificates ??
          createClusterCertificates(cluster.name, options.host),
      );
      this.clusters.set(state.key, state);
      const creator = this.principals.get(cluster.creator ?? '');
      startClusterLogs(this.logs, state, creator?.id);
      recordCreateCluster(this.cloudTrail, state, creator, this.partition);
    }
    if (options.persisted) {
      this.restore(options.persisted);
    }
  }

  private addPrincipal(
    kind: 'role' | 'user',
    arn: string,
    createDate: string | undefined,
    rest: Pick<
      IamPrincipal,
      'tags' | 'description' | 'maxSessionDuration' | 'permissions'
    > & { trustedPrincipals?: string[] },
  ) {
    const iam = parseIamArn(arn);
    if (!iam) throw new Error(`Invalid IAM ARN in scenario: ${arn}`);
    const created = new Date(createDate ?? DEFAULT_DATE);
    this.principals.set(arn, {
      kind,
      arn,
      account: iam.account,
      name: iam.name,
      path: iam.path,
      id: iamUniqueId(kind, arn, created.toISOString()),
      createDate: created,
      ...rest,
      trustedPrincipals: rest.trustedPrincipals ?? [iam.account],
    });
  }

  private buildCluster(
    c: ScenarioCluster,
    certificates: ClusterCertificates,
  ): ClusterState {
    const account = String(c.account);
    const arn = `arn:${this.partition}:eks:${c.region}:${account}:cluster/${c.name}`;
    const mode = c.authenticationMode ?? 'CONFIG_MAP';
    const cluster: ClusterState = {
      key: `${account}/${c.region}/${c.name}`,
      name: c.name,
      account,
      region: c.region,
      arn,
      authenticationMode: mode,
      bootstrapClusterCreatorAdminPermissions:
        c.bootstrapClusterCreatorAdminPermissions ?? true,
      creator: c.creator,
      version: String(c.version ?? '1.31'),
      platformVersion: c.platformVersion ?? 'eks.12',
      status: c.status ?? 'ACTIVE',
      createdAt: epochSeconds(c.createdAt),
      tags: c.tags ?? {},
      accessEntries: new Map(),
      awsAuth: null,
      namespaces: c.namespaces ?? ['default', 'kube-system', 'kube-public'],
      rbac: {
        clusterRoles: c.rbac?.clusterRoles ?? [],
        roles: c.rbac?.roles ?? [],
        clusterRoleBindings: c.rbac?.clusterRoleBindings ?? [],
        roleBindings: c.rbac?.roleBindings ?? [],
      },
      resourceVersion: 1000,
      certificates,
      authenticatorEntries: new Map(),
      pendingAuthenticatorChanges: [],
      enabledLogTypes: [...(c.logging ?? [])],
    };
    for (const entry of c.accessEntries ?? []) {
      const state = this.buildAccessEntry(cluster, entry);
      cluster.accessEntries.set(state.principalArn, state);
    }
    if (
      mode !== 'CONFIG_MAP' &&
      cluster.bootstrapClusterCreatorAdminPermissions &&
      c.creator &&
      !cluster.accessEntries.has(c.creator)
    ) {
      const state = this.buildAccessEntry(cluster, {
        principalArn: c.creator,
        createdAt: c.createdAt,
        policies: [
          { policy: 'AmazonEKSClusterAdminPolicy', associatedAt: c.createdAt },
        ],
      });
      cluster.accessEntries.set(state.principalArn, state);
    }
    if (c.awsAuth) {
      cluster.awsAuth = {
        name: 'aws-auth',
        namespace: 'kube-system',
        uid: uuidFrom(`${cluster.key}|aws-auth`),
        resourceVersion: String(++cluster.resourceVersion),
        creationTimestamp: new Date(cluster.createdAt * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        data: { ...c.awsAuth.data },
      };
    }
    cluster.authenticatorEntries = cloneEntries(cluster.accessEntries);
    return cluster;
  }

  private buildAccessEntry(
    cluster: ClusterState,
    entry: ScenarioAccessEntry,
  ): AccessEntryState {
    const type = entry.type ?? 'STANDARD';
    const createdAt = epochSeconds(
      entry.createdAt ?? undefined,
      new Date(cluster.createdAt * 1000).toISOString(),
    );
    const principal = this.principals.get(entry.principalArn);
    let principalId: string | undefined;
    if (principal) {
      // An entry older than the principal belongs to an earlier incarnation of that ARN.
      principalId =
        principal.createDate.getTime() / 1000 <= createdAt
          ? principal.id
          : iamUniqueId(principal.kind, principal.arn, 'earlier-incarnation');
    }
    const modifiedAt = entry.modifiedAt
      ? epochSeconds(entry.modifiedAt)
      : createdAt;
    return {
      clusterName: cluster.name,
      principalArn: entry.principalArn,
      principalId,
      type,
      username:
        entry.username ?? defaultAccessEntryUsername(entry.principalArn, type),
      kubernetesGroups: entry.kubernetesGroups ?? [],
      tags: entry.tags ?? {},
      createdAt,
      modifiedAt,
      accessEntryArn: accessEntryArn(
        cluster,
        entry.principalArn,
        this.partition,
        uuidFrom(`${cluster.key}|${entry.principalArn}`),
      ),
      associatedPolicies: (entry.policies ?? []).map(p => {
        const policyArn = resolveAccessPolicyArn(this.partition, p.policy);
        if (!policyArn) {
          throw new Error(
            `Unknown access policy ${p.policy} on cluster ${cluster.name}`,
          );
        }
        const at = p.associatedAt ? epochSeconds(p.associatedAt) : createdAt;
        return {
          policyArn,
          accessScope: {
            type: p.scope?.type ?? 'cluster',
            namespaces: p.scope?.namespaces ?? [],
          },
          associatedAt: at,
          modifiedAt: at,
        };
      }),
    };
  }

  /** Finds a cluster by name in an account and region. */
  findCluster(
    account: string,
    region: string,
    name: string,
  ): ClusterState | undefined {
    return this.clusters.get(`${account}/${region}/${name}`);
  }

  /** Finds a cluster by name, optionally narrowed by region and account. */
  lookupCluster(
    name: string,
    region?: string,
    account?: string,
  ): ClusterState | undefined {
    for (const cluster of this.clusters.values()) {
      if (
        cluster.name === name &&
        (!region || cluster.region === region) &&
        (!account || cluster.account === account)
      ) {
        return cluster;
      }
    }
    return undefined;
  }

  /** Records an access-entry change; the authenticator sees it after `delayMs`. */
  recordAccessEntryChange(
    cluster: ClusterState,
    principalArn: string,
    delayMs: number,
  ) {
    const current = cluster.accessEntries.get(principalArn);
    cluster.pendingAuthenticatorChanges.push({
      visibleAt: Date.now() + Math.max(0, delayMs),
      principalArn,
      entry: current ? structuredClone(current) : null,
    });
    this.onChange();
  }

  /** The access entries the cluster's authenticator sees right now. */
  authenticatorView(cluster: ClusterState): Map<string, AccessEntryState> {
    const now = Date.now();
    const due = cluster.pendingAuthenticatorChanges.filter(
      c => c.visibleAt <= now,
    );
    cluster.pendingAuthenticatorChanges =
      cluster.pendingAuthenticatorChanges.filter(c => c.visibleAt > now);
    for (const change of due) {
      if (change.entry) {
        cluster.authenticatorEntries.set(change.principalArn, change.entry);
      } else {
        cluster.authenticatorEntries.delete(change.principalArn);
      }
    }
    return cluster.authenticatorEntries;
  }

  nextResourceVersion(cluster: ClusterState): string {
    cluster.resourceVersion += 1;
    return String(cluster.resourceVersion);
  }

  /** Issues temporary credentials for a role session. */
  issueSession(
    roleArn: string,
    sessionName: string,
    durationSeconds: number,
  ): CredentialRecord {
    const record: CredentialRecord = {
      accessKeyId: `ASIA${base32(randomBytes(16), 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      principalArn: roleArn,
      session: {
        sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
        sessionName,
        expiration: new Date(
          Math.floor(Date.now() / 1000 + durationSeconds) * 1000,
        ).toISOString(),
      },
    };
    this.credentials.set(record.accessKeyId, record);
    this.onChange();
    return record;
  }

  newAccessEntryArn(cluster: ClusterState, principalArn: string) {
    return accessEntryArn(cluster, principalArn, this.partition, randomUUID());
  }

  snapshot(): PersistedSandboxState {
    const clusters: PersistedSandboxState['clusters'] = {};
    for (const cluster of this.clusters.values()) {
      clusters[cluster.key] = {
        accessEntries: [...cluster.accessEntries.values()],
        awsAuth: cluster.awsAuth,
        resourceVersion: cluster.resourceVersion,
        certificates: cluster.certificates,
        rbac: cluster.rbac,
        enabledLogTypes: [...(cluster.enabledLogTypes ?? [])],
      };
    }
    const now = Date.now();
    return {
      version: 1,
      clusters,
      sessions: [...this.credentials.values()].filter(
        c => c.session && Date.parse(c.session.expiration) > now,
      ),
    };
  }

  private restore(persisted: PersistedSandboxState) {
    for (const [key, saved] of Object.entries(persisted.clusters ?? {})) {
      const cluster = this.clusters.get(key);
      if (!cluster) continue;
      cluster.accessEntries = new Map(
        saved.accessEntries.map(e => [e.principalArn, e]),
      );
      cluster.authenticatorEntries = cloneEntries(cluster.accessEntries);
      cluster.awsAuth = saved.awsAuth;
      cluster.resourceVersion = saved.resourceVersion;
      cluster.certificates = saved.certificates ?? cluster.certificates;
      if (saved.rbac) cluster.rbac = saved.rbac;
      if (saved.enabledLogTypes) {
        cluster.enabledLogTypes = [...saved.enabledLogTypes];
        openClusterLogGroup(this.logs, cluster);
      }
    }
    for (const session of persisted.sessions ?? []) {
      this.credentials.set(session.accessKeyId, session);
    }
  }
}

function cloneEntries(
  entries: Map<string, AccessEntryState>,
): Map<string, AccessEntryState> {
  return new Map([...entries].map(([k, v]) => [k, structuredClone(v)]));
}
