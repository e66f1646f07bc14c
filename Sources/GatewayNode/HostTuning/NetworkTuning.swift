import GatewayCore

/// The reference deployment's network tuning (large socket buffers, BBR with fair queuing), written to
/// its own file in `/etc/sysctl.d/` instead of being appended to `/etc/sysctl.conf`.
public enum NetworkTuning {
    /// The settings in file order.
    public static let settings: [(key: String, value: String)] = [
        ("net.core.rmem_max", "134217728"),
        ("net.core.wmem_max", "134217728"),
        ("net.ipv4.tcp_rmem", "4096 87380 134217728"),
        ("net.ipv4.tcp_wmem", "4096 65536 134217728"),
        ("net.core.netdev_max_backlog", "5000"),
        ("net.ipv4.tcp_window_scaling", "1"),
        ("net.ipv4.tcp_congestion_control", "bbr"),
        ("net.core.default_qdisc", "fq"),
    ]

    /// The sysctl file's content.
    public static var fileContents: String {
        (["# Network tuning for the S3 gateway (written by gw-cli node apply)."] + settings.map { "\($0.key) = \($0.value)" })
            .joined(separator: "\n") + "\n"
    }

    /// Whether the running kernel has every setting (whitespace-insensitive).
    static func isApplied() throws(StepError) -> Bool {
        for (key, value) in settings {
            let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
            guard let current = try HostFiles.read(path) else { return false }
            let normalized = current.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if normalized != value { return false }
        }
        return true
    }
}
