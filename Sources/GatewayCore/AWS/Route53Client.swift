/// Amazon Route 53: the hosted zones a deployment's DNS records go into.
public struct Route53Client: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .route53, configuration: configuration)
    }

    /// A hosted zone.
    public struct HostedZone: Sendable, Equatable, Codable {
        /// The zone's id without the `/hostedzone/` prefix, e.g. `Z0123456789ABCDEFGHIJ`.
        public let id: String
        /// The zone's name as Route 53 writes it, with a trailing dot (`example.com.`).
        public let name: String
        public let isPrivate: Bool
        public let recordCount: Int?
    }

    /// `ListHostedZonesByName` from `dnsName` on (zones come in name order, reversed labels), following
    /// pages while they still hold zones named `dnsName`. Returns the zones named exactly `dnsName`.
    public func hostedZones(named dnsName: String) async throws -> [HostedZone] {
        let wanted = Self.canonicalName(dnsName)
        var zones: [HostedZone] = []
        var query: [(name: String, value: String)] = [("dnsname", wanted), ("maxitems", "100")]
        while true {
            let result = try await client.rest("ListHostedZonesByName", path: "/hostedzonesbyname", query: query)
            let page = (result.child("HostedZones")?.children ?? []).filter { $0.name == "HostedZone" }.map(Self.zone)
            zones.append(contentsOf: page.filter { Self.canonicalName($0.name) == wanted })
            // Past the wanted name, no later page can hold it.
            guard result.string("IsTruncated") == "true", page.allSatisfy({ Self.canonicalName($0.name) == wanted }),
                let nextName = AWSEnvironment.nonEmpty(result.string("NextDNSName"))
            else { break }
            query = [("dnsname", nextName), ("maxitems", "100")]
            if let nextID = AWSEnvironment.nonEmpty(result.string("NextHostedZoneId")) { query.append(("hostedzoneid", nextID)) }
        }
        return zones
    }

    /// A DNS name lowercased and without trailing dots, for comparing zone names.
    static func canonicalName(_ name: String) -> String {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func zone(_ node: XMLTree) -> HostedZone {
        let id = node.string("Id") ?? ""
        return HostedZone(
            id: id.hasPrefix("/hostedzone/") ? String(id.dropFirst("/hostedzone/".count)) : id,
            name: node.string("Name") ?? "", isPrivate: node.string("Config", "PrivateZone") == "true",
            recordCount: node.string("ResourceRecordSetCount").flatMap { Int($0) })
    }
}
