#!/usr/bin/env bash
# Makes sure the real `kubectl` and `aws` CLIs are on PATH for the kubectl
# story test (plugins/eks-access-backend/src/integration/kubectlStory.test.ts).
# Installs a missing one when it can (aws: pip; kubectl: apt); otherwise says
# so loudly, and the story test then fails naming the tool. Never fails itself.
set -uo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if ! have aws; then
  echo "aws CLI missing: trying pip install awscli"
  python3 -m pip install --quiet --user awscli >/dev/null 2>&1 ||
    python3 -m pip install --quiet --user --break-system-packages awscli >/dev/null 2>&1 || true
  export PATH="$HOME/.local/bin:$PATH"
fi
if ! have kubectl && have apt-get; then
  echo "kubectl missing: trying apt-get install kubectl / kubernetes-client"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  $SUDO apt-get install -y -qq kubectl >/dev/null 2>&1 ||
    $SUDO apt-get install -y -qq kubernetes-client >/dev/null 2>&1 || true
fi
for tool in kubectl aws; do
  if have "$tool"; then
    echo "$tool: $(command -v "$tool")"
  else
    echo "!!! $tool is NOT on PATH: the kubectl story test will fail. Install $tool and run again." >&2
  fi
done
exit 0
