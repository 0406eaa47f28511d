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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * Who calls a route, for the router tests: the signed-in user (Dana unless
 * told) and what the permission framework answers for them, every
 * permission allowed unless `permission` or `deny` says otherwise.
 */
export function mockCaller(
  options: {
    user?: string;
    /** The answer for every permission not in `deny`. */
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    /** Permission names answered DENY. */
    deny?: string[];
  } = {},
) {
  return {
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(
        options.user ?? 'user:default/dana',
      ),
    }),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: options.deny?.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : options.permission ?? AuthorizeResult.ALLOW,
        })),
    }),
  };
}
