#!/usr/bin/env bash
# usage: scripts/format.sh [--lint]
# Formats every Swift file of the project with swift-format (the toolchain's `swift format`) and the
# configuration in .swift-format; with --lint, changes nothing and fails when a file is not formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Examples Sources Tests Benchmarks)
if [ "${1:-}" = "--lint" ]; then
    exec swift format lint --strict --parallel --recursive "${paths[@]}"
fi
exec swift format format --in-place --parallel --recursive "${paths[@]}"
