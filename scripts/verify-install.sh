#!/usr/bin/env bash
# Installs the EKS Access plugins into a brand-new Backstage app, following
# the root README's "Installing the plugins in your Backstage app" section
# step by step, and checks that they work there:
#   1. pack the publishable packages (yarn release:pack)
#   2. create an app with the @backstage/create-app version pinned below
#   3. install the tarballs as the README says (resolutions + dependencies),
#      move the app to the Backstage release the plugins need
#   4. add the backend lines and the documented config, pointing at the
#      sandbox (installed from its own tarball)
#   5. type-check, build, start the backend, and ask /api/eks-access/clusters
#      for the annotated demo user
#   6. load a cluster's page in Chromium and check the card shows a verdict
# Everything runs in a new /tmp/verify-install-XXXX directory, on random
# ports; every process it starts is stopped at the end. The directory is
# removed on success (kept on failure, or with KEEP=1).
#
# Usage: bash scripts/verify-install.sh     (yarn verify-install)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/toolchain.sh
. "$repo/scripts/toolchain.sh"

# The create-app release this repository pins. Its template is Backstage 1.55;
# the plugins need 1.57 (see the README), so step 3 moves the app to it.
CREATE_APP_VERSION=0.9.2

started=$(date +%s)
work="$(mktemp -d /tmp/verify-install-XXXX)"
app="$work/app"
tarballs="$work/tarballs"
pids=()
ok=0
log() { echo "[verify-install $(date -u +%H:%M:%S)] $*"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})'; }
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- -"$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${pids[@]}"; do kill -KILL -- -"$pid" 2>/dev/null || true; done
  if [ "$ok" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  else
    log "work directory kept: $work"
  fi
}
trap cleanup EXIT

log "1. packing the packages into $tarballs"
bash "$repo/scripts/release-pack.sh" "$tarballs" >"$work/release-pack.log" 2>&1 || {
  tail -40 "$work/release-pack.log"; exit 1; }
tail -n 5 "$work/release-pack.log"
tgz() { ls "$tarballs"/@eks-access-"$1"-[0-9]*.tgz; }

log "2. creating an app with @backstage/create-app@$CREATE_APP_VERSION"
(cd "$work" && BACKSTAGE_APP_NAME=verify-app npx --yes "@backstage/create-app@$CREATE_APP_VERSION" \
  --path app --skip-install) >"$work/create-app.log" 2>&1 || { tail -40 "$work/create-app.log"; exit 1; }
cd "$app"

log "3. adding the packages (tarballs until they are on the registry)"
# What the README's tarball instructions say: the backend and frontend
# packages where they are used, the sandbox as a dev tool, and a resolution
# for the common package, which the other two depend on by version.
node - "$(tgz plugin-eks-access-backend)" "$(tgz plugin-eks-access)" \
  "$(tgz plugin-eks-access-common)" "$(tgz plugin-eks-access-sandbox)" <<'NODE'
const fs = require('fs');
const [backend, frontend, common, sandbox] = process.argv.slice(2);
const edit = (file, fn) => {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  fn(pkg);
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
};
edit('package.json', p => {
  p.resolutions = { ...p.resolutions, '@eks-access/plugin-eks-access-common': `file:${common}` };
  p.devDependencies = { ...p.devDependencies, '@eks-access/plugin-eks-access-sandbox': `file:${sandbox}` };
});
edit('packages/backend/package.json', p => {
  p.dependencies['@eks-access/plugin-eks-access-backend'] = `file:${backend}`;
});
edit('packages/app/package.json', p => {
  p.dependencies['@eks-access/plugin-eks-access'] = `file:${frontend}`;
});
NODE
# The template is Backstage 1.55; the plugins need 1.57 (frontend-plugin-api
# 1.0, catalog-react 4.0, backend-defaults 0.19). `yarn backstage-cli
# versions:bump` does this where versions.backstage.io is reachable; this
# machine reaches only the npm registry, so take each package's latest.
log "   moving the app to the latest Backstage packages and installing (yarn up '@backstage/*')"
yarn up '@backstage/*' >"$work/install.log" 2>&1 || { tail -60 "$work/install.log"; exit 1; }
grep -E 'YN0060|YN0002|YN0086' "$work/install.log" | sed 's/^/   peer: /' || true
tail -n 1 "$work/install.log"

log "4. backend lines and config"
node - <<'NODE'
const fs = require('fs');
const file = 'packages/backend/src/index.ts';
let src = fs.readFileSync(file, 'utf8');
const add = line => {
  src = src.replace(/\nbackend\.start\(\);/, `\n${line}\nbackend.start();`);
};
// The README's backend lines: notifications and signals only if not already
// present (create-app adds both), the plugin, and a permission policy in
// place of the allow-all one.
for (const plugin of ['notifications', 'signals']) {
  if (!src.includes(`@backstage/plugin-${plugin}-backend'`)) {
    add(`backend.add(import('@backstage/plugin-${plugin}-backend'));`);
  }
}
add("backend.add(import('@eks-access/plugin-eks-access-backend'));");
const allowAll = /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);\n/;
if (!allowAll.test(src)) throw new Error('allow-all policy line not found');
src = src.replace(
  allowAll,
  "backend.add(import('./modules/eksAccessPermissionPolicyModule'));\n",
);
fs.writeFileSync(file, src);
NODE
# The README's step 4: the demo policy module, copied from the demo backend.
mkdir -p packages/backend/src/modules
cp "$repo/packages/backend/src/modules/eksAccessPermissionPolicyModule.ts" \
  "$repo/packages/backend/src/modules/EksAccessDemoPermissionPolicy.ts" \
  packages/backend/src/modules/
cp "$repo/scripts/verify-install/eks-access-config.yaml" app-config.eks-access.yaml
cp "$repo/examples/org.yaml" examples/eks-access-org.yaml
cp "$repo/examples/clusters.yaml" examples/eks-access-clusters.yaml
export VERIFY_BACKEND_PORT="$(free_port)" VERIFY_SANDBOX_PORT="$(free_port)"
kube_base=$((20000 + RANDOM % 20000))
log "   backend on :$VERIFY_BACKEND_PORT, sandbox on :$VERIFY_SANDBOX_PORT (Kubernetes APIs from :$kube_base)"

log "5. type-check and build"
yarn tsc >"$work/tsc.log" 2>&1 || { tail -40 "$work/tsc.log"; exit 1; }
yarn build:backend >"$work/build-backend.log" 2>&1 || { tail -40 "$work/build-backend.log"; exit 1; }
yarn workspace app build >"$work/build-app.log" 2>&1 || { tail -40 "$work/build-app.log"; exit 1; }

log "   starting the sandbox (from its tarball) and the backend"
setsid node_modules/.bin/eks-access-sandbox --port "$VERIFY_SANDBOX_PORT" \
  --kube-port-base "$kube_base" --quiet >"$work/sandbox.log" 2>&1 &
pids+=($!)
# @backstage/integration-aws-node assumes roles with the SDK's own STS client.
export AWS_ENDPOINT_URL_STS="http://localhost:$VERIFY_SANDBOX_PORT"
(cd packages/backend && exec setsid yarn start --config ../../app-config.yaml \
  --config ../../app-config.eks-access.yaml) >"$work/backend.log" 2>&1 &
pids+=($!)
base="http://localhost:$VERIFY_BACKEND_PORT"
for _ in $(seq 1 300); do
  curl -fsS "$base/api/eks-access/health" >/dev/null 2>&1 && break
  if ! kill -0 "${pids[1]}" 2>/dev/null; then log "the backend exited"; tail -60 "$work/backend.log"; exit 1; fi
  sleep 1
done
curl -fsS "$base/api/eks-access/health" >/dev/null || { log "backend not ready"; tail -60 "$work/backend.log"; exit 1; }

log "   GET /api/eks-access/clusters as the annotated demo user"
token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' \
  "$base/api/auth/guest/refresh?env=development" | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')"
clusters=""
for _ in $(seq 1 60); do
  clusters="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/eks-access/clusters" || true)"
  echo "$clusters" | grep -q '"payments-prod"\|payments-prod' && break
  sleep 2
done
echo "$clusters" | node -e '
  const body = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const items = body.items ?? body.clusters ?? [];
  if (items.length === 0) { console.error("no clusters in", JSON.stringify(body).slice(0, 500)); process.exit(1); }
  for (const c of items) console.log(`   ${c.name ?? c.entityRef}: ${c.status}`);
  if (items.every(c => c.status === "no-identities")) {
    console.error("the demo user resolved to no identity"); process.exit(1); }'

log "6. the card in Chromium"
NODE_PATH="$repo/node_modules" node "$repo/scripts/verify-install/check-card.js" \
  "$base" /catalog/default/resource/payments-prod "$work/card.png"

ok=1
log "passed in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"
