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

import {
  explainFindingCode,
  FINDING_CODES,
  isFindingCode,
} from './findingCatalog';

describe('finding catalog', () => {
  it('explains every code with a title, meaning, fix and reference', () => {
    expect(FINDING_CODES.length).toBeGreaterThanOrEqual(24);
    for (const code of FINDING_CODES) {
      const explanation = explainFindingCode(code);
      expect(explanation.code).toBe(code);
      expect(explanation.title.length).toBeGreaterThan(5);
      expect(explanation.meaning.length).toBeGreaterThan(40);
      expect(explanation.fix.length).toBeGreaterThan(10);
      expect(explanation.reference).toMatch(
        /^https:\/\/docs\.aws\.amazon\.com\//,
      );
    }
  });

  it('tells known codes from anything else', () => {
    expect(isFindingCode('NOT_MAPPED')).toBe(true);
    expect(isFindingCode('not_mapped')).toBe(false);
    expect(isFindingCode('toString')).toBe(false);
    expect(isFindingCode('')).toBe(false);
  });
});
