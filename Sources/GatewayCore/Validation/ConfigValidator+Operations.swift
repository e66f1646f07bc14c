extension ConfigValidator {
    func checkStorage(_ config: GatewayConfig, _ report: inout ValidationReport) {
        checkStorageSettings(config.storage, &report)
    }

    func checkStorageSettings(_ storage: StorageSettings, _ report: inout ValidationReport) {
        if !TextRules.isSafeAbsolutePath(storage.cacheMountPoint) || storage.cacheMountPoint == "/" {
            report.error("storage.cacheMountPoint", "\"\(storage.cacheMountPoint)\" must be an absolute path other than /", hint: "e.g. /data")
        } else if ["/usr", "/etc", "/var", "/boot", "/proc", "/sys", "/dev", "/bin", "/sbin", "/lib", "/run", "/tmp"].contains(storage.cacheMountPoint) {
            report.error("storage.cacheMountPoint", "mounting the cache over \(storage.cacheMountPoint) would hide system files", hint: "e.g. /data")
        } else if storage.cacheMountPoint.hasPrefix(NodeConfig.filespaceMountRoot) {
            report.error("storage.cacheMountPoint", "the cache cannot live under the filespace mounts (\(NodeConfig.filespaceMountRoot))", hint: "e.g. /data")
        }
        if !["xfs", "ext4"].contains(storage.filesystem) {
            report.error("storage.filesystem", "\"\(storage.filesystem)\" is not supported", hint: "use xfs (reference) or ext4")
        }
        let options = storage.mountOptions.split(separator: ",").map(String.init)
        if options.isEmpty || options.contains(where: { $0.isEmpty || !$0.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "=_-".contains($0)) }) }) {
            report.error("storage.mountOptions", "\"\(storage.mountOptions)\" is not a comma-separated list of mount options", hint: "e.g. defaults,noatime,largeio,swalloc")
        }
        if storage.filesystem == "ext4", options.contains(where: { ["largeio", "swalloc"].contains($0) }) {
            report.error("storage.mountOptions", "largeio and swalloc are XFS options", hint: "remove them for ext4")
        }
        if ![4, 8, 16, 32, 64, 128, 256, 512, 1024].contains(storage.raidChunkKiB) {
            report.error("storage.raidChunkKiB", "must be a power of two between 4 and 1024 KiB, not \(storage.raidChunkKiB)", hint: "256 is the reference value")
        }
        report.range("storage.cacheSharePercent", storage.cacheSharePercent, 1...95, unit: "percent")
        report.range("storage.cacheMinGiB", storage.cacheMinGiB, 1...65536, unit: "GiB")
        report.range("storage.cacheMaxGiB", storage.cacheMaxGiB, 1...65536, unit: "GiB")
        if storage.cacheMinGiB > storage.cacheMaxGiB {
            report.error("storage.cacheMinGiB", "\(storage.cacheMinGiB) GiB is more than storage.cacheMaxGiB (\(storage.cacheMaxGiB) GiB)", hint: "make the minimum at most the maximum")
        }
        let model = storage.instanceStoreModel
        if model.allSatisfy({ $0 == " " }) || model.count > 64 || model.contains(where: { !$0.isASCII || $0.isNewline || ($0.asciiValue ?? 0) < 0x20 }) {
            report.error(
                "storage.instanceStoreModel", "\"\(model)\" is not a device model (printable ASCII, at most 64 characters)",
                hint: "leave it unset for EC2 (\(StorageSettings.ec2InstanceStoreModel)); see `lsblk --output NAME,MODEL` on the machine")
        }
        var seenDevices: [String: Int] = [:]
        for (index, device) in storage.devices.enumerated() {
            let path = "storage.devices[\(index)]"
            if !device.hasPrefix("/dev/") || !TextRules.isSafeAbsolutePath(device) {
                report.error(path, "\"\(device)\" is not a device path", hint: "e.g. /dev/nvme1n1, or leave storage.devices empty to use every NVMe instance-storage device")
            } else if let first = seenDevices[device] {
                report.error(path, "repeats storage.devices[\(first)]", hint: "name each device once")
            } else {
                seenDevices[device] = index
            }
        }
    }

    func checkMonitoring(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let monitoring = config.monitoring
        if !MonitoringSettings.allowedRetentionDays.contains(monitoring.logRetentionDays) {
            let target = Double(monitoring.logRetentionDays)
            let nearest = MonitoringSettings.allowedRetentionDays.min { abs(Double($0) - target) < abs(Double($1) - target) } ?? 30
            report.error(
                "monitoring.logRetentionDays", "CloudWatch does not accept \(monitoring.logRetentionDays) days",
                hint: "use one of \(MonitoringSettings.allowedRetentionDays.map(String.init).joined(separator: ", ")) (nearest: \(nearest))")
        }
        if monitoring.namespace.isEmpty || monitoring.namespace.count > 255 || monitoring.namespace.hasPrefix("AWS/")
            || !monitoring.namespace.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-/#:".contains($0)) })
        {
            report.error("monitoring.namespace", "\"\(monitoring.namespace)\" is not a valid custom CloudWatch namespace", hint: "e.g. S3Gateway (not starting with AWS/)")
        }
        if !monitoring.alarmTopicArn.isEmpty, !monitoring.alarmTopicArn.hasPrefix("arn:aws:sns:") {
            report.error("monitoring.alarmTopicArn", "\"\(monitoring.alarmTopicArn)\" is not an SNS topic ARN", hint: "arn:aws:sns:REGION:ACCOUNT:TOPIC, or empty")
        }
        if !monitoring.cloudWatch, monitoring.alarms || monitoring.dashboard {
            report.warning("monitoring.cloudWatch", "alarms and dashboards need the metrics the instances publish to CloudWatch", hint: "turn cloudWatch on, or alarms and dashboard off")
        }
        if ![10, 30, 60, 120, 300].contains(monitoring.publishIntervalSeconds) {
            report.error("monitoring.publishIntervalSeconds", "must be 10, 30, 60, 120 or 300, not \(monitoring.publishIntervalSeconds)", hint: "60 matches CloudWatch's standard resolution")
        }
        if monitoring.prometheus, config.proxy.metricsPort == 0 {
            report.error("proxy.metricsPort", "is 0 but monitoring.prometheus is on", hint: "set a metrics port such as 9100, or turn prometheus off")
        }
    }

    func checkImage(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let image = config.image
        if image.baseImageFilter.isEmpty || TextRules.hasControlCharacters(image.baseImageFilter) {
            report.error("image.baseImageFilter", "is required", hint: "a name filter such as ubuntu-minimal/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-minimal-*")
        }
        if image.baseImageOwner.count != 12 || !image.baseImageOwner.allSatisfy(\.isNumber) {
            report.error("image.baseImageOwner", "\"\(image.baseImageOwner)\" is not an AWS account id", hint: "Canonical's is 099720109477")
        }
        if !image.buildInstanceType.isEmpty, image.buildInstanceType.split(separator: ".").count != 2 {
            report.error("image.buildInstanceType", "\"\(image.buildInstanceType)\" is not an instance type", hint: "e.g. c6id.large, or empty for the primary instance type")
        }
        if let buildArchitecture = InstanceStorageCatalog.architecture(of: image.buildInstanceType),
            let fleetArchitecture = InstanceStorageCatalog.architecture(of: config.compute.primaryInstanceType),
            buildArchitecture != fleetArchitecture
        {
            report.error("image.buildInstanceType", "builds a \(buildArchitecture.rawValue) image for \(fleetArchitecture.rawValue) instances", hint: "use a build type of the fleet's architecture")
        }
        report.range("image.rootVolumeGiB", image.rootVolumeGiB, 8...1024, unit: "GiB")
        if image.rootVolumeGiB > config.compute.rootVolumeGiB {
            report.error(
                "image.rootVolumeGiB", "the image's root volume (\(image.rootVolumeGiB) GiB) is larger than compute.rootVolumeGiB (\(config.compute.rootVolumeGiB) GiB)",
                hint: "instances cannot boot from a smaller volume than the image's")
        }
        if !TextRules.isResourceName(image.namePrefix) {
            report.error("image.namePrefix", "\"\(image.namePrefix)\" must be lowercase letters, digits and hyphens", hint: "e.g. ll-s3-gw")
        }
        if !image.lucidLinkSha256.isEmpty, !(image.lucidLinkSha256.count == 64 && image.lucidLinkSha256.allSatisfy(\.isHexDigit)) {
            report.error("image.lucidLinkSha256", "is not a SHA-256 hex digest", hint: "64 hexadecimal characters")
        }
        if image.lucidLinkVersion.isEmpty || TextRules.hasControlCharacters(image.lucidLinkVersion) || image.lucidLinkVersion.contains(" ") {
            report.error("image.lucidLinkVersion", "\"\(image.lucidLinkVersion)\" is not a version", hint: "e.g. 3.2.6817, or latest")
        } else if image.lucidLinkVersion == "latest" || image.lucidLinkSha256.isEmpty {
            report.warning(
                "image.lucidLinkVersion", "the LucidLink client is not pinned to a version and checksum", hint: "set image.lucidLinkVersion and image.lucidLinkSha256 for reproducible images")
        }
    }

    func checkState(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let state = config.state
        switch state.kind {
        case .local:
            if !state.bucket.isEmpty || !state.dynamoDBTable.isEmpty {
                report.warning("state.kind", "bucket and table are ignored with local state", hint: "set state.kind to \"s3\" to use them")
            }
        case .s3:
            if state.bucket.isEmpty {
                report.error("state.bucket", "is required with S3 state", hint: "an existing, versioned S3 bucket for terraform state")
            } else if !(3...63).contains(state.bucket.count) || !state.bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) || state.bucket.first == "-"
                || state.bucket.last == "-"
            {
                report.error("state.bucket", "\"\(state.bucket)\" is not a valid S3 bucket name", hint: "3-63 lowercase letters, digits, '-' and '.'")
            }
            if !state.key.isEmpty, state.key.hasPrefix("/") || TextRules.hasControlCharacters(state.key) {
                report.error("state.key", "\"\(state.key)\" must be a relative object key", hint: "e.g. gateway/prod/terraform.tfstate")
            }
            if !state.region.isEmpty, !AWSRegions.all.contains(state.region) {
                report.error("state.region", "\"\(state.region)\" is not an AWS region", hint: "e.g. us-east-1, or empty for the deployment's region")
            }
        }
    }

    func checkRollout(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let rollout = config.rollout
        report.range("rollout.minHealthyPercentage", rollout.minHealthyPercentage, 0...100, unit: "percent")
        if let problem = RolloutCheckpoints.problem(rollout.checkpoints) {
            report.error("rollout.checkpoints", problem, hint: RolloutCheckpoints.hint)
        }
        report.range("rollout.checkpointDelaySeconds", rollout.checkpointDelaySeconds, 0...172_800, unit: "seconds")
        report.range("rollout.instanceWarmupSeconds", rollout.instanceWarmupSeconds, 0...3600, unit: "seconds")
        if config.compute.maxSize == 1, rollout.minHealthyPercentage > 0 {
            report.warning(
                "compute.maxSize", "with maxSize 1 an instance refresh cannot keep \(rollout.minHealthyPercentage)% healthy", hint: "raise maxSize to allow a replacement instance during rollouts")
        }
    }
}
