# Node runtime tests: mkfs.xfs and blkid for the loop-device tests, mountpoint (util-linux),
# systemd-analyze for unit verification, systemd-creds for credential encryption.
APT_PACKAGES+=(xfsprogs util-linux systemd)
