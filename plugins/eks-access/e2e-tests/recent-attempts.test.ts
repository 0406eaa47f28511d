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
 * Browser test of "Recent attempts" (issue 19's done-when): Dana's kubectl
 * (her SSO session's token, as `aws eks get-token` makes it) is refused by
 * payments-staging's Kubernetes API; the sandbox writes the authenticator's
 * "access denied" line to CloudWatch Logs, and her card shows the attempt,
 * the ARN presented and the reason.
 */

import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { expectNoAxeViolations } from './accessibility';
// Browser-test-only: the token is made exactly as the backend makes its own;
// not a public API of that package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { createEksBearerToken } from '../../eks-access-backend/src/aws/eksBearerToken';

const SANDBOX = 'http://localhost:4566';
const DANA_ROLE_AS_LOGGED =
  'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

/** What `kubectl get namespaces` sends with Dana's token: the HTTP status. */
async function kubectlAsDana(clusterName: string): Promise<number> {
  const credentials = await (
    await fetch(`${SANDBOX}/__sandbox/credentials/dana`)
  ).json();
  const state = await (await fetch(`${SANDBOX}/__sandbox/state`)).json();
  const cluster = state.clusters.find(
    (c: { name: string }) => c.name === clusterName,
  );
  const token = await createEksBearerToken({
    clusterName,
    partition: 'aws',
    region: 'us-east-1',
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    },
    stsEndpoint: SANDBOX,
  });
  return new Promise((resolve, reject) => {
    https
      .get(
        `${cluster.endpoint}/api/v1/namespaces`,
        {
          ca: cluster.caCertPem,
          headers: { authorization: `Bearer ${token}` },
        },
        res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
      .on('error', reject);
  });
}

test('Dana’s denied kubectl attempt on payments-staging shows on her card', async ({
  page,
}) => {
  test.setTimeout(120_000);
  expect(await kubectlAsDana('payments-staging')).toBe(401);

  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Dana Developer' }).click();
  await page.goto('/catalog/default/resource/eks-payments-staging');

  const section = page.getByRole('region', { name: 'Recent attempts' });
  const attempts = section.getByRole('list', { name: 'Recent attempts' });
  await expect(attempts).toBeVisible({ timeout: 60_000 });
  const latest = attempts.getByRole('listitem').first();
  await expect(latest).toContainText('Denied');
  await expect(latest).toContainText(DANA_ROLE_AS_LOGGED);
  await expect(latest).toContainText('Reason: ARN is not mapped');
  await expect(latest).toContainText(/just now|min ago/);
  await expectNoAxeViolations(page, 'card, recent attempts');

  const dir = path.resolve(__dirname, '..', '..', '..', 'e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await section.screenshot({ path: path.join(dir, 'recent-attempts.png') });

  // A cluster without authenticator logging says so, with the command.
  await page.goto('/catalog/default/resource/analytics');
  const off = page.getByRole('region', { name: 'Recent attempts' });
  await expect(
    off.getByText('Authenticator logging is off on this cluster', {
      exact: false,
    }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(off).toContainText('aws eks update-cluster-config');
  await expectNoAxeViolations(page, 'card, authenticator logging off');
});

test('Alex (admin) sees the recent denials on payments-staging, grouped and explained; Dana does not', async ({
  page,
}) => {
  test.setTimeout(120_000);
  expect(await kubectlAsDana('payments-staging')).toBe(401);

  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Alex Admin' }).click();
  await page.goto('/catalog/default/resource/eks-payments-staging');

  const denials = page.getByTestId('eks-access-recent-denials');
  await expect(
    denials.getByRole('heading', { name: 'Recent denials on this cluster' }),
  ).toBeVisible({ timeout: 60_000 });
  const table = denials.getByRole('table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  const row = table.getByRole('row').filter({ hasText: DANA_ROLE_AS_LOGGED });
  await expect(row).toContainText('ARN is not mapped');
  // aws-auth maps Dana's role with its path: the denial links to that finding
  const link = row.getByRole('link', { name: 'Role path in the mapping' });
  await link.focus();
  await page.keyboard.press('Enter');
  const explanation = denials.locator(
    '[data-finding-code="AWS_AUTH_ROLE_ARN_HAS_PATH"]',
  );
  await expect(explanation).toBeFocused();
  await expectNoAxeViolations(page, 'card, recent denials (admin)');

  const dir = path.resolve(__dirname, '..', '..', '..', 'e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await denials.screenshot({ path: path.join(dir, 'recent-denials.png') });
});

test('the recent denials are hidden from a developer', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Dana Developer' }).click();
  await page.goto('/catalog/default/resource/eks-payments-staging');
  await expect(
    page.getByRole('region', { name: 'Recent attempts' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('eks-access-recent-denials')).toHaveCount(0);
});
