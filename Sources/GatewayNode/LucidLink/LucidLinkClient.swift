import GatewayCore

/// The LucidLink client commands the runtime uses for one filespace's daemon (v2 `lucid2`, instance
/// 501+; v3 `lucid3`, instance 2001+), and how their output is read.
public struct LucidLinkClient: Sendable, Equatable {
    /// The client binary.
    public var binary: String
    /// The daemon instance id.
    public var instance: Int

    /// The client of a filespace.
    public init(filespace: NodeFilespace) {
        binary = filespace.clientBinary
        instance = filespace.instanceId
    }

    private var base: [String] { [binary, "--instance", String(instance)] }

    /// `status`: prints the client state.
    public var statusCommand: [String] { base + ["status"] }

    /// `config --set --KEY VALUE`.
    public func setCommand(_ key: String, _ value: String) -> [String] { base + ["config", "--set", "--\(key)", value] }

    /// `config --list --local`: the locally set configuration.
    public var listCommand: [String] { base + ["config", "--list", "--local"] }

    /// Whether `status` output says the client is linked ("Linked"; "Unlinked" does not count).
    public static func isLinked(status output: String) -> Bool {
        output.split(whereSeparator: { !$0.isLetter }).contains("Linked")
    }

    /// The value of a key in `config --list` output: the rest of the line holding the key, without
    /// separators (`:`, `=`, `|`) and surrounding spaces.
    public static func value(of key: String, inListing output: String) -> String? {
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: key) else { continue }
            let rest = line[range.upperBound...].drop { " \t:=|".contains($0) }
            var value = String(rest)
            while let last = value.last, " \t|".contains(last) { value.removeLast() }
            return value
        }
        return nil
    }

    /// Whether a listed size equals `gib` GiB (`600GiB`, `600 GiB`, `600G` or the byte count).
    public static func size(_ listed: String, equalsGiB gib: Int) -> Bool {
        let compact = listed.replacingOccurrences(of: " ", with: "")
        let bytes = UInt64(gib) << 30
        return ["\(gib)GiB", "\(gib)GB", "\(gib)G", "\(bytes)", "\(bytes)B"].contains { $0.caseInsensitiveCompare(compact) == .orderedSame }
    }
}
