#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine: apt packages and a project-local
# Python venv (.venv) with the PyPI tools. Idempotent; safe to run again. Each area of the project
# adds its needs as a file in scripts/test-deps.d/ (sourced in name order).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export ROOT

APT_PACKAGES=(libcurl4-openssl-dev libssl-dev)
PIP_PACKAGES=()
for f in scripts/test-deps.d/*.sh; do
    [ -e "$f" ] || continue
    # shellcheck source=/dev/null
    . "$f"
done

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing apt packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ${#PIP_PACKAGES[@]} -gt 0 ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
fi
# Some tools pin conflicting versions; they get venvs of their own (declared as EXTRA_VENVS="name:pkg pkg;...").
if [ -n "${EXTRA_VENVS:-}" ]; then
    IFS=';' read -ra venvs <<< "$EXTRA_VENVS"
    for spec in "${venvs[@]}"; do
        name=${spec%%:*}; pkgs=${spec#*:}
        [ -x ".venv-$name/bin/python" ] || python3 -m venv ".venv-$name"
        # shellcheck disable=SC2086
        ".venv-$name/bin/pip" install -q --disable-pip-version-check $pkgs
    done
fi
echo "test dependencies ready"
