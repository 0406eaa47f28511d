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
import path from 'node:path';
import { parse } from 'yaml';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { SandboxScenario } from './types';
import { CLUSTER_LOG_TYPES } from '../cloudwatch/authenticatorLog';

function bundledScenarioPath(name: string): string | undefined {
  const file = resolvePackagePath(
    '@eks-access/plugin-eks-access-sandbox',
    'scenarios',
    `${name}.yaml`,
  );
  return fs.existsSync(file) ? file : undefined;
}

/**
 * Checks the shape of a parsed scenario and throws an error naming the first
 * problem found.
 */
export function validateScenario(scenario: unknown): SandboxScenario {
  const s = scenario as SandboxScenario;
  const fail = (message: string): never => {
    throw new Error(`Invalid sandbox scenario: ${message}`);
  };
  if (!s || typeof s !== 'object') fail('not an object');
  if (!Array.isArray(s.accounts) || s.accounts.length === 0) {
    fail('accounts must be a non-empty list');
  }
  const accountIds = new Set<string>();
  for (const account of s.accounts) {
    if (!/^\d{12}$/.test(String(account?.id))) {
      fail(`account id ${JSON.stringify(account?.id)} is not 12 digits`);
    }
    accountIds.add(String(account.id));
  }
  for (const role of s.iam?.roles ?? []) {
    if (!/^arn:[^:]+:iam::\d{12}:role\/.+/.test(role?.arn ?? '')) {
      fail(`role ARN ${JSON.stringify(role?.arn)} is not an IAM role ARN`);
    }
  }
  for (const user of s.iam?.users ?? []) {
    if (!/^arn:[^:]+:iam::\d{12}:user\/.+/.test(user?.arn ?? '')) {
      fail(`user ARN ${JSON.stringify(user?.arn)} is not an IAM user ARN`);
    }
  }
  const seen = new Set<string>();
  for (const cluster of s.clusters ?? []) {
    if (!cluster?.name || !/^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(cluster.name)) {
      fail(`cluster name ${JSON.stringify(cluster?.name)} is invalid`);
    }
    if (!accountIds.has(String(cluster.account))) {
      fail(`cluster ${cluster.name}: account ${cluster.account} is not listed`);
    }
    if (!cluster.region) fail(`cluster ${cluster.name}: region is missing`);
    const key = `${cluster.account}/${cluster.region}/${cluster.name}`;
    if (seen.has(key)) fail(`cluster ${key} is listed twice`);
    seen.add(key);
    const mode = cluster.authenticationMode ?? 'CONFIG_MAP';
    if (!['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'].includes(mode)) {
      fail(`cluster ${cluster.name}: unknown authenticationMode ${mode}`);
    }
    if (mode === 'CONFIG_MAP' && cluster.accessEntries?.length) {
      fail(`cluster ${cluster.name}: access entries need an API mode`);
    }
    for (const type of cluster.logging ?? []) {
      if (!(CLUSTER_LOG_TYPES as readonly string[]).includes(type)) {
        fail(`cluster ${cluster.name}: unknown log type ${type}`);
      }
    }
    for (const [key2, value] of Object.entries(cluster.awsAuth?.data ?? {})) {
      if (typeof value !== 'string') {
        fail(
          `cluster ${cluster.name}: aws-auth data.${key2} must be a string (a ConfigMap holds strings)`,
        );
      }
    }
  }
  return s;
}

/**
 * Loads a scenario: `demo` (or another bundled name) or the path of a YAML file.
 *
 * @public
 */
export function loadScenario(pathOrName: string): SandboxScenario {
  const file =
    !pathOrName.includes('/') && !pathOrName.endsWith('.yaml')
      ? bundledScenarioPath(pathOrName)
      : path.resolve(pathOrName);
  if (!file || !fs.existsSync(file)) {
    throw new Error(`Sandbox scenario not found: ${pathOrName}`);
  }
  const parsed = parse(fs.readFileSync(file, 'utf8'), {
    // Keep 12-digit account ids and dates as the strings they are written as.
    schema: 'core',
  });
  return validateScenario(parsed);
}
