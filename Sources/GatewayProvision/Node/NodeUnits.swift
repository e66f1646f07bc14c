import GatewayCore

/// The systemd units of a gateway instance:
///
/// - `gateway-node-setup.service` (one-shot): `gw-cli node apply` prepares storage, secrets and
///   directories before anything else starts;
/// - `lucidlink-<mount>.service`, one per filespace: the LucidLink daemon; it counts as started only once
///   its mount is live (mount-ready gate), then sizes its cache;
/// - `versitygw@.service`, one instance per port: VersityGW on the filespaces, started only when every
///   mount is live, restarted whenever a LucidLink unit restarts (`PartOf=`);
/// - `gateway-proxy.service`: the balancing proxy the load balancer checks;
/// - `gateway.target`: pulls them all in; the boot script enables it.
enum NodeUnits {
    /// Bundle directory of the units.
    static let directory = "systemd"
    /// Seconds a LucidLink unit waits for its mount before it fails (and is restarted).
    static let mountTimeoutSeconds = 300

    static func all(_ config: GatewayConfig, node: NodeConfig) -> [SystemdUnit] {
        let header = "Rendered by gw-cli \(GatewayVersion.current) for \(node.deployment); edit the config and render again instead."
        var units = [setup(node, header: header)]
        units += node.filespaces.map { lucidLink($0, node: node, header: header) }
        units.append(gateway(node, header: header))
        units.append(proxy(node, header: header))
        units.append(target(node, header: header))
        return units
    }

    static func lucidLinkUnits(_ node: NodeConfig) -> [String] {
        node.filespaces.map { NodeLayout.lucidLinkUnit(mountName: $0.mountName) }
    }

    static func gatewayUnits(_ node: NodeConfig) -> [String] {
        node.gateways.ports.map { NodeLayout.gatewayUnit(port: $0) }
    }

    static func setup(_ node: NodeConfig, header: String) -> SystemdUnit {
        SystemdUnit(name: NodeLayout.setupUnit, comments: [header], sections: [
            .init("Unit", [
                ("Description", "Gateway node setup: cache storage, secrets and directories"),
                ("Wants", "network-online.target"),
                ("After", "network-online.target"),
                ("PartOf", NodeLayout.target),
            ]),
            .init("Service", [
                ("Type", "oneshot"),
                ("RemainAfterExit", "yes"),
                ("ExecStart", SystemdEscaping.command([NodeLayout.cliBinary, "node", "apply", NodeLayout.configPath])),
                ("TimeoutStartSec", "900"),
            ]),
        ])
    }

    static func lucidLink(_ filespace: NodeFilespace, node: NodeConfig, header: String) -> SystemdUnit {
        let data = NodeLayout.lucidLinkDataDirectory(cacheMountPoint: node.storage.cacheMountPoint, mountName: filespace.mountName)
        let share = max(1, node.storage.cacheSharePercent / max(1, node.filespaces.count))
        return SystemdUnit(name: NodeLayout.lucidLinkUnit(mountName: filespace.mountName), comments: [header], sections: [
            .init("Unit", [
                ("Description", SystemdEscaping.literal("LucidLink filespace \(filespace.name) on \(filespace.mountPoint)")),
                ("Documentation", "https://support.lucidlink.com"),
                ("Requires", NodeLayout.setupUnit),
                ("Wants", "network-online.target"),
                ("After", "\(NodeLayout.setupUnit) network-online.target"),
                ("PartOf", NodeLayout.target),
                ("StartLimitIntervalSec", "0"),
            ]),
            .init("Service", [
                ("Type", "exec"),
                ("User", NodeLayout.serviceUser),
                ("Group", NodeLayout.serviceUser),
                ("LoadCredentialEncrypted", "\(NodeLayout.lucidLinkCredentialName):\(NodeLayout.lucidLinkCredentialPath(mountName: filespace.mountName))"),
                ("ExecStart", SystemdEscaping.command([
                    NodeHelperScripts.installed(NodeHelperScripts.lucidLinkDaemon), filespace.clientBinary, String(filespace.instanceId),
                    filespace.name, filespace.user, filespace.mountPoint, filespace.rootPoint, data,
                ])),
                ("ExecStartPost", SystemdEscaping.command([NodeHelperScripts.installed(NodeHelperScripts.mountReady), String(mountTimeoutSeconds), filespace.mountPoint])),
                ("ExecStartPost", SystemdEscaping.command([
                    NodeHelperScripts.installed(NodeHelperScripts.lucidLinkCache), filespace.clientBinary, String(filespace.instanceId),
                    data, String(share), String(node.storage.cacheMinGiB), String(node.storage.cacheMaxGiB),
                ])),
                ("ExecStop", SystemdEscaping.command([filespace.clientBinary, "--instance", String(filespace.instanceId), "exit"])),
                ("Restart", "on-failure"),
                ("RestartSec", "5"),
                ("TimeoutStartSec", String(mountTimeoutSeconds + 60)),
                ("TimeoutStopSec", "60"),
                ("LimitNOFILE", "1048576"),
            ]),
        ])
    }

    static func gateway(_ node: NodeConfig, header: String) -> SystemdUnit {
        let lucidLink = lucidLinkUnits(node).joined(separator: " ")
        let gateways = node.gateways
        var environment: [(String, String)] = [
            ("VGW_REGION", node.region),
            ("VGW_HEALTH", gateways.healthPath),
            ("VGW_IAM_DIR", gateways.iamDir),
            ("VGW_VIRTUAL_DOMAIN", gateways.virtualDomain),
        ]
        environment += gateways.environment.sorted.map { ($0.key, $0.value) }
        var service: [(String, String)] = [
            ("Type", "exec"),
            ("User", NodeLayout.serviceUser),
            ("Group", NodeLayout.serviceUser),
        ]
        service += environment.map { ("Environment", SystemdEscaping.environment($0.0, $0.1)) }
        service += [
            ("LoadCredentialEncrypted", "\(NodeLayout.rootAccessKeyCredentialName):\(NodeLayout.rootAccessKeyCredentialPath)"),
            ("LoadCredentialEncrypted", "\(NodeLayout.rootSecretKeyCredentialName):\(NodeLayout.rootSecretKeyCredentialPath)"),
            ("ExecStartPre", SystemdEscaping.command([NodeHelperScripts.installed(NodeHelperScripts.mountReady), String(mountTimeoutSeconds)] + node.filespaces.map(\.mountPoint))),
            ("ExecStart", SystemdEscaping.command([NodeHelperScripts.installed(NodeHelperScripts.versityGatewayExec)]) + " %i " + SystemdEscaping.argument(gateways.dataRoot)),
            ("Restart", "always"),
            ("RestartSec", "5"),
            ("TimeoutStartSec", String(mountTimeoutSeconds + 30)),
            ("LimitNOFILE", "65536"),
            ("NoNewPrivileges", "yes"),
            ("PrivateTmp", "yes"),
            ("ProtectSystem", "full"),
            ("ProtectHome", "yes"),
        ]
        return SystemdUnit(name: NodeLayout.gatewayTemplateUnit, comments: [header], sections: [
            .init("Unit", [
                ("Description", "VersityGW S3 gateway on port %i"),
                ("Documentation", "https://github.com/versity/versitygw"),
                ("Requires", lucidLink),
                ("After", "\(NodeLayout.setupUnit) \(lucidLink)"),
                ("PartOf", "\(NodeLayout.target) \(lucidLink)"),
                ("StartLimitIntervalSec", "0"),
            ]),
            .init("Service", service),
        ])
    }

    static func proxy(_ node: NodeConfig, header: String) -> SystemdUnit {
        let gateways = gatewayUnits(node).joined(separator: " ")
        var service: [(String, String)] = [
            ("Type", "exec"),
            ("User", NodeLayout.serviceUser),
            ("Group", NodeLayout.serviceUser),
            ("ExecStart", SystemdEscaping.command([NodeLayout.cliBinary, "proxy", "--node-config", NodeLayout.configPath])),
            ("Restart", "always"),
            ("RestartSec", "2"),
            ("TimeoutStopSec", String(Int(node.proxy.drainSeconds.rounded(.up)) + 30)),
            ("LimitNOFILE", String(max(65536, node.proxy.maxConnections * 2 + 1024))),
            ("NoNewPrivileges", "yes"),
            ("PrivateTmp", "yes"),
            ("ProtectSystem", "strict"),
            ("ProtectHome", "yes"),
        ]
        let accessLog = node.proxy.accessLog
        if accessLog.hasPrefix("/"), let slash = accessLog.lastIndex(of: "/"), slash != accessLog.startIndex {
            service.append(("ReadWritePaths", "-" + SystemdEscaping.literal(String(accessLog[..<slash]))))
        }
        return SystemdUnit(name: NodeLayout.proxyUnit, comments: [header], sections: [
            .init("Unit", [
                ("Description", "S3 balancing proxy on port \(node.proxy.listenPort)"),
                ("Wants", gateways),
                ("After", "\(NodeLayout.setupUnit) \(gateways)"),
                ("PartOf", NodeLayout.target),
            ]),
            .init("Service", service),
        ])
    }

    static func target(_ node: NodeConfig, header: String) -> SystemdUnit {
        let all = [NodeLayout.setupUnit] + lucidLinkUnits(node) + gatewayUnits(node) + [NodeLayout.proxyUnit]
        return SystemdUnit(name: NodeLayout.target, comments: [header], sections: [
            .init("Unit", [
                ("Description", "S3 gateway: LucidLink filespaces served by VersityGW behind the balancing proxy"),
                ("Wants", all.joined(separator: " ")),
                ("After", NodeLayout.setupUnit),
            ]),
            .init("Install", [
                ("WantedBy", "multi-user.target"),
            ]),
        ])
    }
}
