#!/usr/bin/env bash
# Builds the Debian 12 image that the VM tests boot as a gateway instance, with Debian's own tools:
# debootstrap (systemd, D-Bus, udev, mdadm, xfsprogs, fuse3, curl, Debian's kernel), plus the stand-ins
# for what an Ubuntu AMI on EC2 brings and nothing here can run (each named FAKE, see scripts/vm/guest/),
# plus a local apt repository holding the packages the rendered provisioning script installs, since the
# guest has no network.
#
# Usage: scripts/vm/build-image.sh [CACHE_DIR]
# The image goes to CACHE_DIR/<hash of this recipe> (default: $GW_VM_CACHE, else ~/.cache/gateway-vm);
# a later run with the same recipe reuses it. The image directory is the last line printed:
#   root.raw (ext4 root filesystem), vmlinuz, initrd.img, recipe.sha256
# Needs root (debootstrap, chroot), debootstrap, dpkg-dev and e2fsprogs; GW_VM_MIRROR overrides the Debian mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${GW_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gateway-vm}}
mirror=${GW_VM_MIRROR:-http://deb.debian.org/debian}
suite=bookworm

# What the image is made of. The base stands in for Ubuntu minimal (Canonical's AMI); python3-boto3 is
# the guest's S3 client, bindfs serves the FAKE LucidLink client's FUSE mount.
base_packages=(systemd systemd-sysv dbus udev kmod mdadm xfsprogs fuse3 curl ca-certificates
    linux-image-amd64 bindfs python3 python3-boto3 procps iproute2 util-linux passwd)
# What the rendered provisioning script installs with apt-get (PackerProvisionScript): served to the
# guest from a local repository. A package the script adds must be added here, or the image build
# fails with apt's "Unable to locate package".
repo_packages=(ca-certificates curl fuse3 libxml2 mdadm nvme-cli rsyslog tar xfsprogs)

say() { printf 'build-image: %s\n' "$*" >&2; }

recipe=$( {
    cat "$0"
    find "$here/guest" -type f | LC_ALL=C sort | while read -r file; do printf '%s\n' "${file#"$here"/}"; cat "$file"; done
    printf '%s\n' "$mirror" "$suite"
} | sha256sum | cut -c1-16)
image="$cache/debian-$suite-$recipe"
if [ -f "$image/ready" ]; then
    say "cached image $image"
    printf '%s\n' "$image"
    exit 0
fi

for tool in debootstrap mkfs.ext4 chroot dpkg-scanpackages; do
    command -v "$tool" >/dev/null || { say "$tool is missing: run scripts/install-test-deps.sh"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "needs root (debootstrap and chroot)"; exit 1; }

mkdir -p "$cache"
work="$image.partial.$$"
rootfs="$work/rootfs"
cleanup() {
    for mount in proc sys dev/pts dev; do
        mountpoint -q "$rootfs/$mount" 2>/dev/null && umount -l "$rootfs/$mount"
    done
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
started=$(date +%s)

say "debootstrap $suite"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
}

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
mount -t proc proc "$rootfs/proc"

# apt, not debootstrap, installs the rest: it resolves alternatives (bindfs takes fuse3, not fuse).
say "apt-get install ${#base_packages[*]} packages and their dependencies"
in_root apt-get -q update >/dev/null
in_root apt-get -q -y --no-install-recommends install "${base_packages[@]}" >"$work/apt.log" 2>&1 || {
    tail -n 30 "$work/apt.log" >&2
    exit 1
}

say "local apt repository for the provisioning script"
repo=/var/local/gw-vm-apt
install -d "$rootfs$repo"
# Packages already in the image: their own .deb; missing ones: with their dependencies.
in_root sh -c "cd $repo && apt-get -q download ${repo_packages[*]}" >/dev/null 2>&1
in_root apt-get -q -y --no-install-recommends --download-only install "${repo_packages[@]}" >/dev/null
find "$rootfs/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec mv -n {} "$rootfs$repo/" \;
(cd "$rootfs$repo" && dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null)
[ -s "$rootfs$repo/Packages" ] || { say "could not index the local repository"; exit 1; }
printf 'deb [trusted=yes] file:%s ./\n' "$repo" >"$rootfs/etc/apt/sources.list"
rm -f "$rootfs"/etc/apt/sources.list.d/*
in_root apt-get -q update >/dev/null
in_root apt-get clean
umount "$rootfs/proc"

say "stand-ins and harness units"
install -m 0755 "$here/guest/fake-cloud-init" "$rootfs/usr/local/sbin/fake-cloud-init"
install -m 0644 "$here/guest/fake-cloud-init.service" "$rootfs/etc/systemd/system/"
install -m 0755 "$here/guest/fake-snap" "$rootfs/usr/local/bin/snap"
install -m 0644 "$here/guest/gw-vm-harness.service" "$rootfs/etc/systemd/system/"
install -d "$rootfs/mnt/gw"
cat >"$rootfs/etc/fstab" <<'FSTAB'
/dev/vda / ext4 rw,errors=remount-ro 0 1
# The VM test harness's share with the host (9p): seed, scenario, results.
gw /mnt/gw 9p trans=virtio,version=9p2000.L,msize=262144,nofail 0 0
FSTAB
echo gateway-vm >"$rootfs/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 gateway-vm\n' >"$rootfs/etc/hosts"
# The serial getty hangs up the console the host reads; nothing logs in.
in_root systemctl mask serial-getty@ttyS0.service getty@tty1.service >/dev/null 2>&1
in_root systemctl enable fake-cloud-init.service gw-vm-harness.service >/dev/null 2>&1
in_root systemctl set-default multi-user.target >/dev/null 2>&1
# Like a published base image: no identity of its own.
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id" "$rootfs/var/lib/systemd/credential.secret"

say "kernel, initrd and the root filesystem image"
kernel=$(find "$rootfs/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | tail -n 1)
initrd=$(find "$rootfs/boot" -maxdepth 1 -name 'initrd.img-*' | sort | tail -n 1)
[ -n "$kernel" ] && [ -n "$initrd" ] || { say "debootstrap installed no kernel"; exit 1; }
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
mkfs.ext4 -q -F -L gw-vm-root -d "$rootfs" "$work/root.raw" 6G
printf '%s\n' "$recipe" >"$work/recipe.sha256"
rm -rf "$rootfs" "$image"
mv "$work" "$image"
touch "$image/ready"
say "image built in $(( $(date +%s) - started )) s: $image"
printf '%s\n' "$image"
