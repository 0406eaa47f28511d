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

import { identityFromCaller, parseCallerIdentity } from './callerIdentity';

describe('parseCallerIdentity', () => {
  it('reads a bare ARN', () => {
    expect(
      parseCallerIdentity('  arn:aws:iam::111122223333:user/eng/dana\n'),
    ).toEqual({
      arn: 'arn:aws:iam::111122223333:user/eng/dana',
      accountId: '111122223333',
      userId: undefined,
    });
  });
  it('reads the JSON of aws sts get-caller-identity', () => {
    const json = JSON.stringify({
      UserId: 'AROAEXAMPLE:dana@example.com',
      Account: '111122223333',
      Arn: 'arn:aws:sts::111122223333:assumed-role/Dev/dana@example.com',
    });
    expect(parseCallerIdentity(json)).toEqual({
      arn: 'arn:aws:sts::111122223333:assumed-role/Dev/dana@example.com',
      accountId: '111122223333',
      userId: 'AROAEXAMPLE:dana@example.com',
    });
  });
  it.each([
    ['', /No identity given/],
    ['{"Arn": ', /cannot be read/],
    ['[1]', /not an IAM identity/],
    ['{"UserId": "x"}', /no "Arn" field/],
    [
      '{"Arn": "arn:aws:iam::111122223333:user/a", "Account": "222233334444"}',
      /does not match/,
    ],
    [
      '{"Arn": "arn:aws:iam::111122223333:user/a", "Account": 111122223333}',
      /12-digit/,
    ],
    ['arn:aws:s3:::bucket', /not an IAM identity EKS can authenticate/],
    ['arn:aws:iam::123:user/a', /12-digit/],
    [
      'arn:aws:iam::111122223333:user/a arn:aws:iam::111122223333:user/b',
      /not an ARN/,
    ],
  ])('rejects %j', (text, error) => {
    expect(() => parseCallerIdentity(text)).toThrow(error);
  });
});

describe('identityFromCaller', () => {
  it('takes the session name from a session ARN', () => {
    expect(
      identityFromCaller({ arn: 'arn:aws:sts::1:assumed-role/R/s@x' }),
    ).toMatchObject({
      canonicalArn: 'arn:aws:iam::1:role/R',
      sessionName: 's@x',
      kind: 'assumed-role',
    });
  });
  it('reads an IAM role ARN as a path-less session with unknown session name', () => {
    const id = identityFromCaller({ arn: 'arn:aws:iam::1:role/a/R' });
    expect(id.canonicalArn).toBe('arn:aws:iam::1:role/R');
    expect(id.sessionName).toBeUndefined();
  });
  it('users have an empty session name', () => {
    expect(
      identityFromCaller({ arn: 'arn:aws:iam::1:user/u' }).sessionName,
    ).toBe('');
  });
});
