#!/usr/bin/env bash
# Packages the FAKE third-party programs of the VM tests (scripts/vm/fakes) the way their vendors ship
# the real ones, so that the rendered provisioning script installs them unchanged:
#   lucidlink-3.deb             package "lucidlink" at LUCIDLINK_VERSION: /usr/local/bin/lucid3 (FAKE)
#   amazon-cloudwatch-agent.deb /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl (FAKE)
#   versitygw_vVERSION_Linux_x86_64.tar.gz   the versitygw binary (FAKE)
# Usage: scripts/vm/make-fake-artifacts.sh OUT_DIR LUCIDLINK_VERSION VERSITYGW_VERSION
# Prints "FILE SHA256" for each artifact.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make-fake-artifacts.sh OUT_DIR LUCIDLINK_VERSION VERSITYGW_VERSION}
lucidlink_version=${2:?LUCIDLINK_VERSION}
versitygw_version=${3:?VERSITYGW_VERSION}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

package() { # NAME VERSION DIR OUT
    mkdir -p "$3/DEBIAN"
    cat >"$3/DEBIAN/control" <<CONTROL
Package: $1
Version: $2
Architecture: amd64
Maintainer: gateway VM tests <nobody@localhost>
Depends: python3
Description: FAKE $1 for the gateway VM tests
 A stand-in; not the vendor's software.
CONTROL
    dpkg-deb --root-owner-group --build "$3" "$4" >/dev/null
}

lucid="$work/lucidlink"
install -D -m 0755 "$here/fakes/lucid3" "$lucid/usr/local/bin/lucid3"
mkdir -p "$lucid/usr/lib/tmpfiles.d"
printf 'd /run/lucid-fake 1777 root root -\nd /var/lib/fake-lucidlink 1777 root root -\n' >"$lucid/usr/lib/tmpfiles.d/fake-lucidlink.conf"
package lucidlink "$lucidlink_version" "$lucid" "$out/lucidlink-3.deb"

agent="$work/agent"
install -D -m 0755 "$here/fakes/amazon-cloudwatch-agent-ctl" "$agent/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
mkdir -p "$agent/opt/aws/amazon-cloudwatch-agent/etc"
package amazon-cloudwatch-agent 1.0-fake "$agent" "$out/amazon-cloudwatch-agent.deb"

archive="$out/versitygw_v${versitygw_version}_Linux_x86_64.tar.gz"
mkdir -p "$work/versitygw"
install -m 0755 "$here/fakes/versitygw" "$work/versitygw/versitygw"
tar -czf "$archive" -C "$work/versitygw" --owner=0 --group=0 versitygw

for file in "$out/lucidlink-3.deb" "$out/amazon-cloudwatch-agent.deb" "$archive"; do
    printf '%s %s\n' "$file" "$(sha256sum "$file" | cut -d' ' -f1)"
done
