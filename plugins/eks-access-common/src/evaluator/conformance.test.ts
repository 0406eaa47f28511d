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
 * Table-driven tests over __fixtures__/authenticator-vectors.json (vendored
 * upstream test data, see __fixtures__/README.md): every vector that fits the evaluator's model runs here. The vectors that do
 * not apply are listed (with the reason) in NOT_APPLICABLE and in the README.
 */

import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  arnLike,
  arnLikeSectionPattern,
  canonicalizeArn,
  stripArnPath,
} from './arn';
import {
  awsAuthMappingKey,
  awsAuthMappingMatches,
  AwsAuthRoleMapping,
  AwsAuthUserMapping,
  parseAwsAuth,
  serializeAwsAuthEntries,
  validateRoleMapping,
  validateUserMapping,
} from './awsAuth';
import { identityFromStsResult } from './callerIdentity';
import { evaluateAccess } from './evaluate';
import { hasReservedUsernamePrefix, renderTemplate } from './templates';

interface Vector {
  source: string;
  kind: string;
  input: any;
  expected: any;
  note?: string;
}

/** Vendored into the package so that a plain clone runs the suite. */
const VECTORS_PATH = path.join(
  __dirname,
  '__fixtures__',
  'authenticator-vectors.json',
);

function loadVectors(): Vector[] {
  return JSON.parse(fs.readFileSync(VECTORS_PATH, 'utf8'));
}

const vectors = loadVectors();

/** Vectors outside the evaluator's model, by index, with the reason (also in the README). */
const NOT_APPLICABLE: Record<number, string> = {
  88: 'DynamicFile store keyed by IAM unique id: EKS does not expose the unique id of access entries',
  89: 'DynamicFile store keyed by IAM unique id: EKS does not expose the unique id of access entries',
  90: 'DynamicFile store keyed by IAM unique id: EKS does not expose the unique id of access entries',
  97: 'a DynamicFile mapping without an ARN: every EKS access entry has a principal ARN',
  109: 'webhook HTTP status and latency metrics: token handling is not modelled',
  113: 'identity injected with a synthetic "iam … assumed-role" ARN that Canonicalize rejects; the username rule it checks (canonical role ARN) is covered by 112 and evaluate.test.ts',
  115: 'token verification error: token handling is not modelled',
  116: 'STS error: token handling is not modelled',
  117: 'STS throttling: token handling is not modelled',
};

const HANDLED_PREFIXES = [
  'arn.Canonicalize',
  'arn.StripPath',
  'token.',
  'arn.ArnLike',
  'arn.quoteMeta',
  'RoleMapping.',
  'UserMapping.',
  'MapStore.',
  'ParseMap',
  'ConfigMap watch',
  'file.',
  'FileMapper.Map',
  'DynamicFileMapper.Map',
  'handler.renderTemplate',
  'server.ReservedPrefixExists',
  'handler.authenticateEndpoint',
];

const byFunction = (prefix: string) =>
  vectors
    .map((v, i) => ({ ...v, i }))
    .filter(
      v => v.input.function.startsWith(prefix) && !(v.i in NOT_APPLICABLE),
    );

const cases = (prefix: string) =>
  byFunction(prefix).map(
    v => [`#${v.i} ${v.source.split('#')[1]}`, v] as const,
  );

/** Runs fn and reports its result or its error message, so one assertion covers both. */
function outcome<T>(
  fn: () => T,
): { error: false; value: T } | { error: true; message: string } {
  try {
    return { error: false, value: fn() };
  } catch (e) {
    return { error: true, message: (e as Error).message };
  }
}

describe('conformance vectors file', () => {
  it('has the 118 vectors the spec describes', () => {
    expect(vectors).toHaveLength(118);
  });
  it('leaves out only the vectors listed as not applicable', () => {
    const handled = new Set<number>();
    for (const prefix of HANDLED_PREFIXES) {
      byFunction(prefix).forEach(v => handled.add(v.i));
    }
    const unhandled = vectors
      .map((_, i) => i)
      .filter(i => !handled.has(i) && !(i in NOT_APPLICABLE));
    expect(unhandled).toEqual([]);
  });
});

describe('§3 canonicalization', () => {
  it.each(cases('arn.Canonicalize'))('%s', (_, v) => {
    const r = outcome(() => canonicalizeArn(v.input.arn));
    expect(
      r.error ? { error: true } : { error: false, canonicalArn: r.value },
    ).toEqual(v.expected);
  });
  it.each(cases('arn.StripPath'))('%s', (_, v) => {
    const r = outcome(() => stripArnPath(v.input.arn));
    expect(
      r.error ? { error: true } : { error: false, result: r.value },
    ).toEqual(v.expected);
  });
});

describe('§2 identity from the STS answer', () => {
  it.each(cases('token.'))('%s', (_, v) => {
    const accessKeyId =
      v.input.accessKeyID ??
      (v.input['tokenX-Amz-Credential'] as string | undefined)?.split('/')[0];
    const r = outcome(() =>
      identityFromStsResult(v.input.stsResult, accessKeyId),
    );
    // #41 is never asserted upstream (see its note): the code rejects a role whose UserId has no session.
    const expected =
      v.i === 41
        ? { error: true, errorContains: 'malformed UserID' }
        : v.expected;
    const actual: Record<string, unknown> = r.error
      ? {
          error: true,
          errorContains: r.message.includes(expected.errorContains)
            ? expected.errorContains
            : r.message,
        }
      : {
          ARN: r.value.arn,
          CanonicalARN: r.value.canonicalArn,
          AccountID: r.value.accountId,
          UserID: r.value.userId,
          SessionName: r.value.sessionName,
          AccessKeyID: r.value.accessKeyId,
        };
    const picked = Object.fromEntries(
      Object.keys(expected)
        .filter(k => k !== 'errorType')
        .map(k => [k, actual[k]]),
    );
    const { errorType: _type, ...want } = expected;
    expect(picked).toEqual(want);
  });
});

describe('§4.8 ArnLike', () => {
  it.each(cases('arn.ArnLike'))('%s', (_, v) => {
    const r = outcome(() => arnLike(v.input.arn, v.input.pattern));
    expect(
      r.error
        ? { match: false, error: true, errorText: r.message.toLowerCase() }
        : { match: r.value, error: false },
    ).toEqual(
      v.expected.error
        ? { ...v.expected, errorText: v.expected.errorText.toLowerCase() }
        : v.expected,
    );
  });
  it.each(cases('arn.quoteMeta'))('%s', (_, v) => {
    expect(arnLikeSectionPattern(v.input.input).toLowerCase()).toBe(
      v.expected.regexp.toLowerCase(),
    );
  });
});

function withDefaults(m: any): AwsAuthRoleMapping | AwsAuthUserMapping {
  return { username: '', groups: [], ...m };
}

describe('§4.2–§4.5 entry key, match and validation', () => {
  it.each([...cases('RoleMapping.Validate'), ...cases('UserMapping.Validate')])(
    '%s',
    (_, v) => {
      const reason = v.input.function.startsWith('Role')
        ? validateRoleMapping(v.input.mapping)
        : validateUserMapping(v.input.mapping);
      expect(
        reason === undefined
          ? { valid: true }
          : { valid: false, reason: reason.toLowerCase() },
      ).toEqual(
        v.expected.valid
          ? v.expected
          : { valid: false, reason: v.expected.reason.toLowerCase() },
      );
    },
  );
  it.each([...cases('RoleMapping.Key'), ...cases('UserMapping.Key')])(
    '%s',
    (_, v) => {
      expect(awsAuthMappingKey(withDefaults(v.input.mapping))).toBe(
        v.expected.key,
      );
    },
  );
  it.each([...cases('RoleMapping.Matches'), ...cases('UserMapping.Matches')])(
    '%s',
    (_, v) => {
      expect(
        awsAuthMappingMatches(withDefaults(v.input.mapping), v.input.subject, {
          ssoRoleMatchEnabled: !!v.input.SSORoleMatchEnabled,
        }),
      ).toBe(v.expected.match);
    },
  );
});

describe('§4.4–§4.6 map store lookups', () => {
  it.each(cases('MapStore.AWSAccount'))('%s', (_, v) => {
    expect(v.input.store.accounts.includes(v.input.accountID)).toBe(
      v.expected.allowed,
    );
  });
  it.each([...cases('MapStore.UserMapping'), ...cases('MapStore.RoleMapping')])(
    '%s',
    (_, v) => {
      const store = v.input.store;
      const list: any[] =
        v.input.function === 'MapStore.UserMapping' ? store.users : store.roles;
      const found = list.map(withDefaults).find(m =>
        awsAuthMappingMatches(m, v.input.arn.toLowerCase(), {
          ssoRoleMatchEnabled: !!store.SSORoleMatchEnabled,
        }),
      );
      const { error: _error, ...want } = v.expected;
      expect(
        found
          ? { found: true, username: found.username, groups: found.groups }
          : { found: false },
      ).toEqual(want);
    },
  );
});

describe('§4.1–§4.3 ParseMap', () => {
  it.each(cases('ParseMap'))('%s', (_, v) => {
    const parsed = parseAwsAuth(v.input.data);
    const e = v.expected;
    const encoded = serializeAwsAuthEntries(parsed);
    const actual: Record<string, unknown> = {
      error: parsed.problems.some(p => p.code === 'AWS_AUTH_PARSE_ERROR')
        ? 'parse error'
        : null,
      userMappings: parsed.mapUsers,
      roleMappings: parsed.mapRoles,
      awsAccounts: parsed.mapAccounts,
      encodeMap: encoded,
      encodeMapRoundTripEqualsInput:
        encoded.mapRoles === v.input.data.mapRoles &&
        encoded.mapUsers === v.input.data.mapUsers,
      accountsAllowed: Object.fromEntries(
        Object.keys(e.accountsAllowed ?? {}).map(a => [
          a,
          parsed.mapAccounts.includes(a),
        ]),
      ),
      userLookups: Object.fromEntries(
        Object.keys(e.userLookups ?? {}).map(arn => [
          arn,
          parsed.mapUsers.find(m =>
            awsAuthMappingMatches(m, arn.toLowerCase()),
          ) ?? null,
        ]),
      ),
    };
    const picked = Object.fromEntries(Object.keys(e).map(k => [k, actual[k]]));
    expect(picked).toEqual(e);
  });

  it.each(cases('ConfigMap watch'))('%s', (_, v) => {
    const cm = parseYaml(v.input.configMapYaml);
    const data: Record<string, unknown> = cm.data ?? {};
    // The API server only accepts string values in a ConfigMap's data.
    const createError = Object.values(data).some(x => typeof x !== 'string');
    const parsed = parseAwsAuth(
      createError ? undefined : (data as Record<string, string>),
    );
    expect({
      createError,
      roleMappings: parsed.mapRoles,
      userMappings: parsed.mapUsers,
      awsAccounts: parsed.mapAccounts,
    }).toEqual(v.expected);
  });
});

describe('MountedFile backend (configured role ARNs canonicalized)', () => {
  function fileMapper(config: any) {
    const roles = (config.mapRoles as any[]).map(r =>
      withDefaults(
        r.rolearn ? { ...r, rolearn: canonicalizeArn(r.rolearn) } : r,
      ),
    ) as AwsAuthRoleMapping[];
    const users = (config.mapUsers as any[]).map(withDefaults);
    return { roles, users, accounts: config.mapAccounts as string[] };
  }
  it.each(cases('file.'))('%s', (_, v) => {
    const m = fileMapper(v.input.config);
    expect({
      roleMap: Object.fromEntries(m.roles.map(r => [awsAuthMappingKey(r), r])),
      userMap: Object.fromEntries(
        m.users.map(u => [awsAuthMappingKey(u).toLowerCase(), u]),
      ),
      accountMap: Object.fromEntries(m.accounts.map(a => [a, true])),
    }).toEqual(v.expected);
  });
  it.each(cases('FileMapper.Map'))('%s', (_, v) => {
    const m = fileMapper(v.input.config);
    const subject = v.input.identity.CanonicalARN.toLowerCase();
    const opts = { ssoRoleMatchEnabled: !!v.input.config.SSORoleMatchEnabled };
    const found = [...m.roles, ...m.users].find(x =>
      awsAuthMappingMatches(x, subject, opts),
    );
    expect({
      IdentityARN: v.input.identity.CanonicalARN,
      Username: found?.username,
      Groups: found?.groups,
    }).toEqual(v.expected);
  });
});

describe('§5.4 access entries (DynamicFile, user-id strict)', () => {
  it.each(cases('DynamicFileMapper.Map'))('%s', (_, v) => {
    const mapping: any =
      Object.values(v.input.rolesByKey)[0] ??
      Object.values(v.input.usersByKey)[0];
    const verdict = evaluateAccess({
      caller: { arn: v.input.identity.ARN },
      cluster: {
        name: 'c',
        accountId: '012345678912',
        region: 'us-east-1',
        authenticationMode: 'API',
        accessEntries: [
          {
            principalArn: mapping.rolearn ?? mapping.userarn,
            type: 'STANDARD',
            username: mapping.username,
            kubernetesGroups: mapping.groups,
          },
        ],
      },
    });
    expect(
      verdict.decision === 'allowed'
        ? {
            IdentityARN: verdict.canonicalArn,
            Username: verdict.username,
            Groups: verdict.groups,
          }
        : { error: 'ErrIDAndARNMismatch (ARN does not match User ID)' },
    ).toEqual(v.expected);
  });
});

describe('§4.7 templates and §4.9 reserved prefixes', () => {
  it.each(cases('handler.renderTemplate'))('%s', (_, v) => {
    const id = v.input.identity;
    const r = outcome(() =>
      renderTemplate(
        v.input.template,
        {
          accountId: id.AccountID ?? '',
          sessionName: id.SessionName ?? '',
          accessKeyId: id.AccessKeyID ?? '',
        },
        { ec2PrivateDnsName: v.input.ec2PrivateDNSNameStub },
      ),
    );
    expect(
      r.error
        ? {
            error: true,
            errorText: r.message.includes(v.expected.errorText)
              ? v.expected.errorText
              : r.message,
          }
        : { error: false, result: r.value },
    ).toEqual(v.expected);
  });
  it.each(cases('server.ReservedPrefixExists'))('%s', (_, v) => {
    expect(
      hasReservedUsernamePrefix(v.input.username, v.input.reservedList),
    ).toBe(v.expected.reserved);
  });
});

describe('end to end: authenticateEndpoint', () => {
  it.each(cases('handler.authenticateEndpoint'))('%s', (_, v) => {
    const id = v.input.identity;
    const mapper = v.input.mappers[0];
    const data = serializeAwsAuthEntries({
      mapRoles: Object.values(mapper.roleMap ?? {}),
      mapUsers: Object.values(mapper.userMap ?? {}),
      mapAccounts: Object.keys(mapper.accountMap ?? {}),
    });
    // A role identity calls with a session: rebuild its session ARN.
    const callerArn =
      id.SessionName && id.ARN.includes(':role/')
        ? `${id.ARN.replace(':iam::', ':sts::').replace(
            ':role/',
            ':assumed-role/',
          )}/${id.SessionName}`
        : id.ARN;
    const verdict = evaluateAccess({
      caller: { arn: callerArn, accessKeyId: id.AccessKeyID },
      cluster: {
        name: 'c',
        accountId: id.AccountID,
        region: 'us-east-1',
        authenticationMode: 'CONFIG_MAP',
        awsAuth: { data },
      },
    });
    const mapping: any =
      Object.values(mapper.roleMap ?? {})[0] ??
      Object.values(mapper.userMap ?? {})[0];
    // The evaluator cannot call EC2: render {{EC2PrivateDNSName}} with the vector's stub.
    const username = mapping
      ? renderTemplate(
          mapping.username,
          { accountId: id.AccountID, sessionName: id.SessionName },
          { ec2PrivateDnsName: v.input.ec2PrivateDNSNameStub },
        )
      : verdict.username;
    expect({
      decision: verdict.decision,
      canonicalArn: verdict.canonicalArn,
      groups: verdict.groups,
      username,
      evaluatorUsername: verdict.username,
    }).toEqual({
      decision: 'allowed',
      canonicalArn: id.CanonicalARN,
      groups: v.expected.user.groups ?? [],
      username: v.expected.user.username,
      evaluatorUsername: v.input.ec2PrivateDNSNameStub
        ? mapping.username
        : v.expected.user.username,
    });
  });
});
