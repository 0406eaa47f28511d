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
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Node as YamlNode,
  type Document,
  parseAllDocuments,
} from 'yaml';

/*
 * An aws-auth value as the authenticator turns it into JSON before decoding
 * it into Go structs: `utilyaml.ToJSON` (k8s.io/apimachinery
 * pkg/util/yaml/decoder.go) → `sigs.k8s.io/yaml.YAMLToJSON` (yaml.go
 * yamlToJSONTarget, convertToJSONableObject) → `yaml.Unmarshal` of
 * go.yaml.in/yaml/v2 (YAML 1.1) into interface{} → `json.Marshal`.
 *
 * The `yaml` package gives us the syntax tree; what the values *are* is
 * decided here, the way yaml.v2 does it, because a modern YAML parser reads
 * several inputs differently:
 * - only the first document counts (yaml.go unmarshal parses one document);
 * - a key repeated in a mapping is no error: the last one wins (decode.go
 *   mapping, non-strict);
 * - a mapping or list used as a key (`{{SessionName}}` unquoted is a flow
 *   mapping whose key is a mapping) fails the whole value ("invalid map
 *   key"), and so does a null key (convertToJSONableObject);
 * - plain scalars are resolved by yaml.v2's resolve.go rules (booleans
 *   y/yes/on/n/no/off, null ~, ints with 0x/0o/0b/leading-0 octal and `_`,
 *   floats; timestamps and everything else stay text);
 * - a float that is NaN or infinite cannot be written as JSON, so it fails
 *   the whole value (json.Marshal).
 */

/** A JSON value; objects are Maps so that every key survives as written. */
export type GoJsonValue =
  | null
  | boolean
  | number
  | string
  | GoJsonValue[]
  | Map<string, GoJsonValue>;

/** The result of converting one aws-auth value. */
export type GoYamlJsonResult =
  | {
      ok: true;
      value: GoJsonValue;
      /** 1-based line of each top-level list item, when the value is a list. */
      itemLines: (number | undefined)[];
      /** Keys repeated inside one mapping (the last one won). */
      repeatedKeys: { key: string; line?: number }[];
      /** The value held several YAML documents; all but the first were ignored. */
      ignoredDocuments: number;
    }
  | { ok: false; message: string; line?: number };

class ConversionError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

const BOOL_TRUE = [
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
];
const BOOL_FALSE = [
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
];
const NULLS = ['', '~', 'null', 'Null', 'NULL'];
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map(k => [k, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(
    k => [k, Infinity] as const,
  ),
  ...['-.inf', '-.Inf', '-.INF'].map(k => [k, -Infinity] as const),
]);
/** yaml.v2 resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT =
  /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go strconv.ParseInt(s, 0, 64) syntax, underscores already removed. */
const GO_INT =
  /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_MAX = BigInt(2) ** BigInt(63) - BigInt(1);
const UINT64_MAX = BigInt(2) ** BigInt(64) - BigInt(1);

function goIntValue(sign: string, digits: string): bigint {
  let body = digits;
  let radix = 10;
  if (/^0[xX]/.test(body)) {
    radix = 16;
    body = body.slice(2);
  } else if (/^0[bB]/.test(body)) {
    radix = 2;
    body = body.slice(2);
  } else if (/^0[oO]/.test(body)) {
    radix = 8;
    body = body.slice(2);
  } else if (body.length > 1 && body.startsWith('0')) {
    radix = 8;
    body = body.slice(1);
  }
  let v = BigInt(0);
  for (const ch of body) v = v * BigInt(radix) + BigInt(parseInt(ch, radix));
  return sign === '-' ? -v : v;
}

/**
 * What yaml.v2 makes of a plain (unquoted, untagged) scalar when decoding
 * into interface{} (resolve.go resolve + decode.go scalar).
 */
export function resolvePlainScalarLikeYamlV2(
  text: string,
): null | boolean | number | string {
  if (NULLS.includes(text)) return null;
  if (BOOL_TRUE.includes(text)) return true;
  if (BOOL_FALSE.includes(text)) return false;
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  const first = text[0];
  if (first === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  }
  if (!/[-+0-9]/.test(first)) return text;
  // Timestamps (4 digits and a dash) are kept as text when decoding into
  // interface{}, and nothing else starting that way is a number.
  const plain = text.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const v = goIntValue(int[1], int[2]);
    // strconv.ParseInt (int64, signed), then ParseUint (uint64, no sign)
    if ((v >= INT64_MIN && v <= INT64_MAX) || (!int[1] && v <= UINT64_MAX)) {
      return Number(v);
    }
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return text;
}

/**
 * A `!!binary` scalar: yaml.v2 decodes the base64 into the bytes of a Go
 * string. Returns the text unchanged when it is not base64.
 */
export function decodeBinary(text: string): string {
  try {
    const raw = atob(text.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(raw, c => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return text;
  }
}

/** The JSON object key of a YAML key (convertToJSONableObject). */
function keyString(key: GoJsonValue, line?: number): string {
  if (key === null) {
    throw new ConversionError('unsupported map key of type: <nil>', line);
  }
  if (Array.isArray(key) || key instanceof Map) {
    throw new ConversionError(
      'invalid map key: a mapping or list is used as a key',
      line,
    );
  }
  if (typeof key === 'number') {
    if (Number.isNaN(key)) return '.nan';
    if (key === Infinity) return '.inf';
    if (key === -Infinity) return '-.inf';
  }
  return String(key);
}

interface WalkState {
  doc: Document;
  lineCounter: LineCounter;
  repeatedKeys: { key: string; line?: number }[];
  depth: number;
}

function lineOf(node: YamlNode | null | undefined, s: WalkState) {
  return node?.range ? s.lineCounter.linePos(node.range[0]).line : undefined;
}

function convert(node: unknown, s: WalkState): GoJsonValue {
  if (s.depth > 100) throw new ConversionError('nesting too deep');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(s.doc);
    if (!target) throw new ConversionError(`unknown anchor '${node.source}'`);
    return convertNested(target, s);
  }
  if (isScalar(node)) {
    const value = node.value;
    const text = typeof value === 'string' ? value : String(value ?? '');
    if (node.tag === 'tag:yaml.org,2002:str') return text;
    if (node.tag === 'tag:yaml.org,2002:binary') return decodeBinary(text);
    if (node.type === 'PLAIN' || node.type === undefined) {
      return resolvePlainScalarLikeYamlV2(text);
    }
    return text;
  }
  if (isSeq(node)) {
    return node.items.map(item => convertNested(item, s));
  }
  if (isMap(node)) {
    const out = new Map<string, GoJsonValue>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = keyString(convertNested(keyNode, s), lineOf(keyNode, s));
      const value = convertNested(pair.value, s);
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        // yaml.v2 merge key: a mapping, or a list of mappings (last first).
        const sources = Array.isArray(value) ? [...value].reverse() : [value];
        for (const src of sources) {
          if (src instanceof Map) src.forEach((v, k) => out.set(k, v));
        }
        continue;
      }
      if (out.has(key)) {
        s.repeatedKeys.push({ key, line: lineOf(keyNode, s) });
      }
      out.set(key, value);
    }
    return out;
  }
  return null;
}

function convertNested(node: unknown, s: WalkState): GoJsonValue {
  s.depth++;
  try {
    return convert(node, s);
  } finally {
    s.depth--;
  }
}

/**
 * Converts one aws-auth data value to JSON the way the authenticator does
 * before `json.Unmarshal`. On failure the authenticator drops the whole key.
 */
export function goYamlToJson(text: string): GoYamlJsonResult {
  // utilyaml.ToJSON: text starting with "{" is taken as JSON as it is; a
  // JSON object never decodes into a list, so nothing of the key loads.
  if (/^\s*\{/.test(text)) {
    try {
      return {
        ok: true,
        value: jsonToGo(JSON.parse(text)),
        itemLines: [],
        repeatedKeys: [],
        ignoredDocuments: 0,
      };
    } catch (e) {
      return { ok: false, message: (e as Error).message, line: 1 };
    }
  }
  const first = parseFirstYamlDocument(text);
  if (!first.ok) return first;
  const { doc, lineCounter, documentCount } = first;
  if (!doc) {
    return {
      ok: true,
      value: null,
      itemLines: [],
      repeatedKeys: [],
      ignoredDocuments: 0,
    };
  }
  const state: WalkState = { doc, lineCounter, repeatedKeys: [], depth: 0 };
  try {
    const contents = doc.contents as YamlNode | null;
    const value = convert(contents, state);
    // json.Marshal refuses NaN and infinities, but only those that are still
    // there once repeated keys have overwritten each other.
    const bad = findNonFinite(value);
    if (bad !== undefined) {
      throw new ConversionError(`json: unsupported value: ${bad}`);
    }
    const itemLines = isSeq(contents)
      ? contents.items.map(item => lineOf(item as YamlNode, state))
      : [];
    return {
      ok: true,
      value,
      itemLines,
      repeatedKeys: state.repeatedKeys,
      ignoredDocuments: documentCount - 1,
    };
  } catch (e) {
    if (e instanceof ConversionError) {
      return { ok: false, message: e.message, line: e.line };
    }
    throw e;
  }
}

/**
 * The first YAML document of a value, as yaml.v2's `Unmarshal` reads it
 * (later documents are never parsed), with how many documents there are.
 * Syntax errors of the first document only are reported.
 */
export function parseFirstYamlDocument(text: string):
  | {
      ok: true;
      doc: Document | undefined;
      lineCounter: LineCounter;
      documentCount: number;
    }
  | { ok: false; message: string; line: number } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'failsafe',
    uniqueKeys: false,
    lineCounter,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? (docs as Document[]) : [];
  const doc = list[0];
  if (doc && doc.errors.length > 0) {
    const err = doc.errors[0];
    return {
      ok: false,
      message: err.message.split('\n')[0].trim(),
      line: lineCounter.linePos(err.pos[0]).line,
    };
  }
  return { ok: true, doc, lineCounter, documentCount: list.length };
}

function findNonFinite(v: GoJsonValue): string | undefined {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return Number.isNaN(v) ? 'NaN' : `${v < 0 ? '-' : '+'}Inf`;
  }
  let children: GoJsonValue[] = [];
  if (Array.isArray(v)) children = v;
  else if (v instanceof Map) children = [...v.values()];
  for (const c of children) {
    const bad = findNonFinite(c);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

function jsonToGo(v: unknown): GoJsonValue {
  if (Array.isArray(v)) return v.map(jsonToGo);
  if (v !== null && typeof v === 'object') {
    return new Map(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k,
        jsonToGo(x),
      ]),
    );
  }
  return v as GoJsonValue;
}

/**
 * The keys of a JSON object in the order json.Marshal writes them (sorted
 * by bytes), which is the order json.Unmarshal assigns them: when two keys
 * fill the same struct field, the later one here wins.
 */
export function goJsonKeyOrder(obj: Map<string, GoJsonValue>): string[] {
  return [...obj.keys()].sort(compareUtf8);
}

/** Byte order of the UTF-8 encodings, which is code point order. */
function compareUtf8(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Go's encoding/json field matching: exact name, else case-insensitive with
 * Unicode simple folding (so "ſ" matches "s" and the Kelvin sign matches "k").
 */
export function goJsonFieldFold(key: string): string {
  return key.toLowerCase().replace(/\u017f/g, 's');
}
