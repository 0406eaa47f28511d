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
 * Table-driven tests over ../shared/conformance/authenticator-vectors.json:
 * every vector that fits the evaluator's model runs here. The vectors that do
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

/** The repository root is four levels above this folder; shared/ sits beside the repository. */
const VECTORS_PATH = path.resolve(
  __dirname,
  '../../../..',
  '../shared/conformance/authenticator-vectors.json',
);

function loadVectors(): Vector[] {
  if (!fs.existsSync(VECTORS_PATH)) {
    throw new Error(
      `Conformance vectors not found at ${VECTORS_PATH}: the shared/ folder must sit beside the repository`,
    );
  }
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

const byFunction = (prefix: string) =>
  vectors
    .map((v, i) => ({ ...v, i }))
    .filter(v => v.input.function.startsWith(prefix) && !(v.i in NOT_APPLICABLE));

const label = (v: Vector & { i: number }) => `#${v.i} ${v.source.split('#')[1]}`;

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

describe('§3 canonicalization', () => {
  it.each(byFunction('arn.Canonicalize').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      if (v.expected.error) {
        expect(() => canonicalizeArn(v.input.arn)).toThrow();
      } else {
        expect(canonicalizeArn(v.input.arn)).toBe(v.expected.canonicalArn);
      }
    },
  );
  it.each(byFunction('arn.StripPath').map(v => [label(v), v]))('%s', (_, v) => {
    if (v.expected.error) {
      expect(() => stripArnPath(v.input.arn)).toThrow();
    } else {
      expect(stripArnPath(v.input.arn)).toBe(v.expected.result);
    }
  });
});

describe('§2 identity from the STS answer', () => {
  it.each(byFunction('token.').map(v => [label(v), v]))('%s', (_, v) => {
    const accessKeyId =
      v.input.accessKeyID ??
      (v.input['tokenX-Amz-Credential'] as string | undefined)?.split('/')[0];
    const run = () => identityFromStsResult(v.input.stsResult, accessKeyId);
    if (v.i === 41) {
      // Never asserted upstream (see its note): the code rejects a role with a UserId without session.
      expect(run).toThrow('malformed UserID');
      return;
    }
    if (v.expected.error) {
      expect(run).toThrow(v.expected.errorContains);
      return;
    }
    const id = run();
    const actual: Record<string, unknown> = {
      ARN: id.arn,
      CanonicalARN: id.canonicalArn,
      AccountID: id.accountId,
      UserID: id.userId,
      SessionName: id.sessionName,
      AccessKeyID: id.accessKeyId,
    };
    for (const [k, want] of Object.entries(v.expected)) {
      expect([k, actual[k]]).toEqual([k, want]);
    }
  });
});

describe('§4.8 ArnLike', () => {
  it.each(byFunction('arn.ArnLike').map(v => [label(v), v]))('%s', (_, v) => {
    if (v.expected.error) {
      expect(() => arnLike(v.input.arn, v.input.pattern)).toThrow(
        new RegExp(escapeRegExp(v.expected.errorText), 'i'),
      );
    } else {
      expect(arnLike(v.input.arn, v.input.pattern)).toBe(v.expected.match);
    }
  });
  it.each(byFunction('arn.quoteMeta').map(v => [label(v), v]))('%s', (_, v) => {
    expect(arnLikeSectionPattern(v.input.input).toLowerCase()).toBe(
      v.expected.regexp.toLowerCase(),
    );
  });
});

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('§4.2–§4.5 entry key, match and validation', () => {
  it.each(
    [...byFunction('RoleMapping.'), ...byFunction('UserMapping.')].map(v => [
      label(v),
      v,
    ]),
  )('%s', (_, v) => {
    const fn: string = v.input.function;
    const m = v.input.mapping;
    if (fn.endsWith('.Validate')) {
      const reason = fn.startsWith('Role')
        ? validateRoleMapping(m)
        : validateUserMapping(m);
      expect(reason === undefined).toBe(v.expected.valid);
      if (!v.expected.valid) {
        expect(reason?.toLowerCase()).toBe(v.expected.reason.toLowerCase());
      }
    } else if (fn.endsWith('.Key')) {
      expect(awsAuthMappingKey(withDefaults(m))).toBe(v.expected.key);
    } else {
      expect(
        awsAuthMappingMatches(withDefaults(m), v.input.subject, {
          ssoRoleMatchEnabled: !!v.input.SSORoleMatchEnabled,
        }),
      ).toBe(v.expected.match);
    }
  });
});

function withDefaults(m: any): AwsAuthRoleMapping | AwsAuthUserMapping {
  return { username: '', groups: [], ...m };
}

describe('§4.4–§4.6 map store lookups', () => {
  it.each(byFunction('MapStore.').map(v => [label(v), v]))('%s', (_, v) => {
    const store = v.input.store;
    const opts = { ssoRoleMatchEnabled: !!store.SSORoleMatchEnabled };
    if (v.input.function === 'MapStore.AWSAccount') {
      expect(store.accounts.includes(v.input.accountID)).toBe(
        v.expected.allowed,
      );
      return;
    }
    const list: any[] =
      v.input.function === 'MapStore.UserMapping' ? store.users : store.roles;
    const found = list
      .map(withDefaults)
      .find(m => awsAuthMappingMatches(m, v.input.arn.toLowerCase(), opts));
    expect(!!found).toBe(v.expected.found);
    if (found) {
      expect(found.username).toBe(v.expected.username);
      expect(found.groups).toEqual(v.expected.groups);
    }
  });
});

describe('§4.1–§4.3 ParseMap', () => {
  it.each(byFunction('ParseMap').map(v => [label(v), v]))('%s', (_, v) => {
    const parsed = parseAwsAuth(v.input.data);
    const e = v.expected;
    if ('error' in e) {
      expect(parsed.problems.filter(p => p.code === 'AWS_AUTH_PARSE_ERROR')).toEqual(
        [],
      );
    }
    if (e.userMappings) expect(parsed.mapUsers).toEqual(e.userMappings);
    if (e.roleMappings) expect(parsed.mapRoles).toEqual(e.roleMappings);
    if (e.awsAccounts) expect(parsed.mapAccounts).toEqual(e.awsAccounts);
    if (e.encodeMap) expect(serializeAwsAuthEntries(parsed)).toEqual(e.encodeMap);
    if (e.encodeMapRoundTripEqualsInput) {
      const encoded = serializeAwsAuthEntries(parsed);
      expect(encoded.mapRoles).toBe(v.input.data.mapRoles);
      expect(encoded.mapUsers).toBe(v.input.data.mapUsers);
    }
    if (e.accountsAllowed) {
      for (const [acct, allowed] of Object.entries(e.accountsAllowed)) {
        expect([acct, parsed.mapAccounts.includes(acct)]).toEqual([
          acct,
          allowed,
        ]);
      }
    }
    if (e.userLookups) {
      for (const [arn, want] of Object.entries<any>(e.userLookups)) {
        const found = parsed.mapUsers.find(m =>
          awsAuthMappingMatches(m, arn.toLowerCase()),
        );
        expect([arn, found ?? null]).toEqual([arn, want]);
      }
    }
  });

  it.each(byFunction('ConfigMap watch').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      const cm = parseYaml(v.input.configMapYaml);
      const data: Record<string, unknown> = cm.data ?? {};
      // The API server only accepts string values in a ConfigMap's data.
      const createError = Object.values(data).some(x => typeof x !== 'string');
      expect(createError).toBe(v.expected.createError);
      const parsed = createError
        ? parseAwsAuth(undefined)
        : parseAwsAuth(data as Record<string, string>);
      expect(parsed.mapRoles).toEqual(v.expected.roleMappings);
      expect(parsed.mapUsers).toEqual(v.expected.userMappings);
      expect(parsed.mapAccounts).toEqual(v.expected.awsAccounts);
    },
  );
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
  it.each(byFunction('file.').map(v => [label(v), v]))('%s', (_, v) => {
    const m = fileMapper(v.input.config);
    expect(
      Object.fromEntries(m.roles.map(r => [awsAuthMappingKey(r), r])),
    ).toEqual(v.expected.roleMap);
    expect(
      Object.fromEntries(
        m.users.map(u => [awsAuthMappingKey(u).toLowerCase(), u]),
      ),
    ).toEqual(v.expected.userMap);
    expect(Object.fromEntries(m.accounts.map(a => [a, true]))).toEqual(
      v.expected.accountMap,
    );
  });
  it.each(byFunction('FileMapper.Map').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      const m = fileMapper(v.input.config);
      const subject = v.input.identity.CanonicalARN.toLowerCase();
      const opts = { ssoRoleMatchEnabled: !!v.input.config.SSORoleMatchEnabled };
      const found = [...m.roles, ...m.users].find(x =>
        awsAuthMappingMatches(x, subject, opts),
      );
      expect(found?.username).toBe(v.expected.Username);
      expect(found?.groups).toEqual(v.expected.Groups);
    },
  );
});

describe('§5.4 access entries (DynamicFile, user-id strict)', () => {
  it.each(byFunction('DynamicFileMapper.Map').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
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
      if (v.expected.error) {
        expect(verdict.decision).toBe('denied');
      } else {
        expect(verdict.decision).toBe('allowed');
        expect(verdict.canonicalArn).toBe(v.expected.IdentityARN);
        expect(verdict.username).toBe(v.expected.Username);
        expect(verdict.groups).toEqual(v.expected.Groups);
      }
    },
  );
});

describe('§4.7 templates and §4.9 reserved prefixes', () => {
  it.each(byFunction('handler.renderTemplate').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      const id = v.input.identity;
      const render = () =>
        renderTemplate(
          v.input.template,
          {
            accountId: id.AccountID ?? '',
            sessionName: id.SessionName ?? '',
            accessKeyId: id.AccessKeyID ?? '',
          },
          { ec2PrivateDnsName: v.input.ec2PrivateDNSNameStub },
        );
      if (v.expected.error) {
        expect(render).toThrow(v.expected.errorText);
      } else {
        expect(render()).toBe(v.expected.result);
      }
    },
  );
  it.each(byFunction('server.ReservedPrefixExists').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      expect(
        hasReservedUsernamePrefix(v.input.username, v.input.reservedList),
      ).toBe(v.expected.reserved);
    },
  );
});

describe('end to end: authenticateEndpoint', () => {
  it.each(byFunction('handler.authenticateEndpoint').map(v => [label(v), v]))(
    '%s',
    (_, v) => {
      const id = v.input.identity;
      const mapper = v.input.mappers[0];
      const data = serializeAwsAuthEntries({
        mapRoles: Object.values(mapper.roleMap ?? {}),
        mapUsers: Object.values(mapper.userMap ?? {}),
        mapAccounts: Object.keys(mapper.accountMap ?? {}),
      });
      const callerArn =
        id.SessionName && id.ARN.includes(':role/')
          ? id.ARN.replace(':iam::', ':sts::').replace(
              ':role/',
              ':assumed-role/',
            ) + `/${id.SessionName}`
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
      expect(verdict.decision).toBe('allowed');
      expect(verdict.canonicalArn).toBe(id.CanonicalARN);
      const want = v.expected.user;
      expect(verdict.groups ?? []).toEqual(want.groups ?? []);
      const mapping: any =
        Object.values(mapper.roleMap ?? {})[0] ??
        Object.values(mapper.userMap ?? {})[0];
      const username = mapping
        ? renderTemplate(
            mapping.username,
            { accountId: id.AccountID, sessionName: id.SessionName },
            { ec2PrivateDnsName: v.input.ec2PrivateDNSNameStub },
          )
        : verdict.username;
      expect(username).toBe(want.username);
      if (!v.input.ec2PrivateDNSNameStub) {
        expect(verdict.username).toBe(want.username);
      }
    },
  );
});
