#!/usr/bin/env bash
# Builds the embedding example (Examples/embedding, a separate package that depends on this one by
# path), runs it on Examples/gateway.yaml and checks that its bundle is byte-identical to what
# `gw-cli render` writes. Run after `swift build` (scripts/test.sh does). Its build directory is
# .build-embedding, so reruns are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scratch="$root/.build-embedding"

# Pin the example to the versions the main package resolved, so no new resolution is needed.
if [ -f Package.resolved ]; then
    cp Package.resolved Examples/embedding/Package.resolved
fi
swift build --package-path Examples/embedding --scratch-path "$scratch"

work=$(mktemp -d "${TMPDIR:-/tmp}/embedding-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$scratch/debug/render-bundle" Examples/gateway.yaml "$work/library"
cli=$(swift build --show-bin-path)/gw-cli
"$cli" render Examples/gateway.yaml --out "$work/cli" >/dev/null
diff -r "$work/library" "$work/cli"
echo "embedding example: built, and its bundle equals gw-cli render's"
