import Foundation

/// Amazon EC2: images, instances and launch template versions.
public struct EC2Client: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .ec2, configuration: configuration)
    }

    /// A `Filter.N.Name` / `Filter.N.Value.M` filter.
    public struct Filter: Sendable, Equatable {
        public let name: String
        public let values: [String]

        public init(_ name: String, _ values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// An AMI.
    public struct Image: Sendable, Equatable, Codable {
        public let imageID: String
        public let name: String
        public let state: String
        public let creationDate: Date?
        public let description: String?
        public let tags: [String: String]
    }

    /// An EC2 instance.
    public struct Instance: Sendable, Equatable, Codable {
        public let instanceID: String
        public let imageID: String
        public let instanceType: String
        public let state: String
        public let availabilityZone: String
        public let privateIPAddress: String?
        public let launchTime: Date?
        public let tags: [String: String]
    }

    /// One version of a launch template.
    public struct LaunchTemplateVersion: Sendable, Equatable, Codable {
        public let launchTemplateID: String
        public let versionNumber: Int
        public let imageID: String?
        public let isDefault: Bool
        public let description: String?
    }

    static func addFilters(_ filters: [Filter], to parameters: inout QueryParameters) {
        for (index, filter) in filters.enumerated() {
            parameters.add("Filter.\(index + 1).Name", filter.name)
            parameters.addList("Filter.\(index + 1).Value", filter.values)
        }
    }

    static func tags(_ node: XMLTree) -> [String: String] {
        var tags: [String: String] = [:]
        for tag in node.list("tagSet") {
            if let key = tag.string("key") { tags[key] = tag.string("value") ?? "" }
        }
        return tags
    }

    /// `DescribeImages`, following `NextToken` pages.
    public func describeImages(imageIDs: [String] = [], owners: [String] = [], filters: [Filter] = []) async throws
        -> [Image]
    {
        var images: [Image] = []
        var nextToken: String?
        repeat {
            var parameters = QueryParameters()
            parameters.addList("ImageId", imageIDs)
            parameters.addList("Owner", owners)
            Self.addFilters(filters, to: &parameters)
            parameters.add("NextToken", nextToken)
            let result = try await client.query("DescribeImages", parameters)
            for item in result.list("imagesSet") {
                images.append(
                    Image(
                        imageID: item.string("imageId") ?? "", name: item.string("name") ?? "",
                        state: item.string("imageState") ?? "",
                        creationDate: item.string("creationDate").flatMap(AWSTimestamp.parseISO8601),
                        description: item.string("description"), tags: Self.tags(item)))
            }
            nextToken = AWSEnvironment.nonEmpty(result.string("nextToken"))
        } while nextToken != nil
        return images
    }

    /// `DescribeInstances`, following `NextToken` pages.
    public func describeInstances(instanceIDs: [String] = [], filters: [Filter] = []) async throws -> [Instance] {
        var instances: [Instance] = []
        var nextToken: String?
        repeat {
            var parameters = QueryParameters()
            parameters.addList("InstanceId", instanceIDs)
            Self.addFilters(filters, to: &parameters)
            parameters.add("NextToken", nextToken)
            let result = try await client.query("DescribeInstances", parameters)
            for reservation in result.list("reservationSet") {
                for item in reservation.list("instancesSet") {
                    instances.append(
                        Instance(
                            instanceID: item.string("instanceId") ?? "", imageID: item.string("imageId") ?? "",
                            instanceType: item.string("instanceType") ?? "",
                            state: item.string("instanceState", "name") ?? "",
                            availabilityZone: item.string("placement", "availabilityZone") ?? "",
                            privateIPAddress: item.string("privateIpAddress"),
                            launchTime: item.string("launchTime").flatMap(AWSTimestamp.parseISO8601),
                            tags: Self.tags(item)))
                }
            }
            nextToken = AWSEnvironment.nonEmpty(result.string("nextToken"))
        } while nextToken != nil
        return instances
    }

    /// `DescribeLaunchTemplateVersions` of one template (`versions` like `["$Latest", "3"]`; empty: all).
    public func describeLaunchTemplateVersions(launchTemplateID: String, versions: [String] = []) async throws
        -> [LaunchTemplateVersion]
    {
        var parameters = QueryParameters()
        parameters.add("LaunchTemplateId", launchTemplateID)
        parameters.addList("LaunchTemplateVersion", versions)
        let result = try await client.query("DescribeLaunchTemplateVersions", parameters)
        return result.list("launchTemplateVersionSet").map(Self.launchTemplateVersion)
    }

    /// `CreateLaunchTemplateVersion`: a copy of `sourceVersion` with another AMI. Returns the new version.
    public func createLaunchTemplateVersion(
        launchTemplateID: String, sourceVersion: String, imageID: String, description: String? = nil
    ) async throws -> LaunchTemplateVersion {
        var parameters = QueryParameters()
        parameters.add("LaunchTemplateId", launchTemplateID)
        parameters.add("SourceVersion", sourceVersion)
        parameters.add("VersionDescription", description)
        parameters.add("LaunchTemplateData.ImageId", imageID)
        let result = try await client.query("CreateLaunchTemplateVersion", parameters)
        guard let version = result.child("launchTemplateVersion") else {
            throw AWSError(
                service: "ec2", action: "CreateLaunchTemplateVersion", code: "MalformedResponse",
                message: "no launchTemplateVersion in the answer", httpStatus: 200, requestID: result.string("requestId"))
        }
        return Self.launchTemplateVersion(version)
    }

    static func launchTemplateVersion(_ item: XMLTree) -> LaunchTemplateVersion {
        LaunchTemplateVersion(
            launchTemplateID: item.string("launchTemplateId") ?? "",
            versionNumber: Int(item.string("versionNumber") ?? "") ?? 0,
            imageID: item.string("launchTemplateData", "imageId"),
            isDefault: item.string("defaultVersion") == "true", description: item.string("versionDescription"))
    }
}
