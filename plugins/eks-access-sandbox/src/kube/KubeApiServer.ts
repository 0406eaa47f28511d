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

import https from 'node:https';
import { AddressInfo } from 'node:net';
import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { CallCounters } from '../faults/CallCounters';
import { FaultInjector, RequestContext } from '../faults/FaultInjector';
import { ClusterState, ConfigMapState } from '../state/model';
import { SandboxState } from '../state/SandboxState';
import { authenticateIdentity, KubernetesUser } from './clusterAuthenticator';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  PatchFailed,
} from './configMapPatch';
import { isAuthorized, ResourceAttributes } from './kubernetesAuthorizer';
import { TokenRejected, verifyEksToken } from './tokenVerifier';
import {
  AuthenticationOutcome,
  logAuthenticationAttempt,
} from '../cloudwatch/authenticatorLog';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A Kubernetes `Status` failure. */
class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

const conflict = () =>
  new StatusError(
    409,
    'Conflict',
    'Operation cannot be fulfilled on configmaps "aws-auth": the object has been modified; please apply your changes to the latest version and try again',
    { name: 'aws-auth', kind: 'configmaps' },
  );
const invalid = (
  message = 'the server rejected our request due to an error in our request',
) => new StatusError(422, 'Invalid', message, {});
const badRequest = (message: string) =>
  new StatusError(400, 'BadRequest', message);

interface KubeRoute {
  operation: string;
  attributes?: ResourceAttributes;
  namespace?: string;
  name?: string;
}

function route(method: string, path: string): KubeRoute | undefined {
  const p = path.replace(/\/+$/, '');
  if (p === '/version' && method === 'GET') return { operation: 'GetVersion' };
  let m = /^\/api\/v1\/namespaces$/.exec(p);
  if (m && method === 'GET') {
    return {
      operation: 'ListNamespaces',
      attributes: { verb: 'list', apiGroup: '', resource: 'namespaces' },
    };
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/.exec(p);
  if (m && method === 'POST') {
    return {
      operation: 'CreateConfigMap',
      namespace: m[1],
      attributes: {
        verb: 'create',
        apiGroup: '',
        resource: 'configmaps',
        namespace: m[1],
      },
    };
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(p);
  if (m) {
    const op = {
      GET: ['ReadConfigMap', 'get'],
      PUT: ['ReplaceConfigMap', 'update'],
      PATCH: ['PatchConfigMap', 'patch'],
      DELETE: ['DeleteConfigMap', 'delete'],
    }[method];
    if (!op) return undefined;
    return {
      operation: op[0],
      namespace: m[1],
      name: m[2],
      attributes: {
        verb: op[1],
        apiGroup: '',
        resource: 'configmaps',
        namespace: m[1],
        name: m[2],
      },
    };
  }
  if (method !== 'GET') return undefined;
  const rbac = `/apis/${RBAC_GROUP}/v1`;
  if (p === `${rbac}/clusterrolebindings`) {
    return {
      operation: 'ListClusterRoleBindings',
      attributes: {
        verb: 'list',
        apiGroup: RBAC_GROUP,
        resource: 'clusterrolebindings',
      },
    };
  }
  if (p === `${rbac}/clusterroles`) {
    return {
      operation: 'ListClusterRoles',
      attributes: {
        verb: 'list',
        apiGroup: RBAC_GROUP,
        resource: 'clusterroles',
      },
    };
  }
  if (p === `${rbac}/rolebindings`) {
    return {
      operation: 'ListRoleBindingForAllNamespaces',
      attributes: {
        verb: 'list',
        apiGroup: RBAC_GROUP,
        resource: 'rolebindings',
      },
    };
  }
  m = new RegExp(`^${rbac}/namespaces/([^/]+)/rolebindings$`).exec(p);
  if (m) {
    return {
      operation: 'ListNamespacedRoleBinding',
      namespace: m[1],
      attributes: {
        verb: 'list',
        apiGroup: RBAC_GROUP,
        resource: 'rolebindings',
        namespace: m[1],
      },
    };
  }
  return undefined;
}

function forbidden(user: KubernetesUser, a: ResourceAttributes): StatusError {
  const resource = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${a.resource} "${a.name}"` : resource;
  const where = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  const details: Record<string, string> = { kind: a.resource };
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  return new StatusError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user.username}" cannot ${a.verb} resource "${a.resource}" in API group "${a.apiGroup}" ${where}`,
    details,
  );
}

function configMapJson(cm: ConfigMapState) {
  return {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: cm.name,
      namespace: cm.namespace,
      uid: cm.uid,
      resourceVersion: cm.resourceVersion,
      creationTimestamp: cm.creationTimestamp,
      ...(cm.updatedAt
        ? {
            managedFields: [
              {
                manager: 'eks-access-sandbox',
                operation: 'Update',
                apiVersion: 'v1',
                time: cm.updatedAt,
                fieldsType: 'FieldsV1',
                fieldsV1: { 'f:data': {} },
              },
            ],
          }
        : {}),
    },
    data: cm.data,
  };
}

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Dependencies of one cluster's Kubernetes API. */
export interface KubeApiServerDeps {
  state: SandboxState;
  faults: FaultInjector;
  counters: CallCounters;
  /** host:port values of the sandbox STS endpoint, accepted as token hosts. */
  sandboxHosts: () => string[];
  log?: (line: string) => void;
}

/** One cluster's Kubernetes API over HTTPS, with the cluster's own CA. */
export class KubeApiServer {
  #server?: https.Server;

  constructor(
    private readonly cluster: ClusterState,
    private readonly deps: KubeApiServerDeps,
  ) {}

  async start(host: string, port: number): Promise<string> {
    const server = https.createServer(
      {
        key: this.cluster.certificates.serverKeyPem,
        cert: this.cluster.certificates.serverCertPem,
      },
      (req, res) => {
        this.handle(req, res).catch(() => res.destroy());
      },
    );
    server.on('connection', socket => {
      if (
        this.deps.faults.isUnreachable(this.cluster) &&
        this.deps.faults.unreachableMode === 'reset'
      ) {
        socket.destroy();
      }
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    const actual = (server.address() as AddressInfo).port;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    this.cluster.endpoint = `https://${hostPart}:${actual}`;
    return this.cluster.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const [path, qs = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const ctx: RequestContext = {
      service: 'k8s',
      operation: 'Unknown',
      cluster: this.cluster.name,
      account: this.cluster.account,
    };
    let status = 0;
    let user: KubernetesUser | undefined;
    if (this.deps.faults.isUnreachable(this.cluster)) {
      // 'hang': accept and never answer.
      return;
    }
    try {
      const body = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', c => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
      });
      const r = route(req.method ?? 'GET', path);
      if (!r)
        throw new StatusError(
          404,
          'NotFound',
          'the server could not find the requested resource',
          {},
        );
      ctx.operation = r.operation;
      this.deps.counters.record(ctx);
      user = await this.authenticate(req);
      const outcome = await this.deps.faults.apply(ctx);
      if (outcome.kind === 'throttle')
        throw new StatusError(
          429,
          'TooManyRequests',
          'Too many requests, please try again later.',
          {},
        );
      if (outcome.kind === 'error') {
        throw outcome.status === 503
          ? new StatusError(
              503,
              'ServiceUnavailable',
              'the server is currently unable to handle the request',
              {},
            )
          : new StatusError(
              500,
              'InternalError',
              'an error on the server ("") has prevented the request from succeeding',
              {},
            );
      }
      if (r.attributes) {
        if (!user) {
          throw new StatusError(
            403,
            'Forbidden',
            `forbidden: User "system:anonymous" cannot ${r.attributes.verb} resource "${r.attributes.resource}"`,
            {},
          );
        }
        if (!isAuthorized(this.cluster, user, r.attributes))
          throw forbidden(user, r.attributes);
      }
      const result = this.execute(r, req, body, new URLSearchParams(qs));
      status = result.status;
      this.send(res, result.status, result.body);
    } catch (error) {
      const e =
        error instanceof StatusError
          ? error
          : new StatusError(
              500,
              'InternalError',
              `an error on the server ("${
                (error as Error).message
              }") has prevented the request from succeeding`,
              {},
            );
      status = e.code;
      this.send(res, e.code, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: e.message,
        reason: e.reason,
        ...(e.details ? { details: e.details } : {}),
        code: e.code,
      });
    } finally {
      this.deps.log?.(
        `k8s ${ctx.operation} cluster=${this.cluster.name} account=${
          this.cluster.account
        }${user ? ` user=${user.username}` : ''} -> ${status} ${
          Date.now() - started
        }ms`,
      );
    }
  }

  /** undefined = anonymous (no Authorization header); a bad token is a 401. */
  private async authenticate(
    req: IncomingMessage,
  ): Promise<KubernetesUser | undefined> {
    const authorization = req.headers.authorization;
    if (!authorization) return undefined;
    const unauthorized = new StatusError(401, 'Unauthorized', 'Unauthorized');
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw unauthorized;
    const logAttempt = (outcome: AuthenticationOutcome) =>
      logAuthenticationAttempt(
        this.deps.state.logs,
        this.cluster,
        `${(req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')}:${
          req.socket.remotePort ?? 0
        }`,
        outcome,
      );
    try {
      const identity = await verifyEksToken(
        m[1],
        this.cluster.name,
        this.deps.state,
        this.deps.sandboxHosts(),
      );
      const user = authenticateIdentity(
        this.deps.state,
        this.cluster,
        identity,
      );
      logAttempt({ identity, user });
      if (!user) throw unauthorized;
      return user;
    } catch (error) {
      if (error instanceof TokenRejected) {
        logAttempt({ rejected: error.message });
        throw unauthorized;
      }
      throw error;
    }
  }

  private execute(
    r: KubeRoute,
    req: IncomingMessage,
    body: Buffer,
    query: URLSearchParams,
  ): { status: number; body: unknown } {
    const cluster = this.cluster;
    const state = this.deps.state;
    switch (r.operation) {
      case 'GetVersion': {
        const [major, minor] = cluster.version.split('.');
        return {
          status: 200,
          body: {
            major,
            minor: `${minor}+`,
            gitVersion: `v${cluster.version}.4-eks-2d5f260`,
            gitCommit: '2d5f2601b5c1e7a8f3f9d6c7b2a1e0f9d8c7b6a5',
            gitTreeState: 'clean',
            buildDate: '2024-11-12T21:28:34Z',
            goVersion: 'go1.22.9',
            compiler: 'gc',
            platform: 'linux/amd64',
          },
        };
      }
      case 'ListNamespaces':
        return {
          status: 200,
          body: {
            kind: 'NamespaceList',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(cluster.resourceVersion) },
            items: cluster.namespaces.map(name => ({
              metadata: {
                name,
                uid: `ns-${name}`,
                resourceVersion: '1',
                creationTimestamp: new Date(cluster.createdAt * 1000)
                  .toISOString()
                  .replace(/\.\d{3}Z$/, 'Z'),
              },
              spec: { finalizers: ['kubernetes'] },
              status: { phase: 'Active' },
            })),
          },
        };
      case 'ListClusterRoleBindings':
        return {
          status: 200,
          body: {
            kind: 'ClusterRoleBindingList',
            apiVersion: `${RBAC_GROUP}/v1`,
            metadata: { resourceVersion: String(cluster.resourceVersion) },
            items: cluster.rbac.clusterRoleBindings.map(b => ({
              metadata: {
                name: b.name,
                uid: `crb-${b.name}`,
                resourceVersion: '42',
                creationTimestamp: '2024-01-01T00:00:00Z',
              },
              roleRef: {
                apiGroup: RBAC_GROUP,
                kind: 'ClusterRole',
                name: b.roleRef.name,
              },
              subjects: b.subjects.map(subjectJson),
            })),
          },
        };
      case 'ListClusterRoles':
        return {
          status: 200,
          body: {
            kind: 'ClusterRoleList',
            apiVersion: `${RBAC_GROUP}/v1`,
            metadata: { resourceVersion: String(cluster.resourceVersion) },
            items: cluster.rbac.clusterRoles.map(role => ({
              metadata: {
                name: role.name,
                uid: `cr-${role.name}`,
                resourceVersion: '42',
                creationTimestamp: '2024-01-01T00:00:00Z',
              },
              rules: role.rules,
            })),
          },
        };
      case 'ListRoleBindingForAllNamespaces':
      case 'ListNamespacedRoleBinding': {
        const all = cluster.rbac.roleBindings.filter(
          b => !r.namespace || b.namespace === r.namespace,
        );
        const limit = Number(query.get('limit') ?? '0');
        const offset = Number(query.get('continue') ?? '0') || 0;
        const page =
          limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
        const more = limit > 0 && offset + limit < all.length;
        return {
          status: 200,
          body: {
            kind: 'RoleBindingList',
            apiVersion: `${RBAC_GROUP}/v1`,
            metadata: {
              resourceVersion: String(cluster.resourceVersion),
              ...(more ? { continue: String(offset + limit) } : {}),
            },
            items: page.map(b => ({
              metadata: {
                name: b.name,
                namespace: b.namespace,
                uid: `rb-${b.namespace}-${b.name}`,
                resourceVersion: '42',
                creationTimestamp: '2024-01-01T00:00:00Z',
              },
              roleRef: {
                apiGroup: RBAC_GROUP,
                kind: b.roleRef.kind ?? 'ClusterRole',
                name: b.roleRef.name,
              },
              subjects: b.subjects.map(subjectJson),
            })),
          },
        };
      }
      default:
        break;
    }
    const isAwsAuth =
      r.namespace === 'kube-system' &&
      (r.name === 'aws-auth' || r.operation === 'CreateConfigMap');
    if (r.operation === 'CreateConfigMap') {
      const object = parseJson(body);
      const name = object?.metadata?.name;
      if (!isAwsAuth || name !== 'aws-auth') {
        throw new StatusError(
          403,
          'Forbidden',
          'the sandbox stores only kube-system/aws-auth',
          {},
        );
      }
      if (cluster.awsAuth) {
        throw new StatusError(
          409,
          'AlreadyExists',
          'configmaps "aws-auth" already exists',
          { name: 'aws-auth', kind: 'configmaps' },
        );
      }
      cluster.awsAuth = {
        name: 'aws-auth',
        namespace: 'kube-system',
        uid: randomUUID(),
        resourceVersion: state.nextResourceVersion(cluster),
        creationTimestamp: timestamp(),
        updatedAt: timestamp(),
        data: validData(object.data),
      };
      state.onChange();
      return { status: 201, body: configMapJson(cluster.awsAuth) };
    }
    const current = isAwsAuth ? cluster.awsAuth : null;
    if (!current) {
      throw new StatusError(
        404,
        'NotFound',
        `configmaps "${r.name}" not found`,
        { name: r.name!, kind: 'configmaps' },
      );
    }
    switch (r.operation) {
      case 'ReadConfigMap':
        return { status: 200, body: configMapJson(current) };
      case 'DeleteConfigMap':
        cluster.awsAuth = null;
        state.onChange();
        return {
          status: 200,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name: 'aws-auth', kind: 'configmaps', uid: current.uid },
          },
        };
      case 'ReplaceConfigMap': {
        const object = parseJson(body);
        if (
          object?.metadata?.name !== undefined &&
          object.metadata.name !== 'aws-auth'
        ) {
          throw badRequest(
            `the name of the object (${object.metadata.name}) does not match the name on the URL (aws-auth)`,
          );
        }
        const rv = object?.metadata?.resourceVersion;
        // An empty resourceVersion is an unconditional update for ConfigMaps.
        if (rv && rv !== current.resourceVersion) throw conflict();
        return this.store(current, validData(object?.data));
      }
      case 'PatchConfigMap': {
        const contentType = String(req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        const patch = parseJson(body);
        const before = configMapJson(current) as any;
        let after: any;
        try {
          if (contentType === 'application/json-patch+json') {
            after = applyJsonPatch(before, patch);
          } else if (contentType === 'application/merge-patch+json') {
            if (
              patch?.metadata?.resourceVersion &&
              patch.metadata.resourceVersion !== current.resourceVersion
            )
              throw conflict();
            after = applyMergePatch(before, patch);
          } else if (contentType === 'application/strategic-merge-patch+json') {
            if (
              patch?.metadata?.resourceVersion &&
              patch.metadata.resourceVersion !== current.resourceVersion
            )
              throw conflict();
            after = applyStrategicMergePatch(before, patch);
          } else {
            throw new StatusError(
              415,
              'UnsupportedMediaType',
              `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
              {},
            );
          }
        } catch (error) {
          if (error instanceof PatchFailed) throw invalid();
          throw error;
        }
        if (after?.metadata?.resourceVersion !== current.resourceVersion)
          throw conflict();
        if (after?.metadata?.name !== 'aws-auth')
          throw invalid(
            'metadata.name: Invalid value: the name cannot be changed',
          );
        return this.store(current, validData(after?.data));
      }
      default:
        throw new StatusError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
          {},
        );
    }
  }

  private store(current: ConfigMapState, data: Record<string, string>) {
    current.data = data;
    current.resourceVersion = this.deps.state.nextResourceVersion(this.cluster);
    current.updatedAt = timestamp();
    this.deps.state.onChange();
    return { status: 200, body: configMapJson(current) };
  }

  private send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, {
      'content-type': 'application/json',
      'audit-id': randomUUID(),
    });
    res.end(JSON.stringify(body));
  }
}

function subjectJson(s: { kind: string; name: string; namespace?: string }) {
  return s.kind === 'ServiceAccount'
    ? { kind: s.kind, name: s.name, namespace: s.namespace }
    : { kind: s.kind, apiGroup: RBAC_GROUP, name: s.name };
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

function validData(data: unknown): Record<string, string> {
  if (data === undefined || data === null) return {};
  if (
    typeof data !== 'object' ||
    Array.isArray(data) ||
    Object.values(data).some(v => typeof v !== 'string')
  ) {
    throw invalid(
      'ConfigMap "aws-auth" is invalid: data: values must be strings',
    );
  }
  return data as Record<string, string>;
}
