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
 * The sandbox in a child process, for the benchmark: the bench process then
 * holds only the plugin's services, so its RSS is the plugin's own. The
 * parent sends the generated scenario over IPC (no file is written) and
 * drives the counters and faults the same way.
 *
 * Run as a child: node -r sucrase/register/ts bench/sandboxProcess.ts
 */

import { fork, type ChildProcess } from 'node:child_process';
import type {
  CallFilter,
  RunningSandbox,
  SandboxFaults,
  SandboxScenario,
} from '@eks-access/plugin-eks-access-sandbox';

/** What the benchmark needs of a sandbox, answered by the child process. */
export interface ChildSandbox {
  endpoint: string;
  /** Long-term keys, fetched at start for the principals named then. */
  credentialsFor(principalArn: string): {
    accessKeyId: string;
    secretAccessKey: string;
  };
  calls(filter?: CallFilter): Promise<number>;
  /** Of those, the attempts the throttle faults refused. */
  throttledCalls(filter?: CallFilter): Promise<number>;
  resetCalls(): Promise<void>;
  setFaults(faults: SandboxFaults): Promise<void>;
  stop(): Promise<void>;
}

type Request =
  | {
      id: number;
      method: 'start';
      scenario: SandboxScenario;
      keysFor: string[];
    }
  | { id: number; method: 'calls'; filter?: CallFilter }
  | { id: number; method: 'throttledCalls'; filter?: CallFilter }
  | { id: number; method: 'resetCalls' }
  | { id: number; method: 'setFaults'; faults: SandboxFaults }
  | { id: number; method: 'stop' };

type Reply = { id: number; result?: unknown; error?: string };

/** Starts the sandbox for `scenario` in a child process. */
export async function startChildSandbox(
  scenario: SandboxScenario,
  keysFor: string[],
): Promise<ChildSandbox> {
  const child = fork(__filename, [], {
    execArgv: ['-r', 'sucrase/register/ts'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (reply: Reply) => void>();
  child.on('message', (reply: Reply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const call = (request: Omit<Request, 'id'>): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, reply =>
        reply.error ? reject(new Error(reply.error)) : resolve(reply.result),
      );
      child.send({ ...request, id });
    });
  const started: {
    endpoint: string;
    keys: Record<string, { accessKeyId: string; secretAccessKey: string }>;
  } = await call({ method: 'start', scenario, keysFor });
  return {
    endpoint: started.endpoint,
    credentialsFor(principalArn) {
      const keys = started.keys[principalArn];
      if (!keys) throw new Error(`No keys fetched for ${principalArn}`);
      return keys;
    },
    calls: filter => call({ method: 'calls', filter }),
    throttledCalls: filter => call({ method: 'throttledCalls', filter }),
    resetCalls: () => call({ method: 'resetCalls' }),
    setFaults: faults => call({ method: 'setFaults', faults }),
    async stop() {
      await call({ method: 'stop' });
      await exited(child);
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** The child's side: serves the parent's requests. */
async function serve() {
  // loaded only in the child, so the parent never holds the sandbox
  const { startSandbox } = await import(
    '@eks-access/plugin-eks-access-sandbox'
  );
  let sandbox: RunningSandbox | undefined;
  // the bench ended or was stopped: the sandbox's listeners must not outlive it
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (request: Request) => {
    const reply = (result?: unknown) =>
      process.send!({ id: request.id, result } satisfies Reply);
    try {
      switch (request.method) {
        case 'start':
          sandbox = await startSandbox({
            scenario: request.scenario,
            port: 0,
            kubePortBase: 0,
          });
          reply({
            endpoint: sandbox.endpoint,
            keys: Object.fromEntries(
              request.keysFor.map(arn => [arn, sandbox!.credentialsFor(arn)]),
            ),
          });
          return;
        case 'calls':
          reply(sandbox!.calls(request.filter));
          return;
        case 'throttledCalls':
          reply(sandbox!.throttledCalls(request.filter));
          return;
        case 'resetCalls':
          sandbox!.resetCalls();
          reply();
          return;
        case 'setFaults':
          sandbox!.setFaults(request.faults);
          reply();
          return;
        case 'stop':
          await sandbox?.stop();
          reply();
          process.disconnect();
          return;
        default:
          throw new Error('unknown request');
      }
    } catch (error) {
      process.send!({
        id: request.id,
        error: String((error as Error)?.stack ?? error),
      } satisfies Reply);
    }
  });
}

if (require.main === module) {
  serve();
}
