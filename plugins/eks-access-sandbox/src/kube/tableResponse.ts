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
 * `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and
 * prints the server's columns. These are the columns the real API server
 * prints for each type the sandbox serves.
 */

import { KubeObject } from './resourceCatalog';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority?: number;
  cell: (o: any, now: number) => string | number;
}

/** True when the Accept header asks for the Table form (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** Kubernetes' short human duration (duration.HumanDuration), e.g. `5d`, `3h12m`. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: o => o.metadata.name,
};
const age: Column = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o, now) =>
    o.metadata.creationTimestamp
      ? humanDuration((now - Date.parse(o.metadata.creationTimestamp)) / 1000)
      : '<unknown>',
};
const createdAt: Column = {
  name: 'Created At',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: o => o.metadata.creationTimestamp ?? '',
};

const subjectsOf = (o: any, kind: string) =>
  (o.subjects ?? [])
    .filter((s: any) => s.kind === kind)
    .map((s: any) =>
      kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name,
    )
    .join(', ');

const bindingColumns: Column[] = [
  name,
  {
    name: 'Role',
    type: 'string',
    description:
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    cell: o => `${o.roleRef.kind}/${o.roleRef.name}`,
  },
  age,
  ...(['User', 'Group', 'ServiceAccount'] as const).map(kind => ({
    name: kind === 'User' ? 'Users' : `${kind}s`,
    type: 'string',
    description: `${kind} subjects of the binding.`,
    priority: 1,
    cell: (o: any) => subjectsOf(o, kind),
  })),
];

const COLUMNS: Record<string, Column[]> = {
  Namespace: [
    name,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the namespace',
      cell: o => o.status?.phase ?? '',
    },
    age,
  ],
  ConfigMap: [
    name,
    {
      name: 'Data',
      type: 'string',
      description: 'Data contains the configuration data.',
      cell: o => Object.keys(o.data ?? {}).length,
    },
    age,
  ],
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod.',
      cell: () => '0/0',
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      cell: o => o.status?.phase ?? '',
    },
    {
      name: 'Restarts',
      type: 'string',
      description:
        'The number of times the containers in this pod have been restarted.',
      cell: () => '0',
    },
    age,
  ],
  ClusterRole: [name, createdAt],
  Role: [name, createdAt],
  ClusterRoleBinding: bindingColumns,
  RoleBinding: bindingColumns,
};

/**
 * The Table form of a list (or of one object). `includeObject` is the
 * request's query parameter: `Object`, `Metadata` (the default) or `None`.
 */
export function toTable(
  kind: string,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | null,
  now = Date.now(),
) {
  const columns = COLUMNS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: objects.map(o => ({
      cells: columns.map(c => c.cell(o, now)),
      object: rowObject(o, includeObject),
    })),
  };
}

function rowObject(o: KubeObject, includeObject: string | null) {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.metadata,
  };
}
