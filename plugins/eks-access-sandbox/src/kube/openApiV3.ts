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
 * A minimal OpenAPI v3 (`/openapi/v3`, `/openapi/v3/<gv>`): before apply,
 * create, edit or replace, kubectl checks here that the server validates
 * fields itself (a `fieldValidation` query parameter on the type's PATCH
 * operation); without it kubectl wants the full OpenAPI v2 schema to
 * validate on the client, and fails. The documents carry only paths and
 * parameters, no schemas: kubectl then builds strategic merge patches from
 * its built-in types, as it does against any server without schemas.
 */

import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, ResourceType } from './resourceCatalog';

const QUERY_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map(
  name => ({
    name,
    in: 'query',
    schema: { type: 'string', uniqueItems: true },
  }),
);

/** The document's key in the root: `api/v1` or `apis/<group>/<version>`. */
const keyOf = (t: ResourceType) =>
  t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;

function operation(t: ResourceType, action: string) {
  return {
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': {
      group: t.group,
      version: t.version,
      kind: t.kind,
    },
    parameters: QUERY_PARAMETERS,
    responses: { '200': { description: 'OK' } },
  };
}

function document(key: string) {
  const paths: Record<string, unknown> = {};
  for (const t of RESOURCE_TYPES.filter(r => keyOf(r) === key)) {
    const collection = `/${key}${
      t.namespaced ? '/namespaces/{namespace}' : ''
    }/${t.resource}`;
    paths[collection] = {
      get: operation(t, 'list'),
      post: operation(t, 'post'),
    };
    paths[`${collection}/{name}`] = {
      get: operation(t, 'get'),
      put: operation(t, 'put'),
      patch: operation(t, 'patch'),
      delete: operation(t, 'delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1' },
    paths,
    components: { schemas: {} },
  };
}

const KEYS = [...new Set(RESOURCE_TYPES.map(keyOf))];
const HASHES = Object.fromEntries(
  KEYS.map(key => [
    key,
    createHash('sha512')
      .update(JSON.stringify(document(key)))
      .digest('hex')
      .toUpperCase(),
  ]),
);

/** The OpenAPI v3 document for a path under /openapi/v3, or undefined. */
export function openApiV3Document(path: string): unknown | undefined {
  if (path === '/openapi/v3') {
    return {
      paths: Object.fromEntries(
        KEYS.map(key => [
          key,
          { serverRelativeURL: `/openapi/v3/${key}?hash=${HASHES[key]}` },
        ]),
      ),
    };
  }
  const key = path.replace(/^\/openapi\/v3\//, '');
  return key !== path && KEYS.includes(key) ? document(key) : undefined;
}
