import GatewayCore

/// The proxy steps. Installing: the proxy unit, the setup unit that runs `gw-cli node apply` at boot,
/// and `gateway.target`, which is enabled and pulls everything in. Starting: the proxy, waited for.
public enum ProxyPlanner {
    /// The install steps.
    public static func install(node: NodeConfig, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let header = NodeUnits.header(for: node)
        plan.steps.append(ServiceSteps.install(NodeUnits.proxy(node, header: header), phase: .proxy))
        plan.steps.append(ServiceSteps.install(NodeUnits.setup(node, header: header), phase: .proxy))
        plan.steps.append(ServiceSteps.install(NodeUnits.target(node, header: header), phase: .proxy))
        return plan
    }

    /// Enables the target (after the reload, so systemd knows its current text).
    static func enable(root: HostRoot) -> NodeStep {
        ServiceSteps.enable(id: "proxy.enable-target", phase: .proxy, title: "Enable \(NodeLayout.target) (starts everything at boot)", units: [NodeLayout.target], root: root)
    }

    /// The start and readiness steps.
    public static func start(node: NodeConfig) -> NodePlan {
        let unit = NodeLayout.proxyUnit
        return NodePlan(steps: [
            ServiceSteps.start(id: "proxy.start", phase: .proxy, title: "Start \(unit)", units: [unit]),
            ServiceSteps.waitActive(id: "proxy.active", phase: .proxy, unit: unit) { $0.unitActive },
        ])
    }
}
