#!/usr/bin/env node
/*
 * Loads a cluster's entity page of the freshly installed app in Chromium and
 * checks that the EKS Access card renders a verdict. Uses this repository's
 * Playwright. Usage: check-card.js <base-url> <entity-path> <screenshot.png>
 */
const { chromium } = require('@playwright/test');

async function main() {
  const [baseUrl, entityPath, screenshot] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  try {
    await page.goto(`${baseUrl}${entityPath}`, { timeout: 120_000 });
    // The guest sign-in page, when the app shows one.
    const enter = page.getByRole('button', { name: 'Enter' });
    const signInShown = await enter
      .waitFor({ timeout: 60_000 })
      .then(() => true)
      .catch(() => false);
    if (signInShown) {
      await enter.click();
    }
    const card = page
      .locator('article, .MuiCard-root')
      .filter({ hasText: 'EKS access' })
      .first();
    await card.waitFor({ timeout: 120_000 });
    // A verdict for one of the demo user's identities: the status icon and
    // its words (AccessStatus, data-status). "no-identities" would mean the
    // user did not resolve to the annotated catalog User.
    const verdict = card
      .locator('[data-status]:not([data-status="no-identities"])')
      .first();
    await verdict.waitFor({ timeout: 120_000 });
    const status = await verdict.getAttribute('data-status');
    const text = `${status}: ${(await verdict.textContent()) ?? ''}`;
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`card verdict: ${text}`);
  } catch (error) {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    console.error(`card check failed: ${error}`);
    if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
main();
