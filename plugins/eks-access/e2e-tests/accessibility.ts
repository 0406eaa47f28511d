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
 * The browser tests' accessibility check: axe-core with the WCAG 2.1 A and
 * AA rules on the page as it is at that moment. Any violation fails the
 * test; the message lists each rule and the elements it flagged, so a
 * failure says what to fix without opening a trace.
 */

import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';

/** The axe tags of WCAG 2.0 and 2.1, levels A and AA. */
export const wcag21aaTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** What each check found, for the run's summary (`[axe]` lines). */
function describeViolations(
  violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations'],
): string {
  return violations
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 8)
          .map(
            n =>
              `    ${n.target.join(' ')}\n      ${n.failureSummary
                ?.split('\n')
                .join('\n      ')}`,
          )
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * Runs axe with the WCAG 2.1 A/AA rules on `page` (or only inside the
 * element matched by `include`) and fails on any violation.
 */
export async function expectNoAxeViolations(
  page: Page,
  view: string,
  options: {
    include?: string;
    /** Parts that are not this project's, each with the reason in a comment. */
    exclude?: string[];
  } = {},
) {
  // Wait for MUI's transitions (dialogs fade in) so colours are final.
  await page.waitForTimeout(400);
  let builder = new AxeBuilder({ page }).withTags(wcag21aaTags);
  if (options.include) {
    builder = builder.include(options.include);
  }
  for (const selector of options.exclude ?? []) {
    builder = builder.exclude(selector);
  }
  const results = await builder.analyze();
  // eslint-disable-next-line no-console
  console.log(
    `[axe] ${view}: ${results.violations.length} violations, ${results.passes.length} rules passed`,
  );
  await test.info().attach(`axe: ${view}`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  // Soft: one run reports every view's violations; the test still fails.
  expect
    .soft(
      results.violations,
      `WCAG 2.1 AA violations on ${view}:\n${describeViolations(
        results.violations,
      )}`,
    )
    .toEqual([]);
}
