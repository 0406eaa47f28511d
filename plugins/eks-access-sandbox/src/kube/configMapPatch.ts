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

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchFailed(`invalid pointer ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function getAt(doc: Json, path: string[]): Json | undefined {
  let current: Json | undefined = doc;
  for (const key of path) {
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isObject(current))
      current = Object.prototype.hasOwnProperty.call(current, key)
        ? current[key]
        : undefined;
    else return undefined;
  }
  return current;
}

function parentOf(doc: Json, path: string[]): { parent: Json; key: string } {
  if (path.length === 0)
    throw new PatchFailed('cannot address the document root');
  const parent = getAt(doc, path.slice(0, -1));
  if (parent === undefined || typeof parent !== 'object' || parent === null) {
    throw new PatchFailed('missing path');
  }
  return { parent, key: path[path.length - 1] };
}

function add(doc: Json, path: string[], value: Json) {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new PatchFailed('bad index');
    parent.splice(index, 0, value);
  } else {
    (parent as Record<string, Json>)[key] = value;
  }
}

function remove(doc: Json, path: string[]): Json {
  const { parent, key } = parentOf(doc, path);
  const existing = getAt(doc, path);
  if (existing === undefined) throw new PatchFailed('missing value');
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as Record<string, Json>)[key];
  return existing;
}

/** RFC 6902 JSON patch; any failing operation (including `test`) fails the whole patch. */
export function applyJsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations))
    throw new PatchFailed('a JSON patch must be a list');
  let doc = clone(target);
  for (const op of operations) {
    if (
      !isObject(op) ||
      typeof op.op !== 'string' ||
      typeof op.path !== 'string'
    ) {
      throw new PatchFailed('invalid operation');
    }
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        if (path.length === 0) doc = clone(op.value as Json);
        else add(doc, path, clone(op.value as Json));
        break;
      case 'remove':
        remove(doc, path);
        break;
      case 'replace':
        if (path.length === 0) {
          doc = clone(op.value as Json);
          break;
        }
        remove(doc, path);
        add(doc, path, clone(op.value as Json));
        break;
      case 'move': {
        const from = parsePointer(String(op.from));
        add(doc, path, remove(doc, from));
        break;
      }
      case 'copy': {
        const value = getAt(doc, parsePointer(String(op.from)));
        if (value === undefined) throw new PatchFailed('missing from');
        add(doc, path, clone(value));
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) {
          throw new PatchFailed('test failed');
        }
        break;
      default:
        throw new PatchFailed(`unknown op ${op.op}`);
    }
  }
  return doc;
}
