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
 * Dana (not an admin) is told the page is not for her.
 */

import { test, expect, Page } from '@playwright/test';
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

test('Dana is told the access overview is for admins', async ({ page }) => {
  await signIn(page, 'Dana Developer');
  await page.goto('/eks-access/overview');
  await expect(page.getByText(/for EKS access administrators/)).toBeVisible({
    timeout: 60_000,
  });
});
