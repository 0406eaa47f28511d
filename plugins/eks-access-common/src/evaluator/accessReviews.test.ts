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
  ACCESS_REVIEW_PROBE_NAMES,
  summarizeAccessReviews,
  type AccessReviewAnswer,
} from './accessReviews';

function answers(namespace: string, allowed: string[]): AccessReviewAnswer[] {
  return ACCESS_REVIEW_PROBE_NAMES.map(probe => ({
    namespace,
    probe,
    allowed: allowed.includes(probe),
  }));
}

describe('summarizeAccessReviews', () => {
  it('is Forbidden when no probe is allowed anywhere', () => {
    expect(
      summarizeAccessReviews([...answers('*', []), ...answers('payments', [])]),
    ).toEqual({
      scopes: [],
      forbidden: true,
      rbacKnown: true,
      answeredBy: 'SubjectAccessReview',
    });
  });

  it('lists the whole cluster, then the namespaces that allow more', () => {
    const summary = summarizeAccessReviews([
      ...answers('*', ['read']),
      ...answers('payments', ['read', 'write', 'admin', 'secrets']),
      ...answers('default', ['read']),
    ]);
    expect(summary.scopes).toEqual([
      {
        namespace: '*',
        level: 'read',
        secrets: false,
        sources: ['SubjectAccessReview'],
      },
      {
        namespace: 'payments',
        level: 'admin',
        secrets: true,
        sources: ['SubjectAccessReview'],
      },
    ]);
    expect(summary.forbidden).toBe(false);
  });

  it('counts secrets alone as something the identity can do', () => {
    const summary = summarizeAccessReviews(answers('ops', ['secrets']));
    expect(summary.scopes).toEqual([
      expect.objectContaining({
        namespace: 'ops',
        level: 'none',
        secrets: true,
      }),
    ]);
    expect(summary.forbidden).toBe(false);
  });
});
