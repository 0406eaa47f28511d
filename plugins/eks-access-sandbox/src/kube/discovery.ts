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

/*
 * Legacy (unaggregated) API discovery: /api, /api/v1, /apis and
 * /apis/<group>/<version>. kubectl asks for aggregated discovery first; it
 * falls back to these documents because the sandbox answers with plain
 * `application/json`.
 */

import {
  apiGroups,
  groupVersion,
  RESOURCE_TYPES,
  ResourceType,
} from './resourceCatalog';

function resourceEntry(t: ResourceType) {
  return {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.verbs,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
}

/**
 * The discovery document for a path, or undefined when the path is not a
 * discovery path. `serverAddress` is the host:port the client connected to.
 */
export function discoveryDocument(
  path: string,
  serverAddress: string,
): unknown | undefined {
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: apiGroups().map(g => {
        const versions = g.versions.map(version => ({
          groupVersion: `${g.name}/${version}`,
          version,
        }));
        return { name: g.name, versions, preferredVersion: versions[0] };
      }),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[1] ? '' : m[2];
  const version = m[1] ?? m[3];
  const types = RESOURCE_TYPES.filter(
    t => t.group === group && t.version === version,
  );
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(types[0]),
    resources: types.map(resourceEntry),
  };
}
