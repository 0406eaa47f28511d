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
  appendAwsAuthEntries,
  awsAuthLoadsBackAs,
  AwsAuthRoleMapping,
  AwsAuthUserMapping,
  parseAwsAuth,
  serializeAwsAuthEntries,
} from './awsAuth';

const codes = (data: Record<string, string>) =>
  parseAwsAuth(data).problems.map(p => p.code);

describe('parseAwsAuth (§4.1–§4.3)', () => {
  it('returns nothing for undefined data', () => {
    expect(parseAwsAuth(undefined)).toEqual({
      mapRoles: [],
      mapUsers: [],
      mapAccounts: [],
      problems: [],
    });
  });

  it('AWS_AUTH_PARSE_ERROR: a tab drops the whole key, other keys still load', () => {
    const p = parseAwsAuth({
      mapRoles: '- rolearn: arn:aws:iam::1:role/a\n\tusername: a\n',
      mapUsers: '- userarn: arn:aws:iam::1:user/u\n  username: u\n',
    });
    expect(p.mapRoles).toEqual([]);
    expect(p.mapUsers).toHaveLength(1);
    expect(p.problems).toEqual([
      expect.objectContaining({
        code: 'AWS_AUTH_PARSE_ERROR',
        key: 'mapRoles',
      }),
    ]);
    expect(p.problems[0].message).toMatch(/tabs/);
  });
  it('AWS_AUTH_PARSE_ERROR: a mapping instead of a list', () => {
    expect(codes({ mapRoles: 'rolearn: x\n' })).toEqual([
      'AWS_AUTH_PARSE_ERROR',
    ]);
    expect(codes({ mapAccounts: 'a: b\n' })).toEqual(['AWS_AUTH_PARSE_ERROR']);
  });
  it('AWS_AUTH_SHADOWED_DATA: a key repeated in one entry is no error, the last one wins (yaml.v2 decode.go mapping, non-strict)', () => {
    const parsed = parseAwsAuth({ mapRoles: '- rolearn: a\n  rolearn: b\n' });
    expect(parsed.problems.map(p => p.code)).toEqual([
      'AWS_AUTH_SHADOWED_DATA',
    ]);
    expect(parsed.mapRoles.map(r => r.rolearn)).toEqual(['b']);
  });
  it('no problem for valid or skippable values', () => {
    expect(codes({ mapRoles: '', mapUsers: '``', mapAccounts: "''" })).toEqual(
      [],
    );
    expect(
      codes({
        mapRoles:
          '- rolearn: arn:aws:iam::1:role/a\n  username: a\n  groups: [x]\n',
      }),
    ).toEqual([]);
  });

  it('AWS_AUTH_ENTRY_INVALID: drops only the invalid entry', () => {
    const p = parseAwsAuth({
      mapRoles:
        '- username: a\n- rolearn: arn:aws:iam::1:role/b\n  username: b\n- just text\n',
      mapUsers: '- username: nobody\n',
    });
    expect(p.mapRoles.map(r => r.rolearn)).toEqual(['arn:aws:iam::1:role/b']);
    expect(p.problems.map(x => [x.code, x.key, x.entryIndex])).toEqual([
      ['AWS_AUTH_ENTRY_INVALID', 'mapRoles', 0],
      ['AWS_AUTH_ENTRY_INVALID', 'mapRoles', 2],
      ['AWS_AUTH_ENTRY_INVALID', 'mapUsers', 0],
    ]);
  });
  it('AWS_AUTH_ENTRY_INVALID: both rolearn and sso', () => {
    expect(
      codes({
        mapRoles:
          '- rolearn: a\n  sso:\n    permissionSetName: X\n    accountID: "111122223333"\n',
      }),
    ).toEqual(['AWS_AUTH_ENTRY_INVALID']);
  });

  it('AWS_AUTH_KEY_CASE: top-level key with the wrong case is ignored', () => {
    const p = parseAwsAuth({ maproles: '- rolearn: arn:aws:iam::1:role/a\n' });
    expect(p.mapRoles).toEqual([]);
    expect(p.problems.map(x => x.code)).toEqual(['AWS_AUTH_KEY_CASE']);
  });
  it('AWS_AUTH_KEY_CASE: entry keys are accepted but flagged', () => {
    const p = parseAwsAuth({
      mapRoles: '- roleARN: arn:aws:iam::1:role/a\n  UserName: a\n',
    });
    expect(p.mapRoles).toEqual([
      { rolearn: 'arn:aws:iam::1:role/a', username: 'a', groups: [] },
    ]);
    expect(p.problems.map(x => x.code)).toEqual([
      'AWS_AUTH_KEY_CASE',
      'AWS_AUTH_KEY_CASE',
    ]);
  });
  it('no AWS_AUTH_KEY_CASE for lower-case keys or unrelated data keys', () => {
    expect(codes({ other: 'x', mapRoles: '- rolearn: a\n' })).toEqual([]);
  });

  it('AWS_AUTH_FIELD_TYPE: wrong types are ignored field by field (Go encoding/json)', () => {
    const p = parseAwsAuth({
      mapUsers:
        '- userarn: arn:aws:iam::1:user/u\n  username: 12345\n  groups: system:masters\n- userarn: arn:aws:iam::1:user/v\n  username: yes\n  groups:\n  - 7\n  - ok\n',
    });
    expect(p.mapUsers).toEqual([
      { userarn: 'arn:aws:iam::1:user/u', username: '', groups: [] },
      { userarn: 'arn:aws:iam::1:user/v', username: '', groups: ['', 'ok'] },
    ]);
    expect(p.problems.every(x => x.code === 'AWS_AUTH_FIELD_TYPE')).toBe(true);
    expect(p.problems).toHaveLength(4);
  });
  it('AWS_AUTH_MERGED_GROUPS: the over-indented group artifact', () => {
    const p = parseAwsAuth({
      mapRoles:
        '- rolearn: arn:aws:iam::1:role/n\n  groups:\n    - system:bootstrappers\n     - system:nodes\n',
    });
    expect(p.mapRoles[0].groups).toEqual([
      'system:bootstrappers - system:nodes',
    ]);
    expect(p.problems.map(x => x.code)).toEqual(['AWS_AUTH_MERGED_GROUPS']);
    expect(codes({ mapRoles: '- rolearn: a\n  groups: [my-group]\n' })).toEqual(
      [],
    );
  });
  it('AWS_AUTH_DUPLICATE_ARN: same ARN twice, or differing only in case', () => {
    expect(
      codes({
        mapUsers:
          '- userarn: arn:aws:iam::1:user/A\n- userarn: arn:aws:iam::1:user/a\n',
      }),
    ).toEqual(['AWS_AUTH_DUPLICATE_ARN']);
    expect(codes({ mapRoles: '- rolearn: r1\n- rolearn: r2\n' })).toEqual([]);
  });
  it('AWS_AUTH_SSO_MATCHER: sso entries load but are flagged', () => {
    const p = parseAwsAuth({
      mapRoles:
        '- sso:\n    permissionSetName: Dev\n    accountID: "111122223333"\n  username: dev\n',
    });
    expect(p.mapRoles).toHaveLength(1);
    expect(p.problems.map(x => x.code)).toEqual(['AWS_AUTH_SSO_MATCHER']);
  });
  it('mapAccounts keeps literal text, leading zeros included', () => {
    expect(
      parseAwsAuth({ mapAccounts: '- 012345678901\n- "444455556666"\n' })
        .mapAccounts,
    ).toEqual(['012345678901', '444455556666']);
  });
  it('keeps userid and ignores unknown keys', () => {
    expect(
      parseAwsAuth({ mapUsers: '- userarn: u\n  userid: AIDA1\n  extra: 1\n' })
        .mapUsers,
    ).toEqual([{ userarn: 'u', username: '', groups: [], userid: 'AIDA1' }]);
  });
});

const text = fc.string({ maxLength: 30 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 40 });
const role: fc.Arbitrary<AwsAuthRoleMapping> = fc.record({
  rolearn: nonEmpty,
  username: text,
  groups: fc.array(text, { maxLength: 4 }),
});
const user: fc.Arbitrary<AwsAuthUserMapping> = fc.record({
  userarn: nonEmpty,
  username: text,
  groups: fc.array(text, { maxLength: 4 }),
});

describe('serializeAwsAuthEntries', () => {
  it('property: parse(serialize(entries)) gives the entries back', () => {
    fc.assert(
      fc.property(
        fc.array(role, { maxLength: 5 }),
        fc.array(user, { maxLength: 5 }),
        fc.array(fc.string({ maxLength: 14 }), { maxLength: 4 }),
        (mapRoles, mapUsers, mapAccounts) => {
          const parsed = parseAwsAuth(
            serializeAwsAuthEntries({ mapRoles, mapUsers, mapAccounts }),
          );
          expect(parsed.mapRoles).toEqual(mapRoles);
          expect(parsed.mapUsers).toEqual(mapUsers);
          expect(parsed.mapAccounts).toEqual(mapAccounts);
          expect(
            parsed.problems.filter(p =>
              [
                'AWS_AUTH_PARSE_ERROR',
                'AWS_AUTH_ENTRY_INVALID',
                'AWS_AUTH_FIELD_TYPE',
              ].includes(p.code),
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: parse → serialize → parse is stable for arbitrary aws-auth text', () => {
    const line = fc.oneof(
      fc.constant('- rolearn: arn:aws:iam::1:role/a'),
      fc.constant('- userarn: arn:aws:iam::1:user/b'),
      fc.constant('  username: "{{SessionName}}"'),
      fc.constant('  groups:'),
      fc.constant('  - system:masters'),
      fc.constant('    - x'),
      fc.constant('  roleARN: r'),
      fc.constant('  groups: 12'),
      fc.constant('- 0123'),
      fc.constant('\tbad'),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.array(line, { maxLength: 8 }).map(l => l.join('\n'));
    fc.assert(
      fc.property(value, value, value, (mapRoles, mapUsers, mapAccounts) => {
        const once = parseAwsAuth({ mapRoles, mapUsers, mapAccounts });
        const twice = parseAwsAuth(serializeAwsAuthEntries(once));
        expect(twice.mapRoles).toEqual(once.mapRoles);
        expect(twice.mapUsers).toEqual(once.mapUsers);
        expect(twice.mapAccounts).toEqual(once.mapAccounts);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out empty lists', () => {
    expect(serializeAwsAuthEntries({ mapRoles: [], mapUsers: [] })).toEqual({});
  });
});

describe('awsAuthLoadsBackAs', () => {
  const devRole = {
    rolearn: 'arn:aws:iam::111122223333:role/Dev',
    username: 'dev',
    groups: ['view'],
  };
  const data = serializeAwsAuthEntries({ mapRoles: [devRole] });

  it('is true when the data parses back to exactly the entries, key order aside', () => {
    expect(
      awsAuthLoadsBackAs(data, {
        mapRoles: [
          { groups: ['view'], username: 'dev', rolearn: devRole.rolearn },
        ],
      }),
    ).toBe(true);
  });

  it('is false when any entry differs, is missing or is extra', () => {
    expect(
      awsAuthLoadsBackAs(data, {
        mapRoles: [{ ...devRole, groups: ['edit'] }],
      }),
    ).toBe(false);
    expect(awsAuthLoadsBackAs(data, {})).toBe(false);
    expect(
      awsAuthLoadsBackAs(data, { mapRoles: [devRole], mapAccounts: ['1'] }),
    ).toBe(false);
  });
});

describe('appendAwsAuthEntries', () => {
  const data = {
    mapRoles:
      '# node role, do not remove\n- rolearn: arn:aws:iam::1:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes\n',
    other: 'kept',
  };
  const added: AwsAuthRoleMapping = {
    rolearn: 'arn:aws:iam::1:role/Dev',
    username: 'dev',
    groups: ['devs'],
  };
  it('appends as text, keeping comments and other keys', () => {
    const next = appendAwsAuthEntries(data, { mapRoles: [added] });
    expect(next.mapRoles.startsWith(data.mapRoles.trimEnd())).toBe(true);
    expect(next.other).toBe('kept');
    expect(parseAwsAuth(next).mapRoles).toEqual([
      ...parseAwsAuth(data).mapRoles,
      added,
    ]);
  });
  it('creates a missing key', () => {
    expect(
      parseAwsAuth(appendAwsAuthEntries(undefined, { mapRoles: [added] }))
        .mapRoles,
    ).toEqual([added]);
  });
  it('refuses to touch a key that does not parse', () => {
    expect(() =>
      appendAwsAuthEntries(
        { mapRoles: '- a: b\n\t- c' },
        { mapRoles: [added] },
      ),
    ).toThrow(/Refusing/);
  });
  it('refuses when a wrong-case twin key exists', () => {
    expect(() =>
      appendAwsAuthEntries(
        { maproles: '- rolearn: x\n' },
        { mapRoles: [added] },
      ),
    ).toThrow(/Refusing/);
  });
  it('refuses when the existing list ends in a way that would swallow the new entry', () => {
    expect(() =>
      appendAwsAuthEntries(
        { mapRoles: '[{rolearn: a}' },
        { mapRoles: [added] },
      ),
    ).toThrow(/Refusing/);
  });
});
