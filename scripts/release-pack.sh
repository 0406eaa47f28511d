#!/usr/bin/env bash
# Packs every publishable package (every workspace not marked private) into
# one folder, as `npm publish` would upload it: type declarations (yarn tsc),
# build (backstage-cli package build), then `yarn pack`, which runs the
# prepack step that points main/module/types/exports at dist/ and turns
# workspace: ranges into real versions. Ends by checking every tarball for
# missing files (scripts/check-release-tarballs.js).
#
# Usage: yarn release:pack [out-dir]   (default: dist-release/)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
out="$(mkdir -p "${1:-dist-release}" && cd "${1:-dist-release}" && pwd)"
rm -f "$out"/*.tgz

mapfile -t packages < <(node -e '
  const fs = require("fs");
  for (const dir of ["plugins", "packages"]) {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = `${dir}/${name}/package.json`;
      if (fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, "utf8")).private)
        console.log(`${dir}/${name}`);
    }
  }')

echo "[release:pack] type declarations (yarn tsc)"
yarn tsc

for dir in "${packages[@]}"; do
  echo "[release:pack] $dir: build and pack"
  (cd "$dir" && yarn backstage-cli package build && yarn pack --out "$out/%s-%v.tgz")
done

node scripts/check-release-tarballs.js "$out"
