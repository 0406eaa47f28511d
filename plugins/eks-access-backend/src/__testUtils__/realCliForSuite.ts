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
 * The real `kubectl` and AWS CLI for the suites that prove a story with
 * them: a missing tool fails the suite with its name (CI installs both, see
 * scripts/test-all.sh), and every tool runs in a home of its own, with the
 * profiles and contexts scripts/sandbox-profiles.mjs generates, never
 * ~/.aws or ~/.kube.
 */

import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROFILES_SCRIPT = path.resolve(
  __dirname,
  '../../../../scripts/sandbox-profiles.mjs',
);

/** A tool's exit code and output; a non-zero exit is an answer, not an error. */
export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Registers, in the calling suite, a `beforeAll` that checks the tools are
 * on PATH and makes the tools' home, and an `afterAll` that removes it.
 */
export function realCliForSuite(options: {
  /** Names the suite in the message when a tool is missing. */
  suite: string;
  tools: string[];
  /** Prefix of the temporary home's name. */
  homePrefix: string;
  /** How long one tool may run. */
  timeoutMs: number;
}) {
  let dir: string | undefined;
  beforeAll(() => {
    for (const name of options.tools) {
      const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
      if (!found) {
        throw new Error(
          `The ${options.suite} needs the real \`${name}\` on PATH, and it is missing. Install it (scripts/test-all.sh does in CI) and run again.`,
        );
      }
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), options.homePrefix));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const home = () => {
    if (!dir) throw new Error('The tools’ home is made in beforeAll');
    return dir;
  };

  /** The environment every tool runs in: only the generated files. */
  const toolEnv = (extra: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    // pyenv's shim for `aws` finds its Python through PYENV_ROOT (else $HOME).
    ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    HOME: home(),
    AWS_CONFIG_FILE: path.join(home(), 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home(), 'no-credentials'),
    KUBECONFIG: path.join(home(), 'kubeconfig'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });

  return {
    /** The tools' home (HOME, the AWS config, the default kubeconfig). */
    home,
    /** Runs a tool in that home; `env` adds or overrides variables. */
    async tool(
      command: string,
      args: string[],
      env: Record<string, string> = {},
    ): Promise<CliResult> {
      try {
        const { stdout, stderr } = await run(command, args, {
          env: toolEnv(env),
          timeout: options.timeoutMs,
        });
        return { code: 0, stdout, stderr };
      } catch (error: any) {
        if (typeof error.code !== 'number') throw error;
        return {
          code: error.code as number,
          stdout: String(error.stdout),
          stderr: String(error.stderr),
        };
      }
    },
    /**
     * The profiles and contexts a newcomer would generate for these demo
     * people (`sandbox-<person>` profiles, `<person>@<cluster>` contexts).
     */
    generateSandboxProfiles(endpoint: string, people: string[]) {
      return run(
        process.execPath,
        [
          PROFILES_SCRIPT,
          '--out',
          home(),
          '--endpoint',
          endpoint,
          '--people',
          people.join(','),
        ],
        { timeout: 30_000 },
      );
    },
  };
}
