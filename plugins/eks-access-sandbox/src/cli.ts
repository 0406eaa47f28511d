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

/**
 * The sandbox's command line (`eks-access-sandbox`), for teams that start it
 * from their own scripts.
 *
 * @packageDocumentation
 */

import { startSandbox, StartSandboxOptions } from './startSandbox';

const USAGE = `Usage: eks-access-sandbox [--port 4566] [--host 127.0.0.1] [--scenario demo|path.yaml]
                          [--kube-port-base 4600] [--state-file path.json] [--quiet]`;

/**
 * Parses the CLI arguments; throws with the usage text on a bad argument.
 * Exported for its tests; the CLI's contract is its usage text.
 *
 * @internal
 */
export function parseArguments(
  argv: string[],
): StartSandboxOptions & { quiet: boolean } {
  const options: StartSandboxOptions & { quiet: boolean } = {
    port: 4566,
    kubePortBase: 4600,
    scenario: 'demo',
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const port = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new Error(`${flag} must be a port number\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = port();
        break;
      case '--kube-port-base':
        options.kubePortBase = port();
        break;
      case '--host':
        options.host = value();
        break;
      case '--scenario':
        options.scenario = value();
        break;
      case '--state-file':
        options.stateFile = value();
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`Unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return options;
}

/**
 * The CLI entry point (`eks-access-sandbox`, and the package's `./cli` export
 * that the installed bin runs).
 *
 * @public
 */
export async function main(argv: string[]): Promise<void> {
  let options: ReturnType<typeof parseArguments>;
  try {
    options = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = (line: string) =>
    process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const sandbox = await startSandbox({
    ...options,
    log: options.quiet ? undefined : log,
  });
  log(`AWS endpoint ${sandbox.endpoint} (default region ${sandbox.region})`);
  for (const cluster of sandbox.state.listClusters()) {
    log(
      `  ${cluster.account} ${cluster.region} ${cluster.name} ${cluster.authenticationMode} -> ${cluster.endpoint}`,
    );
  }
  const shutdown = () => {
    sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
