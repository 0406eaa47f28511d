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
 * Browser test of "Verify the identity my kubectl uses" on the demo: Dana
 * starts the verification on payments-staging, her machine runs the command
 * (here: the same presigned token `aws eks get-token` makes, signed with her
 * IAM user's sandbox keys against the e2e sandbox's STS on :4566), she pastes
 * the output and sees the verified identity and its verdict.
 */

import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './accessibility';
import fs from 'node:fs';
import path from 'node:path';
// Browser-test-only: the token is made exactly as the backend makes its own,
// with the sandbox's demo keys; neither is a public API of those packages.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { createEksBearerToken } from '../../eks-access-backend/src/aws/eksBearerToken';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { derivedAccessKey } from '../../eks-access-sandbox/src/state/SandboxState';

const danaUser = 'arn:aws:iam::444455556666:user/engineering/dana';

test('Dana verifies her kubectl identity on payments-staging', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Dana Developer' }).click();
  await page.goto('/catalog/default/resource/eks-payments-staging');

  await page
    .getByRole('button', { name: 'Verify the identity my kubectl uses' })
    .click();
  const form = page.getByRole('form', {
    name: 'Verify the identity my kubectl uses',
  });
  const command = await form.locator('code, pre').first().innerText();
  const clusterId = /--cluster-name (eks-access-proof-[0-9a-f]{32})/.exec(
    command,
  )?.[1];
  expect(clusterId).toBeDefined();

  // What `aws eks get-token --cluster-name <clusterId> --output json` prints.
  const token = await createEksBearerToken({
    clusterName: clusterId!,
    partition: 'aws',
    region: 'us-east-1',
    credentials: derivedAccessKey(danaUser),
    stsEndpoint: 'http://localhost:4566',
  });
  const output = JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    spec: {},
    status: { expirationTimestamp: new Date().toISOString(), token },
  });
  await expectNoAxeViolations(page, 'card, verify kubectl identity form');
  await form
    .getByRole('textbox', {
      name: 'Output of the command, or its k8s-aws-v1. token',
    })
    .fill(output);
  await form.getByRole('button', { name: 'Verify' }).click();

  const heading = page.getByRole('heading', {
    name: /kubectl on your machine is using:/,
  });
  await expect(heading).toContainText(`${danaUser} (verified)`);
  await expect(
    page.getByText('This is your identity IAM user engineering/dana', {
      exact: false,
    }),
  ).toBeVisible();
  await expect(
    page.getByText('This identity is not mapped in this cluster', {
      exact: false,
    }),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'card, verified kubectl identity');
  // The token is nowhere on the page.
  expect(await page.content()).not.toContain(token.slice(11, 80));

  const dir = path.resolve(__dirname, '..', '..', '..', 'e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await heading
    .locator('xpath=ancestor::section[1]')
    .screenshot({ path: path.join(dir, 'verify-kubectl-identity.png') });
});
