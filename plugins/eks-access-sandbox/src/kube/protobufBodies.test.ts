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
  decodeBindingProtobuf,
  decodeReviewProtobuf,
  ProtobufMalformed,
} from './protobufBodies';

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** Length-delimited protobuf field (wire type 2), enough for these messages. */
function field(number: number, value: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([
    Buffer.from([(number << 3) | 2]),
    varint(bytes.length),
    bytes,
  ]);
}
const message = (...parts: Buffer[]) => Buffer.concat(parts);
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, message(field(1, apiVersion), field(2, kind))),
    field(2, raw),
  ]);

describe('the protobuf bodies kubectl sends', () => {
  it('reads a SelfSubjectAccessReview as kubectl auth can-i sends it', () => {
    const attributes = message(
      field(1, 'payments'),
      field(2, 'get'),
      field(5, 'pods'),
    );
    const body = envelope(
      'authorization.k8s.io/v1',
      'SelfSubjectAccessReview',
      message(field(1, message()), field(2, message(field(1, attributes)))),
    );
    expect(decodeReviewProtobuf(body)).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          namespace: 'payments',
          verb: 'get',
          resource: 'pods',
        },
      },
    });
  });

  it('reads a SubjectAccessReview with groups and extra', () => {
    const spec = message(
      field(1, message(field(2, 'list'), field(5, 'configmaps'))),
      field(3, 'dana'),
      field(4, 'a'),
      field(4, 'b'),
      field(5, message(field(1, 'arn'), field(2, field(1, 'arn:x')))),
    );
    const body = envelope(
      'authorization.k8s.io/v1',
      'SubjectAccessReview',
      message(field(2, spec)),
    );
    expect(decodeReviewProtobuf(body).spec).toEqual({
      resourceAttributes: { verb: 'list', resource: 'configmaps' },
      user: 'dana',
      groups: ['a', 'b'],
      extra: { arn: ['arn:x'] },
    });
  });

  it('reads a SelfSubjectRulesReview namespace and rejects a body without the prefix', () => {
    const body = envelope(
      'authorization.k8s.io/v1',
      'SelfSubjectRulesReview',
      message(field(2, field(1, 'ml-jobs'))),
    );
    expect(decodeReviewProtobuf(body).spec).toEqual({ namespace: 'ml-jobs' });
    expect(() => decodeReviewProtobuf(Buffer.from('{}'))).toThrow(
      ProtobufMalformed,
    );
    expect(() =>
      decodeReviewProtobuf(Buffer.from('k8s\0\x0a\x7f', 'latin1')),
    ).toThrow(ProtobufMalformed);
  });

  it('reads a RoleBinding as kubectl create rolebinding sends it', () => {
    const body = envelope(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      message(
        field(1, message(field(1, 'dana-view'), field(3, 'training'))),
        field(
          2,
          message(
            field(1, 'Group'),
            field(2, 'rbac.authorization.k8s.io'),
            field(3, 'eks-access-view-training'),
          ),
        ),
        field(
          3,
          message(
            field(1, 'rbac.authorization.k8s.io'),
            field(2, 'ClusterRole'),
            field(3, 'view'),
          ),
        ),
      ),
    );
    expect(decodeBindingProtobuf(body)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'dana-view', namespace: 'training' },
      subjects: [
        {
          kind: 'Group',
          apiGroup: 'rbac.authorization.k8s.io',
          name: 'eks-access-view-training',
        },
      ],
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'view',
      },
    });
  });
});
