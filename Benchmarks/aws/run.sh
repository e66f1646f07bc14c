#!/usr/bin/env bash
# AWS client benchmarks, in one run:
#   1. SigV4 signing throughput of the gateway's signer (libcrypto) vs botocore's SigV4Auth on the same requests
#   2. the CloudWatch publisher with 10,000 distinct series: resident memory and PutMetricData batches
#      per publication (= per minute at the default 60 s interval)
# usage: Benchmarks/aws/run.sh [SECONDS] [SERIES]     (needs scripts/install-test-deps.sh for botocore)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN_SECONDS=${1:-5}
SERIES=${2:-10000}
PY=${GW_TEST_VENV:-$PWD/.venv}/bin/python
[ -x "$PY" ] || { echo "no test venv: run scripts/install-test-deps.sh" >&2; exit 2; }
swift build -c release --product AWSBenchmarks >&2
BIN=.build/release/AWSBenchmarks

swift_sign=$("$BIN" sign "$RUN_SECONDS")
boto_sign=$("$PY" Benchmarks/aws/botocore_sign_bench.py "$RUN_SECONDS")
metrics=$("$BIN" metrics "$SERIES")
echo "$swift_sign"
echo "$boto_sign"
echo "$metrics"
"$PY" - "$swift_sign" "$boto_sign" <<'PYEOF'
import json, sys
ours, peer = (json.loads(a) for a in sys.argv[1:3])
print(f"signing: gateway {ours['signaturesPerSecond']}/s, botocore {peer['signaturesPerSecond']}/s, "
      f"ratio {ours['signaturesPerSecond'] / peer['signaturesPerSecond']:.1f}x")
PYEOF
