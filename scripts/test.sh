#!/usr/bin/env bash
# The test command: installs what the tests need, builds once, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
# The formatting of every Swift file (.swift-format); scripts/format.sh applies it.
scripts/format.sh --lint
export GW_TEST_VENV="$PWD/.venv"
export PATH="$PWD/.venv/bin:$PATH"

# The VM test's Debian image (cached by its recipe's hash) is mostly downloads and dpkg: it builds in
# the background while the tests and the self-contained node binary compile.
image_log=$(mktemp)
trap 'rm -f "$image_log"' EXIT
scripts/vm/build-image.sh >"$image_log" 2>&1 &
image_build=$!

swift build --build-tests
GW_NODE_BINARY=$(scripts/build-node-binary.sh | tail -n 1)
export GW_NODE_BINARY
if ! wait "$image_build"; then
    cat "$image_log" >&2
    echo "test.sh: the VM image did not build" >&2
    exit 1
fi

# The watchdog fails a hung run with a diagnosis and stops processes a test left behind.
python3 scripts/test-watchdog.py -- swift test --skip-build --parallel --skip GatewayVMTests "$@"
# The node booted in virtual machines (scripts/vm) runs alone: it keeps both cores busy.
if [ $# -eq 0 ]; then
    python3 scripts/test-watchdog.py -- swift test --skip-build --filter GatewayVMTests
fi
./scripts/build-embedding-example.sh
