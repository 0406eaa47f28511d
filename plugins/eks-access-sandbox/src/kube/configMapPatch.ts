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

import {
  applyPatch,
  deepClone,
  JsonPatchError,
  type Operation,
} from 'fast-json-patch';

/** A patch that cannot be applied (422 Invalid, as the API server answers). */
export class PatchFailed extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}

/** Strategic merge patch for a ConfigMap: maps merge like a merge patch; `$` directives are dropped. */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  const strip = (value: Json): Json => {
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith('$'))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return applyMergePatch(target, strip(patch));
}

/**
 * RFC 6902 JSON patch (fast-json-patch, validated); any failing operation
 * (including `test`) fails the whole patch and leaves `target` unchanged.
 */
export function applyJsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations))
    throw new PatchFailed('a JSON patch must be a list');
  try {
    return applyPatch(
      deepClone(target),
      operations as Operation[],
      true, // validate every operation first
      true, // the clone may be changed in place
    ).newDocument as Json;
  } catch (error) {
    throw new PatchFailed(
      error instanceof JsonPatchError ? error.name : String(error),
    );
  }
}
