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

import { applyJsonPatch, PatchFailed } from './configMapPatch';

describe('applyJsonPatch', () => {
  const configMap = { data: { mapRoles: '- a', mapUsers: '- b' } };

  it('applies add, replace and remove without changing the input', () => {
    const after = applyJsonPatch(configMap, [
      { op: 'replace', path: '/data/mapRoles', value: '- c' },
      { op: 'remove', path: '/data/mapUsers' },
      { op: 'add', path: '/data/mapAccounts', value: '- "1"' },
    ]);
    expect(after).toEqual({ data: { mapRoles: '- c', mapAccounts: '- "1"' } });
    expect(configMap.data.mapRoles).toBe('- a');
  });

  it('fails the whole patch when a test operation fails, as the API server does', () => {
    expect(() =>
      applyJsonPatch(configMap, [
        { op: 'test', path: '/data/mapRoles', value: 'stale' },
        { op: 'replace', path: '/data/mapRoles', value: '- c' },
      ]),
    ).toThrow(PatchFailed);
    expect(() =>
      applyJsonPatch(configMap, [{ op: 'remove', path: '/data/missing' }]),
    ).toThrow(PatchFailed);
    expect(() => applyJsonPatch(configMap, { op: 'add' })).toThrow(PatchFailed);
  });
});
