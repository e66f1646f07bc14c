import GatewayCore

/// The gateway steps. Installing: the root keys as encrypted credentials and the VersityGW template
/// unit (one instance per port; its start waits for the mounts and makes the IAM directory on the
/// filespace as the service account). Starting: the instances, each waited for.
public enum GatewayPlanner {
    /// The install steps.
    public static func install(node: NodeConfig, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let phase = NodePhase.gateways
        let gateways = node.gateways
        let template = NodeLayout.gatewayTemplateUnit
        let keys: [(field: String, secret: Secret, credential: NodeCredential, what: String)] = [
            ("gateways.rootAccessKey", gateways.rootAccessKey, .gatewayRootAccessKey, "root access key"),
            ("gateways.rootSecretKey", gateways.rootSecretKey, .gatewayRootSecretKey, "root secret key"),
        ]
        for key in keys {
            plan.secrets.append(SecretRequirement(field: key.field, secret: key.secret))
            plan.steps.append(CredentialStep.encrypt(id: "gateways.credential.\(key.credential.name)", phase: phase, title: "Encrypt the gateways' \(key.what)", credential: key.credential, field: key.field, secret: key.secret, units: [template], root: root))
        }
        plan.steps.append(ServiceSteps.install(NodeUnits.gateway(node, header: NodeUnits.header(for: node)), phase: phase))
        return plan
    }

    /// The start and readiness steps.
    public static func start(node: NodeConfig) -> NodePlan {
        var plan = NodePlan()
        let instances = NodeUnits.gatewayUnits(node)
        plan.steps.append(ServiceSteps.start(id: "gateways.start", phase: .gateways, title: "Start the gateways on ports \(node.gateways.ports.map(String.init).joined(separator: ", "))", units: instances))
        for (port, unit) in zip(node.gateways.ports, instances) {
            plan.steps.append(ServiceSteps.waitActive(id: "gateways.\(port).active", phase: .gateways, unit: unit) { $0.unitActive })
        }
        return plan
    }
}
