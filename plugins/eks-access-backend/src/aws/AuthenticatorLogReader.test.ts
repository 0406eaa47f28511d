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

import { parseAuthenticatorLine } from './AuthenticatorLogReader';

describe('parseAuthenticatorLine', () => {
  it("reads the article's granted line", () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-05-26T18:55:30Z" level=info msg="access granted" arn="arn:aws:iam::123456789000:user/testuser" client="127.0.0.1:57586" groups="[system:masters]" method=POST path=/authenticate uid="aws-iam-authenticator:123456789000:AROAFFXXXXXXXXXX" username=kubernetes-admin',
      ),
    ).toEqual({
      time: '2022-05-26T18:55:30Z',
      outcome: 'granted',
      arn: 'arn:aws:iam::123456789000:user/testuser',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    });
  });

  it("reads the article's denied lines, with and without an ARN", () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-12-28T15:37:19Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/admin-test-role" client="127.0.0.1:33384" error="ARN is not mapped" method=POST path=/authenticate',
      ),
    ).toEqual({
      time: '2022-12-28T15:37:19Z',
      outcome: 'denied',
      arn: 'arn:aws:iam::111122223333:role/admin-test-role',
      reason: 'ARN is not mapped',
    });
    expect(
      parseAuthenticatorLine(
        'time="2022-12-26T20:46:48Z" level=warning msg="access denied" client="127.0.0.1:43440" error="sts getCallerIdentity failed: error from AWS (expected 200, got 403). Body: {\\"Error\\":{\\"Code\\":\\"InvalidClientTokenId\\"}}" method=POST path=/authenticate',
      ),
    ).toEqual({
      time: '2022-12-26T20:46:48Z',
      outcome: 'denied',
      reason:
        'sts getCallerIdentity failed: error from AWS (expected 200, got 403). Body: {"Error":{"Code":"InvalidClientTokenId"}}',
    });
  });

  it('ignores lines that are not authentication decisions', () => {
    expect(
      parseAuthenticatorLine(
        'time="2022-12-26T20:46:48Z" level=info msg="starting mapper"',
      ),
    ).toBeUndefined();
  });
});
