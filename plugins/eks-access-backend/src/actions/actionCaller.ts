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

import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { RequestActor } from '../requests';

/**
 * The signed-in user an action runs as. Actions answer questions about "my"
 * access, so a service principal (another plugin, an unauthenticated MCP
 * client) has no identities to check and is refused.
 */
export function actionUser(
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  const principal = credentials.principal as { type?: string };
  if (principal?.type !== 'user') {
    throw new NotAllowedError(
      'EKS access actions run as a signed-in Backstage user; call them with a user token',
    );
  }
  return credentials as BackstageCredentials<BackstageUserPrincipal>;
}

/** The request flow's view of the calling user. */
export function actionActor(credentials: BackstageCredentials): RequestActor {
  const user = actionUser(credentials);
  return { userEntityRef: user.principal.userEntityRef, credentials: user };
}
