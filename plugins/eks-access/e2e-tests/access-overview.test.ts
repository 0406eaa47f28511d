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
 * Browser test of the admin "Access overview" on the demo scenario: Alex
 * Admin sees every demo cluster with who can get in and the hygiene
 * findings, previews payments-staging's migration ("Equivalent for all N
 * principals") with its Terraform form; axe finds no WCAG 2.1 AA violation.
 * Alex proposes a migration stage, cannot approve it himself, and Priya (the
 * second admin) sees it to approve and rejects it, so the demo cluster is
 * left as it was. Dana (not an admin) is told the page is not for her.
 */

import { test, expect, Browser, Page } from '@playwright/test';
import { expectNoAxeViolations } from './accessibility';

async function signIn(page: Page, name: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await expect(
    page.getByRole('heading', { name: 'Sign in as one of the demo users' }),
  ).toBeHidden();
}

test('Alex sees the access overview and previews a migration', async ({
  page,
}) => {
  await signIn(page, 'Alex Admin');
  await page.goto('/eks-access/overview');
  const clusters = page.getByRole('table', { name: 'Clusters' });
  await expect(clusters.getByText('payments-staging')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByRole('heading', { name: /Hygiene findings/ }),
  ).toBeVisible();
  await expect(page.getByText('CONFIG_MAP_MODE').first()).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: /Who can get in/ })
      .getByText('cluster-creator')
      .first(),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'access overview');

  await page
    .getByRole('button', { name: 'Preview the migration of payments-staging' })
    .click();
  const preview = page.getByRole('region', {
    name: 'Migration preview: payments-staging',
  });
  await expect(
    preview.getByText(/Equivalent for all \d+ principals/),
  ).toBeVisible({
    timeout: 60_000,
  });
  await preview.getByLabel('Render as').selectOption({ label: 'Terraform' });
  await expect(preview.getByText(/aws_eks_access_entry/).first()).toBeVisible();
  await expectNoAxeViolations(page, 'migration preview', {
    include: 'section[aria-labelledby="migration-payments-staging"]',
  });

  // Filter by principal.
  await page.getByLabel('Principal contains').fill('PlatformAdmin');
  await expect(
    page.getByRole('table', { name: /Who can get in/ }).getByText(/priya/),
  ).toHaveCount(0);
});

/** A second browser context: the demo sign-in choice lives in localStorage. */
async function newUserPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: like.viewportSize() ?? { width: 1280, height: 720 },
  });
  return context.newPage();
}

async function openStages(page: Page) {
  await page.goto('/eks-access/overview');
  await page
    .getByRole('button', { name: 'Preview the migration of platform-tools' })
    .click({ timeout: 60_000 });
  const stages = page.getByRole('region', {
    name: 'Migration stages of platform-tools',
  });
  await expect(stages).toBeVisible({ timeout: 60_000 });
  return stages;
}

test('Alex proposes a migration stage, Priya decides it', async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, 'Alex Admin');
  const alexStages = await openStages(page);
  await expect(
    alexStages.getByText('No stage has been proposed for platform-tools yet.'),
  ).toBeVisible({ timeout: 60_000 });
  await alexStages.getByLabel(/^Comment/).fill('e2e: propose, then reject');
  await alexStages.getByRole('button', { name: 'Propose this stage' }).click();
  // Alex may cancel his proposal, never approve it.
  const entries =
    'Create the access entries (switches to API_AND_CONFIG_MAP) on platform-tools';
  await expect(
    alexStages.getByRole('button', { name: `Cancel: ${entries}` }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    alexStages.getByRole('button', { name: `Approve: ${entries}` }),
  ).toHaveCount(0);
  await expectNoAxeViolations(page, 'migration stages', {
    include: 'section[aria-labelledby="proposals-platform-tools"]',
  });

  const priya = await newUserPage(browser, page);
  await signIn(priya, 'Priya Platform');
  const priyaStages = await openStages(priya);
  await expect(
    priyaStages.getByRole('button', { name: `Approve: ${entries}` }),
  ).toBeVisible({ timeout: 60_000 });
  await priyaStages.getByRole('button', { name: `Reject: ${entries}` }).click();
  await expect(priyaStages.getByRole('cell', { name: 'rejected' })).toBeVisible(
    { timeout: 60_000 },
  );
  await priya.context().close();
});

test('Dana is told the access overview is for admins', async ({ page }) => {
  await signIn(page, 'Dana Developer');
  await page.goto('/eks-access/overview');
  await expect(page.getByText(/for EKS access administrators/)).toBeVisible({
    timeout: 60_000,
  });
});
