/// The shared AWS `credentials` and `config` files: INI sections of `key = value` pairs.
/// In `config`, profiles are `[profile NAME]` (and `[default]`); in `credentials` they are `[NAME]`.
public struct AWSConfigFile: Sendable, Equatable {
    /// Settings per profile name.
    public let profiles: [String: [String: String]]

    public init(profiles: [String: [String: String]]) {
        self.profiles = profiles
    }

    /// Parses file text; `isConfigFile` selects the `[profile NAME]` section naming.
    public init(text: String, isConfigFile: Bool) {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        var lastKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                lastKey = nil
                guard let close = trimmed.firstIndex(of: "]") else {
                    current = nil
                    continue
                }
                let section = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
                    .trimmingCharacters(in: .whitespaces)
                if isConfigFile {
                    if section == "default" {
                        current = "default"
                    } else if section.hasPrefix("profile ") || section.hasPrefix("profile\t") {
                        current = section.dropFirst("profile".count).trimmingCharacters(in: .whitespaces)
                    } else {
                        current = nil  // sso-session, services, ... sections are not profiles
                    }
                } else {
                    current = section
                }
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let profile = current else { continue }
            if line.first == " " || line.first == "\t", let key = lastKey {
                // Continuation line of a nested setting (e.g. `s3 =` sub-keys): kept as text.
                profiles[profile]?[key, default: ""] += "\n" + trimmed
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: "\t#") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            profiles[profile]?[key] = value
            lastKey = key
        }
        self.profiles = profiles
    }
}
