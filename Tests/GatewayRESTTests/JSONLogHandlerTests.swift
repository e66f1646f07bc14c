import Foundation
import Logging
import Testing

@testable import GatewayREST

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("A line is one valid JSON object with escaped text and sorted keys")
    func validJSON() throws {
        let message = "quote \" backslash \\ newline \n tab \t bell \u{7} line-separator \u{2028} é 🚀"
        let metadata: Logger.Metadata = [
            "path": "/v1/x", "nested": ["b": "2", "a": ["1", .stringConvertible(3)]], "message": "shadowed",
        ]
        let line = JSONLogHandler.line(time: "2026-11-27T10:12:27.121Z", level: .warning, label: "gw-rest", message: message, metadata: metadata)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == message)
        #expect(object["level"] as? String == "warning")
        #expect(object["ts"] as? String == "2026-11-27T10:12:27.121Z")
        #expect((object["nested"] as? [String: Any])?["b"] as? String == "2")
        #expect(line.hasPrefix(#"{"label":"gw-rest","level":"warning","message":"#))
    }

    @Test("Timestamps are ISO 8601 UTC with milliseconds")
    func timestamps() throws {
        let stamp = JSONLogHandler.timestamp()
        #expect(stamp.count == 24)
        let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(stamp)
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
    }
}
