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

import type { Entity } from '@backstage/catalog-model';
import {
  getUserIamPrincipals,
  parseIamPrincipalsAnnotation,
} from './iamPrincipalsAnnotation';

const SSO_ROLE =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b';
const DANA_USER = 'arn:aws:iam::444455556666:user/engineering/dana';

describe('parseIamPrincipalsAnnotation', () => {
  it('parses one principal per line, roles with the default session name', () => {
    const result = parseIamPrincipalsAnnotation(`${SSO_ROLE}\n${DANA_USER}\n`, {
      defaultSessionName: 'dana@example.com',
    });
    expect(result.problems).toEqual([]);
    expect(result.principals).toEqual([
      {
        principalArn: SSO_ROLE,
        type: 'role',
        partition: 'aws',
        accountId: '111122223333',
        name: 'AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
        sessionName: 'dana@example.com',
        callerArn:
          'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b/dana@example.com',
      },
      {
        principalArn: DANA_USER,
        type: 'user',
        partition: 'aws',
        accountId: '444455556666',
        name: 'dana',
        callerArn: DANA_USER,
      },
    ]);
  });

  it('accepts comma-separated items and an explicit session name', () => {
    const result = parseIamPrincipalsAnnotation(
      `arn:aws:iam::111122223333:role/PlatformAdmin session=alex-admin, ${DANA_USER}`,
      { defaultSessionName: 'x@example.com' },
    );
    expect(result.problems).toEqual([]);
    expect(result.principals.map(p => p.callerArn)).toEqual([
      'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/alex-admin',
      DANA_USER,
    ]);
  });

  it('keeps commas that are part of an IAM name', () => {
    const result = parseIamPrincipalsAnnotation(
      'arn:aws:iam::111122223333:role/odd,name session=s1',
    );
    expect(result.principals[0].name).toBe('odd,name');
  });

  it('skips blank lines, comments and duplicates', () => {
    const result = parseIamPrincipalsAnnotation(
      `\n# my roles\n${DANA_USER}\n\n${DANA_USER}\n`,
    );
    expect(result.principals).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  it('reports items that are not role or user ARNs and keeps the rest', () => {
    const result = parseIamPrincipalsAnnotation(
      [
        'arn:aws:sts::111122223333:assumed-role/Dev/dana',
        'arn:aws:iam::111122223333:group/devs',
        'AKIAEXAMPLE',
        DANA_USER,
      ].join('\n'),
    );
    expect(result.principals.map(p => p.principalArn)).toEqual([DANA_USER]);
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toContain('assumed-role/Dev/dana');
  });

  it('reports bad options, session names on users and invalid session names', () => {
    const result = parseIamPrincipalsAnnotation(
      [
        'arn:aws:iam::111122223333:role/A role=x',
        `${DANA_USER} session=dana`,
        'arn:aws:iam::111122223333:role/B session=a/b',
        'arn:aws:iam::111122223333:role/C',
      ].join('\n'),
    );
    expect(result.principals).toEqual([]);
    expect(result.problems).toEqual([
      expect.stringContaining('unknown option "role=x"'),
      expect.stringContaining('session= applies to roles only'),
      expect.stringContaining('not a valid STS session name'),
      expect.stringContaining('has no session name'),
    ]);
  });
});

describe('getUserIamPrincipals', () => {
  function user(annotations: Record<string, string>, email?: string): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'dana', annotations },
      spec: { profile: email ? { email } : {}, memberOf: [] },
    };
  }

  it('defaults role sessions to the email', () => {
    const result = getUserIamPrincipals(
      user({ 'eks-access.io/iam-principals': SSO_ROLE }, 'dana@example.com'),
    );
    expect(result.principals[0].sessionName).toBe('dana@example.com');
  });

  it('falls back to the user entity name without an email', () => {
    const result = getUserIamPrincipals(
      user({ 'eks-access.io/iam-principals': SSO_ROLE }),
    );
    expect(result.principals[0].callerArn).toMatch(/\/dana$/);
  });

  it('returns nothing without the annotation', () => {
    expect(getUserIamPrincipals(user({}))).toEqual({
      principals: [],
      problems: [],
    });
  });
});
