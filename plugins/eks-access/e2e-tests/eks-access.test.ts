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
 * Browser test of the EKS Access card and the "My EKS access" page against
 * the started app on the sandbox, as Dana Developer of the demo scenario
 * (docs/demo-scenario.md). Run by the repository's Playwright config, which
 * provides the baseURL; screenshots go to <repo>/e2e-screenshots/.
 */

import { test, expect, Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expectNoAxeViolations } from './accessibility';

const screenshotDir = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'e2e-screenshots',
);

/** The caller ARN of Dana's SSO role session and her IAM user. */
const danaSso =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';
const danaUser = 'arn:aws:iam::444455556666:user/engineering/dana';

/** The real names of the 13 demo clusters. */
const demoClusters = [
  'payments-prod',
  'payments-staging',
  'Data-Lake_01',
  'checkout-dev',
  'legacy-batch',
  'analytics',
  'ml-training',
  'search-prod',
  'edge-gateway',
  'platform-tools',
  'docs-site',
  'ci-runners',
  'reporting',
];

async function signInAsDana(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: /Dana Developer/ }).click();
  // The sidebar's own <nav> has no box Playwright calls visible; its links do.
  await expect(page.getByRole('link', { name: /My EKS access/ })).toBeVisible();
}

function identitySection(page: Page, callerArn: string): Locator {
  return page.locator(`section[data-identity-arn="${callerArn}"]`).first();
}

/** The card around an identity section (the nearest MUI card). */
function cardOf(section: Locator): Locator {
  return section.locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " MuiCard-root ")][1]',
  );
}

async function saveScreenshot(
  target: Page | Locator,
  name: string,
  options: { fullPage?: boolean } = {},
) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, name);
  await target.screenshot({ path: file, ...options });
  // eslint-disable-next-line no-console
  console.log(`screenshot: ${file}`);
}

test.describe('EKS Access as Dana Developer', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsDana(page);
  });

  test('payments-prod: allowed via an access entry', async ({ page }) => {
    await page.goto('/catalog/default/resource/payments-prod');

    const sso = identitySection(page, danaSso);
    await expect(sso).toBeVisible();
    await expect(sso).toContainText(/Allowed( as .+)? via access entry/);
    await expect(sso.getByText('Connect with kubectl')).toBeVisible();
    await expect(sso).toContainText(
      'aws eks update-kubeconfig --name payments-prod',
    );
    await expect(sso).toContainText('AmazonEKSViewPolicy');

    const user = identitySection(page, danaUser);
    await expect(user).toContainText('Denied');

    const card = cardOf(sso);
    await expect(card.getByText('You can reach this cluster')).toBeVisible();
    await expect(card).toContainText('us-east-1');
    await expect(card).toContainText(/checked (just now|\d+ (s|min) ago)/);

    await card.scrollIntoViewIfNeeded();
    await saveScreenshot(card, 'eks-access-card-payments-prod.png');
    await expectNoAxeViolations(page, 'card, allowed (payments-prod)');

    // "Check another identity": a disclosure; an empty check is invalid.
    const disclosure = card.getByRole('button', {
      name: 'Check another identity',
    });
    await expect(disclosure).toHaveAttribute('aria-expanded', 'false');
    await disclosure.click();
    await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    const pasted = card.getByRole('textbox', { name: /IAM ARN/ });
    await expect(pasted).toBeFocused();
    await card.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(pasted).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page, 'card, check another identity invalid');
    await pasted.fill(danaUser);
    await card.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(
      card.getByRole('heading', { name: 'Result for the pasted identity' }),
    ).toBeVisible();
    await expectNoAxeViolations(page, 'card, check another identity result');
  });

  test('payments-staging: denied, aws-auth names the role with its path, with the fix', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/eks-payments-staging');

    const sso = identitySection(page, danaSso);
    await expect(sso).toBeVisible();
    await expect(sso).toContainText('Denied');

    const finding = sso.locator(
      'li[data-finding-code="AWS_AUTH_ROLE_ARN_HAS_PATH"]',
    );
    await expect(finding).toBeVisible();
    await expect(finding).toContainText(
      'aws-auth names the role with its path',
    );
    // The one plan maps the role ARN without its path, with a copy button.
    const plan = sso.getByTestId('fix-plan');
    await expect(plan).toHaveCount(1);
    await expect(plan.getByRole('tabpanel')).toContainText(
      'arn:aws:iam::111122223333:role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
    );
    await expect(plan.getByRole('button', { name: 'Copy text' })).toBeVisible();

    const card = cardOf(sso);
    await expect(card.getByText('You cannot reach this cluster')).toBeVisible();
    await card.scrollIntoViewIfNeeded();
    await saveScreenshot(card, 'eks-access-card-payments-staging.png');
    await expectNoAxeViolations(
      page,
      'card, denied with a fix (payments-staging)',
    );
  });

  test('reporting: the stale entry is only deleted, never recreated over aws-auth', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/reporting');
    const user = identitySection(page, danaUser);
    await expect(user).toContainText(/Allowed as dana via aws-auth/);
    await expect(
      user.locator('li[data-finding-code="ACCESS_ENTRY_STALE"]'),
    ).toBeVisible();
    const plan = user.getByTestId('fix-plan');
    await expect(plan).toHaveCount(1);
    await expect(plan).toContainText('Do not recreate it');
    await expect(plan.getByRole('tabpanel')).toContainText(
      'aws eks delete-access-entry',
    );
    await expect(plan.getByRole('tabpanel')).not.toContainText(
      'create-access-entry',
    );
    await saveScreenshot(cardOf(user), 'eks-access-card-reporting.png');
  });

  test('Data-Lake_01: one plan with one create-access-entry', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/data-lake_01');
    const user = identitySection(page, danaUser);
    await expect(user).toContainText('Denied');
    const plan = user.getByTestId('fix-plan');
    await expect(plan).toHaveCount(1);
    const text = (await plan.getByRole('tabpanel').textContent()) ?? '';
    expect(text.match(/create-access-entry/g)).toHaveLength(1);
    expect(text).toContain('--kubernetes-groups data-readers');
    // NOT_MAPPED is collapsed, without a second fix.
    await expect(user.getByText(/Other findings \(\d+\)/)).toBeVisible();
  });

  test('legacy-batch: repair the YAML before mapping; cluster findings once', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/eks-legacy-batch');
    const user = identitySection(page, danaUser);
    await expect(user).toContainText('Denied');
    const steps = user.getByRole('list', { name: 'Steps, in order' });
    await expect(steps.locator('li').first()).toContainText(
      'Repair the YAML of aws-auth mapUsers',
    );
    const plan = user.getByTestId('fix-plan');
    await plan.getByRole('tab', { name: 'Terraform' }).click();
    await expect(plan.getByRole('tabpanel')).toContainText(
      'kubernetes_config_map_v1_data',
    );
    // Shown once for the cluster, not under each identity.
    const card = cardOf(user);
    await expect(
      card.locator('li[data-finding-code="AWS_AUTH_PARSE_ERROR"]'),
    ).toHaveCount(1);
    await saveScreenshot(card, 'eks-access-card-legacy-batch.png');
    await expectNoAxeViolations(
      page,
      'card, plan with a YAML repair, Terraform tab (legacy-batch)',
    );
  });

  test('analytics: the shared SSO role keeps {{SessionName}}', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/analytics');
    const sso = identitySection(page, danaSso);
    await expect(sso).toContainText('Denied');
    const plan = sso.getByTestId('fix-plan');
    await expect(plan).toHaveCount(1);
    await expect(plan.getByRole('tabpanel')).toContainText(
      'assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/{{SessionName}}',
    );
    await expect(plan.getByRole('tabpanel')).not.toContainText(
      'username: dana\n',
    );
  });

  test('My EKS access lists all 13 demo clusters', async ({ page }) => {
    await page.goto('/eks-access');

    // The page's nav item.
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: /My EKS access/ }),
    ).toBeVisible();
    for (const cluster of demoClusters) {
      await expect(
        page.getByRole('link', { name: cluster, exact: true }),
      ).toBeVisible();
    }
    await expect(page.getByText('Clusters (13)')).toBeVisible();
    await expect(page.getByRole('main')).toBeVisible();
    // Denied rows say why and offer the way in.
    const stagingRow = page.getByRole('row').filter({
      has: page.getByRole('link', { name: 'payments-staging', exact: true }),
    });
    await expect(stagingRow).toContainText(
      'aws-auth names the role with its path',
    );
    await expect(
      stagingRow.getByRole('link', {
        name: 'Request access to payments-staging',
      }),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'payments-staging', exact: true }),
    ).toHaveAttribute(
      'href',
      /\/catalog\/default\/resource\/eks-payments-staging$/,
    );

    // The payments-prod row says how Dana gets in.
    const prodRow = page.getByRole('row').filter({
      has: page.getByRole('link', { name: 'payments-prod', exact: true }),
    });
    await expect(prodRow).toContainText('Allowed');
    await expect(prodRow).toContainText('access entry');

    await saveScreenshot(page, 'eks-access-page.png', { fullPage: true });
    await expectNoAxeViolations(page, 'My EKS access page');

    // Filtered down to nothing: the empty state.
    await page.getByRole('searchbox', { name: 'Search clusters' }).fill('zzz');
    await expect(
      page.getByText('No clusters match these filters.'),
    ).toBeVisible();
    await expectNoAxeViolations(page, 'My EKS access page, no match');
  });
});
