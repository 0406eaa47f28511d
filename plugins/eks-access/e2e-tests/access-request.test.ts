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
 * Browser test of the access-request flow on the demo scenario
 * (docs/demo-scenario.md): Dana Developer, denied on ml-training, asks for
 * the "view" level for her SSO role; Alex Admin approves it on the "Access
 * requests" page; the backend applies the grant to the sandbox's EKS and
 * Dana's card turns allowed. The e2e backend starts from the demo state
 * (in-memory database, fresh sandbox). Screenshots go to
 * <repo>/e2e-screenshots/.
 */

import { test, expect, Browser, Locator, Page } from '@playwright/test';
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

/** Dana's SSO role session, and the role a grant is given to. */
const danaSsoSession =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com';
const danaSsoRole =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';

const reason = 'Investigate the failing nightly training job (e2e)';

async function signIn(page: Page, name: string): Promise<Page> {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  // Signed in: the app's pages replace the demo sign-in page.
  await expect(
    page.getByRole('heading', { name: 'Sign in as one of the demo users' }),
  ).toBeHidden();
  await expect(
    page.getByRole('link', { name: 'Access requests' }).first(),
  ).toBeAttached();
  return page;
}

function identitySection(page: Page, callerArn: string): Locator {
  return page.locator(`section[data-identity-arn="${callerArn}"]`).first();
}

function cardOf(section: Locator): Locator {
  return section.locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " MuiCard-root ")][1]',
  );
}

async function saveScreenshot(target: Page | Locator, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, name);
  await target.screenshot({ path: file });
  // eslint-disable-next-line no-console
  console.log(`screenshot: ${file}`);
}

/**
 * A second browser context for another user (the demo sign-in choice lives
 * in localStorage), with the same base URL and viewport as the test's own.
 */
async function newUserPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: like.viewportSize() ?? { width: 1280, height: 720 },
  });
  return context.newPage();
}

test('Dana requests view on ml-training, Alex approves, Dana gets in', async ({
  browser,
  page,
}) => {
  test.setTimeout(300_000);

  // Dana: denied on ml-training, asks for access.
  const dana = await signIn(page, 'Dana Developer');
  await dana.goto('/catalog/default/resource/ml-training');
  const sso = identitySection(dana, danaSsoSession);
  await expect(sso).toContainText('Denied');
  const card = cardOf(sso);
  await expectNoAxeViolations(dana, 'card, denied (ml-training)');
  await card.getByRole('button', { name: 'Request access' }).click();

  const dialog = dana.getByRole('dialog', {
    name: 'Request access to ml-training',
  });
  await expect(dialog.getByLabel('Access level')).toBeVisible();
  await expectNoAxeViolations(dana, 'request dialog');
  // Submitting without a reason: the form says what is wrong.
  await dialog.getByRole('button', { name: 'Submit request' }).click();
  await expect(
    dialog.getByRole('textbox', { name: /^Reason/ }),
  ).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(dana, 'request dialog, invalid');
  await dialog.getByLabel('Identity').selectOption(danaSsoRole);
  await dialog.getByLabel('Access level').selectOption('view');
  await expect(
    dialog.getByText('Read-only access to workloads, no secrets'),
  ).toBeVisible();
  await dialog.getByRole('radio', { name: 'Whole cluster' }).check();
  await dialog.getByLabel('Duration').selectOption({ label: '1 h' });
  await dialog.getByRole('textbox', { name: /^Reason/ }).fill(reason);
  await saveScreenshot(dialog, 'access-request-dialog.png');
  await dialog.getByRole('button', { name: 'Submit request' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    'Request sent: view on ml-training (whole cluster, 1 h)',
  );
  await expectNoAxeViolations(dana, 'request dialog, sent');
  await dialog.getByRole('button', { name: 'Done' }).click();
  const myRequests = card.getByRole('list', {
    name: 'My requests for this cluster',
  });
  await expect(myRequests).toContainText('Pending approval');
  await expectNoAxeViolations(dana, 'card, request pending');

  // Alex: approves on the Access requests page.
  const alex = await signIn(await newUserPage(browser, dana), 'Alex Admin');
  await alex.goto('/eks-access/requests');
  // The sidebar marks only the current page, though its route is nested
  // under "My EKS access".
  const current = alex
    .getByRole('navigation', { name: 'sidebar nav' })
    .locator('[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveAccessibleName('Access requests');
  await expect(alex.getByRole('main')).toBeVisible();
  await expect(
    alex.getByRole('heading', { level: 2, name: /dana asks for View/ }),
  ).toBeVisible();
  const item = alex.getByRole('article', {
    name: 'dana asks for View on ml-training',
  });
  await expect(item).toContainText(danaSsoRole);
  await expect(item).toContainText(reason);
  await expect(item).toContainText('0 of 1 approval');
  // What approving would change, checked on the cluster's current data.
  const preflight = item.getByRole('region', {
    name: 'What approving changes',
  });
  await expect(preflight).toContainText('Can be applied');
  await expect(preflight).toContainText(
    `Create a STANDARD access entry for ${danaSsoRole}`,
  );
  await expect(preflight).toContainText('Who else is affected: no one');
  await saveScreenshot(alex, 'access-requests-inbox.png');
  await expectNoAxeViolations(alex, 'Access requests, pending inbox');
  // Rejecting needs a comment: the empty form is invalid; then cancel.
  await item.getByRole('button', { name: 'Reject' }).click();
  const reject = alex.getByRole('dialog', { name: 'Reject this request?' });
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expectNoAxeViolations(alex, 'reject dialog, invalid');
  await reject.getByRole('button', { name: 'Close' }).click();
  await expect(reject).toBeHidden();
  await item.getByRole('button', { name: 'Approve' }).click();
  const approve = alex.getByRole('dialog', { name: 'Approve this request?' });
  await expectNoAxeViolations(alex, 'approve dialog');
  await approve
    .getByRole('textbox', { name: 'Comment (optional)' })
    .fill('Approved for the training incident');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(alex.getByRole('status')).toContainText(
    'Approved: dana’s request for View on ml-training',
  );
  await expectNoAxeViolations(alex, 'Access requests, approved notice');
  await alex.getByRole('tab', { name: /Active grants/ }).click();
  await expect(alex.getByRole('tabpanel')).toContainText('ml-training');
  await expectNoAxeViolations(alex, 'Access requests, active grants');
  await alex.getByRole('tab', { name: /History/ }).click();
  await expectNoAxeViolations(alex, 'Access requests, history');

  // Dana: the grant is applied by the scheduled task; the card turns allowed.
  await expect(async () => {
    await dana.reload();
    await expect(identitySection(dana, danaSsoSession)).toContainText(
      /Allowed/,
      { timeout: 15_000 },
    );
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  const allowedSso = identitySection(dana, danaSsoSession);
  await expect(allowedSso).toContainText('AmazonEKSViewPolicy');
  const allowedCard = cardOf(allowedSso);
  await expect(
    allowedCard.getByRole('list', { name: 'My requests for this cluster' }),
  ).toContainText('Active');
  await allowedCard.scrollIntoViewIfNeeded();
  await saveScreenshot(allowedCard, 'access-request-card-allowed.png');
  await expectNoAxeViolations(dana, 'card, request active');
});
