import Foundation

extension ConfigValidator {
    func checkFilespaces(_ config: GatewayConfig, _ report: inout ValidationReport) {
        if config.filespaces.isEmpty {
            report.error("filespaces", "must list at least one filespace", hint: "add {name, user, password}")
        }
        if config.filespaces.count > 8 {
            report.error("filespaces", "at most 8 filespaces can be mounted on one instance, not \(config.filespaces.count)", hint: "split them across deployments")
        }
        var names: [String: Int] = [:]
        var mounts: [String: Int] = [:]
        for (index, filespace) in config.filespaces.enumerated() {
            let path = "filespaces[\(index)]"
            if filespace.name.isEmpty {
                report.error("\(path).name", "is required", hint: "the filespace name, e.g. mycompany.dmpfs")
            } else if TextRules.isPlaceholder(filespace.name) {
                report.error("\(path).name", "is still the template placeholder \"\(filespace.name)\"", hint: "set the filespace name, e.g. mycompany.dmpfs")
            } else if !filespace.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) || filespace.name.count > 128 || filespace.name.first == "."
                || filespace.name.first == "-"
            {
                report.error("\(path).name", "\"\(filespace.name)\" is not a filespace name", hint: "letters, digits, '.', '_' and '-', e.g. mycompany.dmpfs")
            } else if let first = names[filespace.name] {
                report.error("\(path).name", "repeats filespaces[\(first)].name", hint: "mount each filespace once")
            } else {
                names[filespace.name] = index
            }
            if filespace.user.isEmpty {
                report.error("\(path).user", "is required", hint: "the LucidLink user, usually an e-mail address")
            } else if TextRules.isPlaceholder(filespace.user) {
                report.error("\(path).user", "is still the template placeholder \"\(filespace.user)\"", hint: "set the LucidLink user")
            } else if filespace.user.contains("@") && !TextRules.isEmail(filespace.user) {
                report.error("\(path).user", "\"\(filespace.user)\" is not a valid e-mail address", hint: "e.g. gateway@example.com")
            } else if TextRules.hasControlCharacters(filespace.user) || filespace.user.contains(" ") {
                report.error("\(path).user", "must not contain spaces or control characters", hint: "use the LucidLink user name or e-mail")
            }
            checkSecret(filespace.password, path: "\(path).password", required: true, &report)
            if !filespace.rootPoint.hasPrefix("/") || TextRules.hasControlCharacters(filespace.rootPoint) {
                report.error("\(path).rootPoint", "\"\(filespace.rootPoint)\" must be an absolute path inside the filespace", hint: "e.g. / or /projects")
            }
            if ![2, 3].contains(filespace.clientVersion) {
                report.error("\(path).clientVersion", "must be 2 or 3, not \(filespace.clientVersion)", hint: "3 for current filespaces, 2 for legacy ones")
            }
            let mount = filespace.effectiveMountName
            let mountPath = filespace.mountName.isEmpty ? "\(path).name" : "\(path).mountName"
            if !mount.isEmpty {
                if !(1...32).contains(mount.count) || !mount.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) || mount.first == "-" {
                    report.error(mountPath, "mount name \"\(mount)\" must be 1-32 lowercase letters, digits, '-' or '_'", hint: "set \(path).mountName explicitly")
                } else if let first = mounts[mount] {
                    report.error(mountPath, "mount name \"\(mount)\" is already used by filespaces[\(first)]", hint: "give \(path).mountName a unique value")
                } else {
                    mounts[mount] = index
                    if config.gateway.buckets == .filespaces, let rule = Self.bucketNameProblem(mount) {
                        report.error(
                            mountPath, "mount name \"\(mount)\" is the name of this filespace's bucket (gateway.buckets: filespaces), and \(rule)",
                            hint: "set \(path).mountName to a bucket name, e.g. \(Self.suggestedBucketName(mount))")
                    }
                }
            }
        }
        checkEveryFilespaceServed(config, &report)
    }

    /// Why a mount name cannot be a bucket name (S3's naming rules, within the 32 characters of a
    /// mount name), or nil.
    static func bucketNameProblem(_ name: String) -> String? {
        if name.count < 3 { return "a bucket name has at least 3 characters" }
        if name.contains("_") { return "a bucket name cannot contain '_'" }
        if !(name.first?.isLetter == true || name.first?.isNumber == true) || !(name.last?.isLetter == true || name.last?.isNumber == true) {
            return "a bucket name starts and ends with a letter or digit"
        }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) { return "a bucket name cannot start with \(prefix)" }
        for suffix in ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) { return "a bucket name cannot end with \(suffix)" }
        return nil
    }

    static func suggestedBucketName(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "_", with: "-").trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return cleaned.count >= 3 ? cleaned : "\(cleaned.isEmpty ? "data" : cleaned)-fs"
    }

    /// With `gateway.buckets: folders`, a filespace that holds neither the data root nor the IAM
    /// directory would be mounted (and take cache) without S3 ever reaching it.
    func checkEveryFilespaceServed(_ config: GatewayConfig, _ report: inout ValidationReport) {
        guard config.gateway.buckets == .folders, config.filespaces.count > 1 else { return }
        let node = NodeConfig(deployment: config, secrets: .asConfigured)
        let used = Set(GatewayUnit.requiredFilespaces(in: node).map(\.mountPoint))
        for (index, filespace) in node.filespaces.enumerated() where !used.contains(filespace.mountPoint) {
            report.error(
                "filespaces[\(index)]",
                "\(filespace.name) would be mounted, and take cache, but S3 could not reach it: with gateway.buckets: folders the buckets are the folders of \(node.gateways.dataRoot) only",
                hint: "set gateway.buckets: filespaces to serve every filespace as a bucket, or remove this filespace")
        }
    }

    func checkGateway(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let gateway = config.gateway
        report.range("gateway.instancesPerNode", gateway.instancesPerNode, 1...GatewaySettings.maximumInstancesPerNode)
        checkSecret(gateway.rootAccessKey, path: "gateway.rootAccessKey", required: true, &report)
        checkSecret(gateway.rootSecretKey, path: "gateway.rootSecretKey", required: true, &report)
        if let key = gateway.rootAccessKey.exportableLiteral, !TextRules.isPlaceholder(key) {
            if !(3...128).contains(key.count) || !key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=._-".contains($0)) }) {
                report.error("gateway.rootAccessKey", "an S3 access key must be 3-128 letters, digits or + / = . _ -", hint: "generate a new key")
            }
        }
        if let secret = gateway.rootSecretKey.exportableLiteral, !TextRules.isPlaceholder(secret) {
            if !(8...128).contains(secret.count) || secret.contains(" ") {
                report.error("gateway.rootSecretKey", "an S3 secret key must be 8-128 characters without spaces", hint: "generate a longer secret (40 characters is usual)")
            }
        }
        if gateway.rootAccessKey.exportableLiteral != nil || gateway.rootSecretKey.exportableLiteral != nil || config.filespaces.contains(where: { $0.password.exportableLiteral != nil }) {
            report.warning("secrets", "some secrets are written literally in the config file", hint: "prefer env:NAME, file:PATH or ssm:/PATH references; the secrets push action stores them in SSM")
        }
        let mountPoints = NodeConfig(deployment: config, secrets: .asConfigured).filespaces.map(\.mountPoint)
        if gateway.buckets == .filespaces {
            if !gateway.dataRoot.isEmpty {
                report.error(
                    "gateway.dataRoot", "must be empty with gateway.buckets: filespaces: the gateways serve \(NodeConfig.filespaceMountRoot), where each filespace is a bucket",
                    hint: "remove gateway.dataRoot, or set gateway.buckets: folders to serve the folders of \(gateway.dataRoot)")
            }
            if !gateway.iamDir.isEmpty {
                report.error(
                    "gateway.iamDir", "must be empty with gateway.buckets: filespaces: every filespace is a bucket, so the IAM account file (every access key) would be readable as objects",
                    hint: "remove gateway.iamDir (the gateways serve the root account only), or set gateway.buckets: folders")
            }
        }
        for (path, value, what) in [("gateway.iamDir", gateway.iamDir, "IAM directory"), ("gateway.dataRoot", gateway.dataRoot, "data root")] where !value.isEmpty && gateway.buckets == .folders {
            if !TextRules.isSafeAbsolutePath(value) {
                report.error(path, "\"\(value)\" must be an absolute path of letters, digits, '/', '.', '_' and '-'", hint: "e.g. \(mountPoints.first ?? NodeConfig.filespaceMountRoot)/.vgw")
            } else if !mountPoints.contains(where: { value == $0 || value.hasPrefix($0 + "/") }) {
                report.error(
                    path, "the \(what) \(value) is not on a filespace mount (\(mountPoints.joined(separator: ", ")))",
                    hint: "all gateways on all instances must share it: put it under a filespace mount")
            }
        }
        if !gateway.virtualDomain.isEmpty {
            if TextRules.isPlaceholder(gateway.virtualDomain) {
                report.error(
                    "gateway.virtualDomain", "is still the template placeholder \"\(gateway.virtualDomain)\"",
                    hint: "leave it empty to use \(config.dns.zoneName.isEmpty ? "s3.<zone>" : config.dns.s3Host)")
            } else if !config.dns.zoneName.isEmpty, gateway.virtualDomain.lowercased() != config.dns.s3Host {
                report.error(
                    "gateway.virtualDomain", "\"\(gateway.virtualDomain)\" differs from the S3 host \(config.dns.s3Host) that DNS and the certificate serve",
                    hint: "leave it empty, or make it \(config.dns.s3Host)")
            }
        }
        if !gateway.healthPath.hasPrefix("/") || gateway.healthPath.contains(" ") {
            report.error("gateway.healthPath", "\"\(gateway.healthPath)\" must be an absolute URL path", hint: "e.g. /health")
        }
        if gateway.version.isEmpty || !gateway.version.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            report.error("gateway.version", "\"\(gateway.version)\" is not a VersityGW release number", hint: "e.g. 1.0.14")
        }
        if !gateway.sha256.isEmpty, !(gateway.sha256.count == 64 && gateway.sha256.allSatisfy(\.isHexDigit)) {
            report.error("gateway.sha256", "is not a SHA-256 hex digest", hint: "64 hexadecimal characters")
        } else if gateway.sha256.isEmpty {
            report.warning(
                "gateway.sha256", "the VersityGW release archive is not pinned to a checksum",
                hint: "set gateway.sha256 to the archive's digest from the release's checksums file for reproducible images")
        }
        for (key, value) in gateway.environment.sorted {
            let path = "gateway.environment.\(key)"
            if key.isEmpty || !key.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) || key.first?.isNumber == true {
                report.error(path, "\"\(key)\" is not an environment variable name", hint: "use uppercase letters, digits and underscores")
            } else if Self.managedGatewayVariables.contains(key) {
                report.error(path, "\(key) is set by the toolkit from the config", hint: "use the matching gateway setting instead")
            }
            if TextRules.hasControlCharacters(value) {
                report.error(path, "contains control characters", hint: "use a single-line value")
            }
        }
    }

    static let managedGatewayVariables: Set<String> = [
        "ROOT_ACCESS_KEY", "ROOT_SECRET_KEY", "ROOT_ACCESS_KEY_ID", "ROOT_SECRET_ACCESS_KEY", "VGW_PORT", "VGW_HEALTH", "VGW_REGION", "VGW_IAM_DIR", "VGW_VIRTUAL_DOMAIN", "VGW_BACKEND",
    ]

    func checkProxyAndPorts(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let proxy = config.proxy
        report.range("proxy.listenPort", proxy.listenPort, 1...65535)
        if proxy.metricsPort != 0 { report.range("proxy.metricsPort", proxy.metricsPort, 1024...65535) }
        if !proxy.healthPath.hasPrefix("/") || proxy.healthPath.contains(" ") || proxy.healthPath.contains("?") {
            report.error("proxy.healthPath", "\"\(proxy.healthPath)\" must be an absolute URL path", hint: "e.g. /_gateway/health")
        } else {
            // A bucket name never contains '_' or uppercase letters; a first segment that does cannot collide.
            let first = proxy.healthPath.split(separator: "/").first.map(String.init) ?? ""
            if !first.contains("_"), first.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) {
                report.error(
                    "proxy.healthPath", "\"\(proxy.healthPath)\" could be a bucket name, so a bucket could shadow the health check",
                    hint: "use a path whose first segment has '_', e.g. /_gateway/health")
            }
        }
        report.range("proxy.healthIntervalSeconds", proxy.healthIntervalSeconds, 0.1...300)
        report.range("proxy.healthTimeoutSeconds", proxy.healthTimeoutSeconds, 0.05...60)
        if proxy.healthTimeoutSeconds >= proxy.healthIntervalSeconds {
            report.error("proxy.healthTimeoutSeconds", "must be shorter than proxy.healthIntervalSeconds", hint: "lower the timeout or raise the interval")
        }
        report.range("proxy.rise", proxy.rise, 1...20)
        report.range("proxy.fall", proxy.fall, 1...20)
        report.range("proxy.minHealthyBackends", proxy.minHealthyBackends, 1...max(1, config.gateway.instancesPerNode))
        report.range("proxy.connectTimeoutSeconds", proxy.connectTimeoutSeconds, 0.05...60)
        report.range("proxy.idleTimeoutSeconds", proxy.idleTimeoutSeconds, 1...3600)
        report.range("proxy.responseTimeoutSeconds", proxy.responseTimeoutSeconds, 1...7200)
        report.range("proxy.drainSeconds", proxy.drainSeconds, 0...3600)
        report.range("proxy.maxConnections", proxy.maxConnections, 1...1_000_000)
        if !proxy.accessLog.isEmpty, proxy.accessLog != "-", !TextRules.isSafeAbsolutePath(proxy.accessLog) {
            report.error("proxy.accessLog", "\"\(proxy.accessLog)\" must be an absolute path, \"-\" for stdout, or empty", hint: "e.g. /var/log/gateway/access.log")
        }
        // Ports on one instance must not collide.
        var used: [Int: String] = [:]
        for (index, port) in config.gateway.ports.enumerated() {
            used[port] = index == 0 ? "gateway.firstPort" : "gateway port \(index + 1) (\(port))"
        }
        let gatewayCount = min(max(config.gateway.instancesPerNode, 1), GatewaySettings.maximumInstancesPerNode)
        if config.gateway.firstPort < 1024 || config.gateway.firstPort > 65536 - gatewayCount {
            report.error(
                "gateway.firstPort", "the gateway ports must lie within 1024-65535, so the first port must be between 1024 and \(65536 - gatewayCount), not \(config.gateway.firstPort)",
                hint: "e.g. 7070")
        }
        for (path, port) in [("proxy.listenPort", proxy.listenPort), ("proxy.metricsPort", proxy.metricsPort)] where port != 0 {
            if let owner = used[port] {
                report.error(path, "port \(port) is already used by \(owner)", hint: "pick a free port")
            } else {
                used[port] = path
            }
        }
    }
}
