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
import { discoveryDocument } from './discovery';
import { openApiV3Document } from './openApiV3';
import { isAuthorized, ResourceAttributes } from './kubernetesAuthorizer';
import { BindingRejected, createBinding, deleteBinding } from './rbacWrites';
import {
  findResourceType,
  groupVersion,
  KubeObject,
  RBAC_GROUP,
  ResourceType,
  storedObjects,
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
} from './resourceCatalog';
import { stripIamPath } from '../aws/arn';
import {
  InvalidReview,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from './reviews';
import { toTable, wantsTable } from './tableResponse';
import {
  decodeBindingProtobuf,
  decodeReviewProtobuf,
  PROTOBUF_CONTENT_TYPE,
  ProtobufMalformed,
} from './protobufBodies';
import { TokenRejected, verifyEksToken } from './tokenVerifier';
import { RouteTable } from '../routing/RouteTable';
import {
  AuthenticationOutcome,
  logAuthenticationAttempt,
} from '../cloudwatch/authenticatorLog';

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

const requestPath = (req: IncomingMessage) =>
  (req.url ?? '/').split('?')[0].replace(/\/+$/, '');

interface KubeRoute {
  operation: string;
  attributes?: ResourceAttributes;
  namespace?: string;
  name?: string;
  /** The resource type of a resource path. */
  type?: ResourceType;
  /** The discovery document of a discovery path. */
  discovery?: boolean;
}

/** Operation names the sandbox used before it served every type; kept for counters and faults. */
const LEGACY_OPERATIONS: Record<string, string> = {
  'list namespaces': 'ListNamespaces',
  'list clusterrolebindings': 'ListClusterRoleBindings',
  'list clusterroles': 'ListClusterRoles',
  'list rolebindings': 'ListRoleBindingForAllNamespaces',
  'list rolebindings namespaced': 'ListNamespacedRoleBinding',
};

const VERB_WORDS: Record<string, string> = {
  get: 'Read',
  list: 'List',
  watch: 'Watch',
  create: 'Create',
  update: 'Replace',
  patch: 'Patch',
  delete: 'Delete',
};

/** Where a resource path points: API group and version, namespace, resource, name. */
interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
}

/**
 * Resource paths, core (`/api/v1`) and grouped (`/apis/{group}/{version}`),
 * namespaced patterns first: `/api/v1/namespaces/x` is the namespace `x`,
 * `/api/v1/namespaces/x/pods` the pods in it.
 */
const RESOURCE_PATHS = new RouteTable<ResourcePath>()
  .add('all', '/api/v1/namespaces/:namespace/:resource/:name?', params => ({
    group: '',
    version: 'v1',
    ...(params as Omit<ResourcePath, 'group' | 'version'>),
  }))
  .add(
    'all',
    '/apis/:group/:version/namespaces/:namespace/:resource/:name?',
    params => params as unknown as ResourcePath,
  )
  .add('all', '/api/v1/:resource/:name?', params => ({
    group: '',
    version: 'v1',
    ...(params as Omit<ResourcePath, 'group' | 'version'>),
  }))
  .add(
    'all',
    '/apis/:group/:version/:resource/:name?',
    params => params as unknown as ResourcePath,
  );

function route(
  method: string,
  path: string,
  query: URLSearchParams,
): KubeRoute | undefined {
  const p = path.replace(/\/+$/, '');
  if (p === '/version' && method === 'GET') return { operation: 'GetVersion' };
  if (method === 'GET' && discoveryDocument(p, '') !== undefined) {
    return { operation: 'Discovery', discovery: true };
  }
  if (method === 'GET' && openApiV3Document(p) !== undefined) {
    return { operation: 'GetOpenApiV3' };
  }
  const m = RESOURCE_PATHS.match(method, p);
  if (!m) return undefined;
  const { group, version, namespace, resource, name } = m;
  const type = findResourceType(group, version, resource);
  if (!type || (namespace && !type.namespaced)) return undefined;
  let verb: string | undefined;
  if (method === 'GET') {
    if (name) verb = 'get';
    else verb = query.get('watch') === 'true' ? 'watch' : 'list';
  } else if (!name) {
    verb = method === 'POST' ? 'create' : undefined;
  } else {
    verb = { PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method];
  }
  if (!verb) return undefined;
  const legacy =
    LEGACY_OPERATIONS[
      `${verb} ${resource}${namespace && verb === 'list' ? ' namespaced' : ''}`
    ];
  const operation =
    legacy ??
    `${VERB_WORDS[verb]}${type.kind}${
      verb === 'list' && type.namespaced && !namespace ? 'ForAllNamespaces' : ''
    }`;
  return {
    operation,
    namespace,
    name,
    type,
    attributes: {
      verb,
      apiGroup: group,
      resource,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    },
  };
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
      ...(cm.annotations ? { annotations: cm.annotations } : {}),
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
      const query = new URLSearchParams(qs);
      const r = route(req.method ?? 'GET', path, query);
      if (!r)
        throw new StatusError(
          404,
          'NotFound',
          'the server could not find the requested resource',
          {},
        );
      ctx.operation = r.operation;
      this.deps.counters.record(ctx);
      user = this.impersonate(req, await this.authenticate(req));
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
      const result = this.execute(r, req, body, query, user);
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
      // The extra fields EKS's authenticator sets (kubectl auth whoami prints them).
      user.extra = {
        accessKeyId: [identity.accessKeyId],
        arn: [identity.arn],
        canonicalArn: [identity.canonicalArn],
        principalId: [identity.userId],
        ...(identity.sessionName
          ? { sessionName: [identity.sessionName] }
          : {}),
      };
      return user;
    } catch (error) {
      if (error instanceof TokenRejected) {
        logAttempt({ rejected: error.message });
        throw unauthorized;
      }
      throw error;
    }
  }

  /**
   * `kubectl --as/--as-group` (Impersonate-User/-Group headers): allowed only
   * when RBAC (or an access policy) grants `impersonate` on users/groups, as
   * the API server's impersonation filter checks; then the request is
   * authorized as that user and groups alone.
   */
  private impersonate(
    req: IncomingMessage,
    user: KubernetesUser | undefined,
  ): KubernetesUser | undefined {
    const header = (name: string) => {
      const v = req.headers[name] ?? [];
      return (Array.isArray(v) ? v : [v]).flatMap(x =>
        x.split(',').map(part => part.trim()),
      );
    };
    const [asUser] = header('impersonate-user');
    const asGroups = header('impersonate-group').filter(Boolean);
    if (!asUser && asGroups.length === 0) return user;
    const caller = user?.username ?? 'system:anonymous';
    const check = (resource: 'users' | 'groups', name: string) => {
      const attributes = { verb: 'impersonate', apiGroup: '', resource, name };
      if (!user || !isAuthorized(this.cluster, user, attributes)) {
        throw new StatusError(
          403,
          'Forbidden',
          `${resource} "${name}" is forbidden: User "${caller}" cannot impersonate resource "${resource}" in API group "" at the cluster scope`,
          { name, kind: resource },
        );
      }
    };
    if (!asUser)
      throw badRequest('requested impersonation of groups without a user');
    check('users', asUser);
    asGroups.forEach(g => check('groups', g));
    return {
      username: asUser,
      groups: [...asGroups, 'system:authenticated'],
      policies: [],
      via: user!.via,
    };
  }

  private execute(
    r: KubeRoute,
    req: IncomingMessage,
    body: Buffer,
    query: URLSearchParams,
    user: KubernetesUser | undefined,
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
      case 'GetOpenApiV3':
        return { status: 200, body: openApiV3Document(requestPath(req)) };
      case 'Discovery':
        return {
          status: 200,
          body: discoveryDocument(
            requestPath(req),
            String(req.headers.host ?? this.cluster.endpoint ?? ''),
          ),
        };
      default:
        break;
    }
    const type = r.type!;
    if (
      type.group === AUTHORIZATION_GROUP ||
      type.group === AUTHENTICATION_GROUP
    ) {
      return {
        status: 201,
        body: this.review(
          type,
          parseTypedBody(req, body, decodeReviewProtobuf),
          user,
        ),
      };
    }
    if (
      type.resource === 'rolebindings' ||
      type.resource === 'clusterrolebindings'
    ) {
      if (
        r.operation.startsWith('Create') ||
        r.operation.startsWith('Delete')
      ) {
        return this.writeBinding(r, type, req, body);
      }
    }
    if (
      type.resource !== 'configmaps' &&
      r.attributes!.verb !== 'get' &&
      r.attributes!.verb !== 'list'
    ) {
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
        {},
      );
    }
    if (r.attributes!.verb === 'list') {
      const objects =
        type.resource === 'configmaps'
          ? this.configMaps(r.namespace)
          : storedObjects(cluster, type, r.namespace);
      return { status: 200, body: this.listBody(type, objects, req, query) };
    }
    if (type.resource !== 'configmaps') {
      const object = storedObjects(cluster, type, r.namespace).find(
        o => o.metadata.name === r.name,
      );
      if (!object) throw notFound(type, r.name!);
      return { status: 200, body: this.objectBody(type, object, req, query) };
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
        ...(validAnnotations(object?.metadata?.annotations)
          ? { annotations: validAnnotations(object.metadata.annotations) }
          : {}),
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
        return {
          status: 200,
          body: this.objectBody(
            r.type!,
            configMapJson(current) as KubeObject,
            req,
            query,
          ),
        };
      case 'DeleteConfigMap':
        cluster.awsAuth = null;
        state.onChange();
        return deleted({
          name: 'aws-auth',
          kind: 'configmaps',
          uid: current.uid,
        });
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
        return this.store(
          current,
          validData(object?.data),
          validAnnotations(object?.metadata?.annotations),
        );
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
        return this.store(
          current,
          validData(after?.data),
          validAnnotations(after?.metadata?.annotations),
        );
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

  /** ConfigMaps: only kube-system/aws-auth exists in the sandbox. */
  private configMaps(namespace: string | undefined): KubeObject[] {
    const cm = this.cluster.awsAuth;
    if (!cm || (namespace && namespace !== cm.namespace)) return [];
    return [configMapJson(cm) as KubeObject];
  }

  private listBody(
    type: ResourceType,
    all: KubeObject[],
    req: IncomingMessage,
    query: URLSearchParams,
  ) {
    const limit = Number(query.get('limit') ?? '0');
    const offset = Number(query.get('continue') ?? '0') || 0;
    const page =
      limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    const metadata = {
      resourceVersion: String(this.cluster.resourceVersion),
      ...(more ? { continue: String(offset + limit) } : {}),
    };
    if (wantsTable(req.headers.accept)) {
      return toTable(type.kind, page, metadata, query.get('includeObject'));
    }
    return {
      kind: `${type.kind}List`,
      apiVersion: groupVersion(type),
      metadata,
      items: page,
    };
  }

  private objectBody(
    type: ResourceType,
    object: KubeObject,
    req: IncomingMessage,
    query: URLSearchParams,
  ) {
    if (wantsTable(req.headers.accept)) {
      return toTable(
        type.kind,
        [object],
        { resourceVersion: String(this.cluster.resourceVersion) },
        query.get('includeObject'),
      );
    }
    return object;
  }

  private review(
    type: ResourceType,
    body: any,
    user: KubernetesUser | undefined,
  ): unknown {
    if (!user) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    try {
      switch (type.resource) {
        case 'selfsubjectreviews':
          return selfSubjectReview(user);
        case 'selfsubjectaccessreviews':
          return selfSubjectAccessReview(this.cluster, user, body);
        case 'selfsubjectrulesreviews':
          return selfSubjectRulesReview(this.cluster, user, body);
        default:
          return subjectAccessReview(this.cluster, body, subject =>
            this.policiesOf(subject),
          );
      }
    } catch (error) {
      if (error instanceof InvalidReview) throw invalid(error.message);
      throw error;
    }
  }

  /** The access policies of the access entry a SubjectAccessReview's subject maps through. */
  private policiesOf(subject: {
    user: string;
    extra: Record<string, string[]>;
  }) {
    if (this.cluster.authenticationMode === 'CONFIG_MAP') return [];
    const arns = [
      ...(subject.extra.canonicalArn ?? []),
      ...(subject.extra.arn ?? []),
      subject.user,
    ]
      .filter(a => typeof a === 'string' && a.startsWith('arn:'))
      .map(a => stripIamPath(a).toLowerCase());
    const entries = this.deps.state.authenticatorView(this.cluster);
    const entry = [...entries.values()].find(e =>
      arns.includes(stripIamPath(e.principalArn).toLowerCase()),
    );
    return entry?.associatedPolicies ?? [];
  }

  private writeBinding(
    r: KubeRoute,
    type: ResourceType,
    req: IncomingMessage,
    body: Buffer,
  ) {
    const resource = type.resource as 'rolebindings' | 'clusterrolebindings';
    const state = this.deps.state;
    if (r.operation.startsWith('Create')) {
      const object = parseTypedBody(req, body, decodeBindingProtobuf);
      try {
        createBinding(this.cluster, resource, r.namespace, object);
      } catch (error) {
        if (error instanceof BindingRejected)
          throw new StatusError(error.code, error.reason, error.message, {
            kind: resource,
            group: RBAC_GROUP,
          });
        throw error;
      }
      state.nextResourceVersion(this.cluster);
      state.onChange();
      const created = storedObjects(this.cluster, type, r.namespace).find(
        o => o.metadata.name === object.metadata.name,
      );
      return { status: 201, body: created };
    }
    if (!deleteBinding(this.cluster, resource, r.namespace, r.name!)) {
      throw notFound(type, r.name!);
    }
    state.nextResourceVersion(this.cluster);
    state.onChange();
    return deleted({ name: r.name!, group: RBAC_GROUP, kind: resource });
  }

  private store(
    current: ConfigMapState,
    data: Record<string, string>,
    annotations: Record<string, string> | undefined,
  ) {
    current.data = data;
    // kubectl apply keeps its last-applied-configuration here.
    if (annotations) current.annotations = annotations;
    else delete current.annotations;
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

/** The Status a successful DELETE answers. */
function deleted(details: Record<string, string>) {
  return {
    status: 200,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details,
    },
  };
}

function notFound(type: ResourceType, name: string) {
  const qualified = type.group
    ? `${type.resource}.${type.group}`
    : type.resource;
  return new StatusError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.resource,
  });
}

/** A review or binding body: JSON, or the protobuf kubectl's typed clients send. */
function parseTypedBody(
  req: IncomingMessage,
  body: Buffer,
  decode: (body: Buffer) => unknown,
): any {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith(PROTOBUF_CONTENT_TYPE)) return parseJson(body);
  try {
    return decode(body);
  } catch (error) {
    if (error instanceof ProtobufMalformed)
      throw badRequest(
        `the request body is not valid protobuf: ${error.message}`,
      );
    throw error;
  }
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

/** Annotations to keep, or undefined when there are none (or they are malformed). */
function validAnnotations(
  annotations: unknown,
): Record<string, string> | undefined {
  if (
    !annotations ||
    typeof annotations !== 'object' ||
    Array.isArray(annotations) ||
    Object.keys(annotations).length === 0 ||
    Object.values(annotations).some(v => typeof v !== 'string')
  )
    return undefined;
  return annotations as Record<string, string>;
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
