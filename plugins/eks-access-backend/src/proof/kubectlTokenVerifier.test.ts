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

import { decodeProofToken, stsHostPartition } from './kubectlTokenVerifier';

describe('stsHostPartition', () => {
  it.each([
    ['sts.amazonaws.com', 'us-east-1', 'aws'],
    ['sts.eu-west-1.amazonaws.com', 'eu-west-1', 'aws'],
    ['sts-fips.us-east-2.amazonaws.com', 'us-east-2', 'aws'],
    ['sts.eu-west-1.api.aws', 'eu-west-1', 'aws'],
    ['sts.us-gov-west-1.amazonaws.com', 'us-gov-west-1', 'aws-us-gov'],
    ['sts.cn-north-1.amazonaws.com.cn', 'cn-north-1', 'aws-cn'],
  ])('accepts %s for %s (%s)', (host, region, partition) => {
    expect(stsHostPartition(host, region)).toBe(partition);
  });

  it.each([
    ['sts.amazonaws.com', 'eu-west-1'],
    ['sts.eu-west-1.amazonaws.com', 'us-east-1'],
    ['sts.cn-north-1.amazonaws.com', 'cn-north-1'],
    ['sts.eu-west-1.amazonaws.com.evil.example', 'eu-west-1'],
    ['evil.example', 'us-east-1'],
  ])('refuses %s for %s', (host, region) => {
    expect(stsHostPartition(host, region)).toBeUndefined();
  });
});

describe('decodeProofToken', () => {
  it('refuses a token with a port on a real STS host without contacting it', () => {
    const url =
      'https://sts.us-east-1.amazonaws.com:8443/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Fsts%2Faws4_request';
    expect(() =>
      decodeProofToken(`k8s-aws-v1.${Buffer.from(url).toString('base64url')}`, {
        now: new Date(),
        allowedEndpoints: [],
      }),
    ).toThrow(/not an AWS STS endpoint/);
  });
});
