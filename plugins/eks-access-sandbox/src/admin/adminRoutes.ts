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
import { CallCounters, CallFilter } from '../faults/CallCounters';
import { FaultInjector } from '../faults/FaultInjector';
import { SandboxFaults } from '../scenario/types';
import { SandboxStateView } from '../state/stateView';
import type { SandboxSessionCredentials } from '../startSandbox';
import { credentialProcessOutput, DEMO_PEOPLE } from './demoPeople';

export const ADMIN_PREFIX = '/__sandbox/';

/**
 * The admin API for tests and demos (bound to the sandbox's own address):
 * `GET|PUT|DELETE /__sandbox/faults`, `POST /__sandbox/faults/reset` (back to the scenario's faults), `GET|DELETE /__sandbox/calls` (filters as query
 * parameters), `POST /__sandbox/calls/reset`, `GET /__sandbox/state`, `GET /__sandbox/health`,
 * `GET /__sandbox/credentials/<dana|sam|alex>` (a demo person's role session,
 * for the AWS CLI's `credential_process`). It returns no secrets but those
 * sandbox-only session keys.
 */
export function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deps: {
    faults: FaultInjector;
    scenarioFaults: SandboxFaults;
    counters: CallCounters;
    view: SandboxStateView;
    region: string;
    /** Issues a role session (the demo people's credentials); absent = route disabled. */
    issueSession?: (
      roleArn: string,
      sessionName: string,
    ) => SandboxSessionCredentials;
  },
) {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const path = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  const send = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  if (path === 'health' && method === 'GET')
    return send(200, { status: 'ok', region: deps.region });
  if (path === 'faults') {
    if (method === 'GET') return send(200, deps.faults.get());
    if (method === 'PUT') {
      let faults: SandboxFaults;
      try {
        faults = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return send(400, { error: 'body must be JSON' });
      }
      deps.faults.set(faults);
      return send(200, deps.faults.get());
    }
    if (method === 'DELETE') {
      deps.faults.set({});
      return send(200, {});
    }
  }
  if (path === 'faults/reset' && method === 'POST') {
    deps.faults.set(deps.scenarioFaults);
    return send(200, deps.faults.get());
  }
  if (path === 'calls') {
    const filter: CallFilter = {};
    for (const key of ['service', 'operation', 'cluster', 'account'] as const) {
      const value = url.searchParams.get(key);
      if (value) (filter as Record<string, string>)[key] = value;
    }
    if (method === 'GET') {
      return send(200, {
        total: deps.counters.count(filter),
        throttled: deps.counters.throttled(filter),
        counters: deps.counters.list(filter),
      });
    }
    if (method === 'DELETE') {
      deps.counters.reset();
      return send(200, { total: 0 });
    }
  }
  if (path === 'calls/reset' && method === 'POST') {
    deps.counters.reset();
    return send(200, { total: 0 });
  }
  // Sandbox-only: a demo person's session credentials, in the AWS CLI's
  // credential_process format (fake keys that only this sandbox accepts).
  const person = /^credentials\/([a-z]+)$/.exec(path)?.[1];
  if (person && method === 'GET' && deps.issueSession) {
    const who = DEMO_PEOPLE[person];
    if (!who || !deps.view.principals().some(p => p.arn === who.roleArn)) {
      return send(404, {
        error: `no demo person ${person} in this scenario (known: ${Object.keys(
          DEMO_PEOPLE,
        ).join(', ')})`,
      });
    }
    return send(
      200,
      credentialProcessOutput(deps.issueSession(who.roleArn, who.sessionName)),
    );
  }
  if (path === 'state' && method === 'GET') {
    return send(200, {
      clusters: deps.view.listClusters(),
      principals: deps.view.principals(),
    });
  }
  return send(404, { error: `unknown admin route ${method} ${url.pathname}` });
}
