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

/** A value the awsQuery XML writer can serialize. */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | undefined
  | XmlValue[]
  | { [key: string]: XmlValue };

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Timestamps in awsQuery responses are ISO 8601 strings. */
export function isoTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function render(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return isoTimestamp(value);
  if (Array.isArray(value)) {
    return value.map(item => `<member>${render(item)}</member>`).join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${render(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function queryNamespace(service: 'sts' | 'iam'): string {
  return service === 'sts'
    ? 'https://sts.amazonaws.com/doc/2011-06-15/'
    : 'https://iam.amazonaws.com/doc/2010-05-08/';
}

/** `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>` */
export function querySuccessXml(
  service: 'sts' | 'iam',
  operation: string,
  result: { [key: string]: XmlValue },
  requestId: string,
): string {
  return `<${operation}Response xmlns="${queryNamespace(
    service,
  )}"><${operation}Result>${render(
    result,
  )}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>\n`;
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function queryErrorXml(
  service: 'sts' | 'iam',
  code: string,
  status: number,
  message: string,
  requestId: string,
): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${queryNamespace(
    service,
  )}"><Error><Type>${type}</Type><Code>${escapeXml(
    code,
  )}</Code><Message>${escapeXml(
    message,
  )}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
}
