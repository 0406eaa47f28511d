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
 * The request flow with the keyboard alone: Tab, Shift+Tab, arrow keys,
 * Enter and typing; no clicks. Dana asks for View on two namespaces of
 * Data-Lake_01, Alex approves, the grant becomes active, and Dana gives it
 * up again (so the demo state is as before for other tests). After each
 * action the test checks where the focus landed, and runs axe there.
 */

import { test, expect, Browser, Locator, Page } from '@playwright/test';
import { expectNoAxeViolations } from './accessibility';

const cluster = 'Data-Lake_01';
const clusterPage = '/catalog/default/resource/data-lake_01';
const reason = 'Keyboard-only request flow (e2e)';

/** Presses Tab (or Shift+Tab) until `target` has the focus. */
async function tabTo(
  page: Page,
  target: Locator,
  options: { backwards?: boolean; max?: number } = {},
) {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.max ?? 80); i++) {
    if (await target.evaluate(el => el === document.activeElement)) {
      return;
    }
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${target}`);
}

async function signInWithKeyboard(page: Page, name: string) {
  await page.goto('/');
  const button = page.getByRole('button', { name: `Sign in as ${name}` });
  await expect(button).toBeVisible();
  await tabTo(page, button);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('link', { name: 'Access requests' }).first(),
  ).toBeAttached();
}

async function newUserPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: like.viewportSize() ?? { width: 1280, height: 720 },
  });
  return context.newPage();
}

/** The EKS access card on a cluster's page. */
function eksAccessCard(page: Page): Locator {
  return page
    .locator('div.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: 'EKS access' }) })
    .first();
}

test('the request flow with the keyboard alone', async ({ browser, page }) => {
  // Two sign-ins, a scheduled grant and a revocation on a shared machine.
  test.setTimeout(600_000);

  // Dana opens the request dialog from the card.
  const dana = page;
  await signInWithKeyboard(dana, 'Dana Developer');
  await dana.goto(clusterPage);
  const card = eksAccessCard(dana);
  await expect(card).toContainText('You cannot reach this cluster');
  const requestButton = card.getByRole('button', {
    name: 'Request access',
    exact: true,
  });
  await tabTo(dana, requestButton);
  await dana.keyboard.press('Enter');

  // The dialog opens on its first field.
  const dialog = dana.getByRole('dialog', {
    name: `Request access to ${cluster}`,
  });
  await expect(dialog.getByLabel('Identity')).toBeFocused();
  await dana.keyboard.press('Tab');
  await expect(dialog.getByLabel('Access level')).toBeFocused();
  await expect(dialog.getByLabel('Access level')).toHaveValue('view');

  // Scope: the radio group, changed with an arrow key.
  await dana.keyboard.press('Tab');
  await expect(
    dialog.getByRole('radio', { name: 'Whole cluster' }),
  ).toBeFocused();
  await dana.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('radio', { name: 'Namespaces' })).toBeChecked();
  await dana.keyboard.press('Tab');
  const namespaces = dialog.getByRole('textbox', { name: /^Namespaces/ });
  await expect(namespaces).toBeFocused();
  await dana.keyboard.type('analytics, keyboard-e2e');

  // Submitting without a reason: focus goes to Reason, the error is told.
  const submit = dialog.getByRole('button', { name: 'Submit request' });
  await tabTo(dana, submit);
  await dana.keyboard.press('Enter');
  const reasonField = dialog.getByRole('textbox', { name: /^Reason/ });
  await expect(reasonField).toBeFocused();
  await expect(reasonField).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('alert')).toContainText('Check Reason');
  await expectNoAxeViolations(dana, 'keyboard: request dialog, invalid');
  await dana.keyboard.type(reason);

  await tabTo(dana, submit);
  await dana.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toContainText(
    `Request sent: view on ${cluster}`,
  );
  // The form is gone: focus is on Done; closing returns to the card.
  await expect(dialog.getByRole('button', { name: 'Done' })).toBeFocused();
  await dana.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(requestButton).toBeFocused();
  await expect(
    card.getByRole('list', { name: 'My requests for this cluster' }),
  ).toContainText('Pending approval');

  // Alex approves on the Access requests page.
  const alex = await newUserPage(browser, dana);
  await signInWithKeyboard(alex, 'Alex Admin');
  await alex.goto('/eks-access/requests');
  const item = alex.getByRole('article', {
    name: `dana asks for View on ${cluster}`,
  });
  await expect(item).toContainText('keyboard-e2e');
  await tabTo(alex, item.getByRole('button', { name: 'Approve' }));
  await alex.keyboard.press('Enter');
  const approve = alex.getByRole('dialog', { name: 'Approve this request?' });
  const comment = approve.getByRole('textbox', { name: 'Comment (optional)' });
  await expect(comment).toBeFocused();
  await alex.keyboard.type('Approved with the keyboard');
  await tabTo(alex, approve.getByRole('button', { name: 'Approve' }));
  await alex.keyboard.press('Enter');
  await expect(approve).toBeHidden();
  // The decided request left the inbox: focus is on the notice that says so.
  const notice = alex.getByRole('status').filter({ hasText: 'Approved:' });
  await expect(notice).toContainText(`View on ${cluster}`);
  await expect(notice).toBeFocused();
  await expectNoAxeViolations(alex, 'keyboard: Access requests, approved');
  await alex.context().close();

  // Dana: the grant becomes active; she gives it up with the keyboard.
  const myRequests = card.getByRole('list', {
    name: 'My requests for this cluster',
  });
  await expect(async () => {
    await dana.reload();
    await expect(myRequests).toContainText('Active', { timeout: 15_000 });
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  const revoke = myRequests.getByRole('button', { name: 'Revoke' });
  await tabTo(dana, revoke);
  await dana.keyboard.press('Enter');
  const giveUp = dana.getByRole('dialog', { name: 'Give up this access now?' });
  await expect(
    giveUp.getByRole('textbox', { name: 'Comment (optional)' }),
  ).toBeFocused();
  await tabTo(dana, giveUp.getByRole('button', { name: 'Revoke access' }));
  await dana.keyboard.press('Enter');
  await expect(giveUp).toBeHidden();
  // The button is gone with the grant: focus is on the list's heading.
  await expect(
    card.getByRole('heading', { name: 'My requests for this cluster' }),
  ).toBeFocused();
  await expect(myRequests).toContainText('Revoked');
  await expectNoAxeViolations(dana, 'keyboard: card, request revoked');
});
