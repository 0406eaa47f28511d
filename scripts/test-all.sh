#!/usr/bin/env bash
# Runs every check and test of the project on a fresh machine:
# toolchain bootstrap, install, type-check, API reports, lint, the packages'
# builds and tarballs, unit and integration tests
# (SQLite and PostgreSQL), and browser end-to-end tests in Chromium.
# Ends with a plain "N passed, N failed" line; exits non-zero on any failure
# and when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true
export EKS_ACCESS_NEED_CHROMIUM=1
# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh

passed=0
failed=0
failures=()
step() { echo; echo "=== $* ==="; }
record() { # name exit-code
  if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

step "toolchain bootstrap is idempotent"
rc=0; bash scripts/toolchain.test.sh || rc=$?; record "toolchain bootstrap" "$rc"

step "PostgreSQL"
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432
export BACKSTAGE_TEST_DISABLE_DOCKER=1

step "yarn install --immutable"
yarn install --immutable

step "type-check (tsc)"
rc=0; yarn tsc || rc=$?; record "type-check" "$rc"

step "API reports are up to date (report.api.md; refresh with: yarn tsc && yarn build:api-reports)"
rc=0; node scripts/check-api-reports.js || rc=$?; record "API reports" "$rc"

step "lint"
rc=0; yarn backstage-cli repo lint || rc=$?; record "lint" "$rc"

step "publishable packages build and pack with every entry path present (yarn release:pack)"
# tsc and the API reports do not run the packages' own builds, whose type
# bundling fails on things they accept (a re-export of an @internal item)
pack_dir="$(mktemp -d)"
rc=0; bash scripts/release-pack.sh "$pack_dir" || rc=$?; record "release pack" "$rc"
rm -rf "$pack_dir"

step "no test, script or build reads outside the repository (lone-copy run of the common tests)"
rc=0; bash scripts/check-no-outside-reads.sh || rc=$?; record "no outside reads" "$rc"

step "kubectl and aws CLI for the kubectl story test"
bash scripts/kube-tools.sh
export PATH="$PATH:$HOME/.local/bin" # where pip --user puts aws

step "unit and integration tests (Jest, SQLite and PostgreSQL)"
mkdir -p test-results
rm -f test-results/jest-results.json
rc=0; yarn backstage-cli repo test --json --outputFile=test-results/jest-results.json || rc=$?
if [ -f test-results/jest-results.json ]; then
  read -r jp jf jt < <(node -e '
    const r = require("./test-results/jest-results.json");
    console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites, r.numTotalTests);')
  echo "jest: $jp passed, $jf failed of $jt"
  passed=$((passed + jp)); failed=$((failed + jf))
  if [ "$jt" = 0 ]; then failed=$((failed + 1)); failures+=("jest ran no test"); fi
  if [ "$rc" != 0 ] && [ "$jf" = 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi
[ "$rc" = 0 ] || failures+=("jest")

step "browser end-to-end tests (Playwright, Chromium)"
rm -f test-results/e2e-results.json
rc=0; bash scripts/e2e.sh || rc=$?
if [ -f test-results/e2e-results.json ]; then
  read -r ep ef < <(node -e '
    const r = require("./test-results/e2e-results.json");
    const s = r.stats || {};
    console.log(s.expected || 0, (s.unexpected || 0) + (s.flaky || 0));')
  echo "e2e: $ep passed, $ef failed"
  passed=$((passed + ep)); failed=$((failed + ef))
  if [ "$ep" = 0 ] && [ "$ef" = 0 ]; then failed=$((failed + 1)); failures+=("e2e ran no test"); fi
  if [ "$rc" != 0 ] && [ "$ef" = 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi
[ "$rc" = 0 ] || failures+=("e2e")

echo
if [ "${#failures[@]}" -gt 0 ]; then echo "failed: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
