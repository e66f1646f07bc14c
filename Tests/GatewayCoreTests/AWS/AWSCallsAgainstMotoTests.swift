import Foundation
import Logging
import Testing

@testable import GatewayCore

/// Every typed call against moto with SigV4 checking on: correct credentials succeed, wrong ones fail
/// cleanly with the AWS error code, and nothing secret reaches logs or errors.
@Suite("AWS typed calls against moto (signature checking on)")
struct AWSCallsAgainstMotoTests {
    /// One moto server for both halves: starting one costs seconds of CPU.
    @Test("every typed call succeeds with the right credentials; wrong ones fail cleanly")
    func typedCallsAndWrongCredentials() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        try await typedCalls(moto)
        try await wrongCredentials(moto)
    }

    func typedCalls(_ moto: MotoAWS) async throws {
        let logs = RecordingLogHandler.Store()
        let configuration = try moto.configuration(logger: RecordingLogHandler.logger(logs))
        let names = DeploymentNames(project: ProjectSettings(name: "calls", environment: "test", region: moto.region))
        let deployment = try #require(
            try await moto.server.control(
                "/_fixture/deployment",
                [
                    "region": moto.region, "launchTemplate": names.launchTemplate, "targetGroup": names.targetGroup,
                    "autoScalingGroup": names.autoScalingGroup, "instances": 2,
                ]) as? [String: Any])
        let templateID = try #require(deployment["launchTemplateId"] as? String)
        let targetGroupARN = try #require(deployment["targetGroupArn"] as? String)
        let images = try #require(deployment["imageIds"] as? [String])

        let identity = try await STSClient(configuration: configuration).getCallerIdentity()
        #expect(identity.account == "123456789012")
        #expect(identity.arn.hasSuffix("user/gateway-tests"))

        let ec2 = try EC2Client(configuration: configuration)
        let amazonImages = try await ec2.describeImages(owners: ["amazon"])
        #expect(amazonImages.count > 10)
        let one = try await ec2.describeImages(imageIDs: [images[1]])
        #expect(one.map(\.imageID) == [images[1]])
        #expect(one.first?.creationDate != nil)
        let filtered = try await ec2.describeImages(filters: [.init("image-id", [images[0]])])
        #expect(filtered.map(\.imageID) == [images[0]])

        let autoScaling = try AutoScalingClient(configuration: configuration)
        let groups = try await autoScaling.describeAutoScalingGroups(names: [names.autoScalingGroup])
        let group = try #require(groups.first)
        #expect(group.name == names.autoScalingGroup)
        #expect(group.desiredCapacity == 2 && group.instances.count == 2)
        #expect(group.targetGroupARNs == [targetGroupARN])
        #expect(group.launchTemplate?.id == templateID)
        #expect(group.mixedInstances?.instanceTypes == ["i4i.large", "i3.large"])
        #expect(group.instances.allSatisfy { $0.lifecycleState == "InService" && !$0.availabilityZone.isEmpty })

        let instances = try await ec2.describeInstances(instanceIDs: group.instances.map(\.instanceID))
        #expect(Set(instances.map(\.instanceID)) == Set(group.instances.map(\.instanceID)))
        #expect(instances.allSatisfy { $0.imageID == images[0] && $0.state == "running" })

        let created = try await ec2.createLaunchTemplateVersion(
            launchTemplateID: templateID, sourceVersion: "1", imageID: images[1], description: "gateway test")
        #expect(created.versionNumber == 2 && created.imageID == images[1])
        let versions = try await ec2.describeLaunchTemplateVersions(launchTemplateID: templateID)
        #expect(Set(versions.map(\.versionNumber)) == [1, 2])

        let health = try await ELBv2Client(configuration: configuration).describeTargetHealth(targetGroupARN: targetGroupARN)
        #expect(Set(health.map(\.targetID)) == Set(group.instances.map(\.instanceID)))
        #expect(health.allSatisfy { $0.state == "healthy" })

        let desired = InstanceRefreshDesiredConfiguration(
            launchTemplate: LaunchTemplateReference(id: templateID, version: "2"), mixedInstances: group.mixedInstances)
        let preferences = InstanceRefreshPreferences(
            minHealthyPercentage: 50, instanceWarmup: 60, checkpointPercentages: [50, 100], checkpointDelay: 60)
        let refreshID = try await autoScaling.startInstanceRefresh(
            groupName: names.autoScalingGroup, desiredConfiguration: desired, preferences: preferences)
        #expect(!refreshID.isEmpty)
        await #expect(throws: AWSError.self) {
            try await autoScaling.startInstanceRefresh(
                groupName: names.autoScalingGroup, desiredConfiguration: desired, preferences: preferences)
        }
        let first = try await autoScaling.describeInstanceRefreshes(groupName: names.autoScalingGroup, ids: [refreshID])
        #expect(first.map(\.id) == [refreshID])
        #expect(first.first?.status == "InProgress" && first.first?.startTime != nil)
        #expect(try await autoScaling.cancelInstanceRefresh(groupName: names.autoScalingGroup) == refreshID)
        let cancelled = try await autoScaling.describeInstanceRefreshes(groupName: names.autoScalingGroup, ids: [refreshID])
        #expect(cancelled.first?.status == "Cancelled")
        let second = try await autoScaling.startInstanceRefresh(
            groupName: names.autoScalingGroup, desiredConfiguration: desired, preferences: preferences)
        #expect(try await autoScaling.rollbackInstanceRefresh(groupName: names.autoScalingGroup) == second)
        let all = try await autoScaling.describeInstanceRefreshes(groupName: names.autoScalingGroup)
        #expect(all.map(\.id) == [second, refreshID])
        #expect(all.map(\.status) == ["RollbackSuccessful", "Cancelled"])

        try await CloudWatchClient(configuration: configuration).putMetricData(
            namespace: "Gateway/Test",
            data: [
                .init(name: "Requests", dimensions: [("deployment", names.deployment)], timestamp: Date(), value: .single(3), unit: "Count"),
                .init(
                    name: "Latency", dimensions: [("deployment", names.deployment), ("backend", "7070")],
                    value: .statistics(.init(sampleCount: 4, sum: 0.5, minimum: 0.05, maximum: 0.25)), unit: "Seconds",
                    storageResolution: 60),
            ])

        let ssm = try SSMClient(configuration: configuration)
        let secretValue = "ll-password-\(UUID().uuidString)"
        let parameter = names.parameterName(forSecretAt: "filespaces[0].password")
        #expect(try await ssm.putSecureString(name: parameter, value: secretValue) == 1)
        #expect(try await ssm.putSecureString(name: parameter, value: secretValue) == 2)
        try await ssm.putSecureString(name: names.parameterName(forSecretAt: "gateway.rootSecretKey"), value: "root-\(secretValue)")
        let read = try await ssm.getParameter(name: parameter)
        #expect(read.value == secretValue && read.type == "SecureString" && read.version == 2)
        #expect(!"\(read)".contains(secretValue))
        let listed = try await ssm.getParametersByPath(path: names.parameterPath, recursive: true)
        #expect(Set(listed.map(\.name)) == [parameter, names.parameterName(forSecretAt: "gateway.rootSecretKey")])
        let missing = await #expect(throws: AWSError.self) {
            try await ssm.getParameter(name: names.parameterPath + "/nope")
        }
        #expect(missing?.code == "ParameterNotFound")
        #expect(missing?.requestID?.isEmpty == false)

        let resolver = SecretResolver(environment: [:], ssm: ssm)
        #expect(try await resolver.resolve(Secret(reference: "ssm:\(parameter)"), field: "filespaces[0].password") == secretValue)

        let logText = logs.text
        #expect(logText.contains("GetCallerIdentity") && logText.contains("PutParameter"))
        #expect(!logText.contains(moto.secretKey))
        #expect(!logText.contains(secretValue))
    }

    /// Wrong or unknown credentials fail cleanly with the AWS error code, for every service.
    func wrongCredentials(_ moto: MotoAWS) async throws {
        let logs = RecordingLogHandler.Store()
        let wrongSecret = "wrong-\(moto.secretKey)"
        let bad = try moto.configuration(secret: wrongSecret, logger: RecordingLogHandler.logger(logs))
        let calls: [(String, @Sendable () async throws -> Void)] = [
            ("sts", { _ = try await STSClient(configuration: bad).getCallerIdentity() }),
            ("ec2", { _ = try await EC2Client(configuration: bad).describeImages(owners: ["amazon"]) }),
            ("ec2", { _ = try await EC2Client(configuration: bad).describeInstances() }),
            ("autoscaling", { _ = try await AutoScalingClient(configuration: bad).describeAutoScalingGroups(names: []) }),
            ("autoscaling", { _ = try await AutoScalingClient(configuration: bad).cancelInstanceRefresh(groupName: "x") }),
            (
                "elasticloadbalancing",
                {
                    _ = try await ELBv2Client(configuration: bad).describeTargetHealth(
                        targetGroupARN: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/0123456789abcdef")
                }
            ),
            (
                "monitoring",
                {
                    try await CloudWatchClient(configuration: bad).putMetricData(
                        namespace: "Gateway/Test", data: [.init(name: "N", value: .single(1))])
                }
            ),
            ("ssm", { _ = try await SSMClient(configuration: bad).getParameter(name: "/gateway/x") }),
            ("ssm", { try await SSMClient(configuration: bad).putSecureString(name: "/gateway/x", value: "v") }),
        ]
        for (service, call) in calls {
            let error = await #expect(throws: AWSError.self, "\(service)") { try await call() }
            #expect(error?.service == service)
            #expect([401, 403].contains(error?.httpStatus ?? 0), "\(service): \(String(describing: error))")
            #expect(error?.isAuthenticationFailure == true, "\(service): \(String(describing: error))")
            #expect(error?.isRetryable == false)
            #expect(!(error?.message.isEmpty ?? true))
            #expect(!"\(String(describing: error))".contains(wrongSecret))
        }
        let unknown = try moto.configuration(accessKey: "AKIAUNKNOWNKEY000000")
        let error = await #expect(throws: AWSError.self) { _ = try await STSClient(configuration: unknown).getCallerIdentity() }
        #expect(error?.code == "InvalidClientTokenId")
        #expect(!logs.text.contains(wrongSecret))
        // The right key still works on the same server: the failures were the credentials' fault.
        _ = try await STSClient(configuration: try moto.configuration()).getCallerIdentity()
    }
}
