#!/usr/bin/env node
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

// Writes AWS CLI profiles and kubectl contexts for the sandbox's demo people
// (Dana, Sam, Alex) into a directory, so the real `aws` and `kubectl` can be
// used against a running sandbox without touching ~/.aws or ~/.kube:
//
//   node scripts/sandbox-profiles.mjs --out /tmp/eks-sandbox [--endpoint http://127.0.0.1:4566]
//   export AWS_CONFIG_FILE=/tmp/eks-sandbox/aws-config KUBECONFIG=/tmp/eks-sandbox/kubeconfig
//   kubectl --context dana@ml-training get pods -n training
//
// Profiles `sandbox-<person>` get their role session from the sandbox-only
// `GET /__sandbox/credentials/<person>` (via credential_process, which this
// same script serves with `--credentials <person>`). Contexts are
// `<person>@<cluster>` for every cluster of the scenario; their exec plugin
// is `aws eks get-token` with the person's profile.

import fs from 'node:fs';
import path from 'node:path';

const PEOPLE = ['dana', 'sam', 'alex'];
const USAGE =
  'Usage: node scripts/sandbox-profiles.mjs --out DIR [--endpoint URL] [--people dana,sam,alex]\n' +
  '       node scripts/sandbox-profiles.mjs --credentials PERSON [--endpoint URL]';

function parse(argv) {
  const options = { endpoint: 'http://127.0.0.1:4566', people: PEOPLE };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      if (argv[i + 1] === undefined)
        throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--out':
        options.out = path.resolve(value());
        break;
      case '--endpoint':
        options.endpoint = value().replace(/\/+$/, '');
        break;
      case '--people':
        options.people = value().split(',');
        break;
      case '--credentials':
        options.credentials = value();
        break;
      default:
        throw new Error(`Unknown argument ${argv[i]}`);
    }
  }
  if (!options.out && !options.credentials)
    throw new Error('--out is required');
  return options;
}

async function getJson(url) {
  const res = await fetch(url);
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body}`);
  return JSON.parse(body);
}

function yamlString(s) {
  return JSON.stringify(s);
}

function awsConfig(endpoint, people) {
  const self = path.resolve(new URL(import.meta.url).pathname);
  return people
    .map(person =>
      [
        `[profile sandbox-${person}]`,
        'region = us-east-1',
        `endpoint_url = ${endpoint}`,
        `credential_process = ${process.execPath} ${self} --credentials ${person} --endpoint ${endpoint}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

function kubeconfig(clusters, people, awsConfigFile) {
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
  ];
  for (const c of clusters) {
    lines.push(
      `- name: ${yamlString(c.arn)}`,
      '  cluster:',
      `    server: ${yamlString(c.endpoint)}`,
      `    certificate-authority-data: ${Buffer.from(c.caCertPem).toString(
        'base64',
      )}`,
    );
  }
  lines.push('users:');
  for (const person of people) {
    for (const c of clusters) {
      lines.push(
        `- name: ${yamlString(`${person}@${c.name}`)}`,
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      command: aws',
        '      args: [--region, ' +
          `${yamlString(
            c.region,
          )}, eks, get-token, --cluster-name, ${yamlString(
            c.name,
          )}, --output, json]`,
        '      env:',
        `      - { name: AWS_PROFILE, value: ${yamlString(
          `sandbox-${person}`,
        )} }`,
        `      - { name: AWS_CONFIG_FILE, value: ${yamlString(
          awsConfigFile,
        )} }`,
        '      interactiveMode: Never',
        '      provideClusterInfo: false',
      );
    }
  }
  lines.push('contexts:');
  for (const person of people) {
    for (const c of clusters) {
      const name = `${person}@${c.name}`;
      lines.push(
        `- name: ${yamlString(name)}`,
        '  context:',
        `    cluster: ${yamlString(c.arn)}`,
        `    user: ${yamlString(name)}`,
      );
    }
  }
  lines.push(
    `current-context: ${yamlString(`${people[0]}@${clusters[0]?.name ?? ''}`)}`,
  );
  return `${lines.join('\n')}\n`;
}

async function main() {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.credentials) {
    const creds = await getJson(
      `${options.endpoint}/__sandbox/credentials/${encodeURIComponent(
        options.credentials,
      )}`,
    );
    process.stdout.write(JSON.stringify(creds));
    return;
  }
  const state = await getJson(`${options.endpoint}/__sandbox/state`);
  const clusters = state.clusters.filter(c => c.endpoint);
  fs.mkdirSync(options.out, { recursive: true });
  const awsConfigFile = path.join(options.out, 'aws-config');
  fs.writeFileSync(awsConfigFile, awsConfig(options.endpoint, options.people), {
    mode: 0o600,
  });
  const kubeconfigFile = path.join(options.out, 'kubeconfig');
  fs.writeFileSync(
    kubeconfigFile,
    kubeconfig(clusters, options.people, awsConfigFile),
    { mode: 0o600 },
  );
  process.stdout.write(
    `Wrote ${awsConfigFile} (profiles ${options.people
      .map(p => `sandbox-${p}`)
      .join(', ')}) and ${kubeconfigFile} (${
      clusters.length * options.people.length
    } contexts, <person>@<cluster>).\n` +
      `export AWS_CONFIG_FILE=${awsConfigFile} KUBECONFIG=${kubeconfigFile}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
