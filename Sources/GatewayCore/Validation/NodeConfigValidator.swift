/// Checks a ``NodeConfig`` (`node.json`) before the node runtime plans anything: every problem at once,
/// each with its key path, message and hint. Storage and secret rules are the deployment validator's.
public struct NodeConfigValidator: Sendable {
    /// Creates a validator.
    public init() {}

    /// Every problem in the node config.
    public func validate(_ node: NodeConfig) -> [ConfigProblem] {
        let rules = ConfigValidator()
        var report = ValidationReport()
        if node.version > NodeConfig.currentVersion {
            report.error(
                "version", "format version \(node.version) is newer than this version understands (\(NodeConfig.currentVersion))", hint: "install the gateway version that rendered this node config")
        }
        if node.deployment.isEmpty {
            report.error("deployment", "is required", hint: "the <project>-<environment> name, as rendered")
        }
        if !AWSRegions.all.contains(node.region) {
            report.error("region", "\"\(node.region)\" is not an AWS region", hint: "e.g. us-east-1")
        }
        rules.checkStorageSettings(node.storage, &report)
        checkFilespaces(node, rules, &report)
        checkGateways(node, rules, &report)
        if node.gateways.ports.contains(node.proxy.listenPort) {
            report.error("proxy.listenPort", "port \(node.proxy.listenPort) is also a gateway port", hint: "pick a free port")
        }
        return report.problems
    }

    private func checkFilespaces(_ node: NodeConfig, _ rules: ConfigValidator, _ report: inout ValidationReport) {
        if node.filespaces.isEmpty {
            report.error("filespaces", "must list at least one filespace", hint: "render node.json from a deployment config with filespaces")
        }
        var mountPoints: [String: Int] = [:]
        var mountNames: [String: Int] = [:]
        var instances: [Int: Int] = [:]
        for (index, filespace) in node.filespaces.enumerated() {
            let path = "filespaces[\(index)]"
            if filespace.name.isEmpty { report.error("\(path).name", "is required", hint: "the filespace name, e.g. mycompany.dmpfs") }
            if filespace.user.isEmpty || TextRules.hasControlCharacters(filespace.user) {
                report.error("\(path).user", "is required and must be one line", hint: "the LucidLink user, usually an e-mail address")
            }
            rules.checkSecret(filespace.password, path: "\(path).password", required: true, &report)
            if !filespace.rootPoint.hasPrefix("/") || TextRules.hasControlCharacters(filespace.rootPoint) {
                report.error("\(path).rootPoint", "\"\(filespace.rootPoint)\" must be an absolute path inside the filespace", hint: "e.g. /")
            }
            let instanceRange = filespace.clientVersion == 2 ? 501...999 : 2001...2999
            if ![2, 3].contains(filespace.clientVersion) {
                report.error("\(path).clientVersion", "must be 2 or 3, not \(filespace.clientVersion)", hint: "3 for current filespaces, 2 for legacy ones")
            } else if !instanceRange.contains(filespace.instanceId) {
                report.error(
                    "\(path).instanceId", "\(filespace.instanceId) is not a LucidLink \(filespace.clientVersion) instance id", hint: "use \(instanceRange.lowerBound)-\(instanceRange.upperBound)")
            }
            if let first = instances[filespace.instanceId] {
                report.error("\(path).instanceId", "repeats filespaces[\(first)].instanceId", hint: "each daemon needs its own instance id")
            } else {
                instances[filespace.instanceId] = index
            }
            let name = filespace.mountName
            if !(1...32).contains(name.count) || !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) || name.first == "-" {
                report.error("\(path).mountName", "\"\(name)\" must be 1-32 lowercase letters, digits, '-' or '_'", hint: "it names the unit and directories")
            } else if let first = mountNames[name] {
                report.error("\(path).mountName", "repeats filespaces[\(first)].mountName", hint: "give each filespace its own mount name")
            } else {
                mountNames[name] = index
            }
            let cache = node.storage.cacheMountPoint
            if !TextRules.isSafeAbsolutePath(filespace.mountPoint) || filespace.mountPoint == "/" {
                report.error(
                    "\(path).mountPoint", "\"\(filespace.mountPoint)\" must be an absolute path of letters, digits, '/', '.', '_' and '-'", hint: "e.g. \(NodeConfig.filespaceMountRoot)/\(name)")
            } else if filespace.mountPoint == cache || filespace.mountPoint.hasPrefix(cache + "/") || cache.hasPrefix(filespace.mountPoint + "/") {
                report.error("\(path).mountPoint", "\(filespace.mountPoint) overlaps the cache mount point \(cache)", hint: "mount filespaces under \(NodeConfig.filespaceMountRoot)")
            } else if let first = mountPoints[filespace.mountPoint] {
                report.error("\(path).mountPoint", "repeats filespaces[\(first)].mountPoint", hint: "mount each filespace at its own directory")
            } else {
                mountPoints[filespace.mountPoint] = index
            }
        }
    }

    private func checkGateways(_ node: NodeConfig, _ rules: ConfigValidator, _ report: inout ValidationReport) {
        let gateways = node.gateways
        if gateways.ports.isEmpty {
            report.error("gateways.ports", "must list at least one port", hint: "e.g. [7070, 7071, 7072]")
        }
        var seen: Set<Int> = []
        for (index, port) in gateways.ports.enumerated() {
            if !(1024...65535).contains(port) {
                report.error("gateways.ports[\(index)]", "\(port) is not a port in 1024-65535", hint: "e.g. 7070")
            } else if !seen.insert(port).inserted {
                report.error("gateways.ports[\(index)]", "port \(port) is listed twice", hint: "give each gateway its own port")
            }
        }
        rules.checkSecret(gateways.rootAccessKey, path: "gateways.rootAccessKey", required: true, &report)
        rules.checkSecret(gateways.rootSecretKey, path: "gateways.rootSecretKey", required: true, &report)
        let mounts = node.filespaces.map(\.mountPoint)
        let holdsMounts = GatewayUnit.servesMountsAsBuckets(node)
        for (path, value) in [("gateways.dataRoot", gateways.dataRoot), ("gateways.iamDir", gateways.iamDir)] {
            // An empty IAM directory: the gateways' root account only. A data root holding the mounts
            // serves each one as a bucket.
            if path == "gateways.iamDir" && value.isEmpty { continue }
            if !TextRules.isSafeAbsolutePath(value) || value == "/" {
                report.error(path, "\"\(value)\" must be an absolute path of letters, digits, '/', '.', '_' and '-'", hint: "e.g. \(mounts.first ?? NodeConfig.filespaceMountRoot)")
            } else if path == "gateways.dataRoot" && holdsMounts {
                if let outside = mounts.first(where: { !$0.hasPrefix(value + "/") }) {
                    report.error(path, "\(value) holds some filespace mounts but not \(outside)", hint: "mount every filespace under the data root, or serve one filespace's folders")
                }
            } else if !mounts.isEmpty, !mounts.contains(where: { value == $0 || value.hasPrefix($0 + "/") }) {
                report.error(path, "\(value) is not on a filespace mount (\(mounts.joined(separator: ", ")))", hint: "all gateways share it through LucidLink: put it under a filespace mount")
            }
        }
        if holdsMounts, let iam = mounts.first(where: { gateways.iamDir.hasPrefix($0 + "/") || gateways.iamDir == $0 }) {
            report.error(
                "gateways.iamDir", "\(gateways.iamDir) is inside \(iam), which is served as a bucket: its account file would be readable as objects", hint: "leave it empty (the root account only)")
        }
        if !gateways.healthPath.hasPrefix("/") || gateways.healthPath.contains(" ") {
            report.error("gateways.healthPath", "\"\(gateways.healthPath)\" must be an absolute URL path", hint: "e.g. /health")
        }
        if TextRules.hasControlCharacters(gateways.virtualDomain) || gateways.virtualDomain.contains(" ") {
            report.error("gateways.virtualDomain", "must be a host name", hint: "e.g. s3.example.com")
        }
        for (key, value) in gateways.environment.sorted {
            let path = "gateways.environment.\(key)"
            if key.isEmpty || !key.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) || key.first?.isNumber == true {
                report.error(path, "\"\(key)\" is not an environment variable name", hint: "use uppercase letters, digits and underscores")
            } else if ConfigValidator.managedGatewayVariables.contains(key) || key == "VGW_KEEP_ALIVE" {
                report.error(path, "\(key) is set by the toolkit from the config", hint: "use the matching gateway setting instead")
            }
            if TextRules.hasControlCharacters(value) {
                report.error(path, "contains control characters", hint: "use a single-line value")
            }
        }
    }
}
