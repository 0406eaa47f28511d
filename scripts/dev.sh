#!/usr/bin/env bash
# Sets up a fresh machine and starts the demo portal on the local AWS sandbox:
# frontend http://localhost:3000, backend http://localhost:7007.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh
echo "[dev] installing dependencies (yarn install --immutable)"
yarn install --immutable
# @backstage/integration-aws-node assumes roles with the AWS SDK's own STS
# client, which only this variable points at the sandbox (see
# plugins/eks-access-backend/README.md, "Pointing at the local sandbox").
export AWS_ENDPOINT_URL_STS="${AWS_ENDPOINT_URL_STS:-http://localhost:4566}"
echo "[dev] starting the portal: open http://localhost:3000 and sign in as Dana Developer"
exec yarn start
