import GatewayCore

/// The helper scripts the node units run. They are installed into ``NodeLayout/helperDirectory`` by the
/// image build; every value comes from the unit's command line, so the scripts are the same for every
/// deployment.
enum NodeHelperScripts {
    /// Bundle directory of the scripts.
    static let directory = "bin"

    static let mountReady = "mount-ready"
    static let lucidLinkDaemon = "lucidlink-daemon"
    static let lucidLinkCache = "lucidlink-cache"
    static let versityGatewayExec = "versitygw-exec"

    /// The installed path of a script.
    static func installed(_ name: String) -> String { "\(NodeLayout.helperDirectory)/\(name)" }

    static var all: [(name: String, text: String)] {
        [
            (mountReady, mountReadyText),
            (lucidLinkDaemon, lucidLinkDaemonText),
            (lucidLinkCache, lucidLinkCacheText),
            (versityGatewayExec, versityGatewayExecText),
        ]
    }

    static let mountReadyText = """
        #!/bin/bash
        # usage: mount-ready TIMEOUT_SECONDS MOUNTPOINT...
        # Waits until every MOUNTPOINT is a live mount whose top directory can be listed (a LucidLink
        # filespace that is linked), and fails after TIMEOUT_SECONDS. Units use it to start the S3
        # gateways only on live filespaces.
        set -euo pipefail

        if [ "$#" -lt 2 ]; then
            echo "usage: mount-ready TIMEOUT_SECONDS MOUNTPOINT..." >&2
            exit 2
        fi
        timeout=$1
        shift
        deadline=$((SECONDS + timeout))
        for mount in "$@"; do
            until mountpoint -q "$mount" && ls -A "$mount" >/dev/null 2>&1; do
                if [ "$SECONDS" -ge "$deadline" ]; then
                    echo "mount-ready: $mount is not a live mount after ${timeout}s" >&2
                    exit 1
                fi
                sleep 1
            done
            echo "mount-ready: $mount is live"
        done

        """

    static let lucidLinkDaemonText = """
        #!/bin/bash
        # usage: lucidlink-daemon CLIENT INSTANCE FILESPACE USER MOUNTPOINT ROOT_POINT DATA_DIRECTORY
        # Runs the LucidLink daemon of one filespace in the foreground. The password comes from the
        # unit's credential (LoadCredentialEncrypted=lucidlink-password:...) on standard input, so it
        # never appears in a command line or the environment.
        set -euo pipefail

        if [ "$#" -ne 7 ]; then
            echo "usage: lucidlink-daemon CLIENT INSTANCE FILESPACE USER MOUNTPOINT ROOT_POINT DATA_DIRECTORY" >&2
            exit 2
        fi
        client=$1
        instance=$2
        filespace=$3
        user=$4
        mount=$5
        root_point=$6
        data=$7
        credentials=${CREDENTIALS_DIRECTORY:?lucidlink-daemon: no credentials; run it from its systemd unit}

        exec "$client" --instance "$instance" daemon \\
            --fs "$filespace" \\
            --user "$user" \\
            --mount-point "$mount" \\
            --root-point "$root_point" \\
            --root-path "$data" \\
            --config-path "$data" \\
            --fuse-allow-other <"$credentials/\(NodeLayout.lucidLinkCredentialName)"

        """

    static let lucidLinkCacheText = """
        #!/bin/bash
        # usage: lucidlink-cache CLIENT INSTANCE CACHE_DIRECTORY SHARE_PERCENT MIN_GIB MAX_GIB
        # Points a running LucidLink daemon's data cache at CACHE_DIRECTORY and sizes it to SHARE_PERCENT
        # of that filesystem, clamped to MIN_GIB..MAX_GIB.
        set -euo pipefail

        if [ "$#" -ne 6 ]; then
            echo "usage: lucidlink-cache CLIENT INSTANCE CACHE_DIRECTORY SHARE_PERCENT MIN_GIB MAX_GIB" >&2
            exit 2
        fi
        client=$1
        instance=$2
        cache=$3
        share=$4
        min_gib=$5
        max_gib=$6

        size_kib=$(df --output=size -k "$cache" | tail -n 1 | tr -d ' ')
        size_gib=$((size_kib * share / 100 / 1024 / 1024))
        if [ "$size_gib" -lt "$min_gib" ]; then
            size_gib=$min_gib
        fi
        if [ "$size_gib" -gt "$max_gib" ]; then
            size_gib=$max_gib
        fi

        "$client" --instance "$instance" config --set --DataCache.Location "$cache"
        "$client" --instance "$instance" config --set --DataCache.Size "${size_gib}GiB"
        echo "lucidlink-cache: instance $instance caches ${size_gib} GiB in $cache"

        """

    static let versityGatewayExecText = """
        #!/bin/bash
        # usage: versitygw-exec PORT DATA_ROOT
        # Runs VersityGW on 127.0.0.1:PORT with the posix backend on DATA_ROOT. The root keys come from
        # the unit's credentials and are passed in the environment VersityGW reads; the other settings
        # (VGW_*) come from the unit's Environment= lines.
        set -euo pipefail

        if [ "$#" -ne 2 ]; then
            echo "usage: versitygw-exec PORT DATA_ROOT" >&2
            exit 2
        fi
        port=$1
        data_root=$2
        credentials=${CREDENTIALS_DIRECTORY:?versitygw-exec: no credentials; run it from its systemd unit}

        ROOT_ACCESS_KEY=$(<"$credentials/\(NodeLayout.rootAccessKeyCredentialName)")
        ROOT_SECRET_KEY=$(<"$credentials/\(NodeLayout.rootSecretKeyCredentialName)")
        VGW_PORT="127.0.0.1:$port"
        export ROOT_ACCESS_KEY ROOT_SECRET_KEY VGW_PORT

        exec \(NodeLayout.versityGatewayBinary) posix "$data_root"

        """
}
