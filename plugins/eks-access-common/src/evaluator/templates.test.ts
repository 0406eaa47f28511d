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

import { hasReservedUsernamePrefix, renderTemplate } from './templates';

describe('renderTemplate (§4.7)', () => {
  it('keeps unknown placeholders and unknown values literal', () => {
    expect(
      renderTemplate('{{Session}}-{{AccessKeyID}}', { sessionName: 's' }),
    ).toBe('{{Session}}-{{AccessKeyID}}');
  });
  it('renders {{EC2PrivateDNSName}} only for instance sessions', () => {
    expect(() =>
      renderTemplate('{{EC2PrivateDNSName}}', { sessionName: 'jane' }),
    ).toThrow();
    expect(() => renderTemplate('{{EC2PrivateDNSName}}', {})).toThrow();
    expect(
      renderTemplate('n:{{EC2PrivateDNSName}}', {
        sessionName: 'i-0123456789abcdef0',
      }),
    ).toBe('n:{{EC2PrivateDNSName}}');
  });
  it('reserved prefixes default to the access-entry list', () => {
    expect(hasReservedUsernamePrefix('eks:x')).toBe(true);
    expect(hasReservedUsernamePrefix('dev:x')).toBe(false);
  });
});
