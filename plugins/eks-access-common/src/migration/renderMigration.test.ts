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

import { serializeAwsAuthEntries } from '../evaluator/awsAuth';
import type { ClusterAccessData } from '../evaluator/types';
import { planMigration } from './planMigration';
import { MIGRATION_FORMATS, renderMigration } from './renderMigration';

const ACCT = '111122223333';
const SSO_FULL = `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef`;
const cluster: ClusterAccessData = {
  name: 'payments',
  accountId: ACCT,
  region: 'eu-west-1',
  authenticationMode: 'CONFIG_MAP',
  creatorArn: `arn:aws:iam::${ACCT}:role/PlatformAdmin`,
  awsAuth: {
    data: serializeAwsAuthEntries({
      mapRoles: [
        {
          rolearn: `arn:aws:iam::${ACCT}:role/Nodes`,
          username: 'system:node:{{EC2PrivateDNSName}}',
          groups: ['system:bootstrappers', 'system:nodes'],
        },
        {
          rolearn: `arn:aws:iam::${ACCT}:role/AWSReservedSSO_Dev_0123456789abcdef`,
          username: 'dev:{{SessionName}}',
          groups: ['devs', 'system:masters'],
        },
      ],
      mapUsers: [
        {
          userarn: `arn:aws:iam::${ACCT}:user/ci`,
          username: 'ci',
          groups: ['deployers'],
        },
      ],
      mapAccounts: ['444455556666'],
    }),
  },
};

describe('renderMigration', () => {
  const plan = planMigration({
    cluster,
    iamPrincipals: [
      `arn:aws:iam::${ACCT}:role/PlatformAdmin`,
      `arn:aws:iam::${ACCT}:role/Nodes`,
      SSO_FULL,
      `arn:aws:iam::${ACCT}:user/ci`,
    ],
  });

  it.each(MIGRATION_FORMATS.map(f => [f]))('renders %s', format => {
    expect(renderMigration(plan, format)).toMatchSnapshot();
  });

  it('switches to API last, marked irreversible, and never touches aws-auth', () => {
    for (const format of MIGRATION_FORMATS) {
      const text = renderMigration(plan, format);
      const toApi = text.lastIndexOf('authentication mode to API (final)');
      expect(
        text.indexOf('authentication mode to API_AND_CONFIG_MAP'),
      ).toBeLessThan(text.indexOf('create the access entries'));
      expect(toApi).toBeGreaterThan(text.indexOf('create the access entries'));
      expect(text).toContain('cannot switch back from API');
      expect(text).not.toMatch(
        /configmap aws-auth|kubernetes_config_map|iamidentitymapping/,
      );
    }
  });

  it('writes node entries with their type, the SSO role with its path', () => {
    const cli = renderMigration(plan, 'aws-cli');
    expect(cli).toContain(
      `--principal-arn arn:aws:iam::${ACCT}:role/Nodes --type EC2_LINUX`,
    );
    expect(cli).toContain(
      `--principal-arn ${SSO_FULL} --type STANDARD --username 'dev:{{SessionName}}' --kubernetes-groups devs`,
    );
    expect(renderMigration(plan, 'terraform')).toContain(
      'type          = "EC2_LINUX"',
    );
    expect(renderMigration(plan, 'eksctl')).toContain('      type: EC2_LINUX');
  });
});
