/// What `blkid --probe` finds on a device: its signature type, label and UUID. Read directly from
/// the device, so it works without udev (containers, image builds) where `lsblk` shows nothing.
public struct DeviceSignature: Sendable, Equatable {
    /// `TYPE`, e.g. `xfs` or `linux_raid_member`.
    public var type: String?
    /// `LABEL`.
    public var label: String?
    /// `UUID`.
    public var uuid: String?

    /// Creates a signature record.
    public init(type: String?, label: String?, uuid: String?) {
        self.type = type
        self.label = label
        self.uuid = uuid
    }

    /// The probe command for a device.
    public static func probeCommand(for device: String) -> [String] { ["blkid", "--probe", "--output", "export", device] }

    /// Parses `blkid --output export` (`KEY=value` lines). Exit status 2 means no signature.
    public init(export output: String) {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        self.init(type: values["TYPE"], label: values["LABEL"], uuid: values["UUID"])
    }

    /// Probes a device; `nil` when it holds no signature.
    static func probe(_ device: String, in context: StepContext) async throws -> DeviceSignature? {
        let output = try await context.probe(probeCommand(for: device))
        switch output.exitCode {
        case 0: return DeviceSignature(export: output.standardOutput)
        case 2: return nil
        default:
            throw StepError.commandFailed(argv: probeCommand(for: device), termination: output.termination, standardError: output.standardError)
        }
    }
}
