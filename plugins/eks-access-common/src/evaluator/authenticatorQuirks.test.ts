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
 * Where a modern reading of aws-auth and of the STS answer differs from
 * what aws-iam-authenticator does. Each table names the upstream file and
 * function (kubernetes-sigs/aws-iam-authenticator, and the YAML libraries it
 * uses) whose behaviour the cases follow; the cases are our own.
 */

import { parseAwsAuth } from './awsAuth';
import { evaluateAccess } from './evaluate';
import type {
  AccessVerdict,
  CallerInfo,
  ClusterAccessData,
  FindingCode,
} from './types';

const ACCT = '111122223333';
const ROLE = `arn:aws:iam::${ACCT}:role/Dev`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/Dev/jane@example.com`;
const USER = `arn:aws:iam::${ACCT}:user/jane`;

const configMap = (
  data: Record<string, string>,
  over: Partial<ClusterAccessData> = {},
): ClusterAccessData => ({
  name: 'dev-cluster',
  accountId: ACCT,
  region: 'eu-west-1',
  authenticationMode: 'CONFIG_MAP',
  awsAuth: { data },
  ...over,
});
const roleMapped = `- rolearn: ${ROLE}\n  username: dev:{{SessionName}}\n  groups:\n  - dev\n`;
const userMapped = `- userarn: ${USER}\n  username: jane\n  groups:\n  - dev\n`;
const run = (data: Record<string, string>, caller: CallerInfo) =>
  evaluateAccess({ caller, cluster: configMap(data) });
const codes = (v: AccessVerdict): FindingCode[] => v.findings.map(f => f.code);

describe('category 1: the STS answer is checked before any mapping (pkg/token/token.go getIdentityFromSTSResponse)', () => {
  const everything = {
    mapRoles: roleMapped,
    mapUsers: userMapped,
    mapAccounts: `- "${ACCT}"\n`,
  };
  it.each<[string, CallerInfo, 'allowed' | 'denied', string | undefined]>([
    [
      'assumed-role with ROLEID:session',
      { arn: SESSION, userId: 'AROAEXAMPLE:jane@example.com' },
      'allowed',
      'dev:jane-example.com',
    ],
    [
      'assumed-role whose UserId has no colon',
      { arn: SESSION, userId: 'AROAEXAMPLE' },
      'denied',
      undefined,
    ],
    [
      'assumed-role whose UserId has two colons',
      { arn: SESSION, userId: 'AROAEXAMPLE:jane:x' },
      'denied',
      undefined,
    ],
    [
      'assumed-role with an empty UserId',
      { arn: SESSION, userId: '' },
      'denied',
      undefined,
    ],
    [
      'IAM role ARN (Canonicalize: ROLE) whose UserId has no colon',
      { arn: ROLE, userId: 'AROAEXAMPLE' },
      'denied',
      undefined,
    ],
    [
      'the session name comes from the UserId, not from the ARN',
      { arn: SESSION, userId: 'AROAEXAMPLE:other@example.com' },
      'allowed',
      'dev:other-example.com',
    ],
    [
      'IAM role ARN with a well-formed UserId: the session name is known',
      { arn: ROLE, userId: 'AROAEXAMPLE:ci' },
      'allowed',
      'dev:ci',
    ],
    [
      'IAM user: the UserId is kept whole, not checked',
      { arn: USER, userId: 'AIDAEXAMPLE' },
      'allowed',
      'jane',
    ],
    [
      'IAM user with a colon in the UserId: still not checked',
      { arn: USER, userId: 'AIDAEXAMPLE:odd' },
      'allowed',
      'jane',
    ],
    [
      'root: the UserId (the account id) is kept whole',
      { arn: `arn:aws:iam::${ACCT}:root`, userId: ACCT },
      'allowed',
      `arn:aws:iam::${ACCT}:root`,
    ],
    [
      'federated user: ACCOUNT:name is kept whole',
      {
        arn: `arn:aws:sts::${ACCT}:federated-user/bob`,
        userId: `${ACCT}:bob`,
      },
      'allowed',
      `arn:aws:sts::${ACCT}:federated-user/bob`,
    ],
  ])('%s', (_name, caller, decision, username) => {
    const v = run(everything, caller);
    expect(v.decision).toBe(decision);
    if (decision === 'denied') {
      // rejected whatever aws-auth says: it maps the role and the whole account
      expect(codes(v)[0]).toBe('INVALID_CALLER_ARN');
      expect(v.findings[0].message).toMatch(/malformed UserId/);
    } else {
      expect(v.username).toBe(username);
    }
  });
});
