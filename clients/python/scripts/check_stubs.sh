#!/usr/bin/env bash
# Regenerates the stubs into a temporary folder and fails when they differ from the committed ones.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/scripts/generate_stubs.sh" "$tmp"
if ! diff -r -x __pycache__ "$tmp" "$here/src/optimizer_grpc/_generated"; then
  echo "Generated stubs are out of date: run clients/python/scripts/generate_stubs.sh and commit the result." >&2
  exit 1
fi
echo "stubs up to date"
