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

import type { AccessRequestScope } from '@eks-access/plugin-eks-access-common';

/** The smallest scope covering all of `scopes` (cluster wins). @public */
export function unionScopes(
  scopes: Array<AccessRequestScope | undefined>,
): AccessRequestScope | undefined {
  const present = scopes.filter((s): s is AccessRequestScope => !!s);
  if (present.length === 0) {
    return undefined;
  }
  if (present.some(s => s.type === 'cluster')) {
    return { type: 'cluster' };
  }
  const namespaces = new Set<string>();
  for (const scope of present) {
    if (scope.type === 'namespace') {
      scope.namespaces.forEach(n => namespaces.add(n));
    }
  }
  return { type: 'namespace', namespaces: [...namespaces].sort() };
}

/** Whether `outer` grants at least everything `inner` does. @public */
export function scopeCovers(
  outer: AccessRequestScope,
  inner: AccessRequestScope,
): boolean {
  if (outer.type === 'cluster') {
    return true;
  }
  if (inner.type === 'cluster') {
    return false;
  }
  return inner.namespaces.every(n => outer.namespaces.includes(n));
}

/** Whether two scopes grant the same. @public */
export function sameScope(
  a: AccessRequestScope,
  b: AccessRequestScope,
): boolean {
  return scopeCovers(a, b) && scopeCovers(b, a);
}
