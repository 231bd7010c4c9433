#!/usr/bin/env bash
# Quick start: install (if needed), build, convert the bundled example into a dataset on the
# local filesystem, and query it. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -d node_modules/zstd-napi ] || [ ! -f node_modules/zstd-napi/build/Release/binding.node ]; then
  echo "== installing dependencies (zstd-napi compiles from source, ~1 min)"
  npm install --no-audit --no-fund
fi
echo "== building"
npx turbo run build --output-logs=errors-only

genolake() { node packages/cli/bin/genolake.js "$@"; }
out=${QUICKSTART_DIR:-./quickstart-out}
rm -rf "$out"
mkdir -p "$out"

echo "== genolake plugins"
genolake plugins
echo
echo "== genolake convert examples/data/genes.bed $out/genes.ds"
genolake convert examples/data/genes.bed "$out/genes.ds"
echo
echo "== genolake info $out/genes.ds"
genolake info "$out/genes.ds"
echo
echo "== genolake query $out/genes.ds chr2:30000000-40000000"
genolake query "$out/genes.ds" chr2:30000000-40000000
echo
echo "== genolake query $out/genes.ds chr2:30000000-40000000 --fields name --explain (the plan only: one chunk; the region filter's streams and name's, nothing else)"
genolake query "$out/genes.ds" chr2:30000000-40000000 --fields name --explain
echo
echo "== genolake verify $out/genes.ds"
genolake verify "$out/genes.ds"
