#!/usr/bin/env bash
# Proxy benchmark: our S3 balancing proxy (gw-cli proxy, release build) against HAProxy 2.6 with
# 2 threads, nginx as a reverse proxy and direct access, in one run, on this machine (127.0.0.1 only).
#
#   3 nginx backends (1 worker each; static 1k/64k/16m files, /health, a DAV PUT sink on tmpfs)
#   HAProxy 2.6 (haproxy.cfg: 2 threads, keep-alive + http-reuse always, round robin, checks)
#   nginx proxy: the perf baseline's cheapest peer in CPU per request ("nginx-auto-t": 2 workers,
#     reuseport, 64 KiB proxy buffers, upstream keepalive; buffering off for the 16 MiB GET)
#   gw-cli proxy  --backend x3 --health-path /health (default policy p2c, one event loop per core)
# For each case (GET 1 KiB, 64 KiB, 16 MiB; PUT 64 KiB) wrk runs against direct (one backend),
# each peer and ours; the table shows req/s, MiB/s, p50/p99, errors, the proxy's CPU per request
# (from /proc/PID/stat), the ratio ours/HAProxy (the goal's peer) and ours/nginx in CPU per request.
# ROUNDS>1 repeats the cases and reports medians. NGINX_PEER=0 leaves the nginx proxy out.
#
# Needs nginx, haproxy, wrk, curl: scripts/bench-deps.sh installs them.
# Knobs (env): DUR=10 WARM=2 CONNS=64 THREADS=2 ROUNDS=1 NGINX_PEER=1 OUTDIR=Benchmarks/proxy/results/<utc>
#              GW_CLI=<path> (default: build .build/release/gw-cli), PROXY_ARGS="extra gw-cli proxy flags"
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DUR=${DUR:-10}
WARM=${WARM:-2}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-1}
NGINX_PEER=${NGINX_PEER:-1}
OUTDIR=${OUTDIR:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
PROXY_ARGS=${PROXY_ARGS:-}
HZ=$(getconf CLK_TCK)
export BENCH_LUA="$HERE/lua"
for v in HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy; do unset "$v"; done

for c in nginx haproxy wrk curl awk ss; do
  command -v "$c" >/dev/null || { echo "missing: $c (run scripts/bench-deps.sh)" >&2; exit 1; }
done
if [ -z "${GW_CLI:-}" ]; then
  echo "building gw-cli (release)..." >&2
  (cd "$ROOT" && swift build -c release --product gw-cli >&2) || exit 1
  GW_CLI="$ROOT/.build/release/gw-cli"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
B1=$(free_port); B2=$(free_port); B3=$(free_port); HP=$(free_port); OP=$(free_port); NP=$(free_port); NS=$(free_port)
RUN=$(mktemp -d /dev/shm/gw-proxy-bench.XXXXXX)
mkdir -p "$OUTDIR" "$RUN"/{www,logs,tmp}
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  cp -r "$RUN/logs" "$OUTDIR/server-logs" 2>/dev/null
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

head -c 1024     /dev/urandom > "$RUN/www/1k.bin"
head -c 65536    /dev/urandom > "$RUN/www/64k.bin"
head -c 16777216 /dev/urandom > "$RUN/www/16m.bin"

for p in $B1 $B2 $B3; do
  cat > "$RUN/nginx-$p.conf" <<NGINX
worker_processes 1;
user root;                  # ignored (with a warning) when not started as root
daemon off;
pid logs/nginx-$p.pid;
error_log logs/nginx-$p.err warn;
worker_rlimit_nofile 16384;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/octet-stream;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path tmp/body-$p;
    proxy_temp_path tmp/proxy-$p;
    fastcgi_temp_path tmp/fastcgi-$p;
    uwsgi_temp_path tmp/uwsgi-$p;
    scgi_temp_path tmp/scgi-$p;
    server {
        listen 127.0.0.1:$p backlog=4096;
        root www;
        location = /health { default_type text/plain; return 200 "ok\n"; }
        location /up/ {
            root dav-$p;
            dav_methods PUT;
            create_full_put_path on;
            client_max_body_size 64m;
            client_body_buffer_size 128k;
        }
    }
}
NGINX
  nginx -p "$RUN/" -e "$RUN/logs/nginx-$p.err" -c "$RUN/nginx-$p.conf" >"$RUN/logs/nginx-$p.out" 2>&1 &
  PIDS+=("$!"); eval "PID_B$p=$!"
done
HAPROXY_PORT=$HP BACKEND1=$B1 BACKEND2=$B2 BACKEND3=$B3 haproxy -db -f "$HERE/haproxy.cfg" >"$RUN/logs/haproxy.out" 2>&1 &
PIDS+=("$!"); PID_HAPROXY=$!
cat > "$RUN/nginx-proxy.conf" <<NGINX
worker_processes 2;
user root;
daemon off;
pid logs/nginx-proxy.pid;
error_log logs/nginx-proxy.err warn;
worker_rlimit_nofile 16384;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/octet-stream;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path tmp/body-proxy;
    proxy_temp_path tmp/proxy-proxy;
    fastcgi_temp_path tmp/fastcgi-proxy;
    uwsgi_temp_path tmp/uwsgi-proxy;
    scgi_temp_path tmp/scgi-proxy;
    client_max_body_size 64m;
    client_body_buffer_size 128k;
    upstream backends {
        server 127.0.0.1:$B1;
        server 127.0.0.1:$B2;
        server 127.0.0.1:$B3;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 60s;
    }
    server {   # buffering on: 1 KiB and 64 KiB GETs, 64 KiB PUT
        listen 127.0.0.1:$NP backlog=4096 reuseport;
        location / { proxy_pass http://backends; proxy_http_version 1.1; proxy_set_header Connection "";
                     proxy_buffering on; proxy_buffer_size 64k; proxy_buffers 4 64k; }
    }
    server {   # streaming: 16 MiB GET
        listen 127.0.0.1:$NS backlog=4096 reuseport;
        location / { proxy_pass http://backends; proxy_http_version 1.1; proxy_set_header Connection "";
                     proxy_buffering off; proxy_request_buffering off; proxy_buffer_size 64k; proxy_buffers 4 64k; }
    }
}
NGINX
PID_NGINX_PROXY=""
if [ "$NGINX_PEER" = 1 ]; then
  nginx -p "$RUN/" -e "$RUN/logs/nginx-proxy.err" -c "$RUN/nginx-proxy.conf" >"$RUN/logs/nginx-proxy.out" 2>&1 &
  PIDS+=("$!"); PID_NGINX_PROXY=$!
fi
# shellcheck disable=SC2086
"$GW_CLI" proxy --listen "127.0.0.1:$OP" --backend "http://127.0.0.1:$B1" --backend "http://127.0.0.1:$B2" \
  --backend "http://127.0.0.1:$B3" --health-path /health $PROXY_ARGS >"$RUN/logs/gw-proxy.out" 2>&1 &
PIDS+=("$!"); PID_OURS=$!

wait_http() {
  for _ in $(seq 100); do curl -sf -o /dev/null --max-time 1 "$1" && return 0; sleep 0.1; done
  echo "timeout waiting for $1" >&2; return 1
}
PROXY_PORTS="$HP $OP"; [ -n "$PID_NGINX_PROXY" ] && PROXY_PORTS="$PROXY_PORTS $NP $NS"
for p in $B1 $B2 $B3 $PROXY_PORTS; do wait_http "http://127.0.0.1:$p/health" || exit 1; done
sleep 2.5   # first health checks
BACKEND_PIDS=""
pp=""
for p in $B1 $B2 $B3; do eval "pp=\$PID_B$p"; BACKEND_PIDS="$BACKEND_PIDS $pp $(ps -o pid= --ppid "$pp" | tr -s ' \n' ' ')"; done
HAPROXY_PIDS="$PID_HAPROXY"
NGINX_PROXY_PIDS=""   # master and workers
[ -n "$PID_NGINX_PROXY" ] && NGINX_PROXY_PIDS="$PID_NGINX_PROXY $(ps -o pid= --ppid "$PID_NGINX_PROXY" | tr -s ' \n' ' ')"

# sanity: byte counts and PUT through each target
for port in $B1 $PROXY_PORTS; do
  for f in 1k 64k 16m; do
    want=$(stat -c %s "$RUN/www/$f.bin")
    got=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/$f.bin")
    [ "$got" = "200 $want" ] || { echo "sanity failed: port $port /$f.bin -> $got (want 200 $want)" >&2; exit 1; }
  done
  code=$(head -c 65536 /dev/zero | curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X PUT --data-binary @- \
    -H 'Content-Type: application/octet-stream' "http://127.0.0.1:$port/up/sanity")
  case "$code" in 201|204) ;; *) echo "sanity failed: PUT via $port -> $code" >&2; exit 1;; esac
done

ticks() {  # utime+stime of the given pids (clock ticks)
  local p s=0 a
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    read -ra a <<<"$(sed 's/^.*) //' "/proc/$p/stat")"
    s=$((s + a[11] + a[12]))
  done
  echo "$s"
}

TSV="$OUTDIR/results.tsv"
printf 'round\tcase\ttarget\trps\tMiB_s\tp50_ms\tp99_ms\terrors\tproxy_cpu_pct\tproxy_us_per_req\n' > "$TSV"
run_case() {  # run_case <round> <case> <target> <url> <proxy pids or -> <lua> [env...]
  local round=$1 case=$2 target=$3 url=$4 pids=$5 lua=$6 out res c0 c1 t0 t1
  out="$OUTDIR/$case-$target-r$round.txt"
  wrk -t"$THREADS" -c"$CONNS" -d"${WARM}s" --timeout 10s -s "$lua" "$url" >/dev/null 2>&1
  [ "$pids" = "-" ] && pids=""
  # shellcheck disable=SC2086
  c0=$(ticks $pids); t0=$EPOCHREALTIME
  wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --timeout 10s --latency -s "$lua" "$url" >"$out" 2>&1
  # shellcheck disable=SC2086
  t1=$EPOCHREALTIME; c1=$(ticks $pids)
  res=$(grep '^RESULT' "$out" | tail -1)
  [ -n "$res" ] || { log "$case $target: no RESULT (see $out)"; return; }
  awk -v res="$res" -v round="$round" -v case_="$case" -v target="$target" -v dc=$((c1 - c0)) -v hz="$HZ" \
      -v t0="$t0" -v t1="$t1" -v big="$([ "$case" = get-16m ] && echo 1 || echo 0)" 'BEGIN{
    n=split(res, kv, " "); for(i=2;i<=n;i++){ split(kv[i], a, "="); r[a[1]]=a[2] }
    wall=t1-t0; cpu=dc/hz/wall*100
    mib=r["Bps"]/1048576; if (case_=="put-64k") mib=r["rps"]*65536/1048576
    per=(r["rps"]>0 && target!="direct")? cpu/100*1e6/r["rps"] : 0
    printf "%s\t%s\t%s\t%.0f\t%.1f\t%.3f\t%.3f\t%d\t%.0f\t%.1f\n", round, case_, target, r["rps"], mib,
      r["p50_us"]/1000, r["p99_us"]/1000, r["errors"], cpu, per }' >> "$TSV"
  log "$(tail -1 "$TSV" | tr '\t' ' ')"
}

log "running: ${DUR}s per case, wrk -t$THREADS -c$CONNS, $ROUNDS round(s); ours on $OP, HAProxy on $HP${PID_NGINX_PROXY:+, nginx proxy on $NP/$NS}"
for round in $(seq "$ROUNDS"); do
  for size in 1k 64k 16m; do
    run_case "$round" "get-$size" direct "http://127.0.0.1:$B1/$size.bin" - "$HERE/lua/get.lua"
    run_case "$round" "get-$size" haproxy "http://127.0.0.1:$HP/$size.bin" "$HAPROXY_PIDS" "$HERE/lua/get.lua"
    if [ -n "$PID_NGINX_PROXY" ]; then
      port=$NP; [ "$size" = 16m ] && port=$NS
      run_case "$round" "get-$size" nginx "http://127.0.0.1:$port/$size.bin" "$NGINX_PROXY_PIDS" "$HERE/lua/get.lua"
    fi
    run_case "$round" "get-$size" ours "http://127.0.0.1:$OP/$size.bin" "$PID_OURS" "$HERE/lua/get.lua"
  done
  run_case "$round" put-64k direct "http://127.0.0.1:$B1/up/obj" - "$HERE/lua/put.lua"
  run_case "$round" put-64k haproxy "http://127.0.0.1:$HP/up/obj" "$HAPROXY_PIDS" "$HERE/lua/put.lua"
  [ -n "$PID_NGINX_PROXY" ] && run_case "$round" put-64k nginx "http://127.0.0.1:$NP/up/obj" "$NGINX_PROXY_PIDS" "$HERE/lua/put.lua"
  run_case "$round" put-64k ours "http://127.0.0.1:$OP/up/obj" "$PID_OURS" "$HERE/lua/put.lua"
done
RSS_KB=$(awk '/VmHWM/{print $2}' "/proc/$PID_OURS/status" 2>/dev/null)

{
  echo "proxy benchmark $(date -u +%FT%TZ)  nproc=$(nproc)  wrk -t$THREADS -c$CONNS -d${DUR}s  rounds=$ROUNDS"
  echo "nginx $(nginx -v 2>&1 | cut -d/ -f2)  $(haproxy -v | head -1 | awk '{print "haproxy", $3}')  ours: $GW_CLI proxy $PROXY_ARGS (peak RSS ${RSS_KB:-?} KiB)"
  echo "cpu% = proxy CPU in % of one core; us/req = proxy CPU per request (16m: per 16 MiB response); x_hap = target/HAProxy in req/s (16m: MiB/s)"
  echo "x_hap compares the medians over rounds; x_round is the median of the ratios within each round (robust to drift of the machine between rounds)"
  echo "cpu_x_ngx = ours/nginx proxy in CPU per request (below 1: ours costs less)"
  awk -F'\t' 'NR==1{next}
    { k=$2"|"$3; n[k]++; rps[k,n[k]]=$4; mib[k,n[k]]=$5; byround[$2,$3,$1]=($2=="get-16m")? $5 : $4; p50[k,n[k]]=$6; p99[k,n[k]]=$7; err[k]+=$8; cpu[k,n[k]]=$9; us[k,n[k]]=$10
      if(!(k in seen)){ seen[k]=1; order[++m]=k } }
    function med(arr, k, c,   i, j, t, v){ for(i=1;i<=c;i++) v[i]=arr[k,i]
      for(i=1;i<=c;i++) for(j=i+1;j<=c;j++) if(v[j]<v[i]){t=v[i];v[i]=v[j];v[j]=t}
      return (c%2)? v[(c+1)/2] : (v[c/2]+v[c/2+1])/2 }
    END{
      printf "%-8s %-8s %9s %9s %8s %8s %5s %5s %7s %6s %7s %9s\n","case","target","req/s","MiB/s","p50ms","p99ms","err","cpu%","us/req","x_hap","x_round","cpu_x_ngx"
      for(i=1;i<=m;i++){ k=order[i]; split(k,a,"|"); c=n[k]
        R[k]=med(rps,k,c); M[k]=med(mib,k,c); U[k]=med(us,k,c) }
      for(i=1;i<=m;i++){ k=order[i]; split(k,a,"|"); c=n[k]
        hk=a[1]"|haproxy"; x="-"; xr="-"; xn="-"
        if(a[2]!="direct" && a[2]!="haproxy"){
          if((hk in R) && R[hk]>0) x=sprintf("%.2f", (a[1]=="get-16m")? M[k]/M[hk] : R[k]/R[hk])
          nr=0; split("", ratio)
          for(r=1;r<=c;r++) if(((a[1],"haproxy",r) in byround) && byround[a[1],"haproxy",r]>0) ratio[a[1],++nr]=byround[a[1],a[2],r]/byround[a[1],"haproxy",r]
          if(nr>0) xr=sprintf("%.2f", med(ratio, a[1], nr)) }
        nk=a[1]"|nginx"
        if(a[2]=="ours" && (nk in U) && U[nk]>0) xn=sprintf("%.2f", U[k]/U[nk])
        printf "%-8s %-8s %9.0f %9.1f %8.3f %8.3f %5d %5.0f %7s %6s %7s %9s\n", a[1], a[2], R[k], M[k], med(p50,k,c), med(p99,k,c), err[k], med(cpu,k,c), (a[2]=="direct")?"-":sprintf("%.1f",U[k]), x, xr, xn }
    }' "$TSV"
} | tee "$OUTDIR/summary.txt"
echo "raw wrk output and logs: $OUTDIR" >&2
