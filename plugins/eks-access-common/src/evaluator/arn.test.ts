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
  arnLike,
  assumedRoleArnOf,
  canonicalizeArn,
  canonicalizeArnWithKind,
  canonicalPrincipalArn,
  iamPrincipalOf,
  isStsSessionArn,
  KNOWN_PARTITIONS,
  parseArn,
  parseSsoRoleName,
  partitionForRegion,
  roleNameOf,
  sessionNameOf,
  stripArnPath,
} from './arn';

const segment = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/);
const account = fc.stringMatching(/^\d{12}$/);
const partition = fc.constantFrom(...KNOWN_PARTITIONS);

describe('canonicalizeArn (§3)', () => {
  it('drops the session of an assumed-role ARN and keeps the partition', () => {
    expect(
      canonicalizeArn(
        'arn:aws-cn:sts::111122223333:assumed-role/Dev/jane@example.com',
      ),
    ).toBe('arn:aws-cn:iam::111122223333:role/Dev');
  });
  it('does not lower-case', () => {
    expect(canonicalizeArn('arn:aws:iam::111122223333:user/Path/Jane')).toBe(
      'arn:aws:iam::111122223333:user/Path/Jane',
    );
  });
  it.each([
    ['arn:aws:iam::1:group/devs', /unrecognized resource/],
    ['arn:aws:s3:::bucket', /not a valid service/],
    ['arn:aws:sts::1:assumed-role/OnlyRole', /does not have a role/],
    ['arn:aws:sts::1:session/x', /unrecognized resource/],
    ['arn:azure:iam::1:user/x', /recognized partition/],
    ['ARN:aws:iam::1:user/x', /invalid prefix/],
    ['arn:aws:iam:1:user/x', /not enough sections/],
  ])('rejects %s', (arn, error) => {
    expect(() => canonicalizeArn(arn)).toThrow(error);
  });

  it('property: a session ARN canonicalizes to its role, whatever the session name', () => {
    fc.assert(
      fc.property(
        partition,
        account,
        segment,
        segment,
        (p, a, role, session) => {
          const c = canonicalizeArnWithKind(
            `arn:${p}:sts::${a}:assumed-role/${role}/${session}`,
          );
          expect(c.kind).toBe('assumed-role');
          expect(c.canonicalArn).toBe(`arn:${p}:iam::${a}:role/${role}`);
        },
      ),
    );
  });
  it('property: canonicalization is idempotent', () => {
    const arn = fc.oneof(
      fc
        .tuple(partition, account, segment, segment)
        .map(([p, a, r, s]) => `arn:${p}:sts::${a}:assumed-role/${r}/${s}`),
      fc
        .tuple(
          partition,
          account,
          fc.array(segment, { minLength: 1, maxLength: 4 }),
        )
        .map(([p, a, parts]) => `arn:${p}:iam::${a}:user/${parts.join('/')}`),
      fc
        .tuple(
          partition,
          account,
          fc.array(segment, { minLength: 1, maxLength: 4 }),
        )
        .map(([p, a, parts]) => `arn:${p}:iam::${a}:role/${parts.join('/')}`),
      fc
        .tuple(partition, account, segment)
        .map(([p, a, n]) => `arn:${p}:sts::${a}:federated-user/${n}`),
      fc.tuple(partition, account).map(([p, a]) => `arn:${p}:iam::${a}:root`),
    );
    fc.assert(
      fc.property(arn, x => {
        const once = canonicalizeArn(x);
        expect(canonicalizeArn(once)).toBe(once);
      }),
    );
  });
  it('property: any string either canonicalizes or throws an Error (never anything else)', () => {
    fc.assert(
      fc.property(fc.string(), s => {
        let result: unknown;
        try {
          result = canonicalizeArn(s);
        } catch (e) {
          result = e;
        }
        expect(typeof result === 'string' || result instanceof Error).toBe(
          true,
        );
      }),
    );
  });
});

describe('stripArnPath (§3)', () => {
  it('property: strips role paths only', () => {
    fc.assert(
      fc.property(
        partition,
        account,
        fc.array(segment, { maxLength: 4 }),
        segment,
        (p, a, path, name) => {
          const full = `arn:${p}:iam::${a}:role/${[...path, name].join('/')}`;
          expect(stripArnPath(full)).toBe(`arn:${p}:iam::${a}:role/${name}`);
          const user = `arn:${p}:iam::${a}:user/${[...path, name].join('/')}`;
          expect(stripArnPath(user)).toBe(user);
        },
      ),
    );
  });
});

describe('arnLike (§4.8)', () => {
  it('matches per section, so * does not cross colons', () => {
    expect(arnLike('arn:aws:iam::1:role/x', 'arn:aws:iam::*:role/*')).toBe(
      true,
    );
    expect(arnLike('arn:aws:iam::1:role/x', 'arn:aws:iam::2:role/*')).toBe(
      false,
    );
  });
});

describe('helpers', () => {
  it('parseArn keeps colons in the resource', () => {
    expect(parseArn('arn:aws:x::1:a:b:c').resource).toBe('a:b:c');
  });
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('partitionForRegion(%s) = %s', (region, p) => {
    expect(partitionForRegion(region)).toBe(p);
  });
  it('roleNameOf gives name and path', () => {
    expect(roleNameOf('arn:aws:iam::1:role/a/b/Name')).toEqual({
      name: 'Name',
      path: '/a/b/',
    });
    expect(roleNameOf('arn:aws:iam::1:role/Name')).toEqual({
      name: 'Name',
      path: '/',
    });
    expect(roleNameOf('arn:aws:iam::1:user/Name')).toBeUndefined();
    expect(roleNameOf('nope')).toBeUndefined();
  });
  it('parseSsoRoleName splits permission set and suffix', () => {
    expect(parseSsoRoleName('AWSReservedSSO_Pay_Dev_1a2b3c4d5e6f7a8b')).toEqual(
      {
        permissionSetName: 'Pay_Dev',
        suffix: '1a2b3c4d5e6f7a8b',
      },
    );
    expect(parseSsoRoleName('PlatformAdmin')).toBeUndefined();
  });
});

describe('iamPrincipalOf', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/Admin', 'role', 'Admin'],
    ['arn:aws:iam::111122223333:role/team/a/Admin', 'role', 'Admin'],
    ['arn:aws:sts::111122223333:assumed-role/Admin/alice', 'role', 'Admin'],
    ['arn:aws:iam::111122223333:user/engineering/dana', 'user', 'dana'],
  ])('%s is the %s %s', (arn, type, name) => {
    expect(iamPrincipalOf(arn)).toEqual({
      partition: 'aws',
      accountId: '111122223333',
      type,
      name,
    });
  });

  it.each([
    'arn:aws:iam::111122223333:root',
    'arn:aws:sts::111122223333:federated-user/bob',
    'arn:aws:iam::1234:role/Short',
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::111122223333:group/devs',
    'arn:nope:iam::111122223333:role/Admin',
    'not an arn',
  ])('%s names no IAM role or user', arn => {
    expect(iamPrincipalOf(arn)).toBeUndefined();
  });
});

describe('sessionNameOf', () => {
  it('reads the session of an assumed-role ARN', () => {
    expect(
      sessionNameOf('arn:aws:sts::111122223333:assumed-role/Admin/alice'),
    ).toBe('alice');
    expect(
      sessionNameOf('arn:aws:iam::111122223333:role/Admin'),
    ).toBeUndefined();
    expect(
      sessionNameOf('arn:aws:sts::111122223333:assumed-role/Admin'),
    ).toBeUndefined();
  });
});

describe('isStsSessionArn', () => {
  it('tells sessions from IAM principals', () => {
    expect(
      isStsSessionArn('arn:aws:sts::111122223333:assumed-role/Admin/alice'),
    ).toBe(true);
    expect(
      isStsSessionArn('arn:aws:sts::111122223333:federated-user/bob'),
    ).toBe(true);
    expect(isStsSessionArn('arn:aws:iam::111122223333:role/Admin')).toBe(false);
    expect(isStsSessionArn('nonsense')).toBe(false);
  });
});

describe('assumedRoleArnOf', () => {
  it('gives the caller ARN of a session of a role, path dropped', () => {
    expect(
      assumedRoleArnOf('arn:aws-cn:iam::111122223333:role/p/Admin', 'check'),
    ).toBe('arn:aws-cn:sts::111122223333:assumed-role/Admin/check');
    expect(
      assumedRoleArnOf('arn:aws:iam::111122223333:user/dana', 'check'),
    ).toBeUndefined();
  });
});

describe('canonicalPrincipalArn', () => {
  it('maps sessions to their role and strips role paths', () => {
    expect(
      canonicalPrincipalArn('arn:aws:sts::111122223333:assumed-role/Admin/a'),
    ).toBe('arn:aws:iam::111122223333:role/Admin');
    expect(
      canonicalPrincipalArn('arn:aws:iam::111122223333:role/x/Admin'),
    ).toBe('arn:aws:iam::111122223333:role/Admin');
  });
});
