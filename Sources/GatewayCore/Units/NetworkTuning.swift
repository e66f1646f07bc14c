/// The reference deployment's network tuning (large socket buffers, BBR with fair queuing), in its own
/// file in `/etc/sysctl.d/` (``NodePaths/sysctlFile``) instead of appended to `/etc/sysctl.conf`. The
/// image build writes it and the node runtime keeps it in place and loads it.
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
        (["# Network tuning for the S3 gateway (gw-cli)."] + settings.map { "\($0.key) = \($0.value)" })
            .joined(separator: "\n") + "\n"
    }
}
