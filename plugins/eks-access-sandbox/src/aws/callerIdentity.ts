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

import { CredentialRecord, IamPrincipal } from '../state/model';
import { SandboxState } from '../state/SandboxState';
import { globMatches } from './arn';

/** Who signed a request, as STS GetCallerIdentity reports it. */
export interface CallerIdentity {
  arn: string;
  userId: string;
  account: string;
  principal: IamPrincipal;
  sessionName?: string;
}

export function callerIdentity(
  state: SandboxState,
  credential: CredentialRecord,
): CallerIdentity {
  const principal = state.principals.get(credential.principalArn);
  if (!principal) {
    throw new Error(`No principal for ${credential.principalArn}`);
  }
  if (credential.session) {
    const sessionName = credential.session.sessionName;
    return {
      arn: `arn:${state.partition}:sts::${principal.account}:assumed-role/${principal.name}/${sessionName}`,
      userId: `${principal.id}:${sessionName}`,
      account: principal.account,
      principal,
      sessionName,
    };
  }
  return {
    arn: principal.arn,
    userId: principal.id,
    account: principal.account,
    principal,
  };
}

/** Whether the principal's permission statements allow the action on the resource. */
export function isActionAllowed(
  principal: IamPrincipal,
  action: string,
  resource: string,
): boolean {
  if (!principal.permissions) {
    return true;
  }
  return principal.permissions.some(statement => {
    const actions =
      typeof statement === 'string'
        ? [statement]
        : ([] as string[]).concat(statement.action);
    const resources =
      typeof statement === 'string' || statement.resource === undefined
        ? ['*']
        : ([] as string[]).concat(statement.resource);
    // IAM action names are case-insensitive.
    return (
      actions.some(a => globMatches(a.toLowerCase(), action.toLowerCase())) &&
      resources.some(r => globMatches(r, resource))
    );
  });
}
