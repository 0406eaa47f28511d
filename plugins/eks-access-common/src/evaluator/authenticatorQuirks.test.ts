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

import { parseAwsAuth, serializeAwsAuthEntries } from './awsAuth';
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
    // A denial happens whatever aws-auth says: it maps the role and the whole account.
    const malformed = v.findings.some(
      f =>
        f.code === 'INVALID_CALLER_ARN' && /malformed UserId/.test(f.message),
    );
    expect({ decision: v.decision, username: v.username, malformed }).toEqual({
      decision,
      username,
      malformed: decision === 'denied',
    });
  });
});

const A = `arn:aws:iam::${ACCT}:role/A`;
const B = `arn:aws:iam::${ACCT}:role/B`;
/** What loads from mapRoles: [rolearn, username, groups] per entry, and the problem codes. */
const loaded = (data: Record<string, string>) => {
  const p = parseAwsAuth(data);
  return {
    roles: p.mapRoles.map(r => [r.rolearn, r.username, r.groups]),
    users: p.mapUsers.map(u => u.userarn),
    accounts: p.mapAccounts,
    codes: [...new Set(p.problems.map(x => x.code))].sort(),
  };
};

describe('category 2: aws-auth values read like yaml.v2 → JSON → Go structs', () => {
  type Case = [
    string,
    Record<string, string>,
    {
      roles?: unknown[];
      users?: string[];
      accounts?: string[];
      codes: string[];
    },
  ];
  const roleA = `- rolearn: ${A}\n  username: a\n  groups:\n  - g\n`;

  describe('unquoted {{…}} is a flow mapping (go.yaml.in/yaml/v2 decode.go mapping "invalid map key"; sigs.k8s.io/yaml yaml.go yamlToJSONTarget)', () => {
    it.each<Case>([
      [
        'a username starting with {{ makes a mapping with a mapping as key: all of mapRoles is lost, mapUsers still loads',
        {
          mapRoles: `${roleA}- rolearn: ${B}\n  username: {{SessionName}}\n  groups:\n  - g\n`,
          mapUsers: userMapped,
        },
        { roles: [], users: [USER], codes: ['AWS_AUTH_PARSE_ERROR'] },
      ],
      [
        'a group starting with {{: all of mapRoles is lost',
        {
          mapRoles: `${roleA}- rolearn: ${B}\n  username: b\n  groups:\n  - {{SessionName}}\n`,
        },
        { roles: [], codes: ['AWS_AUTH_PARSE_ERROR'] },
      ],
      [
        'quoted, it is text',
        {
          mapRoles: `- rolearn: ${B}\n  username: "{{SessionName}}"\n  groups:\n  - g\n`,
        },
        { roles: [[B, '{{SessionName}}', ['g']]], codes: [] },
      ],
      [
        'braces after the first character are text',
        {
          mapRoles: `- rolearn: ${B}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:nodes\n`,
        },
        {
          roles: [[B, 'system:node:{{EC2PrivateDNSName}}', ['system:nodes']]],
          codes: [],
        },
      ],
      [
        'single braces are a mapping with a text key: only the field is lost (json.Unmarshal type error)',
        {
          mapRoles: `- rolearn: ${B}\n  username: {SessionName}\n  groups:\n  - g\n`,
        },
        { roles: [[B, '', ['g']]], codes: ['AWS_AUTH_FIELD_TYPE'] },
      ],
      [
        'in mapAccounts (yaml.v2 straight into []string) only the item is lost',
        { mapAccounts: `- {{AccountID}}\n- "${ACCT}"\n` },
        { accounts: [ACCT], codes: ['AWS_AUTH_ENTRY_INVALID'] },
      ],
    ])('%s', (_name, data, expected) => {
      expect(loaded(data)).toMatchObject(expected);
    });
  });

  describe('a key repeated in one entry: the last one wins (yaml.v2 decode.go mapping, non-strict; encoding/json decode.go object: keys in json.Marshal byte order, matched ignoring case)', () => {
    it.each<Case>([
      [
        'the same key twice',
        { mapRoles: `- rolearn: ${A}\n  rolearn: ${B}\n  username: x\n` },
        { roles: [[B, 'x', []]], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
      [
        'two spellings: the lower-case one sorts last and wins, whatever the order in the text',
        { mapRoles: `- rolearn: ${A}\n  RoleArn: ${B}\n  username: x\n` },
        {
          roles: [[A, 'x', []]],
          codes: ['AWS_AUTH_KEY_CASE', 'AWS_AUTH_SHADOWED_DATA'],
        },
      ],
      [
        'two spellings, the other order in the text',
        { mapRoles: `- RoleArn: ${B}\n  rolearn: ${A}\n  username: x\n` },
        {
          roles: [[A, 'x', []]],
          codes: ['AWS_AUTH_KEY_CASE', 'AWS_AUTH_SHADOWED_DATA'],
        },
      ],
      [
        'a null value leaves a string field as the earlier key set it',
        { mapRoles: `- rolearn: ${A}\n  Username: b\n  username: ~\n` },
        {
          roles: [[A, 'b', []]],
          codes: ['AWS_AUTH_KEY_CASE', 'AWS_AUTH_SHADOWED_DATA'],
        },
      ],
      [
        'a value of the wrong type leaves the field as the earlier key set it',
        { mapRoles: `- rolearn: ${A}\n  Username: b\n  username: 5\n` },
        {
          roles: [[A, 'b', []]],
          codes: [
            'AWS_AUTH_FIELD_TYPE',
            'AWS_AUTH_KEY_CASE',
            'AWS_AUTH_SHADOWED_DATA',
          ],
        },
      ],
      [
        'groups: the later list replaces the earlier one',
        {
          mapRoles: `- rolearn: ${A}\n  username: x\n  groups: [a, b]\n  Groups: [c]\n`,
        },
        {
          roles: [[A, 'x', ['a', 'b']]],
          codes: ['AWS_AUTH_KEY_CASE', 'AWS_AUTH_SHADOWED_DATA'],
        },
      ],
      [
        'groups: a null item of the later list keeps the earlier item (the slice is reused)',
        {
          mapRoles: `- rolearn: ${A}\n  username: x\n  Groups: [c, d]\n  groups: [~, e]\n`,
        },
        {
          roles: [[A, 'x', ['c', 'e']]],
          codes: ['AWS_AUTH_KEY_CASE', 'AWS_AUTH_SHADOWED_DATA'],
        },
      ],
      [
        'an earlier ".inf" overwritten by the repeated key never reaches JSON, so nothing is lost',
        { mapRoles: `- rolearn: ${A}\n  username: .inf\n  username: x\n` },
        { roles: [[A, 'x', []]], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
      [
        'mapUsers: userarn twice',
        {
          mapUsers: `- userarn: arn:aws:iam::${ACCT}:user/old\n  userarn: ${USER}\n`,
        },
        { users: [USER], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
    ])('%s', (_name, data, expected) => {
      expect(loaded(data)).toMatchObject(expected);
    });
  });

  describe('several YAML documents: only the first is read (go.yaml.in/yaml/v2 yaml.go unmarshal parses one document)', () => {
    it.each<Case>([
      [
        'the entries after "---" are ignored',
        { mapRoles: `${roleA}---\n- rolearn: ${B}\n  username: b\n` },
        { roles: [[A, 'a', ['g']]], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
      [
        'a syntax error in a later document does not matter',
        { mapRoles: `${roleA}---\n- rolearn: [\n` },
        { roles: [[A, 'a', ['g']]], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
      [
        'a leading "---" is one document',
        { mapRoles: `---\n${roleA}` },
        { roles: [[A, 'a', ['g']]], codes: [] },
      ],
      [
        'an empty first document: nothing loads',
        { mapRoles: `---\n---\n${roleA}` },
        { roles: [], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
      [
        'mapAccounts too',
        { mapAccounts: `- "${ACCT}"\n---\n- "444455556666"\n` },
        { accounts: [ACCT], codes: ['AWS_AUTH_SHADOWED_DATA'] },
      ],
    ])('%s', (_name, data, expected) => {
      expect(loaded(data)).toMatchObject(expected);
    });
  });

  describe('scalars of the wrong type (yaml.v2 resolve.go resolve; encoding/json skips the field and keeps the entry; ParseMap keeps what decoded)', () => {
    const withUsername = (u: string) => ({
      mapRoles: `- rolearn: ${A}\n  username: ${u}\n  groups:\n  - g\n`,
    });
    it.each<[string, string, string | undefined, string[]]>([
      ['a number', '12345', '', ['AWS_AUTH_FIELD_TYPE']],
      ['an octal number', '0o17', '', ['AWS_AUTH_FIELD_TYPE']],
      ['a number with underscores', '1_000', '', ['AWS_AUTH_FIELD_TYPE']],
      ['a float without a dot', '1e3', '', ['AWS_AUTH_FIELD_TYPE']],
      ['"yes" (YAML 1.1 boolean)', 'yes', '', ['AWS_AUTH_FIELD_TYPE']],
      ['"y" (YAML 1.1 boolean in yaml.v2)', 'y', '', ['AWS_AUTH_FIELD_TYPE']],
      ['"off"', 'off', '', ['AWS_AUTH_FIELD_TYPE']],
      ['null', '~', '', []],
      ['a timestamp stays text', '2024-01-01', '2024-01-01', []],
      ['base-60 "1:30" stays text', '1:30', '1:30', []],
      ['"08" is a float', '08', '', ['AWS_AUTH_FIELD_TYPE']],
      [
        'a hex number too large for 64 bits stays text',
        '0x1FFFFFFFFFFFFFFFF',
        '0x1FFFFFFFFFFFFFFFF',
        [],
      ],
      [
        '".inf" cannot be JSON: all of mapRoles is lost',
        '.inf',
        undefined,
        ['AWS_AUTH_PARSE_ERROR'],
      ],
      ['".nan" likewise', '.nan', undefined, ['AWS_AUTH_PARSE_ERROR']],
    ])('username: %s', (_name, text, username, problemCodes) => {
      const r = loaded(withUsername(text));
      expect(r.codes).toEqual(problemCodes);
      expect(r.roles).toEqual(
        username === undefined ? [] : [[A, username, ['g']]],
      );
    });

    it.each<Case>([
      [
        'a number as rolearn: the entry fails Validate and is dropped, the others stay',
        {
          mapRoles: `- rolearn: 123456789012\n  username: x\n${roleA}`,
        },
        {
          roles: [[A, 'a', ['g']]],
          codes: ['AWS_AUTH_ENTRY_INVALID', 'AWS_AUTH_FIELD_TYPE'],
        },
      ],
      [
        'a number among the groups becomes an empty group',
        {
          mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n  - 42\n  - g\n`,
        },
        { roles: [[A, 'a', ['', 'g']]], codes: ['AWS_AUTH_FIELD_TYPE'] },
      ],
      [
        'groups as text instead of a list: no groups',
        {
          mapRoles: `- rolearn: ${A}\n  username: a\n  groups: system:masters\n`,
        },
        { roles: [[A, 'a', []]], codes: ['AWS_AUTH_FIELD_TYPE'] },
      ],
      [
        'an entry that is text: dropped',
        { mapRoles: `- ${B}\n${roleA}` },
        { roles: [[A, 'a', ['g']]], codes: ['AWS_AUTH_ENTRY_INVALID'] },
      ],
      [
        'a null key cannot be JSON: all of mapRoles is lost',
        { mapRoles: `${roleA}- rolearn: ${B}\n  ~: x\n` },
        { roles: [], codes: ['AWS_AUTH_PARSE_ERROR'] },
      ],
      [
        'a value starting with "{" is decoded as JSON (apimachinery util/yaml ToJSON): an object is no list',
        { mapRoles: `{"rolearn": "${A}", "username": "a"}` },
        { roles: [], codes: ['AWS_AUTH_PARSE_ERROR'] },
      ],
      [
        'mapAccounts keeps the literal text of numbers (yaml.v2 into []string)',
        { mapAccounts: `- 012345678901\n- ${ACCT}\n` },
        { accounts: ['012345678901', ACCT], codes: [] },
      ],
    ])('%s', (_name, data, expected) => {
      expect(loaded(data)).toMatchObject(expected);
    });
  });

  it('a caller mapped in the lost mapRoles is denied, while mapUsers still admits its users (pkg/mapper/configmap/configmap.go ParseMap)', () => {
    const data = {
      mapRoles: `- rolearn: ${ROLE}\n  username: {{SessionName}}\n  groups:\n  - dev\n`,
      mapUsers: userMapped,
    };
    expect(run(data, { arn: SESSION }).decision).toBe('denied');
    expect(run(data, { arn: USER }).decision).toBe('allowed');
  });
});

describe('what we write reads back as the same text under yaml.v2 rules (go.yaml.in/yaml/v2 resolve.go resolve)', () => {
  it.each([
    'y',
    'n',
    'on',
    '0o17',
    '1e3',
    '08',
    '1_000',
    '.inf',
    '~',
    '1:30',
    '2024-01-01',
    '{{SessionName}}',
  ])('username %j', username => {
    const data = serializeAwsAuthEntries({
      mapRoles: [{ rolearn: A, username, groups: [username] }],
    });
    expect(parseAwsAuth(data)).toMatchObject({
      mapRoles: [{ rolearn: A, username, groups: [username] }],
      problems: [],
    });
  });
});

describe('category 3: {{EC2PrivateDNSName}} that cannot render denies, with no fallback (pkg/server/server.go doMapping, renderTemplate)', () => {
  const ec2Role = `- rolearn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:nodes\n`;
  const account = `- "${ACCT}"\n`;
  const instance = `arn:aws:sts::${ACCT}:assumed-role/Dev/i-0123456789abcdef0`;
  it.each<
    [
      string,
      Record<string, string>,
      CallerInfo,
      string,
      FindingCode | undefined,
    ]
  >([
    [
      "a person's session: denied although mapAccounts admits the account",
      { mapRoles: ec2Role, mapAccounts: account },
      { arn: SESSION },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      "a person's session: denied although mapUsers maps the same ARN (mapRoles is consulted first)",
      {
        mapRoles: ec2Role,
        mapUsers: `- userarn: ${ROLE}\n  username: dev\n  groups:\n  - dev\n`,
      },
      { arn: SESSION },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      'the template in a group fails the same way',
      {
        mapRoles: `- rolearn: ${ROLE}\n  username: dev\n  groups:\n  - node-{{EC2PrivateDNSName}}\n`,
        mapAccounts: account,
      },
      { arn: SESSION },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      'an IAM user has no session name: denied although mapAccounts admits it',
      {
        mapUsers: `- userarn: ${USER}\n  username: system:node:{{EC2PrivateDNSName}}\n`,
        mapAccounts: account,
      },
      { arn: USER },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      'an instance id of the wrong length is no instance (instanceIDPattern ^i-(\\w{8}|\\w{17})$)',
      { mapRoles: ec2Role, mapAccounts: account },
      { arn: `arn:aws:sts::${ACCT}:assumed-role/Dev/i-0123456789` },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      'the session name from the STS UserId decides, not the ARN',
      { mapRoles: ec2Role, mapAccounts: account },
      { arn: instance, userId: 'AROAEXAMPLE:jane' },
      'denied',
      'EC2_PRIVATE_DNS_TEMPLATE',
    ],
    [
      'an instance session renders (its private DNS name is looked up in EC2)',
      { mapRoles: ec2Role },
      { arn: instance },
      'allowed',
      undefined,
    ],
  ])('%s', (_name, data, caller, decision, code) => {
    const v = run(data, caller);
    expect(v.decision).toBe(decision);
    expect(codes(v).includes(code ?? ('-' as FindingCode))).toBe(!!code);
  });
});

describe('category 4: each section loads on its own; mapRoles, then mapUsers, then mapAccounts, for every ARN type (pkg/mapper/configmap/configmap.go ParseMap, mapper.go Map; pkg/server/server.go doMapping)', () => {
  const broken = '- rolearn: [\n';
  const root = `arn:aws:iam::${ACCT}:root`;
  const federated = `arn:aws:sts::${ACCT}:federated-user/bob`;
  const roleEntry = (arn: string, username: string) =>
    `- rolearn: ${arn}\n  username: ${username}\n  groups:\n  - g\n`;
  const userEntry = (arn: string, username: string) =>
    `- userarn: ${arn}\n  username: ${username}\n  groups:\n  - g\n`;
  it.each<
    [string, Record<string, string>, CallerInfo, string | undefined, string?]
  >([
    [
      'mapRoles does not parse: a role session is admitted by a mapUsers entry for the role',
      { mapRoles: broken, mapUsers: userEntry(ROLE, 'from-users') },
      { arn: SESSION },
      'aws-auth-user',
      'from-users',
    ],
    [
      'mapRoles does not parse: mapAccounts still admits the account',
      { mapRoles: broken, mapAccounts: `- "${ACCT}"\n` },
      { arn: SESSION },
      'aws-auth-account',
      ROLE,
    ],
    [
      'mapUsers does not parse: an IAM user is admitted by a mapRoles entry naming the user',
      { mapUsers: broken, mapRoles: roleEntry(USER, 'from-roles') },
      { arn: USER },
      'aws-auth-role',
      'from-roles',
    ],
    [
      'mapAccounts does not parse: mapRoles still admits',
      { mapAccounts: '- [\n', mapRoles: roleEntry(ROLE, 'from-roles') },
      { arn: SESSION },
      'aws-auth-role',
      'from-roles',
    ],
    [
      'both sections map an IAM user: mapRoles wins',
      {
        mapRoles: roleEntry(USER, 'from-roles'),
        mapUsers: userEntry(USER, 'from-users'),
      },
      { arn: USER },
      'aws-auth-role',
      'from-roles',
    ],
    [
      'both sections map a role: mapRoles wins',
      {
        mapRoles: roleEntry(ROLE, 'from-roles'),
        mapUsers: userEntry(ROLE, 'from-users'),
      },
      { arn: SESSION },
      'aws-auth-role',
      'from-roles',
    ],
    [
      'root is matched in mapRoles too',
      { mapRoles: roleEntry(root, 'root-admin'), mapUsers: broken },
      { arn: root },
      'aws-auth-role',
      'root-admin',
    ],
    [
      'a federated user in mapUsers while mapRoles does not parse',
      { mapRoles: broken, mapUsers: userEntry(federated, 'bob') },
      { arn: federated },
      'aws-auth-user',
      'bob',
    ],
    [
      'a mapping that is not a list loads nothing, the other sections still do',
      {
        mapRoles: `rolearn: ${ROLE}\n`,
        mapUsers: userEntry(ROLE, 'from-users'),
      },
      { arn: SESSION },
      'aws-auth-user',
      'from-users',
    ],
    [
      'every section unusable: denied',
      { mapRoles: broken, mapUsers: broken, mapAccounts: '- [\n' },
      { arn: SESSION },
      undefined,
      undefined,
    ],
  ])('%s', (_name, data, caller, via, username) => {
    const v = run(data, caller);
    expect({ decision: v.decision, via: v.via, username: v.username }).toEqual({
      decision: via ? 'allowed' : 'denied',
      via,
      username,
    });
  });
});

describe('category 5: node-type access entries on a role people assume (pkg/server/server.go doMapping: the DynamicFile mapper answers first and a render failure ends the request)', () => {
  const defaultUsernames: Record<string, string> = {
    EC2_LINUX: 'system:node:{{EC2PrivateDNSName}}',
    EC2_WINDOWS: 'system:node:{{EC2PrivateDNSName}}',
    FARGATE_LINUX: 'system:node:{{SessionName}}',
    HYBRID_LINUX: 'system:node:{{SessionName}}',
  };
  const withEntry = (type: string): ClusterAccessData =>
    configMap(
      { mapRoles: roleMapped },
      {
        authenticationMode: 'API_AND_CONFIG_MAP',
        accessEntries: [
          {
            principalArn: ROLE,
            type,
            username: defaultUsernames[type],
            createdAt: '2025-01-01T00:00:00Z',
          },
        ],
      },
    );
  it.each<[string, 'allowed' | 'denied', string | undefined, string]>([
    ['EC2_LINUX', 'denied', undefined, 'error'],
    ['EC2_WINDOWS', 'denied', undefined, 'error'],
    ['FARGATE_LINUX', 'allowed', 'system:node:jane-example.com', 'warning'],
    ['HYBRID_LINUX', 'allowed', 'system:node:jane-example.com', 'warning'],
  ])(
    '%s: %s (aws-auth, which maps the role for people, is not consulted)',
    (type, decision, username, severity) => {
      const v = evaluateAccess({
        caller: { arn: SESSION },
        cluster: withEntry(type),
      });
      const finding = v.findings.find(
        f => f.code === 'ACCESS_ENTRY_NOT_STANDARD',
      );
      expect({
        decision: v.decision,
        username: v.username,
        severity: finding?.severity,
        hasFix: !!finding?.fix?.commands.length,
      }).toEqual({ decision, username, severity, hasFix: true });
      expect(v.via).not.toBe('aws-auth-role');
    },
  );
});
