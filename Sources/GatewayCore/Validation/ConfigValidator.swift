import Foundation

/// Checks a ``GatewayConfig`` and returns every problem at once, each with its key path, a message and
/// a hint. Pure: it reads no files and calls no network, except that with an `environment` it also checks
/// that `env:` variables are set and `file:` files exist (as warnings, since render and plan need no secret).
public struct ConfigValidator: Sendable {
    let environment: [String: String]?

    /// Creates a validator.
    /// - Parameter environment: When given, secret references are checked against it and the file system.
    public init(environment: [String: String]? = nil) {
        self.environment = environment
    }

    /// Every problem in the config, errors and warnings, in section order.
    public func validate(_ config: GatewayConfig) -> [ConfigProblem] {
        var report = ValidationReport()
        checkProject(config, &report)
        checkAWSAccess(config, &report)
        checkNetwork(config, &report)
        checkCompute(config, &report)
        checkLoadBalancer(config, &report)
        checkDNS(config, &report)
        checkFilespaces(config, &report)
        checkGateway(config, &report)
        checkProxyAndPorts(config, &report)
        checkStorage(config, &report)
        checkMonitoring(config, &report)
        checkImage(config, &report)
        checkState(config, &report)
        checkRollout(config, &report)
        return report.problems
    }

    /// Whether the problems contain at least one error.
    public static func hasErrors(_ problems: [ConfigProblem]) -> Bool {
        problems.contains { $0.severity == .error }
    }
}

/// Collects problems while the validator walks the config.
struct ValidationReport {
    private(set) var problems: [ConfigProblem] = []

    mutating func error(_ path: String, _ message: String, hint: String) {
        problems.append(ConfigProblem(path: path, severity: .error, message: message, hint: hint))
    }

    mutating func warning(_ path: String, _ message: String, hint: String) {
        problems.append(ConfigProblem(path: path, severity: .warning, message: message, hint: hint))
    }

    /// Reports an error unless `value` is in `range`.
    mutating func range(_ path: String, _ value: Int, _ range: ClosedRange<Int>, unit: String = "") {
        guard !range.contains(value) else { return }
        let suffix = unit.isEmpty ? "" : " \(unit)"
        error(path, "must be between \(range.lowerBound) and \(range.upperBound)\(suffix), not \(value)", hint: "pick a value in that range")
    }

    /// Reports an error unless `value` is in `range`.
    mutating func range(_ path: String, _ value: Double, _ range: ClosedRange<Double>, unit: String = "seconds") {
        guard !range.contains(value) else { return }
        error(path, "must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)) \(unit), not \(Self.format(value))", hint: "pick a value in that range")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Text checks shared by the validator's sections.
enum TextRules {
    /// A template placeholder such as `<YOUR_S3_ACCESS_KEY>` or the reference's `filespace.domain`.
    static func isPlaceholder(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("<") && trimmed.hasSuffix(">") && trimmed != Secret.redactedMarker { return true }
        return ["filespace.domain", "username", "password", "example.net", "changeme", "CHANGEME"].contains(trimmed)
    }

    /// A DNS name: labels of letters, digits and hyphens, each 1-63 long, 253 in all.
    static func isDNSName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// A single DNS label.
    static func isDNSLabel(_ label: String) -> Bool {
        guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// A plausible e-mail address.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        guard parts[0].allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != "," }) else { return false }
        return isDNSName(String(parts[1]).lowercased())
    }

    /// Whether the text has control characters (never allowed in values that reach files or units).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// An absolute, normalized path without spaces or shell/unit metacharacters.
    static func isSafeAbsolutePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.count <= 255, !path.contains("//"), !path.contains("/../"), !path.hasSuffix("/..") else { return false }
        return path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) }
    }

    /// Matches `^[a-z][a-z0-9-]*$` without a trailing or doubled hyphen.
    static func isResourceName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase else { return false }
        guard name.last != "-", !name.contains("--") else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
