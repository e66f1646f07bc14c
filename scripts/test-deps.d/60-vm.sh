# The node's VM test (issue 13): qemu under software emulation, qemu-img for copy-on-write disks,
# debootstrap for the Debian image (scripts/vm/build-image.sh), dpkg-dev to index its local apt
# repository and to package the FAKE third-party programs.
APT_PACKAGES+=(qemu-system-x86 qemu-utils debootstrap dpkg-dev e2fsprogs)
