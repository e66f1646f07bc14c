/// Builds the VersityGW template unit `versitygw@.service`; one instance runs per port
/// (`versitygw@7070.service`), serving the data root with the posix backend: a folder on a LucidLink
/// mount (its folders are the buckets) or the directory holding the mounts (each one a bucket).
///
/// The gateways need every filespace they serve and the one holding the IAM directory: they are bound
/// to those LucidLink units (`BindsTo=`, `After=`, and wanted by them, so they stop and come back with
/// LucidLink), and each start waits for the mounts themselves (`ExecStartPre=mountpoint -q`, retried
/// by `Restart=always`). The root keys come from encrypted credentials, never from the unit file.
public enum GatewayUnit {
    /// The LucidLink filespaces the gateways depend on, in config order: those holding the data root
    /// or the IAM directory, and those mounted inside the data root (served as buckets).
    public static func requiredFilespaces(in node: NodeConfig) -> [NodeFilespace] {
        let gateways = node.gateways
        func isOn(_ path: String, _ filespace: NodeFilespace) -> Bool {
            !path.isEmpty && (path == filespace.mountPoint || path.hasPrefix(filespace.mountPoint + "/"))
        }
        let needed = node.filespaces.filter { filespace in
            isOn(gateways.dataRoot, filespace) || isOn(gateways.iamDir, filespace) || filespace.mountPoint.hasPrefix(gateways.dataRoot + "/")
        }
        return needed.isEmpty ? Array(node.filespaces.prefix(1)) : needed
    }

    /// Whether the data root holds filespace mounts (each a bucket) rather than lying on one.
    public static func servesMountsAsBuckets(_ node: NodeConfig) -> Bool {
        node.filespaces.contains { $0.mountPoint.hasPrefix(node.gateways.dataRoot + "/") }
    }

    /// The environment of every gateway instance, in order. `VGW_PORT` listens on loopback only (the
    /// proxy on this instance is the only client) on the instance name `%i`.
    public static func environment(in node: NodeConfig) -> [(name: String, value: String)] {
        let gateways = node.gateways
        var values: [(name: String, value: String)] = [
            ("VGW_PORT", "127.0.0.1:%i"),
            ("VGW_HEALTH", gateways.healthPath),
            ("VGW_REGION", node.region),
        ]
        if !gateways.iamDir.isEmpty { values.append(("VGW_IAM_DIR", gateways.iamDir)) }
        values.append(("VGW_KEEP_ALIVE", "true"))
        if !gateways.virtualDomain.isEmpty { values.append(("VGW_VIRTUAL_DOMAIN", gateways.virtualDomain)) }
        for (key, value) in gateways.environment.sorted { values.append((key, value)) }
        return values
    }

    /// The template unit file.
    public static func file(for node: NodeConfig) -> SystemdUnitFile {
        let required = requiredFilespaces(in: node)
        let lucidLinkUnits = required.map { NodeUnitNames.lucidLink(mountName: $0.mountName) }
        let mounts = required.map(\.mountPoint)
        let program = [NodePaths.versityGateway, "posix", node.gateways.dataRoot]
        let start = CredentialLauncher.argv(
            environment: [
                ("ROOT_ACCESS_KEY_ID", NodeCredential.gatewayRootAccessKey.name),
                ("ROOT_SECRET_ACCESS_KEY", NodeCredential.gatewayRootSecretKey.name),
            ],
            program: program
        )
        var unit: [(key: String, value: String)] = [
            ("Description", "VersityGW S3 gateway on port %i"),
            ("Documentation", "https://github.com/versity/versitygw/wiki"),
            ("Wants", "network-online.target"),
            ("After", (["network-online.target"] + lucidLinkUnits).joined(separator: " ")),
        ]
        if !lucidLinkUnits.isEmpty { unit.append(("BindsTo", lucidLinkUnits.joined(separator: " "))) }
        unit.append(("StartLimitIntervalSec", "0"))
        var service: [(key: String, value: String)] = [
            ("Type", "exec"),
            ("User", NodePaths.serviceUser),
            ("Group", NodePaths.serviceUser),
            ("LoadCredentialEncrypted", NodeCredential.gatewayRootAccessKey.loadDirective),
            ("LoadCredentialEncrypted", NodeCredential.gatewayRootSecretKey.loadDirective),
        ]
        for variable in environment(in: node) {
            // VGW_PORT carries the %i specifier on purpose; every other value is escaped.
            let value = variable.name == "VGW_PORT" ? "VGW_PORT=127.0.0.1:%i" : SystemdSyntax.environmentAssignment(name: variable.name, value: variable.value)
            service.append(("Environment", value))
        }
        for mount in mounts {
            service.append(("ExecStartPre", SystemdSyntax.execLine([NodePaths.mountpoint, "-q", mount])))
        }
        service += [
            ("ExecStart", SystemdSyntax.execLine(start)),
            ("Restart", "always"),
            ("RestartSec", "5"),
            ("LimitNOFILE", "65536"),
            ("NoNewPrivileges", "yes"),
            ("PrivateTmp", "yes"),
            ("ProtectHome", "yes"),
            ("ProtectSystem", "full"),
        ]
        return SystemdUnitFile(
            name: NodeUnitNames.gatewayTemplate,
            header: ["Generated by gw-cli from the node config; changes are overwritten by `gw-cli node apply`."],
            sections: [
                .init("Unit", unit),
                .init("Service", service),
                .init("Install", [("WantedBy", (["multi-user.target"] + lucidLinkUnits).joined(separator: " "))]),
            ]
        )
    }
}
