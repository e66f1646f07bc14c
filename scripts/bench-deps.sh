#!/usr/bin/env bash
# Installs what Benchmarks/ needs (not needed by the tests): nginx backends, HAProxy 2.6 peer, wrk load.
set -euo pipefail
need=()
for p in nginx haproxy wrk curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "benchmark dependencies ready"
