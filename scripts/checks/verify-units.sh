#!/usr/bin/env bash
# usage: scripts/checks/verify-units.sh UNIT_DIR [UNIT...]
#
# Runs `systemd-analyze verify` on the units in UNIT_DIR (all of them, or the UNITs named; a template
# such as versitygw@.service is verified through an instance, versitygw@1.service). systemd prints
# warnings but still exits 0, so any output at all counts as a failure. The units are verified inside
# a temporary root holding a copy of the system's units, every unit of UNIT_DIR (so dependencies
# between them resolve) and empty stand-ins for the programs they run, which need not exist on this
# machine. Exit status: 0 all units verified without output; 1 findings; 2 usage error or
# systemd-analyze missing.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "verify-units: systemd-analyze is not installed; run scripts/install-test-deps.sh" >&2
    exit 2
fi
directory=$1
shift
units=("$@")
if [ ${#units[@]} -eq 0 ]; then
    while IFS= read -r -d '' path; do
        units+=("$(basename "$path")")
    done < <(find "$directory" -maxdepth 1 -type f \( -name '*.service' -o -name '*.target' -o -name '*.timer' -o -name '*.socket' -o -name '*.mount' \) -print0 | sort -z)
fi
if [ ${#units[@]} -eq 0 ]; then
    echo "verify-units: no units in $directory" >&2
    exit 2
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/verify-units.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$directory"/* "$root/etc/systemd/system/"
# Stand-ins for every absolute program the units run.
grep -hE '^Exec[A-Za-z]*=' "$root"/etc/systemd/system/* | sed -E 's/^[^=]+=[-@:+!]*//' | awk '{print $1}' | grep '^/' | sort -u |
    while IFS= read -r program; do
        mkdir -p "$root$(dirname "$program")"
        printf '#!/bin/sh\n' >"$root$program"
        chmod +x "$root$program"
    done

failures=0
for unit in "${units[@]}"; do
    name=$unit
    case "$unit" in
        *@.*) name=${unit/@./@1.} ;;
    esac
    if output=$(systemd-analyze verify --root="$root" "$name" 2>&1) && [ -z "$output" ]; then
        echo "verify-units: $unit: ok"
    else
        echo "verify-units: $unit:"
        printf '%s\n' "${output:-(systemd-analyze failed without output)}" | sed 's/^/    /'
        failures=$((failures + 1))
    fi
done
[ "$failures" -eq 0 ]
