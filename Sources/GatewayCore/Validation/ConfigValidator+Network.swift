extension ConfigValidator {
    func checkNetwork(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let network = config.network
        let region = config.project.region
        if !network.availabilityZones.isEmpty {
            if network.availabilityZones.count != 3 {
                report.error("network.availabilityZones", "must list exactly 3 zones, not \(network.availabilityZones.count)", hint: "leave it empty to use \(region)a, \(region)b and \(region)c")
            }
            for (index, zone) in network.availabilityZones.enumerated() where !AWSRegions.isZone(zone, of: region) {
                report.error("network.availabilityZones[\(index)]", "\"\(zone)\" is not a zone of \(region)", hint: "zones are the region followed by a letter, e.g. \(region)a")
            }
            if Set(network.availabilityZones).count != network.availabilityZones.count {
                report.error("network.availabilityZones", "lists a zone twice", hint: "give 3 different zones")
            }
        }
        guard let vpc = IPv4CIDR(network.vpcCidr) else {
            report.error("network.vpcCidr", "\"\(network.vpcCidr)\" is not an IPv4 CIDR", hint: "e.g. 10.10.0.0/16")
            return
        }
        if vpc.hasHostBits {
            report.error("network.vpcCidr", "\(network.vpcCidr) has host bits set", hint: "use the network address, e.g. \(IPv4CIDR(address: vpc.first, prefixLength: vpc.prefixLength))")
        }
        guard (16...24).contains(vpc.prefixLength) else {
            report.error("network.vpcCidr", "a VPC must be between /16 and /24 (AWS limits), not /\(vpc.prefixLength)", hint: "e.g. 10.10.0.0/16")
            return
        }
        let privateSubnets = subnets(network.privateSubnets, path: "network.privateSubnets", vpc: vpc, derive: { vpc.subnet(newBits: 2, number: $0) }, &report)
        let publicSubnets = subnets(network.publicSubnets, path: "network.publicSubnets", vpc: vpc, derive: { vpc.subnet(newBits: 4, number: 12 + $0) }, &report)
        let all = privateSubnets.map { ("network.privateSubnets[\($0.0)]", $0.1) } + publicSubnets.map { ("network.publicSubnets[\($0.0)]", $0.1) }
        for i in all.indices {
            for j in all.indices where j > i && all[i].1.overlaps(all[j].1) {
                report.error(all[j].0, "\(all[j].1) overlaps \(all[i].0) (\(all[i].1))", hint: "subnets must not share addresses")
            }
        }
        // AWS load balancers need subnets of at least /27 (ALB) with free addresses; instances need room too.
        if config.loadBalancer.type == .alb {
            for (index, subnet) in publicSubnets where subnet.prefixLength > 27 {
                let derived = network.publicSubnets.isEmpty
                report.error(derived ? "network.vpcCidr" : "network.publicSubnets[\(index)]", "public subnet \(subnet) is smaller than the /27 an ALB needs", hint: derived ? "use a VPC of /23 or larger (public subnets are a sixteenth of it), or give network.publicSubnets" : "give a /27 or larger subnet")
            }
        }
        for (index, subnet) in privateSubnets where subnet.prefixLength > 28 {
            report.error(network.privateSubnets.isEmpty ? "network.vpcCidr" : "network.privateSubnets[\(index)]", "private subnet \(subnet) is smaller than /28", hint: "give larger subnets")
        }
        for (index, endpoint) in network.endpoints.interfaces.enumerated() where !VPCEndpointSettings.supportedInterfaces.contains(endpoint) {
            report.error("network.endpoints.interfaces[\(index)]", "\"\(endpoint)\" is not a supported interface endpoint", hint: "use any of \(VPCEndpointSettings.supportedInterfaces.joined(separator: ", "))")
        }
        if Set(network.endpoints.interfaces).count != network.endpoints.interfaces.count {
            report.error("network.endpoints.interfaces", "lists an endpoint twice", hint: "list each endpoint once")
        }
        if network.natGateways == .none {
            report.warning("network.natGateways", "without NAT the instances cannot reach LucidLink or download updates", hint: "use \"single\" or \"per-zone\" unless the VPC has other egress")
        }
    }

    private func subnets(_ given: [String], path: String, vpc: IPv4CIDR, derive: (Int) -> IPv4CIDR?, _ report: inout ValidationReport) -> [(Int, IPv4CIDR)] {
        if given.isEmpty {
            return (0..<3).compactMap { index in derive(index).map { (index, $0) } }
        }
        if given.count != 3 {
            report.error(path, "must list exactly 3 subnets (one per zone), not \(given.count)", hint: "give 3 CIDRs, or none to derive them from network.vpcCidr")
        }
        var result: [(Int, IPv4CIDR)] = []
        for (index, text) in given.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let subnet = IPv4CIDR(text) else {
                report.error(itemPath, "\"\(text)\" is not an IPv4 CIDR", hint: "e.g. 10.10.0.0/18")
                continue
            }
            if subnet.hasHostBits {
                report.error(itemPath, "\(text) has host bits set", hint: "use the network address")
            }
            if !vpc.contains(subnet) {
                report.error(itemPath, "\(text) is not inside the VPC \(vpc)", hint: "pick a subnet of network.vpcCidr")
            }
            result.append((index, subnet))
        }
        return result
    }
}
