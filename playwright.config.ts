/*
 * Browser tests in Debian's Chromium (no Google Chrome and no browser
 * downloads on these machines). scripts/e2e.sh starts the backend, which
 * serves the built app, on the sandbox, and sets PLAYWRIGHT_URL.
 */
import { defineConfig } from '@playwright/test';
import fs from 'fs';
import path from 'path';

// Every workspace package with an e2e-tests/ folder is a project, as
// @backstage/e2e-test-utils' generateProjects() does, but with our browser.
function projects() {
  const found = [];
  for (const dir of ['packages', 'plugins']) {
    for (const name of fs.readdirSync(path.join(__dirname, dir))) {
      const testDir = path.join(__dirname, dir, name, 'e2e-tests');
      if (fs.existsSync(testDir)) {
        found.push({ name: `${dir}/${name}`, testDir });
      }
    }
  }
  return found;
}

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e-results.json' }],
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  outputDir: 'test-results/e2e-artifacts',
  projects: projects(),
});
