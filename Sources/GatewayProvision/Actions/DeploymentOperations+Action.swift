import GatewayCore

extension DeploymentOperations {
    /// Runs a validated action as a recorded run: the one entry point both fronts use.
    ///
    /// Rollouts and rollbacks get their AWS clients from the config and this process's environment
    /// (credentials chain, endpoint overrides).
    ///
    /// - Parameters:
    ///   - action: The action, from ``DeploymentActionRequest/validated(deployment:)``.
    ///   - onEvent: Receives every event of the run.
    /// - Returns: The run's record once it ended (``RunRecord/status`` says how).
    /// - Throws: ``ProvisionError`` when the run cannot start (busy, plan refused, no AMI, tool
    ///   missing, node binary refused); the AWS client's error when a rollout's clients cannot be
    ///   made (credentials).
    public func run(_ action: DeploymentAction, onEvent: @escaping RunEventHandler = { _ in }) async throws -> RunRecord {
        switch action {
        case .plan(let mode, let amiID):
            return try await plan(amiID: amiID?.rawValue, mode: mode, onEvent: onEvent)
        case .apply(let selection):
            return try await apply(selection, onEvent: onEvent)
        case .destroy(let selection):
            return try await destroy(selection, onEvent: onEvent)
        case .buildImage(let nodeBinary):
            return try await buildImage(nodeBinary: nodeBinary, onEvent: onEvent)
        case .rollout(let amiID, let overrides):
            return try await rollout(rolloutOptions(imageID: amiID.rawValue, overrides), clients: awsClients(), onEvent: onEvent)
        case .rollback(let overrides):
            return try await rollback(rolloutOptions(imageID: "", overrides), clients: awsClients(), onEvent: onEvent)
        }
    }

    /// The AWS clients of the deployment, from the config and this process's environment.
    public func awsClients() throws -> DeploymentAWSClients {
        try DeploymentAWSClients(configuration: AWSConfiguration.deployment(config, environment: environment))
    }

    private func rolloutOptions(imageID: String, _ overrides: RolloutOverrides) -> RolloutOptions {
        var options = RolloutOptions(
            config: config, imageID: imageID, minHealthyPercentage: overrides.minHealthyPercentage, checkpoints: overrides.checkpoints)
        if let interval = overrides.pollInterval { options.pollInterval = interval }
        if let timeout = overrides.timeout { options.timeout = timeout }
        return options
    }
}
