import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli status FILE [--json]`: the deployment's fleet as AWS sees it.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the deployment's Auto Scaling group, instance and target health, AMIs and any instance refresh."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let status = try await DeploymentOperationsSupport.run {
            try await FleetStatusReader(clients: try DeploymentOperationsSupport.clients(for: config)).read(config)
        }
        if json {
            Terminal.out(DeploymentOperationsSupport.json(status))
            return
        }
        Terminal.out("deployment \(status.deployment) (\(status.region))")
        Terminal.out("auto scaling group \(status.autoScalingGroup): desired \(status.desiredCapacity) (min \(status.minSize), max \(status.maxSize)), \(status.inService) in service")
        if let template = status.launchTemplateID {
            Terminal.out("launch template \(template) version \(status.launchTemplateVersion ?? "default")")
        }
        for instance in status.instances {
            Terminal.out(
                "  \(instance.instanceID)  \(instance.availabilityZone)  \(instance.lifecycleState)  \(instance.healthStatus)  target \(instance.targetHealth ?? "not registered")  \(instance.imageID ?? "-")  \(instance.instanceType ?? "-")"
            )
        }
        Terminal.out("targets: \(status.healthyTargets) of \(status.instances.count) healthy")
        let running = status.runningImages.isEmpty ? "none" : status.runningImages.joined(separator: ", ")
        if let newest = status.newestImage {
            let verdict = status.upToDate == true ? "up to date" : "update available: gw-cli rollout \(file) --ami \(newest.imageID)"
            Terminal.out("AMI: running \(running); newest built \(newest.imageID) \(newest.name ?? ""): \(verdict)")
        } else {
            Terminal.out("AMI: running \(running); no AMI built for this project yet (gw-cli ami build)")
        }
        if let refresh = status.latestRefresh {
            Terminal.out((status.refreshInProgress ? "in progress: " : "last: ") + DeploymentOperationsSupport.describe(refresh))
        }
    }
}
