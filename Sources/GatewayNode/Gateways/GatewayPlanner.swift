import GatewayCore

/// The gateway steps: the root keys as encrypted credentials, the VersityGW template unit, the IAM
/// directory on the filespace (created after the mount, as the service account), then one instance per
/// port, started and waited for.
public enum GatewayPlanner {
    /// The gateway steps.
    public static func plan(node: NodeConfig, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let phase = NodePhase.gateways
        let gateways = node.gateways
        let instances = gateways.ports.map { NodeUnitNames.gateway(port: $0) }
        let template = NodeUnitNames.gatewayTemplate
        let keys: [(field: String, secret: Secret, credential: NodeCredential, what: String)] = [
            ("gateways.rootAccessKey", gateways.rootAccessKey, .gatewayRootAccessKey, "root access key"),
            ("gateways.rootSecretKey", gateways.rootSecretKey, .gatewayRootSecretKey, "root secret key"),
        ]
        for key in keys {
            plan.secrets.append(SecretRequirement(field: key.field, secret: key.secret))
            plan.steps.append(
                CredentialStep.encrypt(
                    id: "gateways.credential.\(key.credential.name)", phase: phase, title: "Encrypt the gateways' \(key.what)", credential: key.credential, field: key.field, secret: key.secret,
                    units: [template], root: root))
        }
        plan.steps.append(ServiceSteps.install(GatewayUnit.file(for: node), phase: phase))
        guard root.isSystem else {
            plan.steps.append(ServiceSteps.enableOffline(id: "gateways.enable", phase: phase, title: "Enable the gateways on ports \(portList(gateways.ports))", units: instances, root: root))
            plan.notes.append("--root \(root.directory): the gateways are installed and enabled, not started; their directories on the filespace are made at boot")
            return plan
        }
        plan.steps.append(ServiceSteps.reload(phase: phase, units: [template] + instances))
        if GatewayUnit.servesMountsAsBuckets(node) {
            // Each mount is a bucket; the directory itself stays root's, so a bucket made over S3
            // (a folder there) cannot land on the local disk.
            plan.steps.append(
                .directory(
                    id: "gateways.data-root", phase: phase, title: "Keep the gateways' root \(gateways.dataRoot) (the filespace mounts) owned by root", path: gateways.dataRoot, mode: 0o755,
                    owner: "root", notes: ["its folders are the filespace mounts, one bucket each; new buckets cannot be created there"]))
        } else if !node.filespaces.contains(where: { $0.mountPoint == gateways.dataRoot }) {
            plan.steps.append(onFilespace(id: "gateways.data-root", what: "data root", path: gateways.dataRoot, phase: phase))
        }
        if !gateways.iamDir.isEmpty {
            plan.steps.append(onFilespace(id: "gateways.iam-dir", what: "IAM directory", path: gateways.iamDir, phase: phase))
        }
        plan.steps.append(ServiceSteps.enableAndStart(id: "gateways.start", phase: phase, title: "Enable and start the gateways on ports \(portList(gateways.ports))", units: instances))
        for (port, unit) in zip(gateways.ports, instances) {
            plan.steps.append(ServiceSteps.waitActive(id: "gateways.\(port).active", phase: phase, unit: unit) { $0.unitActive })
        }
        return plan
    }

    /// A directory on a filespace, made as the service account after the mount.
    static func onFilespace(id: String, what: String, path: String, phase: NodePhase) -> NodeStep {
        let command = ["runuser", "-u", NodePaths.serviceUser, "--", "mkdir", "-p", path]
        return .commands(
            id: id, phase: phase, title: "Create the gateways' \(what) \(path) on the filespace", [command],
            notes: ["made as \(NodePaths.serviceUser) after the mount, so it is shared by every instance"]
        ) { context in
            HostFiles.kind(context.root.path(path)) == .directory
        }
    }

    static func portList(_ ports: [Int]) -> String { ports.map(String.init).joined(separator: ", ") }
}
