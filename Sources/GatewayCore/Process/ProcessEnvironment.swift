import Foundation

/// The complete environment of a child process: an allowlisted part of this process's environment
/// plus what the caller adds.
///
/// Nothing outside the allowlist reaches a child, so stray credentials or settings in the parent's
/// environment do not leak into tools that do not need them.
public struct ProcessEnvironment: Sendable, Equatable {
    /// The variables the child receives.
    public private(set) var values: [String: String]

    /// The variables every child receives from the parent when present: the search path, home
    /// directory, user name, locale, time zone and temporary directory.
    public static let baseAllowlist: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
    ]

    /// The name prefixes every child receives from the parent: the locale categories (`LC_*`).
    public static let basePrefixes: [String] = ["LC_"]

    /// Creates an environment holding exactly `values`.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// An environment made of the allowlisted variables of `source`.
    ///
    /// - Parameters:
    ///   - source: The environment to take variables from. Default: this process's environment.
    ///   - names: Variable names to take, in addition to ``baseAllowlist``.
    ///   - prefixes: Name prefixes to take, in addition to ``basePrefixes`` (for example `"AWS_"`).
    /// - Returns: The allowlisted subset of `source`.
    public static func inherited(
        from source: [String: String] = ProcessInfo.processInfo.environment,
        allowing names: Set<String> = [],
        prefixes: [String] = []
    ) -> ProcessEnvironment {
        let allowedNames = baseAllowlist.union(names)
        let allowedPrefixes = basePrefixes + prefixes
        let kept = source.filter { name, _ in
            allowedNames.contains(name) || allowedPrefixes.contains { name.hasPrefix($0) }
        }
        return ProcessEnvironment(kept)
    }

    /// The value of a variable, or `nil` when the child does not receive it.
    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// A copy with the given variables set (replacing values of the same name).
    public func adding(_ additions: [String: String]) -> ProcessEnvironment {
        var copy = self
        copy.values.merge(additions) { _, new in new }
        return copy
    }
}
