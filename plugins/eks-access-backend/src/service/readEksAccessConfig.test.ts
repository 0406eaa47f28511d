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

import { ConfigReader } from '@backstage/config';
import { readEksAccessConfig } from './readEksAccessConfig';

describe('eksAccess.identity.identityCenter config', () => {
  const base = {
    instanceArn: 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f',
    identityStoreId: 'd-9067a1b2c3',
    region: 'eu-west-1',
    accountId: '111122223333',
  };
  it('applies defaults and per-service endpoints', () => {
    const config = readEksAccessConfig(
      new ConfigReader({
        eksAccess: {
          aws: { endpoint: 'http://localhost:4566' },
          identity: { resolvers: ['identityCenter'], identityCenter: base },
        },
      }),
    );
    expect(config.identity.identityCenter).toEqual({
      ...base,
      userFrom: 'email',
      userAnnotation: 'eks-access.io/identity-center-user',
      matchAttribute: 'userName',
      cacheTtlMs: 300_000,
      endpoints: {
        identitystore: 'http://localhost:4566',
        sso: 'http://localhost:4566',
      },
    });
  });

  it('refuses the resolver without its config, and bad values', () => {
    expect(() =>
      readEksAccessConfig(
        new ConfigReader({
          eksAccess: { identity: { resolvers: ['identityCenter'] } },
        }),
      ),
    ).toThrow(/identityCenter is not configured/);
    expect(() =>
      readEksAccessConfig(
        new ConfigReader({
          eksAccess: {
            identity: { identityCenter: { ...base, userFrom: 'nickname' } },
          },
        }),
      ),
    ).toThrow(/userFrom/);
    expect(() =>
      readEksAccessConfig(
        new ConfigReader({
          eksAccess: {
            identity: { identityCenter: { ...base, accountId: '1' } },
          },
        }),
      ),
    ).toThrow(/12-digit/);
  });
});
