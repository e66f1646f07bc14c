extension ConfigValidator {
    static let spotAllocationStrategies = ["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price"]
    static let rootVolumeTypes = ["gp3", "gp2", "io1", "io2"]

    func checkCompute(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let compute = config.compute
        if compute.instanceTypes.isEmpty {
            report.error("compute.instanceTypes", "must list at least one instance type", hint: "e.g. [c6id.4xlarge]")
        }
        var architectures: Set<String> = []
        for (index, type) in compute.instanceTypes.enumerated() {
            let path = "compute.instanceTypes[\(index)]"
            let parts = type.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, type.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }) else {
                report.error(path, "\"\(type)\" is not an instance type", hint: "e.g. c6id.4xlarge")
                continue
            }
            if let architecture = InstanceStorageCatalog.architecture(of: type) {
                architectures.insert(architecture.rawValue)
            } else {
                let suggestion = InstanceStorageCatalog.suggestion(for: type).map { " (e.g. \($0).\(parts[1]))" } ?? ""
                report.error(
                    path, "\(type) has no NVMe instance storage, which holds the LucidLink cache",
                    hint: "use a type with instance storage such as c6id, m6id, r6id, i4i, c5d, m5d or im4gn\(suggestion)")
            }
        }
        if Set(compute.instanceTypes).count != compute.instanceTypes.count {
            report.error("compute.instanceTypes", "lists a type twice", hint: "list each type once")
        }
        if architectures.count > 1 {
            report.error("compute.instanceTypes", "mixes x86_64 and arm64 (Graviton) types, but one AMI serves them all", hint: "use types of one architecture")
        }
        report.range("compute.onDemandBaseCapacity", compute.onDemandBaseCapacity, 0...1000)
        report.range("compute.onDemandPercentageAboveBase", compute.onDemandPercentageAboveBase, 0...100, unit: "percent")
        if !Self.spotAllocationStrategies.contains(compute.spotAllocationStrategy) {
            report.error(
                "compute.spotAllocationStrategy", "\"\(compute.spotAllocationStrategy)\" is not a spot allocation strategy", hint: "use one of \(Self.spotAllocationStrategies.joined(separator: ", "))"
            )
        }
        if compute.onDemandPercentageAboveBase < 100, compute.instanceTypes.count < 2 {
            report.warning("compute.instanceTypes", "spot capacity with a single instance type is easily interrupted", hint: "list several instance types for spot")
        }
        if compute.minSize < 0 {
            report.error("compute.minSize", "must be 0 or more, not \(compute.minSize)", hint: "use 0 or a positive number")
        }
        if compute.maxSize < max(1, compute.minSize) {
            report.error("compute.maxSize", "must be at least \(max(1, compute.minSize)) (1 and compute.minSize), not \(compute.maxSize)", hint: "raise maxSize or lower minSize")
        }
        if compute.desiredCapacity < compute.minSize || compute.desiredCapacity > compute.maxSize {
            report.error(
                "compute.desiredCapacity", "\(compute.desiredCapacity) is outside minSize..maxSize (\(compute.minSize)..\(compute.maxSize))", hint: "choose a desired capacity between the bounds")
        }
        if compute.maxSize > 100 {
            report.warning("compute.maxSize", "\(compute.maxSize) instances is unusually many", hint: "check the value")
        }
        report.range("compute.rootVolumeGiB", compute.rootVolumeGiB, 8...16384, unit: "GiB")
        if !Self.rootVolumeTypes.contains(compute.rootVolumeType) {
            report.error("compute.rootVolumeType", "\"\(compute.rootVolumeType)\" is not a supported volume type", hint: "use one of \(Self.rootVolumeTypes.joined(separator: ", "))")
        }
        if !compute.amiId.isEmpty, !AMIID.isValid(compute.amiId) {
            report.error("compute.amiId", "\"\(compute.amiId)\" is not an AMI id", hint: "use \(AMIID.shape), or leave it empty to deploy the image the last AMI build made")
        }
        report.range("compute.healthCheckGracePeriodSeconds", compute.healthCheckGracePeriodSeconds, 0...7200, unit: "seconds")
        if !compute.sshKeyName.isEmpty, compute.sshCidrs.isEmpty {
            report.warning("compute.sshCidrs", "an SSH key is set but no CIDR may connect", hint: "add the CIDRs allowed to SSH, or use SSM Session Manager")
        }
        if compute.sshKeyName.isEmpty, !compute.sshCidrs.isEmpty {
            report.error("compute.sshCidrs", "SSH CIDRs are set without compute.sshKeyName", hint: "set a key pair name, or remove the CIDRs (SSM Session Manager needs no SSH)")
        }
        for (index, cidr) in compute.sshCidrs.enumerated() {
            guard let parsed = IPv4CIDR(cidr) else {
                report.error("compute.sshCidrs[\(index)]", "\"\(cidr)\" is not an IPv4 CIDR", hint: "e.g. 203.0.113.0/24")
                continue
            }
            if parsed.prefixLength == 0 {
                report.error("compute.sshCidrs[\(index)]", "SSH from anywhere (0.0.0.0/0) is not allowed", hint: "restrict SSH to your network, or use SSM Session Manager")
            }
        }
    }
}
