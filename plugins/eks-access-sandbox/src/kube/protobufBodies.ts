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
 * kubectl's typed clients (auth can-i/whoami, create rolebinding) POST
 * `application/vnd.kubernetes.protobuf` (and accept JSON back). This decodes
 * just those request bodies into their JSON form: the `k8s\0` envelope
 * (runtime.Unknown), the review specs and (Cluster)RoleBindings, by their
 * field numbers in k8s.io/api's authorization/v1, authentication/v1 and
 * rbac/v1 generated.proto.
 */

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** A body that is not the protobuf the API server expects (400). */
export class ProtobufMalformed extends Error {}

type Field = number | Buffer;

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    if (pos >= buf.length) throw new ProtobufMalformed('truncated varint');
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, pos];
    shift += 7;
    if (shift > 63) throw new ProtobufMalformed('varint too long');
  }
}

/** Every field of one message, by field number, in order. */
function fields(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    let value: Field;
    switch (wireType) {
      case 0:
        [value, pos] = readVarint(buf, afterKey);
        break;
      case 1:
        value = buf.subarray(afterKey, afterKey + 8);
        pos = afterKey + 8;
        break;
      case 2: {
        const [length, start] = readVarint(buf, afterKey);
        if (start + length > buf.length)
          throw new ProtobufMalformed('truncated field');
        value = buf.subarray(start, start + length);
        pos = start + length;
        break;
      }
      case 5:
        value = buf.subarray(afterKey, afterKey + 4);
        pos = afterKey + 4;
        break;
      default:
        throw new ProtobufMalformed(`unsupported wire type ${wireType}`);
    }
    if (pos > buf.length) throw new ProtobufMalformed('truncated field');
    out.set(number, [...(out.get(number) ?? []), value]);
  }
  return out;
}

const bytesOf = (f: Map<number, Field[]>, n: number) =>
  (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v));
const stringOf = (f: Map<number, Field[]>, n: number) => {
  const last = bytesOf(f, n).pop();
  return last === undefined ? undefined : last.toString('utf8');
};
const messageOf = (f: Map<number, Field[]>, n: number) => {
  const last = bytesOf(f, n).pop();
  return last === undefined ? undefined : fields(last);
};

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function resourceAttributes(f: Map<number, Field[]> | undefined) {
  if (!f) return undefined;
  return compact({
    namespace: stringOf(f, 1),
    verb: stringOf(f, 2),
    group: stringOf(f, 3),
    version: stringOf(f, 4),
    resource: stringOf(f, 5),
    subresource: stringOf(f, 6),
    name: stringOf(f, 7),
  });
}

function nonResourceAttributes(f: Map<number, Field[]> | undefined) {
  if (!f) return undefined;
  return compact({ path: stringOf(f, 1), verb: stringOf(f, 2) });
}

/** Fields 1 and 2 of both access review specs. */
function accessAttributes(spec: Map<number, Field[]>) {
  return {
    resourceAttributes: resourceAttributes(messageOf(spec, 1)),
    nonResourceAttributes: nonResourceAttributes(messageOf(spec, 2)),
  };
}

/** The `k8s\0` envelope: type meta and the raw message. */
function unwrap(body: Buffer) {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') {
    throw new ProtobufMalformed('missing the k8s protobuf prefix');
  }
  const unknown = fields(body.subarray(4));
  const typeMeta = messageOf(unknown, 1);
  return {
    kind: typeMeta && stringOf(typeMeta, 2),
    apiVersion: typeMeta && stringOf(typeMeta, 1),
    raw: messageOf(unknown, 2) ?? new Map<number, Field[]>(),
  };
}

/** The JSON form of a protobuf-encoded (Cluster)RoleBinding. */
export function decodeBindingProtobuf(body: Buffer) {
  const { kind, apiVersion, raw } = unwrap(body);
  const metadata = messageOf(raw, 1);
  const roleRef = messageOf(raw, 3);
  return {
    apiVersion,
    kind,
    metadata: metadata
      ? compact({
          name: stringOf(metadata, 1),
          namespace: stringOf(metadata, 3),
        })
      : {},
    subjects: bytesOf(raw, 2)
      .map(fields)
      .map(s =>
        compact({
          kind: stringOf(s, 1),
          apiGroup: stringOf(s, 2),
          name: stringOf(s, 3),
          namespace: stringOf(s, 4),
        }),
      ),
    roleRef: roleRef
      ? compact({
          apiGroup: stringOf(roleRef, 1),
          kind: stringOf(roleRef, 2),
          name: stringOf(roleRef, 3),
        })
      : undefined,
  };
}

/** The JSON form of a protobuf-encoded review, as the JSON handlers read it. */
export function decodeReviewProtobuf(body: Buffer): {
  apiVersion?: string;
  kind?: string;
  spec: Record<string, unknown>;
} {
  const { kind, apiVersion, raw } = unwrap(body);
  const spec = messageOf(raw, 2);
  if (!spec) return { apiVersion, kind, spec: {} };
  switch (kind) {
    case 'SelfSubjectRulesReview':
      return {
        apiVersion,
        kind,
        spec: compact({ namespace: stringOf(spec, 1) }),
      };
    case 'SelfSubjectAccessReview':
      return { apiVersion, kind, spec: compact(accessAttributes(spec)) };
    case 'SubjectAccessReview': {
      const extra: Record<string, string[]> = {};
      for (const entry of bytesOf(spec, 5).map(fields)) {
        const key = stringOf(entry, 1);
        const value = messageOf(entry, 2);
        if (key !== undefined)
          extra[key] = value
            ? bytesOf(value, 1).map(b => b.toString('utf8'))
            : [];
      }
      return {
        apiVersion,
        kind,
        spec: compact({
          ...accessAttributes(spec),
          user: stringOf(spec, 3),
          groups: bytesOf(spec, 4).map(b => b.toString('utf8')),
          extra,
          uid: stringOf(spec, 6),
        }),
      };
    }
    default:
      return { apiVersion, kind, spec: {} };
  }
}
