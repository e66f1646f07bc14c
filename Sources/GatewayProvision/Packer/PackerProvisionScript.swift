import Foundation
import GatewayCore

/// The script Packer runs as root on the build instance. Every value comes from the environment the
/// template sets, so the script is the same for every deployment.
enum PackerProvisionScript {
    static var text: String {
        // The node runtime's network tuning, byte for byte (it keeps the same file in place at boot).
        let sysctlLines = NetworkTuning.fileContents.split(separator: "\n").joined(separator: "\n")
        let configDirectory = (NodePaths.nodeConfig as NSString).deletingLastPathComponent
        return """
            #!/bin/bash
            # Provisions the gateway node image; Packer runs it as root on the build instance.
            # Installs xfsprogs and mdadm, the libraries gw-cli links (libcurl, libssl, libxml2), the LucidLink
            # client(s), VersityGW, the CloudWatch and SSM agents, gw-cli and the node setup unit, and applies
            # the network tuning.
            # Downloads are checked against the pinned SHA-256 sums when given. It bakes no secret:
            # instances read theirs from SSM at boot.
            set -euo pipefail
            export DEBIAN_FRONTEND=noninteractive

            : "${ARCHITECTURE:?set by the Packer template}"
            : "${STAGING:?set by the Packer template}"
            : "${LUCIDLINK_CLIENT_VERSIONS:?set by the Packer template}"
            : "${LUCIDLINK_VERSION:?set by the Packer template}"
            : "${VERSITYGW_VERSION:?set by the Packer template}"
            LUCIDLINK_SHA256=${LUCIDLINK_SHA256:-}
            VERSITYGW_SHA256=${VERSITYGW_SHA256:-}
            CLOUDWATCH_AGENT_SHA256=${CLOUDWATCH_AGENT_SHA256:-}

            case "$ARCHITECTURE" in
                x86_64) package_architecture=amd64 ;;
                arm64) package_architecture=arm64 ;;
                *)
                    echo "provision: unsupported architecture $ARCHITECTURE" >&2
                    exit 1
                    ;;
            esac
            # Every download comes from a variable; empty takes the vendor's published location.
            if [ -z "${CLOUDWATCH_AGENT_URL:-}" ]; then
                CLOUDWATCH_AGENT_URL="https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/$package_architecture/latest/amazon-cloudwatch-agent.deb"
            fi
            if [ -z "${VERSITYGW_URL:-}" ]; then
                VERSITYGW_URL="https://github.com/versity/versitygw/releases/download/v$VERSITYGW_VERSION/versitygw_v${VERSITYGW_VERSION}_Linux_$ARCHITECTURE.tar.gz"
            fi

            work=$(mktemp -d)
            trap 'rm -rf "$work"' EXIT

            download() { # URL FILE
                curl --fail --silent --show-error --location --retry 5 --retry-delay 2 --output "$2" "$1"
            }

            verify_sha256() { # FILE SHA256 (empty: not pinned)
                if [ -n "$2" ]; then
                    echo "$2  $1" | sha256sum --check --strict -
                else
                    echo "provision: warning: $(basename "$1") is not pinned to a SHA-256 sum" >&2
                fi
            }

            apt_options=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

            echo "provision: system packages"
            apt-get update -q
            apt-get "${apt_options[@]}" dist-upgrade
            apt-get "${apt_options[@]}" install --no-install-recommends \\
                ca-certificates curl fuse3 libxml2 mdadm nvme-cli rsyslog tar xfsprogs

            echo "provision: SSM agent"
            if ! command -v snap >/dev/null 2>&1; then
                apt-get "${apt_options[@]}" install --no-install-recommends snapd
            fi
            if ! snap list amazon-ssm-agent >/dev/null 2>&1; then
                snap install amazon-ssm-agent --classic
            fi
            systemctl enable snap.amazon-ssm-agent.amazon-ssm-agent.service

            echo "provision: CloudWatch agent"
            download "$CLOUDWATCH_AGENT_URL" "$work/cloudwatch-agent.deb"
            verify_sha256 "$work/cloudwatch-agent.deb" "$CLOUDWATCH_AGENT_SHA256"
            apt-get "${apt_options[@]}" install "$work/cloudwatch-agent.deb"

            # The pinned version and checksum belong to the major version they name (3.x.y is the 3
            # client); with a single client version, "latest" and its checksum belong to that one.
            pinned_major=${LUCIDLINK_VERSION%%.*}
            read -r -a majors <<<"$LUCIDLINK_CLIENT_VERSIONS"
            if [ "$LUCIDLINK_VERSION" = latest ] && [ "${#majors[@]}" -eq 1 ]; then
                pinned_major=${majors[0]}
            fi
            for major in "${majors[@]}"; do
                echo "provision: LucidLink client $major"
                case "$major" in
                    2) url=${LUCIDLINK_V2_URL:?set by the Packer template}; client=/usr/bin/lucid2 ;;
                    3) url=${LUCIDLINK_V3_URL:?set by the Packer template}; client=/usr/local/bin/lucid3 ;;
                    *)
                        echo "provision: unknown LucidLink client version $major" >&2
                        exit 1
                        ;;
                esac
                package="$work/lucidlink-$major.deb"
                download "$url" "$package"
                if [ "$major" = "$pinned_major" ]; then
                    verify_sha256 "$package" "$LUCIDLINK_SHA256"
                    version=$(dpkg-deb --field "$package" Version)
                    if [ "$LUCIDLINK_VERSION" != latest ] && [ "$version" != "$LUCIDLINK_VERSION" ]; then
                        echo "provision: the LucidLink package is version $version, not the pinned $LUCIDLINK_VERSION" >&2
                        exit 1
                    fi
                else
                    echo "provision: warning: LucidLink client $major is not pinned" >&2
                fi
                apt-get "${apt_options[@]}" install "$package"
                if [ ! -x "$client" ]; then
                    echo "provision: $client is missing after installing LucidLink $major" >&2
                    exit 1
                fi
            done

            echo "provision: VersityGW $VERSITYGW_VERSION"
            archive="$work/versitygw.tar.gz"
            download "$VERSITYGW_URL" "$archive"
            verify_sha256 "$archive" "$VERSITYGW_SHA256"
            mkdir "$work/versitygw"
            tar -xzf "$archive" -C "$work/versitygw"
            binary=$(find "$work/versitygw" -type f -name versitygw -print -quit)
            if [ -z "$binary" ]; then
                echo "provision: the VersityGW archive holds no versitygw binary" >&2
                exit 1
            fi
            install -m 0755 "$binary" \(NodePaths.versityGateway)

            echo "provision: gw-cli and the node setup unit"
            install -m 0755 "$STAGING/gw-cli" \(NodePaths.gatewayCLI)
            # The node binary links the Swift runtime statically and only system libraries (libcurl, libssl,
            # libxml2) dynamically: it must start here, or no instance of this image would set itself up.
            if ! \(NodePaths.gatewayCLI) --version >/dev/null; then
                echo "provision: gw-cli does not start on this image; the libraries it needs:" >&2
                ldd \(NodePaths.gatewayCLI) >&2 || true
                exit 1
            fi
            install -d -m 0755 \(configDirectory)
            # Installed, not enabled: the boot script writes node.json first, then enables it. At boot
            # `gw-cli node apply` creates the account, directories, credentials and the other units.
            install -m 0644 "$STAGING/systemd/\(NodeUnitNames.nodeSetup)" \(NodePaths.unitDirectory)/
            systemctl daemon-reload

            echo "provision: FUSE and network tuning"
            if ! grep -q '^user_allow_other' \(NodePaths.fuseConfig); then
                echo user_allow_other >>\(NodePaths.fuseConfig)
            fi
            echo tcp_bbr >/etc/modules-load.d/gateway.conf
            modprobe tcp_bbr
            cat >\(NodePaths.sysctlFile) <<'SYSCTL'
            \(sysctlLines)
            SYSCTL
            sysctl --system >/dev/null

            echo "provision: clean up"
            # Each instance creates its own credential key and machine id; none may come from the image.
            rm -f /var/lib/systemd/credential.secret
            truncate -s 0 /etc/machine-id
            rm -rf "$STAGING"
            apt-get -y -q autoremove
            apt-get clean
            # cloud-init runs the boot script on every new instance; clean it so that it does.
            if command -v cloud-init >/dev/null 2>&1; then
                cloud-init clean --logs
            fi
            echo "provision: done"

            """
    }
}
