#!/usr/bin/env bash
# Sets up a fresh machine and starts the demo portal on the local AWS sandbox:
# frontend http://localhost:3000, backend http://localhost:7007.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh
echo "[dev] installing dependencies (yarn install --immutable)"
yarn install --immutable
echo "[dev] starting the portal: open http://localhost:3000 and sign in as Dana Developer"
exec yarn start
