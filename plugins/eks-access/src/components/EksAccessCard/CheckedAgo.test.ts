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

import { formatCheckedAgo } from './CheckedAgo';

describe('formatCheckedAgo', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  it('says "just now" for a check of the last seconds', () => {
    expect(formatCheckedAgo('2026-05-01T12:00:00Z', now)).toBe('just now');
    expect(formatCheckedAgo('2026-05-01T12:00:03Z', now)).toBe('just now');
  });
  it('counts seconds, minutes and hours after that', () => {
    expect(formatCheckedAgo('2026-05-01T11:59:48Z', now)).toBe('12 s ago');
    expect(formatCheckedAgo('2026-05-01T11:57:00Z', now)).toBe('3 min ago');
    expect(formatCheckedAgo('2026-05-01T10:00:00Z', now)).toBe('2 h ago');
  });
});
