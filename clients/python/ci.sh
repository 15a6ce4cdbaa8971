#!/usr/bin/env bash
# CI for the Python client: Debian packages, stub drift, server build, tests against the real server, the examples.
# Runs as root on a clean clone with the .NET SDK; the lead calls it from .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3

echo "== python: packages"
packages=(python3-grpcio python3-protobuf python3-numpy python3-pytest python3-yaml python3-matplotlib python3-pandas protobuf-compiler protobuf-compiler-grpc)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== python: stubs"
"$here/scripts/check_stubs.sh"

echo "== python: server"
dll="$repo/src/OptimizerGrpc.Cli/bin/Release/net10.0/optimizer.dll"
if [ -z "${OPTIMIZER_SERVER:-}" ] && [ ! -f "$dll" ]; then
  dotnet build -c Release src/OptimizerGrpc.Cli
fi
export OPTIMIZER_SERVER="${OPTIMIZER_SERVER:-$dll}"

echo "== python: tests"
"$PY" -m pytest clients/python/tests -q -p no:cacheprovider

for example in basic_grid_search regime_rule_weights multi_stage_workflow; do
  echo "== python: example $example"
  "$PY" "clients/python/examples/$example.py"
done

echo "== python: backtest speed (figure, not a gate)"
"$PY" clients/python/benchmarks/backtest_speed.py
