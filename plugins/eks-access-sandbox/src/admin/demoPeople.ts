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

/**
 * The demo people (docs/demo-scenario.md) and the role session each works
 * as. The sandbox issues their session credentials directly, as IAM Identity
 * Center would after a sign-in: Dana's SSO role trusts only the SAML
 * provider, so AssumeRole cannot produce her session.
 *
 * @public
 */
export const DEMO_PEOPLE: Record<
  string,
  { roleArn: string; sessionName: string }
> = {
  dana: {
    roleArn:
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PaymentsDeveloper_1a2b3c4d5e6f7a8b',
    sessionName: 'dana@example.com',
  },
  sam: {
    roleArn:
      'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataEngineer_3c4d5e6f7a8b9c0d',
    sessionName: 'sam@example.com',
  },
  alex: {
    roleArn:
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_2b3c4d5e6f7a8b9c',
    sessionName: 'alex@example.com',
  },
};

/** Session credentials in the AWS CLI's `credential_process` format. */
export function credentialProcessOutput(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}) {
  return {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
  };
}
