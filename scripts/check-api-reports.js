#!/usr/bin/env node
/*
 * Checks that every committed API report (report.api.md, report-<entry>.api.md)
 * matches what API Extractor generates from the current code.
 *
 * Why not just `backstage-repo-tools api-reports --ci`: TypeScript prints the
 * members of some unions in an order that differs between builds (a fresh
 * clone and an incremental tree disagree), so an exact comparison fails on
 * unchanged APIs. We compare the reports as multisets of lines: any API line
 * added, removed or changed still fails, a reordering alone does not.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cache = path.join(root, 'node_modules/.cache/api-extractor');
const plugins = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(name => path.join('plugins', name))
  .filter(dir => fs.existsSync(path.join(root, dir, 'report.api.md')));

const normalize = text =>
  text
    .split('\n')
    .map(line => line.trimEnd())
    .filter(Boolean)
    .sort()
    .join('\n');

let problems = 0;
// One run per package, each judged at once: every run empties the cache, and
// in --ci mode a run stops at the first package whose report differs.
for (const dir of plugins) {
  fs.rmSync(cache, { recursive: true, force: true });
  try {
    execFileSync(
      'yarn',
      [
        'backstage-repo-tools',
        'api-reports',
        '--ci',
        '-o',
        'ae-wrong-input-file-type,ae-undocumented',
        '--validate-release-tags',
        dir,
      ],
      { cwd: root, stdio: 'inherit' },
    );
  } catch {
    // Judged below, up to line order.
  }
  const pkg = require(path.join(root, dir, 'package.json'));
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  for (const file of fs.readdirSync(path.join(root, dir))) {
    const m = /^report(?:-(.+))?\.api\.md$/.exec(file);
    if (!m) continue;
    const generated = path.join(
      cache,
      m[1] ? `${unscoped}-${m[1]}` : unscoped,
      file,
    );
    if (!fs.existsSync(generated)) {
      console.error(`✘ ${dir}/${file}: API Extractor generated no such report`);
      problems++;
      continue;
    }
    const committed = fs.readFileSync(path.join(root, dir, file), 'utf8');
    const fresh = fs.readFileSync(generated, 'utf8');
    if (/^\/\/ Warning/m.test(fresh)) {
      console.error(`✘ ${dir}/${file}: the API has warnings`);
      problems++;
    } else if (normalize(committed) !== normalize(fresh)) {
      console.error(
        `✘ ${dir}/${file} is out of date: run "yarn tsc && yarn build:api-reports" and commit it`,
      );
      problems++;
    } else {
      console.log(`✓ ${dir}/${file}`);
    }
  }
}
if (plugins.length === 0) {
  console.error('✘ no API reports found');
  problems++;
}
process.exit(problems ? 1 : 0);
