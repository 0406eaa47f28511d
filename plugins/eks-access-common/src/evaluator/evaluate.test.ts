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

import { serializeAwsAuthEntries } from './awsAuth';
import { clusterFindings, indexClusterAccess } from './clusterIndex';
import { evaluateAccess } from './evaluate';
import type {
  AccessCheckInput,
  AccessEntryInfo,
  AccessVerdict,
  ClusterAccessData,
  FindingCode,
} from './types';

const ACCT = '111122223333';
const ROLE = `arn:aws:iam::${ACCT}:role/Dev`;
const ROLE_WITH_PATH = `arn:aws:iam::${ACCT}:role/teams/payments/Dev`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/Dev/jane@example.com`;
const USER = `arn:aws:iam::${ACCT}:user/eng/jane`;
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

const cluster = (over: Partial<ClusterAccessData> = {}): ClusterAccessData => ({
  name: 'dev-cluster',
  accountId: ACCT,
  region: 'eu-west-1',
  authenticationMode: 'API_AND_CONFIG_MAP',
  accessEntries: [],
  awsAuth: null,
  ...over,
});
const awsAuth = (
  roles: object[] = [],
  users: object[] = [],
  accounts: string[] = [],
) => ({
  data: serializeAwsAuthEntries({
    mapRoles: roles as any,
    mapUsers: users as any,
    mapAccounts: accounts,
  }),
});
const entry = (over: Partial<AccessEntryInfo> = {}): AccessEntryInfo => ({
  principalArn: ROLE,
  type: 'STANDARD',
  createdAt: '2025-01-01T00:00:00Z',
  accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
  ...over,
});
const run = (
  c: ClusterAccessData,
  caller: AccessCheckInput['caller'] = { arn: SESSION },
  now?: string,
) => evaluateAccess({ caller, cluster: c, now });
const codes = (v: AccessVerdict) => v.findings.map(f => f.code);
const finding = (v: AccessVerdict, code: FindingCode) =>
  v.findings.find(f => f.code === code);

describe('every error and warning carries a fix', () => {
  it('holds across a mix of situations', () => {
    const verdicts = [
      run(cluster({ accessEntries: [entry({ accessPolicies: [] })] })),
      run(
        cluster({
          authenticationMode: 'CONFIG_MAP',
          awsAuth: awsAuth([
            { rolearn: ROLE_WITH_PATH, username: 'x', groups: [] },
          ]),
        }),
      ),
      run(cluster({ accessEntries: undefined })),
      run(cluster(), { arn: 'nope' }),
      run(
        cluster({
          authenticationMode: 'API',
          accessEntries: [entry({ type: 'EC2_LINUX' })],
        }),
      ),
    ];
    const withoutFix = verdicts
      .flatMap(v => v.findings)
      .filter(f => f.severity !== 'info')
      .filter(f => !f.fix?.summary || !f.fix.commands.length);
    expect(withoutFix).toEqual([]);
    expect(verdicts.flatMap(v => v.findings).length).toBeGreaterThan(4);
  });
});

describe('INVALID_CALLER_ARN', () => {
  it('denies an invalid caller ARN', () => {
    const v = run(cluster(), { arn: 'arn:aws:s3:::bucket' });
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['INVALID_CALLER_ARN']);
    expect(finding(v, 'INVALID_CALLER_ARN')!.fix!.commands).toContain(
      'aws sts get-caller-identity',
    );
  });
  it('still reports shared aws-auth problems', () => {
    const v = run(cluster({ awsAuth: { data: { mapRoles: '- a\n\t- b' } } }), {
      arn: 'x',
    });
    expect(codes(v)).toEqual(['INVALID_CALLER_ARN', 'AWS_AUTH_PARSE_ERROR']);
  });
  it('is absent for a valid ARN', () => {
    expect(codes(run(cluster()))).not.toContain('INVALID_CALLER_ARN');
  });
});

describe('NOT_MAPPED', () => {
  it('denies when nothing admits, with an access-entry fix in API modes', () => {
    const v = run(
      cluster({
        accessEntries: [
          entry({ principalArn: `arn:aws:iam::${ACCT}:role/Other` }),
        ],
      }),
    );
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['NOT_MAPPED']);
    const cmds = finding(v, 'NOT_MAPPED')!.fix!.commands.join('\n');
    expect(cmds).toContain(
      `aws eks create-access-entry --cluster-name dev-cluster --region eu-west-1 --principal-arn "$(aws iam get-role --role-name Dev --query Role.Arn --output text)" --type STANDARD`,
    );
    expect(cmds).toContain(`--policy-arn ${VIEW} --access-scope type=cluster`);
  });
  it('uses the known IAM ARN (with path) in the fix', () => {
    const v = run(cluster(), { arn: SESSION, iamArn: ROLE_WITH_PATH });
    expect(finding(v, 'NOT_MAPPED')!.fix!.commands[0]).toContain(
      `--principal-arn ${ROLE_WITH_PATH}`,
    );
  });
  it('uses eksctl and the path-less ARN in CONFIG_MAP mode', () => {
    const v = run(cluster({ authenticationMode: 'CONFIG_MAP' }), {
      arn: SESSION,
      iamArn: ROLE_WITH_PATH,
    });
    const cmds = finding(v, 'NOT_MAPPED')!.fix!.commands;
    expect(cmds[0]).toBe(
      `eksctl create iamidentitymapping --cluster dev-cluster --region eu-west-1 --arn ${ROLE} --username 'arn:aws:sts::${ACCT}:assumed-role/Dev/{{SessionName}}' --group eks-access-viewers --no-duplicate-arns`,
    );
    expect(cmds).toContain(
      'kubectl create clusterrolebinding eks-access-viewers --clusterrole=view --group=eks-access-viewers',
    );
  });
  it('uses the partition of the cluster region in policy ARNs', () => {
    const v = run(cluster({ region: 'cn-north-1' }), {
      arn: `arn:aws-cn:sts::${ACCT}:assumed-role/Dev/s`,
    });
    expect(finding(v, 'NOT_MAPPED')!.fix!.commands[1]).toContain(
      'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
    );
  });
  it('is absent when the caller gets in', () => {
    expect(codes(run(cluster({ accessEntries: [entry()] })))).not.toContain(
      'NOT_MAPPED',
    );
  });
});

describe('§5.4 access entries', () => {
  it('a role entry stored with a path matches sessions of that role', () => {
    const v = run(
      cluster({ accessEntries: [entry({ principalArn: ROLE_WITH_PATH })] }),
    );
    expect(v).toMatchObject({
      decision: 'allowed',
      via: 'access-entry',
      matchedPrincipal: ROLE_WITH_PATH,
    });
    expect(v.username).toBe(
      `arn:aws:sts::${ACCT}:assumed-role/Dev/jane-example.com`,
    );
    expect(v.expectForbidden).toBe(false);
  });
  it('a user entry must match the user ARN with its path', () => {
    expect(
      run(cluster({ accessEntries: [entry({ principalArn: USER })] }), {
        arn: USER,
      }).decision,
    ).toBe('allowed');
    expect(
      run(
        cluster({
          accessEntries: [
            entry({ principalArn: `arn:aws:iam::${ACCT}:user/jane` }),
          ],
        }),
        { arn: USER },
      ).decision,
    ).toBe('denied');
  });
  it('renders a custom username and keeps the groups', () => {
    const v = run(
      cluster({
        accessEntries: [
          entry({
            username: 'dev:{{SessionNameRaw}}',
            kubernetesGroups: ['devs'],
          }),
        ],
      }),
    );
    expect(v.username).toBe('dev:jane@example.com');
    expect(v.groups).toEqual(['devs']);
  });
  it('is ignored in CONFIG_MAP mode', () => {
    expect(
      run(
        cluster({ authenticationMode: 'CONFIG_MAP', accessEntries: [entry()] }),
      ).decision,
    ).toBe('denied');
  });
  it('session and federated-user principal ARNs never match, and are reported for the cluster', () => {
    const c = cluster({ accessEntries: [entry({ principalArn: SESSION })] });
    expect(run(c).decision).toBe('denied');
    expect(clusterFindings(c).map(f => f.code)).toEqual([
      'ACCESS_ENTRY_UNMATCHABLE',
    ]);
  });
});

describe('ACCESS_ENTRY_OVERRIDES_AWS_AUTH (§5.1)', () => {
  const both = (entryGroups: string[], authGroups: string[]) =>
    cluster({
      accessEntries: [entry({ kubernetesGroups: entryGroups })],
      awsAuth: awsAuth([
        { rolearn: ROLE, username: 'dev', groups: authGroups },
      ]),
    });
  it('the entry wins even when it grants less; the fix adds the missing groups', () => {
    const v = run(both([], ['devs', 'system:masters']));
    expect(v.via).toBe('access-entry');
    expect(v.groups).toEqual([]);
    const f = finding(v, 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH')!;
    expect(f.severity).toBe('warning');
    expect(f.fix!.commands.join('\n')).toContain('AmazonEKSClusterAdminPolicy');
    expect(f.fix!.commands.join('\n')).toContain('--kubernetes-groups devs');
  });
  it('is only info when the entry already has the aws-auth groups', () => {
    expect(
      finding(run(both(['devs'], ['devs'])), 'ACCESS_ENTRY_OVERRIDES_AWS_AUTH')!
        .severity,
    ).toBe('info');
  });
  it('is absent without an aws-auth mapping or in API mode', () => {
    expect(codes(run(cluster({ accessEntries: [entry()] })))).not.toContain(
      'ACCESS_ENTRY_OVERRIDES_AWS_AUTH',
    );
    expect(
      codes(run({ ...both([], ['devs']), authenticationMode: 'API' })),
    ).not.toContain('ACCESS_ENTRY_OVERRIDES_AWS_AUTH');
  });
});

describe('ACCESS_ENTRY_NO_PERMISSIONS', () => {
  it('admits but predicts Forbidden when the entry has no policy and no group', () => {
    const v = run(cluster({ accessEntries: [entry({ accessPolicies: [] })] }));
    expect(v).toMatchObject({ decision: 'allowed', expectForbidden: true });
    expect(codes(v)).toEqual(['ACCESS_ENTRY_NO_PERMISSIONS']);
    expect(finding(v, 'ACCESS_ENTRY_NO_PERMISSIONS')!.fix!.commands[0]).toMatch(
      /^aws eks associate-access-policy/,
    );
  });
  it('is absent with a group only', () => {
    const v = run(
      cluster({
        accessEntries: [entry({ accessPolicies: [], kubernetesGroups: ['g'] })],
      }),
    );
    expect(codes(v)).toEqual([]);
    expect(v.expectForbidden).toBe(false);
  });
});

describe('ACCESS_ENTRY_STALE (§5.4, §8 #11)', () => {
  const stale = { arn: SESSION, principalCreatedAt: '2025-06-01T00:00:00Z' };
  it('a principal newer than its entry does not match: denied', () => {
    const v = run(cluster({ accessEntries: [entry()] }), stale);
    expect(v.decision).toBe('denied');
    expect(finding(v, 'ACCESS_ENTRY_STALE')!.severity).toBe('error');
    const cmds = finding(v, 'ACCESS_ENTRY_STALE')!.fix!.commands;
    expect(cmds[0]).toMatch(
      /^aws eks delete-access-entry .* --principal-arn arn:aws:iam::111122223333:role\/Dev$/,
    );
    expect(cmds[1]).toMatch(/^aws eks create-access-entry/);
    expect(cmds[2]).toContain(VIEW);
  });
  it('aws-auth is consulted as if the entry did not exist', () => {
    const v = run(
      cluster({
        accessEntries: [entry()],
        awsAuth: awsAuth([{ rolearn: ROLE, username: 'dev', groups: ['g'] }]),
      }),
      stale,
    );
    expect(v).toMatchObject({ decision: 'allowed', via: 'aws-auth-role' });
    expect(finding(v, 'ACCESS_ENTRY_STALE')!.severity).toBe('warning');
    // Recreating the entry would shadow aws-auth and drop group g.
    const cmds = finding(v, 'ACCESS_ENTRY_STALE')!.fix!.commands;
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatch(/^aws eks delete-access-entry/);
  });
  it('is absent when the principal is older than the entry, or its age is unknown', () => {
    expect(
      codes(
        run(cluster({ accessEntries: [entry()] }), {
          arn: SESSION,
          principalCreatedAt: '2024-01-01T00:00:00Z',
        }),
      ),
    ).toEqual([]);
    expect(codes(run(cluster({ accessEntries: [entry()] })))).toEqual([]);
  });
});

describe('ACCESS_ENTRY_NOT_STANDARD', () => {
  it('an EC2 entry refuses human sessions (no fallback to aws-auth)', () => {
    const v = run(
      cluster({
        accessEntries: [entry({ type: 'EC2_LINUX', accessPolicies: [] })],
        awsAuth: awsAuth([{ rolearn: ROLE, username: 'dev', groups: ['g'] }]),
      }),
    );
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['ACCESS_ENTRY_NOT_STANDARD']);
  });
  it('an EC2 entry admits an instance session as a node', () => {
    const v = run(
      cluster({
        accessEntries: [entry({ type: 'EC2_LINUX', accessPolicies: [] })],
      }),
      {
        arn: `arn:aws:sts::${ACCT}:assumed-role/Dev/i-0123456789abcdef0`,
      },
    );
    expect(v.decision).toBe('allowed');
    expect(finding(v, 'ACCESS_ENTRY_NOT_STANDARD')!.severity).toBe('warning');
  });
  it('a Fargate entry admits as the node system:node:<session>', () => {
    const v = run(
      cluster({
        accessEntries: [entry({ type: 'FARGATE_LINUX', accessPolicies: [] })],
      }),
    );
    expect(v).toMatchObject({
      decision: 'allowed',
      username: 'system:node:jane-example.com',
      expectForbidden: true,
    });
  });
  it('is absent for STANDARD entries', () => {
    expect(codes(run(cluster({ accessEntries: [entry()] })))).not.toContain(
      'ACCESS_ENTRY_NOT_STANDARD',
    );
  });
});

describe('RECENT_CHANGE', () => {
  const c = cluster({
    accessEntries: [entry({ modifiedAt: '2026-01-01T00:00:00Z' })],
  });
  it('flags an entry changed less than 2 minutes before now', () => {
    expect(codes(run(c, undefined, '2026-01-01T00:01:59Z'))).toEqual([
      'RECENT_CHANGE',
    ]);
  });
  it('not after 2 minutes, and never without now', () => {
    expect(codes(run(c, undefined, '2026-01-01T00:02:00Z'))).toEqual([]);
    expect(codes(run(c))).toEqual([]);
  });
});

describe('§4.4 aws-auth matching', () => {
  const cm = (roles: object[], users: object[] = [], accounts: string[] = []) =>
    cluster({
      authenticationMode: 'CONFIG_MAP',
      awsAuth: awsAuth(roles, users, accounts),
    });
  it('matches the canonical role ARN and renders templates', () => {
    const v = run(
      cm([
        {
          rolearn: ROLE,
          username: '{{AccountID}}:{{SessionName}}',
          groups: ['devs'],
        },
      ]),
    );
    expect(v).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-role',
      username: `${ACCT}:jane-example.com`,
      groups: ['devs'],
    });
  });
  it('the section does not matter: a role ARN under mapUsers matches', () => {
    expect(
      run(cm([], [{ userarn: ROLE, username: 'x', groups: ['g'] }])).via,
    ).toBe('aws-auth-user');
  });
  it('role entries are checked before user entries', () => {
    const v = run(
      cm(
        [{ rolearn: ROLE, username: 'from-roles', groups: ['g'] }],
        [{ userarn: ROLE, username: 'from-users', groups: ['g'] }],
      ),
    );
    expect(v.username).toBe('from-roles');
  });
  it('of two role entries for one ARN, the later wins', () => {
    const v = run(
      cm([
        { rolearn: ROLE, username: 'first', groups: ['g'] },
        { rolearn: ROLE, username: 'second', groups: ['g'] },
      ]),
    );
    expect(v.username).toBe('second');
    expect(
      clusterFindings(
        cm([
          { rolearn: ROLE, username: 'a', groups: [] },
          { rolearn: ROLE, username: 'b', groups: [] },
        ]),
      ).map(f => f.code),
    ).toContain('AWS_AUTH_DUPLICATE_ARN');
  });
  it('federated users match only their sts ARN', () => {
    const fed = `arn:aws:sts::${ACCT}:federated-user/bob`;
    expect(
      run(cm([], [{ userarn: fed, username: 'bob', groups: ['g'] }]), {
        arn: fed,
      }).decision,
    ).toBe('allowed');
  });
  it('an IAM role ARN as caller means a session of it', () => {
    expect(
      run(cm([{ rolearn: ROLE, username: 'x', groups: ['g'] }]), {
        arn: ROLE_WITH_PATH,
      }).decision,
    ).toBe('allowed');
  });
  it('aws-auth is ignored in API mode', () => {
    expect(
      run({
        ...cm([{ rolearn: ROLE, username: 'x', groups: ['g'] }]),
        authenticationMode: 'API',
      }).decision,
    ).toBe('denied');
  });
  it('sso: entries never match on EKS (feature gate off)', () => {
    const sso = `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/jane`;
    const c = cluster({
      authenticationMode: 'CONFIG_MAP',
      awsAuth: {
        data: {
          mapRoles: `- sso:\n    permissionSetName: Dev\n    accountID: "${ACCT}"\n  username: dev\n  groups: [devs]\n`,
        },
      },
    });
    const v = run(c, { arn: sso });
    expect(v.decision).toBe('denied');
    expect(codes(v)).toContain('AWS_AUTH_SSO_MATCHER');
    expect(finding(v, 'AWS_AUTH_SSO_MATCHER')!.fix!.commands[0]).toContain(
      `--arn arn:aws:iam::${ACCT}:role/AWSReservedSSO_Dev_0123456789abcdef`,
    );
  });
});

describe('CASE_MISMATCH', () => {
  it('matches ignoring case, with a warning and an exact-case fix', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth(
          [],
          [
            {
              userarn: `arn:aws:iam::${ACCT}:user/eng/Jane`,
              username: 'j',
              groups: ['g'],
            },
          ],
        ),
      }),
      { arn: USER },
    );
    expect(v).toMatchObject({ decision: 'allowed', via: 'aws-auth-user' });
    expect(finding(v, 'CASE_MISMATCH')!.fix!.commands[1]).toContain(
      `--arn ${USER}`,
    );
  });
  it('is absent when the case is exact', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth([], [{ userarn: USER, username: 'j', groups: ['g'] }]),
      }),
      { arn: USER },
    );
    expect(codes(v)).toEqual([]);
  });
});

describe('near misses in aws-auth', () => {
  const cm = (roles: object[]) =>
    cluster({ authenticationMode: 'CONFIG_MAP', awsAuth: awsAuth(roles) });
  it('AWS_AUTH_ROLE_ARN_HAS_PATH: the caller role written with a path', () => {
    const v = run(
      cm([{ rolearn: ROLE_WITH_PATH, username: 'dev', groups: ['devs'] }]),
    );
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['AWS_AUTH_ROLE_ARN_HAS_PATH', 'NOT_MAPPED']);
    expect(finding(v, 'AWS_AUTH_ROLE_ARN_HAS_PATH')!.fix!.commands).toEqual([
      `eksctl delete iamidentitymapping --cluster dev-cluster --region eu-west-1 --arn ${ROLE_WITH_PATH}`,
      `eksctl create iamidentitymapping --cluster dev-cluster --region eu-west-1 --arn ${ROLE} --username dev --group devs --no-duplicate-arns`,
    ]);
  });
  it('no AWS_AUTH_ROLE_ARN_HAS_PATH for another role with a path', () => {
    expect(
      codes(
        run(
          cm([
            {
              rolearn: `arn:aws:iam::${ACCT}:role/x/Other`,
              username: 'o',
              groups: [],
            },
          ]),
        ),
      ),
    ).toEqual(['NOT_MAPPED']);
  });
  it('AWS_AUTH_SESSION_ARN: a session ARN of the caller role', () => {
    const v = run(
      cm([
        {
          rolearn: `arn:aws:sts::${ACCT}:assumed-role/Dev/someone`,
          username: 'dev',
          groups: ['devs'],
        },
      ]),
    );
    expect(codes(v)).toEqual(['AWS_AUTH_SESSION_ARN', 'NOT_MAPPED']);
  });
  it('no AWS_AUTH_SESSION_ARN for a session of another role', () => {
    expect(
      codes(
        run(
          cm([
            {
              rolearn: `arn:aws:sts::${ACCT}:assumed-role/Other/s`,
              username: 'o',
              groups: [],
            },
          ]),
        ),
      ),
    ).toEqual(['NOT_MAPPED']);
  });
  const ssoCaller = {
    arn: `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_Dev_1111111111111111/jane`,
  };
  it('AWS_AUTH_SSO_SUFFIX_MISMATCH: same permission set, other suffix', () => {
    const v = run(
      cm([
        {
          rolearn: `arn:aws:iam::${ACCT}:role/AWSReservedSSO_Dev_2222222222222222`,
          username: 'd',
          groups: ['g'],
        },
      ]),
      ssoCaller,
    );
    expect(codes(v)).toEqual(['AWS_AUTH_SSO_SUFFIX_MISMATCH', 'NOT_MAPPED']);
  });
  it('no AWS_AUTH_SSO_SUFFIX_MISMATCH for the same suffix (it matches) or another permission set', () => {
    expect(
      run(
        cm([
          {
            rolearn: `arn:aws:iam::${ACCT}:role/AWSReservedSSO_Dev_1111111111111111`,
            username: 'd',
            groups: ['g'],
          },
        ]),
        ssoCaller,
      ).decision,
    ).toBe('allowed');
    expect(
      codes(
        run(
          cm([
            {
              rolearn: `arn:aws:iam::${ACCT}:role/AWSReservedSSO_Ops_2222222222222222`,
              username: 'd',
              groups: ['g'],
            },
          ]),
          ssoCaller,
        ),
      ),
    ).toEqual(['NOT_MAPPED']);
  });
  it('SSO role with the aws-reserved path is a path near miss', () => {
    const v = run(
      cm([
        {
          rolearn: `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_1111111111111111`,
          username: 'd',
          groups: ['g'],
        },
      ]),
      ssoCaller,
    );
    expect(codes(v)).toEqual(['AWS_AUTH_ROLE_ARN_HAS_PATH', 'NOT_MAPPED']);
  });
  it('near misses become warnings when mapAccounts lets the caller in', () => {
    const c = cluster({
      authenticationMode: 'CONFIG_MAP',
      awsAuth: awsAuth(
        [{ rolearn: ROLE_WITH_PATH, username: 'd', groups: [] }],
        [],
        [ACCT],
      ),
    });
    const v = run(c);
    expect(v.via).toBe('aws-auth-account');
    expect(finding(v, 'AWS_AUTH_ROLE_ARN_HAS_PATH')!.severity).toBe('warning');
  });
});

describe('§4.6 mapAccounts and NO_GROUPS', () => {
  it('admits any principal of the account as its canonical ARN, with no groups', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth([], [], [ACCT]),
      }),
    );
    expect(v).toMatchObject({
      decision: 'allowed',
      via: 'aws-auth-account',
      username: ROLE,
      groups: [],
      expectForbidden: true,
    });
    expect(codes(v)).toEqual(['NO_GROUPS']);
    expect(finding(v, 'NO_GROUPS')!.fix!.commands[1]).toBe(
      `kubectl create clusterrolebinding eks-access-view-arn-aws-iam-111122223333-role-dev --clusterrole=view --user=arn:aws:iam::${ACCT}:role/Dev`,
    );
  });
  it('explicit entries win over mapAccounts', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth(
          [{ rolearn: ROLE, username: 'dev', groups: ['g'] }],
          [],
          [ACCT],
        ),
      }),
    );
    expect(v.via).toBe('aws-auth-role');
    expect(codes(v)).toEqual([]);
  });
  it('NO_GROUPS for a mapping without groups', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth([{ rolearn: ROLE, username: 'dev', groups: [] }]),
      }),
    );
    expect(codes(v)).toEqual(['NO_GROUPS']);
  });
});

describe('EC2_PRIVATE_DNS_TEMPLATE (§4.7)', () => {
  const c = cluster({
    authenticationMode: 'CONFIG_MAP',
    awsAuth: awsAuth([
      {
        rolearn: ROLE,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
      },
    ]),
  });
  it('denies a human session mapped with {{EC2PrivateDNSName}}', () => {
    const v = run(c);
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['EC2_PRIVATE_DNS_TEMPLATE']);
    expect(finding(v, 'EC2_PRIVATE_DNS_TEMPLATE')!.fix!.commands[1]).toContain(
      '--group eks-access-viewers',
    );
  });
  it('admits an EC2 instance session', () => {
    expect(
      run(c, {
        arn: `arn:aws:sts::${ACCT}:assumed-role/Dev/i-0123456789abcdef0`,
      }).decision,
    ).toBe('allowed');
  });
  it('also applies to access entries with such a username', () => {
    const v = run(
      cluster({
        accessEntries: [entry({ username: 'x:{{EC2PrivateDNSName}}' })],
      }),
    );
    expect(codes(v)).toEqual(['EC2_PRIVATE_DNS_TEMPLATE']);
  });
});

describe('CLUSTER_CREATOR (§5.2)', () => {
  it('admits the creator of a CONFIG_MAP cluster as kubernetes-admin, before aws-auth', () => {
    const v = run(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        creatorArn: ROLE_WITH_PATH,
        awsAuth: awsAuth([{ rolearn: ROLE, username: 'dev', groups: ['g'] }]),
      }),
    );
    expect(v).toMatchObject({
      decision: 'allowed',
      via: 'cluster-creator',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    });
    expect(codes(v)).toEqual(['CLUSTER_CREATOR']);
  });
  it('also when aws-auth cannot be read', () => {
    expect(
      run(
        cluster({
          authenticationMode: 'CONFIG_MAP',
          creatorArn: SESSION,
          awsAuth: undefined,
        }),
      ).via,
    ).toBe('cluster-creator');
  });
  it('not in access-entry modes (the creator gets a visible entry there)', () => {
    expect(run(cluster({ creatorArn: ROLE })).decision).toBe('denied');
  });
});

describe('DATA_UNAVAILABLE and unknown', () => {
  it('unknown when nothing admits and a used source could not be read', () => {
    for (const c of [
      cluster({ accessEntries: undefined }),
      cluster({ awsAuth: undefined }),
      cluster({ authenticationMode: 'API', accessEntries: undefined }),
      cluster({ authenticationMode: 'CONFIG_MAP', awsAuth: undefined }),
    ]) {
      const v = run(c);
      expect(v.decision).toBe('unknown');
      expect(codes(v)).toEqual(['DATA_UNAVAILABLE']);
    }
  });
  it('a source the mode ignores does not matter', () => {
    expect(
      run(
        cluster({ authenticationMode: 'CONFIG_MAP', accessEntries: undefined }),
      ).decision,
    ).toBe('denied');
    expect(
      run(cluster({ authenticationMode: 'API', awsAuth: undefined })).decision,
    ).toBe('denied');
  });
  it('allowed through aws-auth, but warns that an unreadable access entry could override it', () => {
    const v = run(
      cluster({
        accessEntries: undefined,
        awsAuth: awsAuth([{ rolearn: ROLE, username: 'd', groups: ['g'] }]),
      }),
    );
    expect(v.decision).toBe('allowed');
    expect(codes(v)).toEqual(['DATA_UNAVAILABLE']);
  });
  it('an absent ConfigMap (null) is not unavailable', () => {
    expect(run(cluster({ awsAuth: null })).decision).toBe('denied');
  });
});

describe('AWS_AUTH_IGNORED_IN_API_MODE', () => {
  const mapped = awsAuth(
    [],
    [{ userarn: USER, username: 'jane', groups: ['devs', 'system:masters'] }],
  );
  it('explains that an aws-auth mapping does not count in API mode, with an access-entry fix', () => {
    const v = run(cluster({ authenticationMode: 'API', awsAuth: mapped }), {
      arn: USER,
    });
    expect(v.decision).toBe('denied');
    expect(codes(v)).toEqual(['AWS_AUTH_IGNORED_IN_API_MODE', 'NOT_MAPPED']);
    const cmds = finding(v, 'AWS_AUTH_IGNORED_IN_API_MODE')!.fix!.commands;
    expect(cmds[0]).toBe(
      `aws eks create-access-entry --cluster-name dev-cluster --region eu-west-1 --principal-arn ${USER} --type STANDARD --kubernetes-groups devs`,
    );
    expect(cmds[1]).toContain('AmazonEKSClusterAdminPolicy');
  });
  it('absent in modes that use aws-auth', () => {
    expect(
      codes(run(cluster({ awsAuth: mapped }), { arn: USER })),
    ).not.toContain('AWS_AUTH_IGNORED_IN_API_MODE');
  });
  it('clusterFindings reports ignored aws-auth in API mode as info, and no aws-auth problems', () => {
    const f = clusterFindings(
      cluster({
        authenticationMode: 'API',
        awsAuth: { data: { ...mapped.data, mapRoles: '\t-' } },
      }),
    );
    expect(f.map(x => [x.code, x.severity])).toEqual([
      ['AWS_AUTH_IGNORED_IN_API_MODE', 'info'],
    ]);
  });
});

describe('shared aws-auth findings (affect everyone)', () => {
  const data = {
    mapRoles: `- rolearn: ${ROLE}\n  username: dev\n  groups: [g]\n- username: orphan\n`,
    mapUsers: '- userarn: a\n\tusername: b',
    MapAccounts: '- "1"',
  };
  it('are reported even when the caller gets in', () => {
    const v = run(
      cluster({ authenticationMode: 'CONFIG_MAP', awsAuth: { data } }),
    );
    expect(v.decision).toBe('allowed');
    expect(codes(v).sort()).toEqual([
      'AWS_AUTH_ENTRY_INVALID',
      'AWS_AUTH_KEY_CASE',
      'AWS_AUTH_PARSE_ERROR',
    ]);
    expect(finding(v, 'AWS_AUTH_PARSE_ERROR')!.severity).toBe('error');
  });
});

describe('clusterFindings', () => {
  it('lists every aws-auth entry that can never match, for any caller', () => {
    const f = clusterFindings(
      cluster({
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth([
          { rolearn: ROLE_WITH_PATH, username: 'a', groups: [] },
          { rolearn: SESSION, username: 'b', groups: [] },
          { rolearn: ROLE, username: 'c', groups: [] },
        ]),
      }),
    );
    expect(f.map(x => x.code)).toEqual([
      'AWS_AUTH_ROLE_ARN_HAS_PATH',
      'AWS_AUTH_SESSION_ARN',
    ]);
  });
  it('flags STANDARD access entries without permissions', () => {
    expect(
      clusterFindings(
        cluster({ accessEntries: [entry({ accessPolicies: [] })] }),
      ).map(x => x.code),
    ).toEqual(['ACCESS_ENTRY_NO_PERMISSIONS']);
    expect(clusterFindings(cluster({ accessEntries: [entry()] }))).toEqual([]);
  });
  it('accepts a pre-built index', () => {
    const c = cluster({ accessEntries: [entry({ accessPolicies: [] })] });
    expect(clusterFindings(indexClusterAccess(c))).toEqual(clusterFindings(c));
  });
});

describe('purity', () => {
  it('is deterministic and gives the same answer with a pre-built index', () => {
    const c = cluster({
      accessEntries: [entry({ modifiedAt: '2026-01-01T00:00:00Z' })],
      awsAuth: awsAuth([{ rolearn: ROLE, username: 'x', groups: ['g'] }]),
    });
    const a = run(c, undefined, '2026-01-01T00:01:00Z');
    const index = indexClusterAccess(c);
    expect(run(c, undefined, '2026-01-01T00:01:00Z')).toEqual(a);
    expect(
      evaluateAccess({
        caller: { arn: SESSION },
        cluster: index,
        now: '2026-01-01T00:01:00Z',
      }),
    ).toEqual(a);
  });
  it('does not read the clock', () => {
    const spy = jest.spyOn(Date, 'now');
    run(
      cluster({
        accessEntries: [entry({ modifiedAt: '2026-01-01T00:00:00Z' })],
      }),
      undefined,
      '2026-01-01T00:01:00Z',
    );
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
  it('does not modify its input', () => {
    const c = cluster({
      accessEntries: [entry()],
      awsAuth: awsAuth([{ rolearn: ROLE, username: 'x', groups: ['g'] }]),
    });
    const copy = JSON.parse(JSON.stringify(c));
    run(c);
    expect(c).toEqual(copy);
  });
});
