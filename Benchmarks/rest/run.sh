#!/usr/bin/env bash
# REST front benchmark: requests per second and p99 latency of GET /v1/deployments and POST /v1/validate
# (wrk, release build), with GET /healthz in the same run as the framework's floor; then how many
# concurrent Server-Sent Events clients one gw-rest process holds while a run streams, each checked to
# receive every event.
#
# usage: Benchmarks/rest/run.sh [--duration SECONDS] [--connections N] [--deployments N] [--sse-clients N]
# Needs: wrk, curl, python3 (the SSE clients use only the standard library). Everything it starts is
# stopped by PID on exit; the work directory is removed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

DURATION=10
CONNECTIONS=32
DEPLOYMENTS=20
SSE_CLIENTS=1000
SSE_LINES=400
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --deployments) DEPLOYMENTS=$2; shift 2 ;;
        --sse-clients) SSE_CLIENTS=$2; shift 2 ;;
        --sse-lines) SSE_LINES=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk curl python3)" >&2; exit 1; }
done

swift build -c release --product gw-rest >/dev/null
BIN=$(swift build -c release --show-bin-path)/gw-rest

WORK=$(mktemp -d /tmp/gw-rest-bench.XXXXXX)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export TOKEN

# A FAKE packer (packer cannot build an AMI offline): its build waits 3 s, so the SSE clients connect
# while the run is in progress, then prints SSE_LINES lines 10 ms apart and writes a manifest.
cat > "$WORK/fake-packer" <<PACKER
#!/bin/sh
case "\$1" in
  version) echo "Packer v1.11.2 (fake)"; exit 0 ;;
  init) echo "Installed plugin (fake)"; exit 0 ;;
  build)
    sleep 3
    i=1
    while [ \$i -le $SSE_LINES ]; do echo "==> gateway.amazon-ebs.node: provisioning step \$i (fake)"; sleep 0.01; i=\$((i+1)); done
    printf '{"builds":[{"name":"node","builder_type":"amazon-ebs","build_time":1790000000,"artifact_id":"us-east-1:ami-0fedcba9876543210","packer_run_uuid":"bench"}],"last_run_uuid":"bench"}' > packer-manifest.json
    exit 0 ;;
esac
exit 1
PACKER
chmod +x "$WORK/fake-packer"

env -i PATH="$PATH" HOME="$WORK" GW_REST_TOKEN="$TOKEN" GW_PACKER="$WORK/fake-packer" \
    "$BIN" --listen 127.0.0.1:0 --workspace-root "$WORK/root" --log-format json >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(grep -o '"address":"127.0.0.1:[0-9]*"' "$WORK/server.log" 2>/dev/null | head -1 | sed 's/.*://; s/"//') || true
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { echo "gw-rest did not start:"; cat "$WORK/server.log"; exit 1; }
BASE="http://127.0.0.1:$PORT"

for i in $(seq 1 "$DEPLOYMENTS"); do
    sed "s/^  name: s3-gateway/  name: bench$i/" Examples/gateway.yaml > "$WORK/config-$i.yaml"
    status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/yaml' --data-binary "@$WORK/config-$i.yaml" "$BASE/v1/deployments/bench$i-prod")
    [ "$status" = 201 ] || { echo "PUT bench$i-prod answered $status"; exit 1; }
done

# wrk: prints "name req/s p99 ratio"; the ratio is against the first measurement (GET /healthz, the
# framework's floor: no authentication, no work) in this same run.
BASELINE=""
measure() {
    local name=$1; shift
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
    local rps p99 non2xx
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    [ -n "$BASELINE" ] || BASELINE=$rps
    printf '%-24s %12s req/s   p99 %8s   %5.3fx /healthz   non-2xx %s\n' "$name" "$rps" "$p99" \
        "$(python3 -c "print($rps / $BASELINE)")" "${non2xx:-0}"
}

echo "gw-rest $("$BIN" --version) release build; wrk -t2 -c$CONNECTIONS -d${DURATION}s; $DEPLOYMENTS deployments stored"
measure "GET /healthz" "$BASE/healthz"
measure "GET /v1/deployments" -H "Authorization: Bearer $TOKEN" "$BASE/v1/deployments"
BODY_FILE="$ROOT/Examples/gateway.yaml" CONTENT_TYPE=application/yaml \
    measure "POST /v1/validate" -s Benchmarks/rest/post-body.lua "$BASE/v1/validate"

# SSE fan-out: start a run, connect the clients while it runs, check each receives every event.
RUN=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data '{"action": "ami-build"}' "$BASE/v1/deployments/bench1-prod/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
RSS_BEFORE=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
python3 Benchmarks/rest/sse-fanout.py --url "$BASE/v1/runs/$RUN/events" --token "$TOKEN" --clients "$SSE_CLIENTS" > "$WORK/sse.json" &
SSE_PID=$!
PEAK=0
while kill -0 "$SSE_PID" 2>/dev/null; do
    RSS=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
    [ "$RSS" -gt "$PEAK" ] && PEAK=$RSS
    sleep 0.2
done
wait "$SSE_PID"
EVENTS=$(wc -l < "$WORK/root/deployments/bench1-prod/runs/$RUN/events.jsonl")
echo "SSE fan-out during an ami-build run ($EVENTS events in its log): $(cat "$WORK/sse.json")"
echo "server RSS: ${RSS_BEFORE} KiB before, ${PEAK} KiB peak while streaming"
