#!/usr/bin/env bash
# Prepares a fresh Debian machine for VaeOnnx: the Debian packages the tests need (python3-onnx for
# onnx.checker, chromium for the browser tests of the service's page, driven by Playwright and never downloaded by
# it), npm with axe-core for the page's accessibility checks (tests/Runtime/AspNetCore/Ui/axe, pinned by its
# package-lock.json), podman, runc and debootstrap for the container image check, and the MNIST link under data/.
# ONNX Runtime and ImageSharp come from NuGet with the restore.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
/usr/bin/python3 -c 'import onnx' 2>/dev/null || need_apt+=(python3-onnx)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(npm)
# The container image check (scripts/container-check.sh): podman with runc, and debootstrap for its base image.
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || need_apt+=("$tool"); done
if [ "${VAEONNX_WITH_TORCH:-0}" = 1 ]; then
  /usr/bin/python3 -c 'import torch' 2>/dev/null || need_apt+=(python3-torch libopenblas0-pthread)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# axe-core for the browser tests: `npm ci` in its own small folder, again only when the installed version is not the
# one package.json pins (npm ci replaces node_modules from the lock file).
axe=tests/Runtime/AspNetCore/Ui/axe
want=$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' "$axe/package.json")
have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$axe/node_modules/axe-core/package.json" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "setup: installing axe-core $want for the page's accessibility tests ($axe)"
  (cd "$axe" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# podman here may not set rlimits in a container (the default nofile/nproc ulimits fail), so it sets none. Only a
# containers.conf that does not say default_ulimits already is written; anything else it holds is kept.
if [ "$(id -u)" = 0 ] && command -v podman >/dev/null && ! grep -qs '^ *default_ulimits' /etc/containers/containers.conf; then
  mkdir -p /etc/containers
  if grep -qs '^\[containers\]' /etc/containers/containers.conf; then
    sed -i 's/^\[containers\]/[containers]\ndefault_ulimits = []/' /etc/containers/containers.conf
  else
    printf '[containers]\ndefault_ulimits = []\n' >> /etc/containers/containers.conf
  fi
  echo "setup: /etc/containers/containers.conf sets default_ulimits = [] (for podman)"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (see global.json) is not on PATH; install it first." >&2; exit 1; }

# MNIST: link the shared copy when it sits beside the checkout; otherwise the trainer downloads it.
# An empty data/mnist (left by hand, or by an older trainer's failed download) is replaced by the link.
if [ -d data/mnist ] && [ ! -L data/mnist ] && [ -z "$(ls -A data/mnist)" ]; then rmdir data/mnist; fi
if [ ! -e data/mnist ] && [ -d ../shared/data/mnist ]; then
  mkdir -p data
  ln -s "$(cd ../shared/data/mnist && pwd)" data/mnist
  echo "setup: linked data/mnist -> ../shared/data/mnist"
fi
