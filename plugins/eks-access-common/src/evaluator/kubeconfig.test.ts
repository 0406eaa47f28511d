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

import { kubeconfigCommand, kubeconfigGuidance } from './kubeconfig';

describe('kubeconfigGuidance', () => {
  const cluster = { name: 'payments prod', region: 'us-east-1' };
  it('plain command for an IAM user', () => {
    const g = kubeconfigGuidance({
      caller: { arn: 'arn:aws:iam::1:user/u' },
      cluster,
    });
    expect(g.command).toBe(
      "aws eks update-kubeconfig --name 'payments prod' --region us-east-1",
    );
    expect(g.roleArnCommand).toBeUndefined();
  });
  it('--role-arn with the role ARN, never the session ARN', () => {
    const g = kubeconfigGuidance({
      caller: {
        arn: 'arn:aws:sts::111122223333:assumed-role/Deploy/ci',
        iamArn: 'arn:aws:iam::111122223333:role/ci/Deploy',
      },
      cluster,
    });
    expect(g.roleArnCommand).toBe(
      "aws eks update-kubeconfig --name 'payments prod' --region us-east-1 --role-arn arn:aws:iam::111122223333:role/ci/Deploy",
    );
    expect(g.roleArnCommand).not.toContain('assumed-role');
  });
  it('falls back to the canonical role ARN when the path is unknown', () => {
    const g = kubeconfigGuidance({
      caller: { arn: 'arn:aws:sts::1:assumed-role/Deploy/ci' },
      cluster,
    });
    expect(g.roleArnCommand).toContain('--role-arn arn:aws:iam::1:role/Deploy');
  });
  it('--profile guidance, not --role-arn, for IAM Identity Center roles', () => {
    const g = kubeconfigGuidance({
      caller: {
        arn: 'arn:aws:sts::1:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/jane',
      },
      cluster,
    });
    expect(g.roleArnCommand).toBeUndefined();
    expect(g.notes.join(' ')).toMatch(/--profile/);
  });
  it('says when the identity is not let in yet', () => {
    const g = kubeconfigGuidance(
      { caller: { arn: 'arn:aws:iam::1:user/u' }, cluster },
      { decision: 'denied', findings: [] },
    );
    expect(g.notes[0]).toMatch(/Unauthorized/);
  });
  it('says how to run it when the cluster is in another account', () => {
    const crossAccount = kubeconfigGuidance({
      caller: { arn: 'arn:aws:iam::111122223333:user/dana' },
      cluster: { ...cluster, accountId: '444455556666' },
    });
    expect(crossAccount.notes.join(' ')).toMatch(
      /eks:DescribeCluster in account 444455556666/,
    );
    const sameAccount = kubeconfigGuidance({
      caller: { arn: 'arn:aws:iam::444455556666:user/dana' },
      cluster: { ...cluster, accountId: '444455556666' },
    });
    expect(sameAccount.notes.join(' ')).not.toMatch(/DescribeCluster/);
  });
  it('kubeconfigCommand returns the plain command', () => {
    expect(kubeconfigCommand({ caller: { arn: 'bad' }, cluster })).toBe(
      "aws eks update-kubeconfig --name 'payments prod' --region us-east-1",
    );
  });
});
