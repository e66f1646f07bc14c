import GatewayCore

/// The proxy steps: its unit, installed after the gateways', then started and waited for.
public enum ProxyPlanner {
    /// The proxy steps.
    public static func plan(node: NodeConfig, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let unit = NodeUnitNames.proxy
        plan.steps.append(ServiceSteps.install(ProxyUnit.file(for: node), phase: .proxy))
        plan.steps.append(ServiceSteps.install(NodeSetupUnit.file, phase: .proxy))
        guard root.isSystem else {
            plan.steps.append(
                ServiceSteps.enableOffline(id: "proxy.enable", phase: .proxy, title: "Enable the proxy and the boot-time node setup", units: [unit, NodeUnitNames.nodeSetup], root: root))
            return plan
        }
        plan.steps.append(ServiceSteps.reload(phase: .proxy, units: [unit, NodeUnitNames.nodeSetup]))
        plan.steps.append(ServiceSteps.enableAndStart(id: "proxy.start", phase: .proxy, title: "Enable and start \(unit)", units: [unit]))
        plan.steps.append(
            .commands(
                id: "proxy.node-setup", phase: .proxy, title: "Run the node setup at every boot (\(NodeUnitNames.nodeSetup))", [["systemctl", "enable", NodeUnitNames.nodeSetup]],
                notes: ["enabled, not started: this apply is its work"]
            ) { context in
                try await context.probe(["systemctl", "is-enabled", NodeUnitNames.nodeSetup]).succeeded
            })
        plan.steps.append(ServiceSteps.waitActive(id: "proxy.active", phase: .proxy, unit: unit) { $0.unitActive })
        return plan
    }
}
