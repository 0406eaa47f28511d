#!/usr/bin/env bash
# Browser end-to-end tests: builds the app, starts the backend (which serves
# the app and starts the AWS sandbox with the demo scenario) and runs
# Playwright in Debian Chromium. Expects scripts/toolchain.sh to be sourced.
set -euo pipefail
cd "$(dirname "$0")/.."
log=test-results/e2e-backend.log
mkdir -p test-results e2e-screenshots

echo "[e2e] building the app"
yarn workspace app build >test-results/e2e-app-build.log 2>&1 || {
  tail -50 test-results/e2e-app-build.log
  exit 1
}

# A backend left running by an earlier run would answer the health check in
# place of this one: the tests would run against old code and old state.
for port in 7007 4566; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[e2e] port $port is already in use; stop what listens there (ss -ltnp 'sport = :$port') and run again"
    exit 1
  fi
done

echo "[e2e] starting the backend on :7007 (log: $log)"
# In its own session, so that stopping it stops yarn, the CLI and Node alike.
setsid bash -c 'cd packages/backend && exec yarn start --config ../../app-config.yaml --config ../../app-config.e2e.yaml' >"$log" 2>&1 &
backend_pid=$!
cleanup() {
  kill -TERM -- -"$backend_pid" 2>/dev/null || true
  sleep 2
  kill -KILL -- -"$backend_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 180); do
  if curl -fsS http://localhost:7007/api/eks-access/health >/dev/null 2>&1 &&
    curl -fsS http://localhost:7007/ >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$backend_pid" 2>/dev/null; then
    echo "[e2e] the backend exited"; tail -50 "$log"; exit 1
  fi
  sleep 1
done
curl -fsS http://localhost:7007/api/eks-access/health >/dev/null || { echo "[e2e] backend not ready"; tail -50 "$log"; exit 1; }

echo "[e2e] running Playwright"
PLAYWRIGHT_URL=http://localhost:7007 yarn playwright test "$@"
