/// Where things live on a gateway instance. The image build (GatewayProvision) installs binaries and
/// units at these paths; the node runtime (GatewayNode) writes and reads them. One definition, so the
/// two cannot drift apart.
public enum NodePaths {
    /// The node config the runtime and the proxy read.
    public static let nodeConfig = "/etc/gateway/node.json"
    /// The toolkit's CLI on the instance (node setup, credential launcher, proxy).
    public static let gatewayCLI = "/usr/local/bin/gw-cli"
    /// The VersityGW binary.
    public static let versityGateway = "/usr/local/bin/versitygw"
    /// util-linux `mountpoint`, the mount gate of the gateways.
    public static let mountpoint = "/usr/bin/mountpoint"
    /// Directory of unit files installed by the toolkit.
    public static let unitDirectory = "/etc/systemd/system"
    /// Directory of the encrypted credentials (systemd's standard credential store).
    public static let credentialDirectory = "/etc/credstore.encrypted"
    /// The network tuning sysctl file.
    public static let sysctlFile = "/etc/sysctl.d/60-gateway.conf"
    /// The FUSE config (`user_allow_other` lets root and the gateways use the LucidLink mounts).
    public static let fuseConfig = "/etc/fuse.conf"
    /// The mdadm config holding the cache array.
    public static let mdadmConfig = "/etc/mdadm/mdadm.conf"
    /// The file system table.
    public static let fstab = "/etc/fstab"
    /// The account the LucidLink daemons, the gateways and the proxy run as.
    public static let serviceUser = "gateway"
    /// The directory under which the proxy writes its access log (systemd `LogsDirectory=`).
    public static let logDirectoryName = "gateway"

    /// The LucidLink daemon's state and config directory for one filespace, on the cache filesystem.
    public static func lucidLinkStateDirectory(cacheMountPoint: String, mountName: String) -> String {
        "\(cacheMountPoint)/lucidlink/\(mountName)"
    }

    /// The LucidLink data cache directory for one filespace, on the cache filesystem.
    public static func lucidLinkCacheDirectory(cacheMountPoint: String, mountName: String) -> String {
        lucidLinkStateDirectory(cacheMountPoint: cacheMountPoint, mountName: mountName) + "/cache"
    }
}
