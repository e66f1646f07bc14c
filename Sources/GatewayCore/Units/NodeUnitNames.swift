/// The names of the systemd units on a gateway instance.
public enum NodeUnitNames {
    /// The LucidLink daemon of one filespace: `lucidlink-<mountName>.service`.
    public static func lucidLink(mountName: String) -> String { "lucidlink-\(mountName).service" }
    /// The VersityGW template unit, instantiated once per port.
    public static let gatewayTemplate = "versitygw@.service"
    /// The VersityGW instance on one port: `versitygw@7070.service`.
    public static func gateway(port: Int) -> String { "versitygw@\(port).service" }
    /// The balancing proxy.
    public static let proxy = "gateway-proxy.service"
    /// The boot-time node setup (`gw-cli node apply`).
    public static let nodeSetup = "gateway-node.service"
}
