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

import { pageOffset, pageToken } from './pageTokens';

describe('page tokens', () => {
  it('carry the offset of their own listing only', () => {
    const token = pageToken('log-groups:/aws/eks', 50);
    expect(pageOffset(token, 'log-groups:/aws/eks')).toBe(50);
    expect(pageOffset(token, 'log-groups:/other')).toBeUndefined();
  });

  it('refuse what no listing issued', () => {
    for (const token of [
      '',
      'not-base64!',
      Buffer.from('{"k":"roles","o":-1}').toString('base64url'),
      Buffer.from('{"k":"roles","o":1.5}').toString('base64url'),
      Buffer.from('roles:3').toString('base64url'),
    ]) {
      expect(pageOffset(token, 'roles')).toBeUndefined();
    }
  });
});
