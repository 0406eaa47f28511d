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

import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdminRequest } from './admin/adminRoutes';
import { AwsEndpoint, readBody } from './aws/AwsEndpoint';
import { IdentityCenterDirectory } from './aws/identitycenter/IdentityCenterDirectory';
import { CallCounters, CallFilter } from './faults/CallCounters';
import { FaultInjector } from './faults/FaultInjector';
import { KubeApiServer } from './kube/KubeApiServer';
import { loadScenario, validateScenario } from './scenario/loadScenario';
import { SandboxFaults, SandboxScenario } from './scenario/types';
import { PersistedSandboxState, SandboxState } from './state/SandboxState';
import { createStateView, SandboxStateView } from './state/stateView';
import type { CredentialRecord } from './state/model';

/**
 * Options of {@link startSandbox}.
 *
 * @public
 */
export interface StartSandboxOptions {
  /** `demo` (default), the path of a scenario YAML file, or a parsed scenario. */
  scenario?: 'demo' | string | SandboxScenario;
  /** AWS endpoint port; 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** First port of the per-cluster Kubernetes API listeners (in scenario order); 0/undefined = free ports. */
  kubePortBase?: number;
  /** Persists mutations (access entries, aws-auth, sessions, CAs) across restarts. */
  stateFile?: string;
  /** Receives one line per request; no secrets or tokens are logged. */
  log?: (line: string) => void;
}

/**
 * Temporary credentials for a role session.
 *
 * @public
 */
export interface SandboxSessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * A running sandbox.
 *
 * @public
 */
export interface RunningSandbox {
  /** e.g. `http://127.0.0.1:43567`: EKS, STS and IAM all answer here. */
  endpoint: string;
  /** The scenario's default region. */
  region: string;
  /** Long-term keys of a scenario IAM user; throws for unknown principals. */
  credentialsFor(principalArn: string): {
    accessKeyId: string;
    secretAccessKey: string;
  };
  /**
   * Issues session credentials for a scenario role directly (as IAM Identity
   * Center would), without a trust or permission check. For tests and demos.
   */
  issueSessionCredentials(
    roleArn: string,
    sessionName: string,
    durationSeconds?: number,
  ): SandboxSessionCredentials;
  /** Call counters (every request routed to an operation, faulted or not). */
  calls(filter?: CallFilter): number;
  /** Of those, the requests the throttle faults refused. */
  throttledCalls(filter?: CallFilter): number;
  resetCalls(): void;
  /** Replaces the runtime faults (same shape as the scenario's `faults`). */
  setFaults(faults: SandboxFaults): void;
  /** Removes every fault, including the scenario's own (e.g. the demo's unreachable edge-gateway). */
  clearFaults(): void;
  /** Restores the scenario's `faults` section. */
  resetFaults(): void;
  /** Read-only view for test assertions. */
  state: SandboxStateView;
  stop(): Promise<void>;
}

function sessionCredentials(
  record: CredentialRecord,
): SandboxSessionCredentials {
  return {
    accessKeyId: record.accessKeyId,
    secretAccessKey: record.secretAccessKey,
    sessionToken: record.session!.sessionToken,
    expiration: new Date(record.session!.expiration),
  };
}

function readPersisted(
  file: string | undefined,
): PersistedSandboxState | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Starts the sandbox: one HTTP endpoint for EKS, STS, IAM and the admin API,
 * and one HTTPS Kubernetes API per cluster.
 *
 * @public
 */
export async function startSandbox(
  options: StartSandboxOptions = {},
): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const source = options.scenario ?? 'demo';
  const scenario =
    typeof source === 'string'
      ? loadScenario(source)
      : validateScenario(source);
  const state = new SandboxState(scenario, {
    host,
    persisted: readPersisted(options.stateFile),
  });
  if (options.stateFile) {
    const file = options.stateFile;
    state.onChange = () => {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(state.snapshot()));
      fs.renameSync(`${file}.tmp`, file);
    };
  }
  const counters = new CallCounters();
  const faults = new FaultInjector(scenario.faults, Math.random, ctx =>
    counters.recordThrottled(ctx),
  );
  const view = createStateView(state);
  const log = options.log;

  const server = http.createServer();
  const endpointHosts: string[] = [];
  const aws = new AwsEndpoint({
    state,
    faults,
    counters,
    log,
    identityCenter: scenario.identityCenter
      ? new IdentityCenterDirectory(scenario.identityCenter)
      : undefined,
  });
  server.on('request', (req, res) => {
    readBody(req)
      .then(body => {
        if ((req.url ?? '').startsWith(ADMIN_PREFIX)) {
          handleAdminRequest(req, res, body, {
            faults,
            scenarioFaults: scenario.faults ?? {},
            counters,
            view,
            region: state.defaultRegion,
            issueSession: (roleArn, sessionName) =>
              sessionCredentials(
                state.issueSession(roleArn, sessionName, 3600),
              ),
          });
          return undefined;
        }
        return aws.handle(req, res, body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  endpointHosts.push(
    `${hostPart}:${port}`,
    `localhost:${port}`,
    `127.0.0.1:${port}`,
  );

  const kubeServers: KubeApiServer[] = [];
  const stopAll = async () => {
    await Promise.all(kubeServers.map(k => k.stop()));
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  };
  try {
    let index = 0;
    for (const cluster of state.clusters.values()) {
      const kube = new KubeApiServer(cluster, {
        state,
        faults,
        counters,
        log,
        sandboxHosts: () => endpointHosts,
      });
      kubeServers.push(kube);
      await kube.start(
        host,
        options.kubePortBase ? options.kubePortBase + index : 0,
      );
      index += 1;
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  log?.(
    `eks-access-sandbox ${
      scenario.name ?? ''
    } listening on http://${hostPart}:${port} (${
      state.clusters.size
    } clusters)`,
  );

  let stopped = false;
  return {
    endpoint: `http://${hostPart}:${port}`,
    region: state.defaultRegion,
    credentialsFor(principalArn) {
      const key = [...state.credentials.values()].find(
        c => c.principalArn === principalArn && !c.session,
      );
      if (!key)
        throw new Error(
          `No long-term access key for ${principalArn} in the sandbox scenario`,
        );
      return {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
      };
    },
    issueSessionCredentials(roleArn, sessionName, durationSeconds = 3600) {
      const role = state.principals.get(roleArn);
      if (role?.kind !== 'role')
        throw new Error(`No role ${roleArn} in the sandbox scenario`);
      return sessionCredentials(
        state.issueSession(roleArn, sessionName, durationSeconds),
      );
    },
    calls: filter => counters.count(filter),
    throttledCalls: filter => counters.throttled(filter),
    resetCalls: () => counters.reset(),
    setFaults: f => faults.set(f),
    clearFaults: () => faults.set({}),
    resetFaults: () => faults.set(scenario.faults ?? {}),
    state: view,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
}
