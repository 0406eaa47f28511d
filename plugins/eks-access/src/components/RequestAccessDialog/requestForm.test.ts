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
  allowedReport,
  danaSsoIdentity,
  danaUserIdentity,
  demoLevels,
} from '../../testing/accessReportFixtures';
import {
  durationChoices,
  initialRequestFormValues,
  isGrantablePrincipalArn,
  requestablePrincipals,
  requestBody,
  validateRequestForm,
  valuesForLevel,
  type RequestFormValues,
} from './requestForm';

describe('requestablePrincipals', () => {
  it('offers each role or user ARN once, without access first, never a session ARN', () => {
    const [sso, user] = allowedReport().identities;
    const session = {
      ...user,
      identity: {
        ...user.identity,
        principalArn: danaSsoIdentity.callerArn,
        label: 'A session',
      },
    };
    expect(requestablePrincipals([sso, user, sso, session])).toEqual([
      {
        principalArn: danaUserIdentity.principalArn,
        label: 'IAM user engineering/dana',
        hasAccess: false,
      },
      {
        principalArn: danaSsoIdentity.principalArn,
        label: 'SSO PaymentsDeveloper',
        hasAccess: true,
      },
    ]);
  });
});

describe('isGrantablePrincipalArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/Admin', true],
    ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/X', true],
    ['arn:aws-cn:iam::111122223333:user/engineering/dana', true],
    ['arn:aws:sts::111122223333:assumed-role/Admin/dana', false],
    ['arn:aws:iam::111122223333:root', false],
    ['arn:aws:iam::111122223333:role/', false],
    ['arn:aws:iam::1111:role/Admin', false],
    ['arn:nope:iam::111122223333:role/Admin', false],
    ['not-an-arn', false],
  ])('%s: %s', (arn, expected) => {
    expect(isGrantablePrincipalArn(arn)).toBe(expected);
  });
});

describe('the request form', () => {
  const [view, edit, admin] = demoLevels();
  const valid: RequestFormValues = {
    ...initialRequestFormValues(
      requestablePrincipals(allowedReport().identities),
    ),
    level: 'view',
    reason: 'Debug the nightly job',
  };

  it('accepts a complete request and builds the body the backend takes', () => {
    expect(validateRequestForm(valid, view)).toEqual({});
    expect(
      requestBody(
        {
          ...valid,
          scopeType: 'namespace',
          namespaces: ' ml-jobs, ml-team-*  ml-jobs',
          reason: '  why ',
          ticketUrl: ' ',
        },
        'resource:default/ml-training',
      ),
    ).toEqual({
      entityRef: 'resource:default/ml-training',
      principalArn: danaUserIdentity.principalArn,
      level: 'view',
      scope: { type: 'namespace', namespaces: ['ml-jobs', 'ml-team-*'] },
      durationSeconds: 3600,
      reason: 'why',
      ticketUrl: undefined,
    });
  });

  it('says per field what the backend would refuse', () => {
    expect(
      validateRequestForm(
        {
          ...valid,
          principalArn: '',
          scopeType: 'cluster',
          durationSeconds: 5 * 3600,
          reason: 'x'.repeat(11),
          ticketUrl: 'OPS-1',
        },
        edit,
        10,
      ),
    ).toEqual({
      principalArn: 'Choose the identity to grant access to.',
      scopeType: 'Edit cannot be granted for the whole cluster.',
      durationSeconds: 'Edit can be granted for at most 4 h.',
      reason: 'At most 10 characters (11).',
      ticketUrl: 'Enter an http(s) link, e.g. https://jira.example.com/OPS-1.',
    });
    expect(
      validateRequestForm(
        { ...valid, scopeType: 'namespace', namespaces: 'dev-*' },
        edit,
      ),
    ).toEqual({
      namespaces:
        '"dev-*": this access level does not allow namespace wildcards',
    });
    expect(validateRequestForm({ ...valid, level: '' }, undefined)).toEqual({
      level: 'Choose an access level.',
    });
  });

  it('refuses what no database stores, as the backend does', () => {
    expect(
      validateRequestForm({ ...valid, reason: 'bad \u0000 byte' }, view),
    ).toEqual({
      reason:
        'contains a NUL character or an unpaired surrogate, which cannot be stored',
    });
  });

  it('keeps the choices that still fit when the level changes', () => {
    const long = { ...valid, durationSeconds: 8 * 3600 };
    expect(valuesForLevel(long, admin)).toMatchObject({
      level: 'cluster-admin',
      scopeType: 'cluster',
      durationSeconds: 3600,
    });
    expect(
      valuesForLevel({ ...valid, scopeType: 'cluster' }, edit),
    ).toMatchObject({ level: 'edit', scopeType: 'namespace' });
    expect(valuesForLevel(valid, undefined).level).toBe('');
    expect(durationChoices(90 * 60)).toEqual([900, 1800, 3600, 5400]);
  });

  it('offers SSO identities', () => {
    expect(
      requestablePrincipals(allowedReport().identities).map(
        p => p.principalArn,
      ),
    ).toContain(danaSsoIdentity.principalArn);
  });
});
