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

import { AwsServiceError } from '../serviceError';

/** A record a Logs Insights query sees: the system fields of one event. */
export type InsightsRecord = Record<string, string | number>;

type Condition = {
  field: string;
  negate: boolean;
  test: (value: string) => boolean;
};

/** A parsed query of the supported subset: fields, filter … like, sort, limit. */
export interface InsightsQuery {
  fields?: string[];
  filters: Condition[];
  sort?: { field: string; descending: boolean };
  limit?: number;
}

const malformed = (message: string) =>
  new AwsServiceError('MalformedQueryException', 400, message, {
    queryCompileError: message,
  } as Record<string, any>);

// System fields are matched case-insensitively: the article writes `@logstream`.
function fieldName(raw: string): string {
  const name = raw.trim();
  if (!/^@?[A-Za-z_][\w.]*$/.test(name)) {
    throw malformed(`Invalid field name: ${name}`);
  }
  const system = ['@timestamp', '@message', '@logStream', '@log', '@ptr'];
  return system.find(s => s.toLowerCase() === name.toLowerCase()) ?? name;
}

/** Splits on `|` outside quotes and `/regex/` literals. */
function commands(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === '\\' && i + 1 < query.length) {
        current += c + query[++i];
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (
      c === '"' ||
      c === "'" ||
      (c === '/' && /like\s*$/.test(current))
    ) {
      quote = c;
    } else if (c === '|') {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (quote) throw malformed('Unterminated string or regular expression');
  out.push(current.trim());
  return out.filter(Boolean);
}

function condition(text: string): Condition {
  const m =
    /^(\S+)\s+(not\s+)?like\s+(?:\/((?:\\.|[^/\\])*)\/([i]*)|"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')$/i.exec(
      text.trim(),
    );
  if (m) {
    const [, field, not, regex, flags, dq, sq] = m;
    let test: (value: string) => boolean;
    if (regex !== undefined) {
      let re: RegExp;
      try {
        re = new RegExp(regex, flags);
      } catch {
        throw malformed(`Invalid regular expression: /${regex}/`);
      }
      test = v => re.test(v);
    } else {
      const needle = (dq ?? sq ?? '').replace(/\\(.)/g, '$1');
      test = v => v.includes(needle);
    }
    return { field: fieldName(field), negate: !!not, test };
  }
  const eq =
    /^(\S+)\s*(=|!=)\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')$/.exec(
      text.trim(),
    );
  if (eq) {
    const value = (eq[3] ?? eq[4] ?? '').replace(/\\(.)/g, '$1');
    return {
      field: fieldName(eq[1]),
      negate: eq[2] === '!=',
      test: v => v === value,
    };
  }
  throw malformed(`Unsupported filter: ${text.trim()}`);
}

/** Parses the supported Logs Insights subset; anything else is MalformedQueryException. */
export function parseInsightsQuery(queryString: string): InsightsQuery {
  const query: InsightsQuery = { filters: [] };
  for (const command of commands(queryString)) {
    const m = /^(\w+)\s*(.*)$/s.exec(command);
    const [, verb, rest] = m ?? [];
    switch (verb?.toLowerCase()) {
      case 'fields':
        query.fields = [
          ...(query.fields ?? []),
          ...rest.split(',').map(fieldName),
        ];
        break;
      case 'filter':
        // One condition per filter command; chain `| filter` for more.
        query.filters.push(condition(rest));
        break;
      case 'sort': {
        const s = /^(\S+)(?:\s+(asc|desc))?$/i.exec(rest.trim());
        if (!s) throw malformed(`Invalid sort: ${rest}`);
        query.sort = {
          field: fieldName(s[1]),
          descending: (s[2] ?? 'desc').toLowerCase() === 'desc',
        };
        break;
      }
      case 'limit': {
        const n = Number(rest.trim());
        if (!Number.isInteger(n) || n < 1 || n > 10000) {
          throw malformed('limit must be an integer between 1 and 10000');
        }
        query.limit = n;
        break;
      }
      default:
        throw malformed(`Unsupported command: ${verb ?? command}`);
    }
  }
  return query;
}

/** Runs a parsed query over records: filter, sort, limit, then project. */
export function runInsightsQuery(
  query: InsightsQuery,
  records: InsightsRecord[],
  limit: number,
): { field: string; value: string }[][] {
  let rows = records.filter(r =>
    query.filters.every(f => {
      const value = r[f.field];
      const matched = value !== undefined && f.test(String(value));
      return f.negate ? !matched : matched;
    }),
  );
  if (query.sort) {
    const { field, descending } = query.sort;
    rows = [...rows].sort((a, b) => {
      const x = a[field];
      const y = b[field];
      let order = 1;
      if (x === y) order = 0;
      else if (x === undefined || x < y!) order = -1;
      return descending ? -order : order;
    });
  }
  rows = rows.slice(0, Math.min(query.limit ?? limit, limit));
  const fields = query.fields ?? [
    '@timestamp',
    '@message',
    '@logStream',
    '@log',
  ];
  return rows.map(r => [
    ...fields
      .filter(f => r[f] !== undefined)
      .map(f => ({
        field: f,
        value:
          f === '@timestamp'
            ? new Date(r[f] as number)
                .toISOString()
                .replace('T', ' ')
                .replace('Z', '')
            : String(r[f]),
      })),
    { field: '@ptr', value: String(r['@ptr']) },
  ]);
}
