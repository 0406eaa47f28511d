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

import fc from 'fast-check';
import {
  accessRequestActionSchema,
  accessRequestProblems,
  createAccessRequestSchema,
  durationLabel,
  namespaceProblem,
  parseNamespaces,
} from './requestValidation';

/**
 * The rule, written independently of the implementation: a DNS-1123 label,
 * or (wildcards allowed) a label-ish prefix and exactly one trailing `*`.
 */
function accepted(name: string, wildcards: boolean): boolean {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 63) {
    return true;
  }
  return wildcards && /^[a-z0-9][-a-z0-9]*\*$/.test(name) && name.length <= 63;
}

describe('namespaceProblem', () => {
  it.each([
    ['payments', false, undefined],
    ['dev-*', true, undefined],
    [
      'dev-*',
      false,
      '"dev-*": this access level does not allow namespace wildcards',
    ],
    // A `*` not at the end is refused under every level: the form used to
    // say so (`includes`), the backend said "not a valid name" (`endsWith`);
    // both refused it.
    ['a*b', true, '"a*b" is not a namespace prefix wildcard such as dev-*'],
    [
      'a*b',
      false,
      '"a*b": this access level does not allow namespace wildcards',
    ],
    ['*', true, '"*" is not a namespace prefix wildcard such as dev-*'],
    ['dev**', true, '"dev**" is not a namespace prefix wildcard such as dev-*'],
    ['-dev*', true, '"-dev*" is not a namespace prefix wildcard such as dev-*'],
    [
      'Payments',
      false,
      '"Payments" has upper-case letters; namespaces are lower-case',
    ],
    [
      'Bad_NS',
      false,
      expect.stringContaining('"Bad_NS" is not a valid namespace name'),
    ],
    ['a'.repeat(64), false, `"${'a'.repeat(64)}" is longer than 63 characters`],
    [`${'a'.repeat(62)}*`, true, undefined],
    [`${'a'.repeat(63)}*`, true, expect.stringContaining('prefix wildcard')],
  ])('%s (wildcards: %s)', (name, wildcards, problem) => {
    expect(namespaceProblem(name, wildcards)).toEqual(problem);
  });

  it('accepts exactly the DNS-1123 labels and, where allowed, prefix wildcards', () => {
    const chars = fc.constantFrom(...'ab0-*Z_.'.split(''));
    fc.assert(
      fc.property(
        fc.string({ unit: chars, minLength: 0, maxLength: 70 }),
        fc.boolean(),
        (name, wildcards) => {
          expect(namespaceProblem(name, wildcards) === undefined).toBe(
            accepted(name, wildcards),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('accessRequestProblems', () => {
  const view = {
    title: 'View',
    scopes: ['cluster', 'namespace'] as Array<'cluster' | 'namespace'>,
    namespaceWildcards: true,
    maxDurationSeconds: 8 * 3600,
  };
  const ok = {
    scope: { type: 'cluster' as const },
    durationSeconds: 3600,
    reason: 'Debug',
  };

  it('accepts a request that fits its level', () => {
    expect(accessRequestProblems(ok, view)).toEqual({});
  });

  it('names each field that does not fit', () => {
    expect(
      accessRequestProblems(
        {
          scope: { type: 'namespace', namespaces: ['ok', 'Nope'] },
          durationSeconds: 9 * 3600,
          reason: ` ${'x'.repeat(6)} `,
          ticketUrl: 'OPS-1',
        },
        { ...view, scopes: ['cluster'] },
        { maxReasonLength: 5 },
      ),
    ).toEqual({
      scope: 'View cannot be granted for namespaces.',
      namespaces: '"Nope" has upper-case letters; namespaces are lower-case',
      durationSeconds: 'View can be granted for at most 8 h.',
      reason: 'At most 5 characters (6).',
      ticketUrl: 'Enter an http(s) link, e.g. https://jira.example.com/OPS-1.',
    });
    expect(accessRequestProblems({ ...ok, reason: '  ' }, view)).toEqual({
      reason: 'Say why you need access.',
    });
    expect(
      accessRequestProblems(
        { ...ok, scope: { type: 'namespace', namespaces: [] } },
        view,
      ),
    ).toEqual({ namespaces: 'Enter at least one namespace.' });
    expect(
      accessRequestProblems(
        {
          ...ok,
          scope: {
            type: 'namespace',
            namespaces: Array.from({ length: 51 }, (_, i) => `ns-${i}`),
          },
        },
        view,
      ),
    ).toEqual({ namespaces: 'At most 50 namespaces in one request.' });
  });
});

describe('the request schemas', () => {
  const body = {
    entityRef: 'resource:default/ml-training',
    principalArn: 'arn:aws:iam::111122223333:role/Dev',
    level: 'view',
    scope: { type: 'cluster' },
    durationSeconds: 3600,
    reason: 'Debug',
  };

  it('takes a well-formed body and refuses what a database cannot store', () => {
    expect(createAccessRequestSchema.safeParse(body).success).toBe(true);
    for (const bad of [
      { reason: 'a\u0000b' },
      { reason: '\uD800' },
      { ticketUrl: 'ftp://tickets/1' },
      { durationSeconds: 59 },
      { scope: { type: 'namespace', namespaces: [] } },
    ]) {
      expect(
        createAccessRequestSchema.safeParse({ ...body, ...bad }).success,
      ).toBe(false);
    }
    expect(
      accessRequestActionSchema.safeParse({ comment: 'x'.repeat(2001) })
        .success,
    ).toBe(false);
    expect(accessRequestActionSchema.safeParse(undefined).success).toBe(true);
  });

  it('reads namespaces and durations as people write them', () => {
    expect(parseNamespaces(' a, b  a\nc,')).toEqual(['a', 'b', 'c']);
    expect(durationLabel(90 * 60)).toBe('1 h 30 min');
    expect(durationLabel(3 * 86400 + 7200)).toBe('3 days 2 h');
  });
});
