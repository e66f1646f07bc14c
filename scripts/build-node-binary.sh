#!/usr/bin/env bash
# Builds the gw-cli that node images install: a release build with the Swift runtime linked
# statically, so it starts on the Ubuntu minimal image, which has no Swift toolchain.
#
#   scripts/build-node-binary.sh [OUT_DIR]     (default OUT_DIR: .build-node/out)
#
# Builds in its own scratch path (.build-node), so the debug build the tests use is left alone.
# Checks that the binary needs no toolchain library, then prints its absolute path as the last
# line of standard output (progress goes to standard error). Pass that path to
# `gw-cli ami build CONFIG --node-binary PATH`.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir="${1:-.build-node/out}"
scratch=".build-node"

echo "building gw-cli (release, static Swift runtime) in $scratch ..." >&2
swift build -c release --static-swift-stdlib --product gw-cli --scratch-path "$scratch" >&2
bin_dir="$(swift build -c release --static-swift-stdlib --product gw-cli --scratch-path "$scratch" --show-bin-path)"

mkdir -p "$out_dir"
cp "$bin_dir/gw-cli" "$out_dir/gw-cli"
binary="$(cd "$out_dir" && pwd)/gw-cli"

# The libraries the binary needs (DT_NEEDED): none may come from a Swift toolchain.
needed="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
toolchain="$(grep -E '^(libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest|libTesting)' <<<"$needed" || true)"
if [[ -n "$toolchain" ]]; then
    echo "error: $binary still needs Swift toolchain libraries:" >&2
    echo "$toolchain" >&2
    exit 1
fi
echo "needs only system libraries: $(tr '\n' ' ' <<<"$needed")" >&2
echo "size: $(du -h "$binary" | cut -f1)" >&2
echo "$binary"
