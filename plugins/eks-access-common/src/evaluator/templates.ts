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
 * Username and group templates (eks-auth-spec §4.7) and reserved username
 * prefixes (§4.9).
 */

/** The identity fields templates can use. @internal */
export interface TemplateIdentity {
  accountId?: string;
  /** Empty for users; `undefined` when unknown. */
  sessionName?: string;
  accessKeyId?: string;
}

/** `{{EC2PrivateDNSName}}` needs a session name that is an EC2 instance id. */
const INSTANCE_ID_SESSION = /^i-(\w{8}|\w{17})$/;

/**
 * Renders a username or group template like aws-iam-authenticator's
 * `renderTemplate` (§4.7): `{{AccountID}}`, `{{SessionName}}` (every `@`
 * replaced by `-`), `{{SessionNameRaw}}`, `{{AccessKeyID}}`; unknown
 * placeholders stay literal, and so do known ones whose value is unknown
 * here. `{{EC2PrivateDNSName}}` needs a session name that is an instance id,
 * otherwise rendering fails (an Error is thrown, as authentication fails);
 * with an instance id it is replaced by `ec2PrivateDnsName` when given and
 * left literal otherwise.
 * @internal
 */
export function renderTemplate(
  template: string,
  identity: TemplateIdentity,
  options?: { ec2PrivateDnsName?: string },
): string {
  let out = template;
  if (out.includes('{{EC2PrivateDNSName}}')) {
    if (
      identity.sessionName === undefined ||
      !INSTANCE_ID_SESSION.test(identity.sessionName)
    ) {
      throw new Error(
        `error rendering username template "${template}": SessionName did not contain an instance id`,
      );
    }
    if (options?.ec2PrivateDnsName !== undefined) {
      out = out.split('{{EC2PrivateDNSName}}').join(options.ec2PrivateDnsName);
    }
  }
  if (identity.accountId !== undefined) {
    out = out.split('{{AccountID}}').join(identity.accountId);
  }
  if (identity.sessionName !== undefined) {
    out = out
      .split('{{SessionName}}')
      .join(identity.sessionName.replace(/@/g, '-'));
    out = out.split('{{SessionNameRaw}}').join(identity.sessionName);
  }
  if (identity.accessKeyId !== undefined) {
    out = out.split('{{AccessKeyID}}').join(identity.accessKeyId);
  }
  return out;
}

/**
 * Whether a template needs `{{EC2PrivateDNSName}}` (only EC2 instance sessions can render it).
 * @internal
 */
export function usesEc2PrivateDnsName(template: string): boolean {
  return template.includes('{{EC2PrivateDNSName}}');
}

/**
 * The username prefixes EKS refuses for access entries, which are also the
 * `usernamePrefixReserveList` of the authenticator's DynamicFile backend (§4.9, §5.4).
 * @public
 */
export const RESERVED_USERNAME_PREFIXES: readonly string[] = [
  'aws:',
  'eks:',
  'amazon:',
  'iam:',
  'system:',
];

/**
 * Whether a username begins with one of the reserved prefixes
 * (aws-iam-authenticator `ReservedPrefixExists`, §4.9).
 * @internal
 */
export function hasReservedUsernamePrefix(
  username: string,
  prefixes: readonly string[] = RESERVED_USERNAME_PREFIXES,
): boolean {
  return prefixes.some(p => username.startsWith(p));
}
