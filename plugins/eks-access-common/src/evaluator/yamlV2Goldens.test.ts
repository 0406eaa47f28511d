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
 * aws-auth values whose outcome was produced by the real Go code path the
 * authenticator uses (pkg/mapper/configmap/configmap.go ParseMap: apimachinery
 * ToJSON → sigs.k8s.io/yaml v1.6.0 YAMLToJSON over yaml.v2 → encoding/json
 * → Validate; mapAccounts with yaml.v2 into []string), run by
 * __fixtures__/yaml-v2-harness. The inputs are hand-written edge cases and
 * generated mixes of repeated and case-variant keys, YAML 1.1 scalars,
 * {{…}} values, flow entries, anchors, merge keys and several documents.
 */

import fs from 'fs';
import path from 'path';
import { parseAwsAuth } from './awsAuth';

interface Golden {
  input: Record<string, string>;
  expected: {
    mapRoles: [string, string, string[]][];
    mapUsers: string[];
    mapAccounts: string[];
  };
}

const goldens: Golden[] = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'aws-auth-yaml-v2-goldens.json'),
    'utf8',
  ),
);

describe('aws-auth parsing agrees with the Go code path of the authenticator (yaml-v2-harness goldens)', () => {
  it('has the goldens', () => {
    expect(goldens.length).toBeGreaterThan(800);
  });

  it.each(goldens.map((g, i) => [i, g] as const))('golden #%i', (_i, g) => {
    const parsed = parseAwsAuth(g.input);
    expect({
      mapRoles: parsed.mapRoles.map(r => [
        r.rolearn ?? '',
        r.username,
        r.groups,
      ]),
      mapUsers: parsed.mapUsers.map(u => u.userarn),
      mapAccounts: parsed.mapAccounts,
    }).toEqual(g.expected);
  });
});
