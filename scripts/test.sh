#!/usr/bin/env bash
# The test command: installs what the tests need, builds once, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
export GW_TEST_VENV="$PWD/.venv"
export PATH="$PWD/.venv/bin:$PATH"
swift build --build-tests
# The watchdog fails a hung run with a diagnosis and stops processes a test left behind.
python3 scripts/test-watchdog.py -- swift test --skip-build --parallel "$@"
./scripts/build-embedding-example.sh
