extension ConfigValidator {
    func checkNetwork(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let network = config.network
        let region = config.project.region
        let allowed = NetworkSettings.allowedZoneCounts
        if network.zoneCount != 0 && !allowed.contains(network.zoneCount) {
            report.error(
                "network.zoneCount", "must be 2 or 3, not \(network.zoneCount)",
                hint: "use 3 for the load balancer's usual spread, 2 where the region offers only two zones, or 0 for the region's usual count")
        }
        let zones = network.availabilityZones
        if !zones.isEmpty {
            if !allowed.contains(zones.count) {
                report.error(
                    "network.availabilityZones", "must list 2 or 3 zones, not \(zones.count)", hint: "name 2 or 3 zones of \(region), or leave it empty to use the region's first available zones")
            } else if network.zoneCount != 0 && network.zoneCount != zones.count {
                report.error(
                    "network.zoneCount", "is \(network.zoneCount) but network.availabilityZones names \(zones.count) zones",
                    hint: "remove network.zoneCount (the named zones set the count) or name \(network.zoneCount) zones")
            }
            for (index, zone) in zones.enumerated() where !AWSRegions.isZone(zone, of: region) {
                report.error(
                    "network.availabilityZones[\(index)]", "\"\(zone)\" is not a zone of \(region)",
                    hint: "zones are the region followed by a letter, e.g. \(region)a; the preflight check lists the region's available zones")
            }
            if Set(zones).count != zones.count {
                report.error("network.availabilityZones", "lists a zone twice", hint: "give \(zones.count) different zones")
            }
        } else if let usual = AWSRegions.regionsWithFewerZones[region], network.zoneCount > usual {
            report.warning(
                "network.zoneCount", "\(region) gives new accounts \(usual) zones; the plan stops if the account has fewer than \(network.zoneCount)",
                hint: "set network.zoneCount to \(usual), or run the preflight check to see the account's zones")
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
        let zoneCount = network.effectiveZoneCount(region: region)
        let privateSubnets = subnets(network.privateSubnets, path: "network.privateSubnets", count: zoneCount, vpc: vpc, derive: { vpc.subnet(newBits: 2, number: $0) }, &report)
        let publicSubnets = subnets(network.publicSubnets, path: "network.publicSubnets", count: zoneCount, vpc: vpc, derive: { vpc.subnet(newBits: 4, number: 12 + $0) }, &report)
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
                report.error(
                    derived ? "network.vpcCidr" : "network.publicSubnets[\(index)]", "public subnet \(subnet) is smaller than the /27 an ALB needs",
                    hint: derived ? "use a VPC of /23 or larger (public subnets are a sixteenth of it), or give network.publicSubnets" : "give a /27 or larger subnet")
            }
        }
        for (index, subnet) in privateSubnets where subnet.prefixLength > 28 {
            report.error(network.privateSubnets.isEmpty ? "network.vpcCidr" : "network.privateSubnets[\(index)]", "private subnet \(subnet) is smaller than /28", hint: "give larger subnets")
        }
        for (index, endpoint) in network.endpoints.interfaces.enumerated() where !VPCEndpointSettings.supportedInterfaces.contains(endpoint) {
            report.error(
                "network.endpoints.interfaces[\(index)]", "\"\(endpoint)\" is not a supported interface endpoint", hint: "use any of \(VPCEndpointSettings.supportedInterfaces.joined(separator: ", "))"
            )
        }
        if Set(network.endpoints.interfaces).count != network.endpoints.interfaces.count {
            report.error("network.endpoints.interfaces", "lists an endpoint twice", hint: "list each endpoint once")
        }
        if network.natGateways == .none {
            report.warning("network.natGateways", "without NAT the instances cannot reach LucidLink or download updates", hint: "use \"single\" or \"per-zone\" unless the VPC has other egress")
        }
    }

    private func subnets(_ given: [String], path: String, count: Int, vpc: IPv4CIDR, derive: (Int) -> IPv4CIDR?, _ report: inout ValidationReport) -> [(Int, IPv4CIDR)] {
        if given.isEmpty {
            return (0..<count).compactMap { index in derive(index).map { (index, $0) } }
        }
        if given.count != count {
            report.error(path, "must list \(count) subnets (one per zone), not \(given.count)", hint: "give \(count) CIDRs, or none to derive them from network.vpcCidr")
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
