#!/usr/bin/env bash
# Runner throughput: lines/s streamed through ProcessRunner from a child printing 1,000,000 lines,
# against `cat FILE | wc -l` of the same file in the same run.
# usage: Benchmarks/runner/throughput.sh [LINES] [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")"
LINES=${1:-1000000}
REPETITIONS=${2:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Lines like a terraform -json UI stream would have them: ~100 bytes each.
python3 - "$WORK/lines.txt" "$LINES" <<'PY'
import sys
path, count = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    for i in range(count):
        out.write('{"@level":"info","@message":"terraform_data.node[%d]: Creation complete","type":"apply_complete"}\n' % i)
PY
swift build -c release --product RunnerThroughput >/dev/null
"$(swift build -c release --show-bin-path)/RunnerThroughput" "$WORK/lines.txt" "$REPETITIONS"
