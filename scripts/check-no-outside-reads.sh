#!/usr/bin/env bash
# Fails when a test, script or build step reads something outside the
# repository, so that a plain `git clone` with nothing beside it passes.
#
# 1. Static: no tracked code or config file names a path outside the
#    repository (`../shared/…`, the development machine's `/work/…`).
# 2. Dynamic: the common package's Jest suite (the evaluator and its
#    conformance vectors) runs from a copy of the tracked files in an empty
#    temporary folder, so a read of `<repo>/../anything` finds nothing.
#    Installed dependencies are linked in (they are not project data and a
#    clone gets them from `yarn install`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

status=0

echo "[outside-reads] static: tracked files naming paths outside the repository"
# Documentation may mention such paths; code, config and scripts may not.
pattern='(\.\./shared/|/work/(shared|wt|main)\b|(^|[^A-Za-z0-9_.-])shared/(conformance|reference|hooks)/)'
if hits="$(git ls-files -z -- . ':!:*.md' ':!:yarn.lock' ':!:.yarn/releases/**' \
  ':!:scripts/check-no-outside-reads.sh' |
  xargs -0 grep -I -n -E "$pattern" -- 2>/dev/null)"; then
  echo "$hits"
  echo "[outside-reads] FAIL: the files above refer to paths outside the repository"
  status=1
else
  echo "[outside-reads] ok"
fi

echo "[outside-reads] dynamic: common package tests from a lone copy of the repository"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/repo"
mkdir -p "$copy"
# The tracked files as they are in the working tree (what a clone gets once
# committed); files deleted but not yet committed are skipped.
git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$copy"
# Dependencies: one link per top-level entry; the workspace links point into
# the copy, as a fresh install would make them.
mkdir -p "$copy/node_modules/.bin"
ln -s "$root"/node_modules/* "$copy/node_modules/"
ln -s "$root"/node_modules/.bin/* "$copy/node_modules/.bin/"
rm "$copy/node_modules/@eks-access"
mkdir "$copy/node_modules/@eks-access"
for link in "$root"/node_modules/@eks-access/*; do
  ln -s "$(readlink "$link")" "$copy/node_modules/@eks-access/${link##*/}"
done
if (cd "$copy/plugins/eks-access-common" &&
  CI=true node "$copy/node_modules/@backstage/cli/bin/backstage-cli" \
    package test --watchAll=false --silent 2>&1 | tail -n 8); then
  echo "[outside-reads] ok"
else
  echo "[outside-reads] FAIL: the common package's tests do not pass from a lone copy"
  status=1
fi
exit "$status"
