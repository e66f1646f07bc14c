import Foundation

extension TerraformUIEvent {
    /// Decodes one line of terraform's `-json` UI output; `nil` for anything that is not such a line
    /// (terraform prints a few plain lines, e.g. when it crashes).
    public static func decode(line: String) -> TerraformUIEvent? {
        guard line.first == "{", let wire = try? decoder.decode(Wire.self, from: Data(line.utf8)) else { return nil }
        let type = TerraformUIEventType(rawValue: wire.type) ?? .other
        return TerraformUIEvent(
            level: wire.level ?? "info",
            message: wire.message ?? "",
            time: wire.timestamp.flatMap(parseTimestamp),
            type: type,
            change: wire.change.map {
                TerraformResourceChange(address: $0.resource.addr, action: $0.action ?? .other, reason: $0.reason)
            },
            hook: wire.hook.map {
                TerraformResourceHook(
                    address: $0.resource.addr, action: $0.action, elapsedSeconds: $0.elapsedSeconds,
                    id: $0.idValue, provisioner: $0.provisioner, output: $0.output)
            },
            changes: wire.changes.map {
                TerraformChangeSummary(
                    add: $0.add ?? 0, change: $0.change ?? 0, remove: $0.remove ?? 0, import: $0.import ?? 0,
                    operation: $0.operation ?? "")
            },
            diagnostic: wire.diagnostic.map {
                TerraformDiagnostic(
                    severity: $0.severity ?? "error", summary: $0.summary ?? "", detail: $0.detail ?? "",
                    address: $0.address, file: $0.range?.filename, line: $0.range?.start?.line)
            },
            terraformVersion: type == .version ? wire.terraform : nil
        )
    }

    private static let decoder = JSONDecoder()

    private static func parseTimestamp(_ text: String) -> Date? {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? fractional.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// Terraform's JSON shape (see "Machine-readable UI" in the terraform documentation).
    private struct Wire: Decodable {
        struct Resource: Decodable {
            var addr: String
        }
        struct Change: Decodable {
            var resource: Resource
            var action: TerraformAction?
            var reason: String?
        }
        struct Hook: Decodable {
            var resource: Resource
            var action: TerraformAction?
            var elapsedSeconds: Int?
            var idValue: String?
            var provisioner: String?
            var output: String?

            enum CodingKeys: String, CodingKey {
                case resource, action, provisioner, output
                case elapsedSeconds = "elapsed_seconds"
                case idValue = "id_value"
            }
        }
        struct Changes: Decodable {
            var add: Int?
            var change: Int?
            var remove: Int?
            var `import`: Int?
            var operation: String?
        }
        struct Position: Decodable {
            var line: Int?
        }
        struct Range: Decodable {
            var filename: String?
            var start: Position?
        }
        struct Diagnostic: Decodable {
            var severity: String?
            var summary: String?
            var detail: String?
            var address: String?
            var range: Range?
        }

        var level: String?
        var message: String?
        var timestamp: String?
        var type: String
        var change: Change?
        var hook: Hook?
        var changes: Changes?
        var diagnostic: Diagnostic?
        var terraform: String?

        enum CodingKeys: String, CodingKey {
            case type, change, hook, changes, diagnostic, terraform
            case level = "@level"
            case message = "@message"
            case timestamp = "@timestamp"
        }
    }
}
