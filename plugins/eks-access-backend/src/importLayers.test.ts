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
 * Imports point one way, so a reader can follow `GET /access` from the
 * route down to the verdict without a module reaching back up: AWS and
 * database access at the bottom (the authenticator log reader included),
 * identities above them, the shared snapshots above those, the cluster
 * creator above the snapshots, the check service above that, and the
 * features built on the check (attempts, overview, denials, migration)
 * above the service. The HTTP layer (router.ts, plugin.ts) and the
 * composition root (createEksAccessServices.ts) are on top, imported by no
 * module in a folder. Tests and test utilities may import anything.
 */

import fs from 'node:fs';
import path from 'node:path';

const SRC = __dirname;

/** What each layer's folder may import from the plugin's own src/. */
const MAY_IMPORT: Record<string, string[]> = {
  aws: [],
  database: [],
  identity: ['aws'],
  snapshots: ['aws', 'identity'],
  creator: ['aws', 'snapshots'],
  service: ['aws', 'identity', 'snapshots', 'creator'],
  attempts: ['aws', 'proof', 'service'],
  overview: ['aws', 'creator', 'service', 'snapshots'],
  denials: ['aws', 'service'],
  migration: ['aws', 'creator', 'database', 'requests', 'service', 'snapshots'],
};

/** The HTTP layer and the composition root: nothing in a folder imports them. */
const TOP = [
  'router',
  'serverSentEvents',
  'plugin',
  'index',
  'createEksAccessServices',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__testUtils__' ? [] : sourceFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The src/-relative first segment of every relative import of a file. */
function importedTops(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']*)'/g),
  ].map(m => m[1]);
  return specifiers.map(spec => {
    const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
    return target.split(path.sep)[0];
  });
}

const files = sourceFiles(SRC).map(file => ({
  file: path.relative(SRC, file),
  folder: path.relative(SRC, file).split(path.sep)[0],
  imports: importedTops(file),
}));

describe('import layers', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(
      files.some(f => f.file === path.join('service', 'EksAccessService.ts')),
    ).toBe(true);
  });

  it.each(Object.entries(MAY_IMPORT))(
    '%s/ imports only from the layers below it',
    (folder, allowed) => {
      const upward = files
        .filter(f => f.folder === folder)
        .flatMap(f =>
          f.imports
            .filter(top => top !== folder && !allowed.includes(top))
            .map(top => `${f.file} imports ${top}`),
        );
      expect(upward).toEqual([]);
    },
  );

  it('no module in a folder imports the HTTP layer or the plugin', () => {
    const upward = files
      .filter(f => f.file.includes(path.sep))
      .flatMap(f =>
        f.imports
          .filter(top => TOP.includes(top.replace(/\.tsx?$/, '')))
          .map(top => `${f.file} imports ${top}`),
      );
    expect(upward).toEqual([]);
  });
});
