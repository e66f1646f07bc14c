#!/usr/bin/env bash
# usage: Benchmarks/render/render-time.sh [RUNS] [CONFIG]
#
# Wall time of `gw-cli render CONFIG --out DIR` (release build, a fresh DIR each run), next to two
# peers measured in the same run with the same binary: `gw-cli --version` (process start-up) and
# `gw-cli validate CONFIG` (start-up + loading + validation). Prints the medians in milliseconds and
# the render/validate ratio. Builds the release binary first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
config=${2:-Examples/gateway.yaml}
binary=.build/release/gw-cli
[ -x "$binary" ] || swift build -c release --product gw-cli
work=$(mktemp -d "${TMPDIR:-/tmp}/render-time.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000000}'; }
measure() { # NAME COMMAND...: prints the median wall time in ms of RUNS runs
    local name=$1
    shift
    for i in $(seq 1 "$runs"); do
        rm -rf "$work/out"
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        echo $((end - start))
    done | median >"$work/$name"
}

measure version "$binary" --version
measure validate "$binary" validate "$config"
measure render "$binary" render "$config" --out "$work/out"
printf 'runs=%s  start-up %s ms  validate %s ms  render %s ms  render/validate %.2f  (load average %s)\n' \
    "$runs" "$(cat "$work/version")" "$(cat "$work/validate")" "$(cat "$work/render")" \
    "$(echo "$(cat "$work/render") / $(cat "$work/validate")" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
