import { test, expect } from '@playwright/test';
// The plugin's axe helper: browser-test code shared by the two e2e suites, not
// part of any package's API, so it is imported by path.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { expectNoAxeViolations } from '../../../plugins/eks-access/e2e-tests/accessibility';

// The demo portal: the user picker signs in as a real catalog User, and the
// catalog holds the demo EKS clusters in all three entity shapes
// (docs/demo-scenario.md).
test('signing in as the demo developer shows the demo clusters of all three shapes', async ({
  page,
}) => {
  await page.goto('/');
  await expect(
    page.getByRole('button', { name: 'Sign in as Dana Developer' }),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'sign-in page');
  await page.getByRole('button', { name: 'Sign in as Dana Developer' }).click();

  await expect(page.getByRole('link', { name: /My EKS access/ })).toBeVisible();
  await expect(page.getByText(/All resources \(13\)/i)).toBeVisible();

  // Shape A (upstream catalog-backend-module-aws), B (Roadie), C (AWS Config).
  for (const name of [
    'payments-prod',
    '111122223333:us-east-1:payments-staging',
    'Data-Lake_01',
  ]) {
    await expect(
      page.getByRole('link', { name, exact: true }).first(),
    ).toBeVisible();
  }
  // The catalog's own table (Backstage's catalog plugin, not configurable
  // from the app) makes its column headers draggable: a focusable drag
  // handle inside the sort button (nested-interactive). Everything else on
  // the page is checked.
  await expectNoAxeViolations(page, 'catalog', {
    exclude: ['thead th .MuiTableSortLabel-root'],
  });
});
