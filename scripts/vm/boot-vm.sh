#!/usr/bin/env bash
# Boots a VM test guest the way EC2 starts an instance, as far as the node can tell: Debian's kernel under
# software emulation (this machine's /dev/kvm runs only specially built guest kernels), a root disk,
# NVMe disks standing in for instance storage (QEMU reports the model "QEMU NVMe Ctrl"), no network
# device, and one 9p share with the host (mount tag gw) for the seed, the scenario and the results.
#
# Usage: scripts/vm/boot-vm.sh IMAGE_DIR ROOT_DISK SHARE_DIR CONSOLE_LOG TIMEOUT_SECONDS [NVME_DISK...]
# IMAGE_DIR is build-image.sh's output (kernel and initrd), ROOT_DISK and NVME_DISKs are qcow2 files.
# Runs in the foreground until the guest powers off (or reboots: -no-reboot ends qemu then) and exits 0;
# after TIMEOUT_SECONDS qemu is killed and the exit status is 124.
set -euo pipefail
image=${1:?usage: boot-vm.sh IMAGE_DIR ROOT_DISK SHARE_DIR CONSOLE_LOG TIMEOUT_SECONDS [NVME_DISK...]}
root=${2:?ROOT_DISK}
share=${3:?SHARE_DIR}
console=${4:?CONSOLE_LOG}
timeout=${5:?TIMEOUT_SECONDS}
shift 5
disks=()
index=0
for disk in "$@"; do
    serial=$(basename "$disk" .qcow2)
    disks+=(-drive "file=$disk,if=none,id=nvme$index,format=qcow2" -device "nvme,drive=nvme$index,serial=${serial:0:20}")
    index=$((index + 1))
done
exec timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
    -accel tcg,tb-size=64 -cpu max -smp 2 -m 1024 \
    -display none -monitor none -serial "file:$console" -no-reboot -nic none \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=1" \
    -drive "file=$root,if=virtio,format=qcow2" \
    -virtfs "local,path=$share,mount_tag=gw,security_model=passthrough,id=gw" \
    "${disks[@]}"
