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

import { InputError } from '@backstage/errors';
import {
  canonicalizeArn,
  iamPrincipalOf,
  parseCallerIdentity,
  sessionNameOf,
  type ResolvedIdentity,
} from '@eks-access/plugin-eks-access-common';
import { principalLabel } from './AnnotationIdentityResolver';

/**
 * Reads a pasted identity (`aws sts get-caller-identity` output or an ARN).
 * Throws InputError with the evaluator's plain-language reason.
 */
export function pastedIdentity(text: string): ResolvedIdentity {
  let arn: string;
  let userId: string | undefined;
  try {
    ({ arn, userId } = parseCallerIdentity(text));
  } catch (error) {
    throw new InputError(
      error instanceof Error ? error.message : 'Invalid identity',
    );
  }
  const principal = iamPrincipalOf(arn);
  const sessionName = sessionNameOf(arn);
  let principalArn = arn;
  try {
    principalArn = canonicalizeArn(arn);
  } catch {
    // parseCallerIdentity accepted it; keep it as pasted
  }
  return {
    callerArn: arn,
    principalArn,
    ...(sessionName ? { sessionName } : {}),
    ...(userId ? { userId } : {}),
    source: 'pasted',
    label: principal
      ? `${principalLabel({ ...principal, principalArn })} (pasted)`
      : 'pasted identity',
  };
}
