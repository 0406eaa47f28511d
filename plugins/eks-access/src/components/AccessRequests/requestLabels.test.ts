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
import { levelLabel, relativeTimeLabel } from './requestLabels';

describe('levelLabel', () => {
  it('shows the level title, and the name once the level is gone from config', () => {
    expect(levelLabel({ level: 'view', levelTitle: 'View' })).toBe('View');
    expect(levelLabel({ level: 'view' })).toBe('view');
  });
});

describe('relativeTimeLabel', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  it('says "just now" for zero seconds, not "in 1 min"', () => {
    expect(relativeTimeLabel('2026-05-01T12:00:00Z', now)).toBe('just now');
    expect(relativeTimeLabel('2026-05-01T11:59:30Z', now)).toBe('just now');
    // A server clock a second ahead.
    expect(relativeTimeLabel('2026-05-01T12:00:01Z', now)).toBe('just now');
    expect(relativeTimeLabel('2026-05-01T12:00:30Z', now)).toBe(
      'in less than a minute',
    );
  });
  it('counts minutes from one minute on', () => {
    expect(relativeTimeLabel('2026-05-01T11:57:00Z', now)).toBe('3 min ago');
    expect(relativeTimeLabel('2026-05-01T12:55:00Z', now)).toBe('in 55 min');
  });
});
