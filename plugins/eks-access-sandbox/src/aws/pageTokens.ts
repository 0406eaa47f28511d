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
 * Paging tokens of the sandbox's list operations (EKS nextToken, IAM
 * Marker, CloudWatch Logs nextToken, CloudTrail NextToken, Identity Center
 * NextToken). Opaque to clients, as AWS's are: they carry the position and
 * what was listed, so a token is never taken for another request's.
 */

/** The token of the page after `offset` items of the listing `kind`. */
export function pageToken(kind: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset })).toString(
    'base64url',
  );
}

/**
 * The offset a token of the listing `kind` stands for; `undefined` when it
 * is no such token (each service answers that with its own error).
 */
export function pageOffset(token: string, kind: string): number | undefined {
  try {
    const { k, o } = JSON.parse(Buffer.from(token, 'base64url').toString());
    return k === kind && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}
