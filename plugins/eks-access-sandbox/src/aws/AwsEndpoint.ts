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

import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { CallCounters } from '../faults/CallCounters';
import { FaultInjector, RequestContext } from '../faults/FaultInjector';
import { SandboxState } from '../state/SandboxState';
import {
  callerIdentity,
  CallerIdentity,
  isActionAllowed,
} from './callerIdentity';
import { EksApi, routeEksRequest } from './eks/EksApi';
import { eksErrors } from './eks/eksErrors';
import {
  IdentityCenterApi,
  identityCenterTarget,
} from './identitycenter/IdentityCenterApi';
import type { IdentityCenterDirectory } from './identitycenter/IdentityCenterDirectory';
import { IamApi, QUERY_OPERATIONS, StsApi } from './query/QueryApis';
import { queryErrorXml, querySuccessXml } from './query/queryXml';
import { AwsServiceError } from './serviceError';
import {
  LogsApi,
  LOGS_TARGET_PREFIX,
  logsRequest,
} from './cloudwatchLogs/LogsApi';
import {
  CloudTrailApi,
  isCloudTrailTarget,
  cloudTrailRequest,
} from './cloudtrail/CloudTrailApi';
import {
  SigV4Failure,
  SigV4FailureKind,
  verifyHeaderSignature,
  verifyPresignedUrl,
} from './sigv4Verifier';

type Service = 'eks' | 'sts' | 'iam' | 'logs' | 'cloudtrail';
/** The awsJson1_1 services: errors name their shape in `__type`. */
const isJson11 = (service: Service) =>
  service === 'logs' || service === 'cloudtrail';

const EKS_AUTH_ERRORS: Record<SigV4FailureKind, [string, number]> = {
  missing: ['MissingAuthenticationTokenException', 403],
  incomplete: ['IncompleteSignatureException', 403],
  unknownKey: ['UnrecognizedClientException', 403],
  signature: ['InvalidSignatureException', 403],
  expiredToken: ['ExpiredTokenException', 403],
};
const QUERY_AUTH_ERRORS: Record<SigV4FailureKind, [string, number]> = {
  missing: ['MissingAuthenticationToken', 403],
  incomplete: ['IncompleteSignature', 400],
  unknownKey: ['InvalidClientTokenId', 403],
  signature: ['SignatureDoesNotMatch', 403],
  expiredToken: ['ExpiredToken', 403],
};

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryRecord(qs: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const pair of qs ? qs.split('&') : []) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    try {
      const k = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
      const v = i < 0 ? '' : decodeURIComponent(pair.slice(i + 1));
      (out[k] ??= []).push(v);
    } catch {
      // ignore undecodable pairs
    }
  }
  return out;
}

/** Everything the AWS endpoint needs. */
export interface AwsEndpointDeps {
  state: SandboxState;
  faults: FaultInjector;
  counters: CallCounters;
  log?: (line: string) => void;
  /** The scenario's IAM Identity Center instance, if it has one. */
  identityCenter?: IdentityCenterDirectory;
}

/** Serves EKS (restJson1), STS and IAM (awsQuery) on one HTTP endpoint. */
export class AwsEndpoint {
  readonly #eks: EksApi;
  readonly #sts: StsApi;
  readonly #iam: IamApi;
  readonly #identityCenter: IdentityCenterApi;
  readonly #logs: LogsApi;
  readonly #cloudTrail: CloudTrailApi;

  constructor(private readonly deps: AwsEndpointDeps) {
    this.#eks = new EksApi(deps.state, deps.faults);
    this.#sts = new StsApi(deps.state);
    this.#iam = new IamApi(deps.state);
    this.#identityCenter = new IdentityCenterApi(
      deps.identityCenter,
      deps.state.partition,
    );
    this.#logs = new LogsApi(deps.state.logs);
    this.#cloudTrail = new CloudTrailApi(deps.state.cloudTrail);
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const jsonTarget = identityCenterTarget(req.headers['x-amz-target']);
    if (jsonTarget && req.method === 'POST') {
      await this.handleIdentityCenter(req, res, body, jsonTarget);
      return;
    }
    const started = Date.now();
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const [rawPath, qs = ''] = url.split(/\?(.*)/s);
    const method = req.method ?? 'GET';
    const ctx: RequestContext & {
      service: Service;
      principal?: string;
      status?: number;
      code?: string;
    } = {
      service: 'eks',
      operation: 'Unknown',
    };
    try {
      // CloudWatch Logs (awsJson1_1): POST / with X-Amz-Target Logs_20140328.<Operation>.
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith(LOGS_TARGET_PREFIX)) {
        // set first: a malformed request is answered in this service's shape
        ctx.service = 'logs';
        const request = logsRequest(target, body, this.deps.state.partition);
        await this.serveJsonService(req, res, url, body, requestId, ctx, {
          service: 'logs',
          operation: request.operation,
          resource: (account, region) => request.resource(account, region),
          handle: (caller, region) =>
            this.#logs.handle(request.operation, caller, region, request.body),
        });
        return;
      }
      // CloudTrail (awsJson1_1): X-Amz-Target CloudTrail_20131101.<Operation>.
      if (isCloudTrailTarget(target)) {
        ctx.service = 'cloudtrail';
        const request = cloudTrailRequest(target, body);
        await this.serveJsonService(req, res, url, body, requestId, ctx, {
          service: 'cloudtrail',
          operation: request.operation,
          handle: (caller, region) =>
            this.#cloudTrail.handle(
              request.operation,
              caller,
              region,
              request.body,
            ),
        });
        return;
      }
      const eksRoute = routeEksRequest(method, rawPath);
      if (eksRoute) {
        ctx.service = 'eks';
        ctx.operation = eksRoute.operation;
        ctx.cluster = eksRoute.clusterName;
        const verified = await this.authenticate(req, url, body, 'eks', 5);
        const caller = callerIdentity(this.deps.state, verified.credential);
        ctx.account = caller.account;
        ctx.principal = caller.arn;
        await this.preflight(ctx, 'eks');
        const action = `eks:${eksRoute.operation}`;
        const resource = this.#eks.resourceFor(
          eksRoute,
          caller,
          verified.region,
        );
        if (!isActionAllowed(caller.principal, action, resource)) {
          throw eksErrors.accessDenied(caller.arn, action, resource);
        }
        const result = this.#eks.handle(
          eksRoute,
          caller,
          verified.region,
          queryRecord(qs),
          body,
        );
        this.sendJson(res, 200, result, requestId);
        ctx.status = 200;
        return;
      }
      const query = await this.routeQuery(method, rawPath, qs, body, req);
      if (!query) {
        throw eksErrors.unknownOperation();
      }
      ctx.service = query.service;
      ctx.operation = query.operation;
      let caller: CallerIdentity;
      if (query.presigned) {
        const verified = await verifyPresignedUrl(
          { path: rawPath, query: qs },
          this.signedHeaderValues(req),
          { lookup: akid => this.deps.state.credentials.get(akid) },
        );
        const expiresAt =
          verified.parameters.date.getTime() +
          verified.parameters.expires * 1000;
        if (expiresAt < Date.now()) {
          throw new AwsServiceError(
            'ExpiredToken',
            403,
            'Request has expired.',
          );
        }
        caller = callerIdentity(this.deps.state, verified.credential);
      } else {
        const verified = await this.authenticate(
          req,
          url,
          body,
          query.service,
          15,
        );
        caller = callerIdentity(this.deps.state, verified.credential);
      }
      ctx.account = caller.account;
      ctx.principal = caller.arn;
      await this.preflight(ctx, query.service);
      const params = query.params;
      const result =
        query.service === 'sts'
          ? this.#sts.handle(query.operation, caller, params)
          : this.#iam.handle(query.operation, caller, params);
      if (
        query.presigned &&
        /application\/json/.test(String(req.headers.accept ?? ''))
      ) {
        this.sendJson(
          res,
          200,
          {
            [`${query.operation}Response`]: {
              [`${query.operation}Result`]: result,
              ResponseMetadata: { RequestId: requestId },
            },
          },
          requestId,
        );
      } else {
        res.writeHead(200, {
          'content-type': 'text/xml',
          'x-amzn-RequestId': requestId,
        });
        res.end(
          querySuccessXml(query.service, query.operation, result, requestId),
        );
      }
      ctx.status = 200;
    } catch (error) {
      const failure = this.toServiceError(error, ctx.service);
      ctx.status = failure.status;
      ctx.code = failure.code;
      this.sendError(req, res, ctx.service, failure, requestId, qs);
    } finally {
      this.deps.log?.(
        `${ctx.service} ${ctx.operation}${
          ctx.cluster ? ` cluster=${ctx.cluster}` : ''
        }${ctx.account ? ` account=${ctx.account}` : ''}${
          ctx.principal ? ` caller=${ctx.principal}` : ''
        } -> ${ctx.status ?? '?'}${ctx.code ? ` ${ctx.code}` : ''} ${
          Date.now() - started
        }ms`,
      );
    }
  }

  /**
   * One awsJson1_1 call of CloudWatch Logs or CloudTrail: authenticate
   * (SigV4), faults, the caller's IAM permission for the action (on
   * `resource` when the service names one, as AWS's denial message does),
   * then the service's answer.
   */
  private async serveJsonService(
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    body: Buffer,
    requestId: string,
    ctx: RequestContext & {
      service: Service;
      principal?: string;
      status?: number;
    },
    call: {
      service: 'logs' | 'cloudtrail';
      operation: string;
      resource?: (account: string, region: string) => string;
      handle: (caller: CallerIdentity, region: string) => unknown;
    },
  ) {
    ctx.service = call.service;
    ctx.operation = call.operation;
    const verified = await this.authenticate(req, url, body, call.service, 5);
    const caller = callerIdentity(this.deps.state, verified.credential);
    ctx.account = caller.account;
    ctx.principal = caller.arn;
    await this.preflight(ctx, call.service);
    const action = `${call.service}:${call.operation}`;
    const resource = call.resource?.(caller.account, verified.region);
    if (!isActionAllowed(caller.principal, action, resource ?? '*')) {
      throw new AwsServiceError(
        'AccessDeniedException',
        400,
        resource
          ? `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`
          : `User: ${caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
      );
    }
    const result = call.handle(caller, verified.region);
    this.sendJson(res, 200, result, requestId, 'application/x-amz-json-1.1');
    ctx.status = 200;
  }

  /** identitystore and sso-admin (awsJson1_1): `POST /` with `X-Amz-Target`. */
  private async handleIdentityCenter(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    target: { service: 'identitystore' | 'sso'; operation: string },
  ) {
    const started = Date.now();
    const requestId = randomUUID();
    const ctx: RequestContext & { principal?: string; status?: number } = {
      service: target.service,
      operation: target.operation,
    };
    try {
      const verified = await verifyHeaderSignature(
        { method: 'POST', url: req.url ?? '/', headers: req.headers, body },
        {
          expectedService: target.service,
          skewMinutes: 5,
          lookup: akid => this.deps.state.credentials.get(akid),
        },
      );
      const caller = callerIdentity(this.deps.state, verified.credential);
      ctx.account = caller.account;
      ctx.principal = caller.arn;
      let input: Record<string, unknown>;
      try {
        const parsed = JSON.parse(body.toString('utf8') || '{}');
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new Error('not an object');
        }
        input = parsed;
      } catch {
        throw new AwsServiceError(
          'SerializationException',
          400,
          'Start of structure or map found where not expected.',
        );
      }
      this.deps.counters.record(ctx);
      const outcome = await this.deps.faults.apply(ctx);
      if (outcome.kind === 'throttle') {
        throw new AwsServiceError('ThrottlingException', 429, 'Rate exceeded');
      }
      if (outcome.kind === 'error') {
        throw new AwsServiceError(
          'InternalServerException',
          outcome.status,
          'The request processing has failed because of an unknown error, exception or failure.',
        );
      }
      const action = `${target.service}:${target.operation}`;
      const resource = this.#identityCenter.resourceFor(target.service, input);
      this.#identityCenter.checkCaller(caller, action, resource);
      if (!isActionAllowed(caller.principal, action, resource)) {
        throw new AwsServiceError(
          'AccessDeniedException',
          403,
          `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
        );
      }
      const result = this.#identityCenter.handle(
        target.service,
        target.operation,
        input,
        verified.region,
      );
      ctx.status = 200;
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-RequestId': requestId,
      });
      res.end(JSON.stringify(result));
    } catch (error) {
      const failure = this.toServiceError(error, 'eks');
      ctx.status = failure.status;
      res.writeHead(failure.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': failure.code,
      });
      res.end(
        JSON.stringify({
          __type: failure.code,
          Message: failure.message,
          ...failure.members,
        }),
      );
    } finally {
      this.deps.log?.(
        `${ctx.service} ${ctx.operation}${
          ctx.principal ? ` caller=${ctx.principal}` : ''
        } -> ${ctx.status ?? '?'} ${Date.now() - started}ms`,
      );
    }
  }

  private signedHeaderValues(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
    }
    return out;
  }

  private async authenticate(
    req: IncomingMessage,
    url: string,
    body: Buffer,
    service: Service,
    skewMinutes: number,
  ) {
    return verifyHeaderSignature(
      { method: req.method ?? 'GET', url, headers: req.headers, body },
      {
        expectedService: service,
        skewMinutes,
        lookup: akid => this.deps.state.credentials.get(akid),
      },
    );
  }

  /** Counts the call, then applies latency, throttling and error-rate faults. */
  private async preflight(ctx: RequestContext, service: Service) {
    this.deps.counters.record(ctx);
    const outcome = await this.deps.faults.apply(ctx);
    if (outcome.kind === 'throttle' && isJson11(service)) {
      throw new AwsServiceError('ThrottlingException', 400, 'Rate exceeded');
    }
    if (outcome.kind === 'error' && isJson11(service)) {
      throw new AwsServiceError(
        'ServiceUnavailableException',
        outcome.status,
        'The service cannot complete the request.',
      );
    }
    if (outcome.kind === 'throttle') {
      throw service === 'eks'
        ? eksErrors.throttling()
        : new AwsServiceError('Throttling', 400, 'Rate exceeded');
    }
    if (outcome.kind === 'error') {
      if (service === 'eks') throw eksErrors.server(outcome.status);
      throw outcome.status === 503
        ? new AwsServiceError(
            'ServiceUnavailable',
            503,
            'Service is unable to handle request.',
          )
        : new AwsServiceError(
            'InternalFailure',
            500,
            'The request processing has failed because of an unknown error, exception or failure.',
          );
    }
  }

  private async routeQuery(
    method: string,
    rawPath: string,
    qs: string,
    body: Buffer,
    req: IncomingMessage,
  ): Promise<
    | {
        service: 'sts' | 'iam';
        operation: string;
        params: URLSearchParams;
        presigned: boolean;
      }
    | undefined
  > {
    if (rawPath !== '/' && rawPath !== '') return undefined;
    let params: URLSearchParams;
    let presigned = false;
    if (
      method === 'POST' &&
      /x-www-form-urlencoded/.test(String(req.headers['content-type']))
    ) {
      params = new URLSearchParams(body.toString('utf8'));
    } else if (method === 'GET' && qs) {
      params = new URLSearchParams(qs);
      presigned = [...params.keys()].some(
        k => k.toLowerCase() === 'x-amz-credential',
      );
      if (!presigned) return undefined;
    } else {
      return undefined;
    }
    const action = params.get('Action') ?? '';
    const version = params.get('Version');
    let service: 'sts' | 'iam' | undefined;
    if (version === '2011-06-15') service = 'sts';
    else if (version === '2010-05-08') service = 'iam';
    else if ((QUERY_OPERATIONS.sts as readonly string[]).includes(action))
      service = 'sts';
    else if ((QUERY_OPERATIONS.iam as readonly string[]).includes(action))
      service = 'iam';
    if (!service) return undefined;
    if (!(QUERY_OPERATIONS[service] as readonly string[]).includes(action)) {
      throw new AwsServiceError(
        'InvalidAction',
        400,
        `Could not find operation ${action} for version ${version}`,
      );
    }
    if (presigned && (service !== 'sts' || action !== 'GetCallerIdentity')) {
      return undefined;
    }
    return { service, operation: action, params, presigned };
  }

  private toServiceError(error: unknown, service: Service): AwsServiceError {
    if (error instanceof AwsServiceError) return error;
    if (error instanceof SigV4Failure) {
      const [code, status] = (
        service === 'eks' || isJson11(service)
          ? EKS_AUTH_ERRORS
          : QUERY_AUTH_ERRORS
      )[error.kind];
      return new AwsServiceError(code, status, error.message);
    }
    this.deps.log?.(
      `sandbox internal error: ${(error as Error)?.stack ?? error}`,
    );
    if (isJson11(service)) {
      return new AwsServiceError(
        'ServiceUnavailableException',
        500,
        'Internal failure',
      );
    }
    return service === 'eks'
      ? eksErrors.server(500)
      : new AwsServiceError('InternalFailure', 500, 'Internal failure');
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    requestId: string,
    contentType = 'application/json',
  ) {
    res.writeHead(status, {
      'content-type': contentType,
      'x-amzn-RequestId': requestId,
    });
    res.end(JSON.stringify(body));
  }

  private sendError(
    req: IncomingMessage,
    res: ServerResponse,
    service: Service,
    error: AwsServiceError,
    requestId: string,
    qs: string,
  ) {
    if (isJson11(service)) {
      // awsJson1_1 errors name their shape in `__type`.
      this.sendJson(
        res,
        error.status,
        { __type: error.code, message: error.message, ...error.members },
        requestId,
        'application/x-amz-json-1.1',
      );
      return;
    }
    if (service === 'eks') {
      res.writeHead(error.status, {
        'content-type': 'application/json',
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': error.code,
      });
      res.end(JSON.stringify({ ...error.members, message: error.message }));
      return;
    }
    const presignedJson =
      req.method === 'GET' &&
      qs &&
      /application\/json/.test(String(req.headers.accept ?? ''));
    if (presignedJson) {
      this.sendJson(
        res,
        error.status,
        {
          Error: {
            Code: error.code,
            Message: error.message,
            Type: error.status >= 500 ? 'Receiver' : 'Sender',
          },
          RequestId: requestId,
        },
        requestId,
      );
      return;
    }
    res.writeHead(error.status, {
      'content-type': 'text/xml',
      'x-amzn-RequestId': requestId,
    });
    res.end(
      queryErrorXml(
        service,
        error.code,
        error.status,
        error.message,
        requestId,
      ),
    );
  }
}
