#!/usr/bin/env bash
# The main job on a fresh Debian machine with Swift: installs the system libraries gw-cli builds
# against (libcurl, libssl) when they are missing, builds gw-cli, then validates the bundled example
# deployment and renders it (the Terraform project, the Packer template, the node bundle) into OUT_DIR.
#
# Usage: scripts/render-example.sh [OUT_DIR]     (default: out)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
packages=(libcurl4-openssl-dev libssl-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
swift run gw-cli render Examples/gateway.yaml --out "$out" --force
