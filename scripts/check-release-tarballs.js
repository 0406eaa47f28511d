#!/usr/bin/env node
/*
 * Checks the tarballs of `yarn release:pack` for missing files: every path
 * that the packed package.json points at (main, module, types, bin, every
 * `exports` and `typesVersions` target, configSchema) must be inside the
 * tarball, no dependency may keep a `workspace:` range, and no source or
 * test file may ship. Prints one line per tarball; exits non-zero on any
 * problem.
 *
 * Usage: node scripts/check-release-tarballs.js <dir-with-tgz-files>
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: check-release-tarballs.js <dir>');
  process.exit(2);
}
const tarballs = fs.readdirSync(dir).filter(f => f.endsWith('.tgz'));
if (tarballs.length === 0) {
  console.error(`no tarballs in ${dir}`);
  process.exit(1);
}

/**
 * Every file path in an `exports`-like value. The `backstage` condition names
 * the feature type an entry exports (e.g. "@backstage/FrontendPlugin"), not a
 * file.
 */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== 'backstage')
      .flatMap(([, v]) => targets(v));
  }
  return [];
}

let problems = 0;
for (const tarball of tarballs.sort()) {
  const file = path.join(dir, tarball);
  const files = new Set(
    execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(
    execFileSync('tar', ['-xzOf', file, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const wanted = [
    ['main', pkg.main],
    ['module', pkg.module],
    ['types', pkg.types],
    ['configSchema', pkg.configSchema],
    ...Object.entries(
      typeof pkg.bin === 'string' ? { bin: pkg.bin } : pkg.bin ?? {},
    ).map(([k, v]) => [`bin.${k}`, v]),
    ...targets(pkg.exports ?? {}).map(v => ['exports', v]),
    ...targets(pkg.typesVersions ?? {}).map(v => ['typesVersions', v]),
  ].filter(([, v]) => v !== undefined);

  const missing = wanted
    .map(([field, target]) => [field, target.replace(/^\.\//, '')])
    .filter(([, target]) => !files.has(target));
  const found = [];
  for (const [field, target] of missing) {
    found.push(`${field} -> ${target} is not in the tarball`);
  }
  if (!pkg.main) found.push('no main');
  if (!pkg.types) found.push('no types');
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        found.push(`${field}.${name} is still ${range}`);
      }
    }
  }
  for (const f of files) {
    if (/^src\/|\.test\.[jt]sx?$|__testUtils__/.test(f)) {
      found.push(`ships ${f}`);
    }
  }
  if (found.length > 0) {
    problems += found.length;
    console.log(`✗ ${tarball}`);
    for (const p of found) console.log(`    ${p}`);
  } else {
    console.log(
      `✓ ${tarball}: ${files.size} files; ${
        wanted.length
      } entry paths present (main ${pkg.main}${
        pkg.module ? `, module ${pkg.module}` : ''
      }, types ${pkg.types})`,
    );
  }
}
process.exit(problems > 0 ? 1 : 0);
