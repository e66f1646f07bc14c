/// Every systemd unit of a gateway instance, built from its node config: one LucidLink unit per
/// filespace, the VersityGW template, the proxy, and the boot-time node setup.
public enum NodeUnits {
    /// The units in start order (LucidLink units, gateway template, proxy, node setup).
    public static func all(for node: NodeConfig) -> [SystemdUnitFile] {
        node.filespaces.map { LucidLinkUnit.file(for: $0, in: node) }
            + [GatewayUnit.file(for: node), ProxyUnit.file(for: node), NodeSetupUnit.file]
    }
}
