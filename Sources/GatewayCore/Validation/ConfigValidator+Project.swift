extension ConfigValidator {
    func checkProject(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let project = config.project
        if project.name.isEmpty {
            report.error("project.name", "is required", hint: "a short lowercase name such as \"s3-gateway\"")
        } else if !TextRules.isResourceName(project.name) {
            report.error(
                "project.name", "\"\(project.name)\" must match ^[a-z][a-z0-9-]*$ without a trailing or doubled hyphen",
                hint: "use lowercase letters, digits and single hyphens, starting with a letter")
        }
        if project.environment.isEmpty {
            report.error("project.environment", "is required", hint: "e.g. \"dev\", \"staging\" or \"prod\"")
        } else if !TextRules.isResourceName(project.environment) || project.environment.count > 12 {
            report.error("project.environment", "\"\(project.environment)\" must be 1-12 lowercase letters, digits or hyphens, starting with a letter", hint: "e.g. \"dev\", \"staging\" or \"prod\"")
        }
        let prefix = config.names.prefix
        if prefix.count > DeploymentNames.maximumPrefixLength, !project.name.isEmpty {
            report.error(
                "project.name", "\"\(prefix)\" (name-environment) is \(prefix.count) characters; load balancer and target group names built from it would exceed AWS's 32-character limit",
                hint: "shorten project.name or project.environment so together they are at most \(DeploymentNames.maximumPrefixLength) characters")
        }
        if project.region.isEmpty {
            report.error("project.region", "is required", hint: "e.g. \"us-east-1\"")
        } else if !AWSRegions.all.contains(project.region) {
            let suggestion = ConfigMerger.closest(to: project.region, in: AWSRegions.all).map { "did you mean \"\($0)\"? " } ?? ""
            report.error("project.region", "\"\(project.region)\" is not an AWS region", hint: "\(suggestion)use a region code such as us-east-1 or eu-west-1")
        }
        for (key, value) in project.tags.sorted {
            let path = "project.tags.\(key)"
            if key.isEmpty || key.count > 128 || key.lowercased().hasPrefix("aws:") {
                report.error(path, "tag keys must be 1-128 characters and not start with \"aws:\"", hint: "rename the tag")
            } else if ["Project", "ManagedBy", "Environment", "Name"].contains(key) {
                report.warning(path, "the tag \"\(key)\" is set by the toolkit and will be overridden", hint: "remove it or use another key")
            }
            if value.count > 256 || TextRules.hasControlCharacters(value) {
                report.error(path, "tag values must be at most 256 characters without control characters", hint: "shorten the value")
            }
        }
    }

    func checkAWSAccess(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let aws = config.aws
        if aws.accessKeyId.isSet != aws.secretAccessKey.isSet {
            let missing = aws.accessKeyId.isSet ? "aws.secretAccessKey" : "aws.accessKeyId"
            report.error(missing, "is required when the other AWS key is given", hint: "give both keys, or neither to use the default credential chain")
        }
        if !aws.profile.isEmpty, aws.accessKeyId.isSet {
            report.warning("aws.profile", "is ignored because explicit keys are given", hint: "use either a profile or keys")
        }
        if !aws.profile.isEmpty, !aws.profile.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            report.error("aws.profile", "\"\(aws.profile)\" is not a valid profile name", hint: "use letters, digits, '-', '_' and '.'")
        }
        for (path, secret) in [("aws.accessKeyId", aws.accessKeyId), ("aws.secretAccessKey", aws.secretAccessKey)] where secret.isSet {
            checkSecret(secret, path: path, required: false, &report)
        }
        if let key = aws.accessKeyId.exportableLiteral, !TextRules.isPlaceholder(key), !(key.count == 20 && key.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })) {
            report.error("aws.accessKeyId", "is not an AWS access key id (20 uppercase letters and digits, e.g. AKIA...)", hint: "copy the key id again, or use env:AWS_ACCESS_KEY_ID")
        }
        if aws.accessKeyId.exportableLiteral != nil || aws.secretAccessKey.exportableLiteral != nil {
            report.warning("aws", "AWS keys are written literally in the config", hint: "use env:AWS_ACCESS_KEY_ID / env:AWS_SECRET_ACCESS_KEY or a profile instead")
        }
    }

    /// Checks a secret's reference: set when required, not a placeholder, and (with an environment) resolvable.
    func checkSecret(_ secret: Secret, path: String, required: Bool, _ report: inout ValidationReport) {
        switch secret.source {
        case .unset:
            if required {
                report.error(path, "is required", hint: "give it as env:NAME, file:PATH or ssm:/PATH")
            }
        case .redacted:
            report.error(path, "was redacted when this config was written out", hint: "give it again as env:NAME, file:PATH or ssm:/PATH")
        case .literal(let value):
            if TextRules.isPlaceholder(value) {
                report.error(path, "is still the template placeholder \"\(value)\"", hint: "replace it with env:NAME, file:PATH or ssm:/PATH")
            } else if TextRules.hasControlCharacters(value) {
                report.error(path, "contains control characters", hint: "secrets must be single-line text")
            }
        case .environment(let name):
            if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) || name.first?.isNumber == true {
                report.error(path, "env:\(name) is not a valid environment variable name", hint: "use env:NAME with letters, digits and underscores")
            } else if let environment, (environment[name] ?? "").isEmpty {
                report.warning(
                    path, "the environment variable \(name) is not set here",
                    hint: "set \(name) in the environment of the process that runs the deployment, or push the secret to SSM and reference it as ssm:/PATH")
            }
        case .file(let filePath):
            if !filePath.hasPrefix("/") && !filePath.hasPrefix("~") && !filePath.hasPrefix(".") {
                report.warning(path, "file:\(filePath) is relative to the current directory", hint: "use an absolute path")
            }
            if environment != nil {
                do {
                    _ = try SecretResolver(environment: environment ?? [:]).resolveLocally(secret, field: path)
                } catch let error as SecretError {
                    report.warning(path, error.problem, hint: error.hint)
                } catch {
                    report.warning(path, "cannot be read: \(error)", hint: "check the reference")
                }
            }
        case .ssmParameter(let name):
            if !name.hasPrefix("/") || name.count > 2048 || name.contains(" ") {
                report.error(path, "ssm:\(name) is not a valid SSM parameter path", hint: "use ssm:/path/to/parameter")
            }
        }
    }
}
