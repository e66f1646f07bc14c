#!/usr/bin/env bash
# Wall time of `gw-cli node plan` on a saved 4-device layout (c6id.16xlarge shape), against a peer in
# the same run: one `lsblk --json --bytes` call, the least any device discovery does (the reference
# bootstrap script runs lsblk once per candidate device). Prints the median of N runs of each and the
# ratio; `gw-cli --version` shows how much of it is the binary's start. Usage: Benchmarks/node-plan/run.sh [GW_CLI] [RUNS]   (default: .build/release/gw-cli, 50)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=${1:-$root/.build/release/gw-cli}
runs=${2:-50}
if [ ! -x "$cli" ]; then
    echo "building $cli (swift build -c release --product gw-cli)" >&2
    (cd "$root" && swift build -c release --product gw-cli >&2)
fi

median_ms() {  # usage: median_ms COMMAND...  -> median wall time in milliseconds over $runs runs
    local samples=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" > /dev/null
        end=$(date +%s%N)
        samples+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f\n", m / 1000 }'
}

"$cli" node plan "$here/node.json" --devices "$here/lsblk-4-devices.json" > /dev/null  # warm the page cache
plan=$(median_ms "$cli" node plan "$here/node.json" --devices "$here/lsblk-4-devices.json")
plan_json=$(median_ms "$cli" node plan "$here/node.json" --devices "$here/lsblk-4-devices.json" --json)
startup=$(median_ms "$cli" --version)
peer=$(median_ms lsblk --json --bytes --output NAME,PATH,TYPE,SIZE,MODEL,SERIAL,FSTYPE,LABEL,UUID,MOUNTPOINTS)
steps=$("$cli" node plan "$here/node.json" --devices "$here/lsblk-4-devices.json" | sed -n '1s/.*: \([0-9]*\) steps/\1/p')
echo "gw-cli node plan, 4 devices ($steps steps): median ${plan} ms over $runs runs ($cli)"
echo "gw-cli node plan --json:                    median ${plan_json} ms"
echo "gw-cli --version (process start only):      median ${startup} ms"
echo "peer: lsblk --json --bytes (one call):      median ${peer} ms"
awk -v a="$plan" -v b="$peer" 'BEGIN { printf "ratio plan / lsblk: %.2f\n", a / b }'
