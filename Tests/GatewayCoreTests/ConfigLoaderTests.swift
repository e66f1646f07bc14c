import Foundation
import Testing

@testable import GatewayCore

/// Loading YAML and JSON: defaults, unknown keys, types, positions, and hostile files.
struct ConfigLoaderTests {
    @Test func unknownKeyGetsSuggestionAndPosition() {
        let yaml = """
            project:
              name: s3-gateway
              regoin: us-east-1
            """
        let problems = TestSupport.problems(yaml)
        let problem = problems.first { $0.path == "project.regoin" }
        #expect(problem?.message == "unknown key \"regoin\"")
        #expect(problem?.hint == "did you mean \"region\"?")
        #expect(problem?.line == 3)
        #expect(problem?.column == 3)
    }

    @Test func wrongTypeNamesPathAndLine() {
        let yaml = """
            filespaces:
              - name: a.dmpfs
              - name: b.dmpfs
                clientVersion: "three"
            """
        let problem = TestSupport.problems(yaml).first { $0.path == "filespaces[1].clientVersion" }
        #expect(problem?.message == "must be a number, not a string")
        #expect(problem?.line == 4)
        #expect(problem?.column == 20)
    }

    @Test func fractionalIntegerIsRejectedWithPath() {
        let problems = TestSupport.problems("compute:\n  minSize: 1.5\n")
        let problem = problems.first { $0.path == "compute.minSize" }
        #expect(problem?.message == "must be a whole number, not a number")
        #expect(problem?.line == 2)
    }

    @Test func enumValuesAreChecked() {
        let problem = TestSupport.problems("network:\n  natGateways: perzone\n").first { $0.path == "network.natGateways" }
        #expect(problem?.message == "\"perzone\" is not one of \"none\", \"single\", \"per-zone\"")
        #expect(problem?.hint.hasPrefix("did you mean \"per-zone\"?") == true)
    }

    @Test func validationProblemsAreLocated() throws {
        let loaded = try ConfigLoader.load(text: "project:\n  name: s3-gateway\n  region: mars-1\n")
        let problem = loaded.validate().first { $0.path == "project.region" }
        #expect(problem?.line == 3)
        #expect(problem?.formatted(file: "g.yaml").hasPrefix("g.yaml:3:3: project.region: \"mars-1\" is not an AWS region") == true)
    }

    @Test func yamlAndJSONLoadEqual() throws {
        let yaml = try ConfigLoader.load(text: TestSupport.validYAML).config
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = String(decoding: try encoder.encode(yaml), as: UTF8.self)
        let fromJSON = try ConfigLoader.load(text: json).config
        #expect(fromJSON == yaml)
        let compact = try ConfigLoader.load(text: #"{"project":{"name":"s3-gateway"},"dns":{"zoneName":"example.com"}}"#).config
        #expect(compact.dns.zoneName == "example.com")
    }

    @Test func encodeThenDecodeIsEqual() throws {
        var config = try ConfigLoader.load(file: TestSupport.exampleConfigPath).config
        config.loadBalancer.type = .nlb
        config.network.natGateways = .perZone
        config.state = StateBackendSettings(kind: .s3, bucket: "tf-state", dynamoDBTable: "locks")
        config.filespaces.append(FilespaceSettings(name: "b.dmpfs", user: "b@example.com", password: Secret(reference: "file:/run/secrets/b"), clientVersion: 2, mountName: "b"))
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(GatewayConfig.self, from: data) == config)
        let yaml = try ConfigYAMLWriter.yaml(for: config)
        #expect(try ConfigLoader.load(text: yaml).config == config)
    }

    @Test func billionLaughsFailsFast() {
        var yaml = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...12 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        let clock = ContinuousClock()
        var problems: [ConfigProblem] = []
        let elapsed = clock.measure { problems = TestSupport.problems(yaml) }
        #expect(problems.first?.message.contains("expands to more than") == true)
        #expect(elapsed < .seconds(5))
    }

    @Test func binaryGarbageIsRefused() {
        var bytes = [UInt8](repeating: 0, count: 256)
        for index in bytes.indices { bytes[index] = UInt8((index * 37) & 0xFF) }
        do {
            _ = try ConfigLoader.load(data: Data(bytes))
            Issue.record("binary data loaded")
        } catch {
            #expect(error.problems.first?.message.contains("not UTF-8") == true || error.problems.first?.message.contains("binary") == true)
        }
        do {
            _ = try ConfigLoader.load(text: "project:\u{0}\n")
            Issue.record("NUL loaded")
        } catch {
            #expect(error.problems.first?.message.hasPrefix("the config contains binary data") == true)
        }
    }

    @Test func hostileFilesGetClearErrors() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func message(_ path: String) -> String? {
            do {
                _ = try ConfigLoader.load(file: path)
                return nil
            } catch {
                return error.problems.first?.message
            }
        }
        #expect(message(directory.path) == "\(directory.path) is a directory")
        #expect(message(directory.path + "/missing.yaml") == "\(directory.path)/missing.yaml does not exist")
        let big = directory.appendingPathComponent("big.yaml")
        try Data(repeating: UInt8(ascii: "#"), count: ConfigLoader.maximumFileSize + 10).write(to: big)
        #expect(message(big.path)?.contains("more than the limit") == true)
        let empty = directory.appendingPathComponent("empty.yaml")
        try Data().write(to: empty)
        #expect(message(empty.path) == "the file is empty")
        let list = directory.appendingPathComponent("list.yaml")
        try Data("- a\n- b\n".utf8).write(to: list)
        #expect(message(list.path) == "the top level must be a mapping, not a list")
    }

    @Test func syntaxErrorHasLine() {
        let problem = TestSupport.problems("project:\n  name: [unclosed\n  region: x\n").first
        #expect(problem?.message.hasPrefix("syntax error") == true)
        #expect(problem?.line != nil)
    }

    @Test func legacyFileGivenToLoaderPointsToImport() throws {
        let problems = TestSupport.problems(try TestSupport.fixture("legacy_config_vars.txt"))
        #expect(problems.contains { $0.hint.contains("convert it with the legacy import") })
    }

    @Test func duplicateKeysAreReported() {
        let problems = TestSupport.problems("project:\n  name: a\n  name: b\n")
        #expect(problems.first?.message.contains("twice") == true || problems.first?.message.contains("duplicate") == true)
    }
}

extension ConfigLoaderTests {
    /// The table of fractional fields matches the model: exactly those fields decode 0.5.
    @Test func fractionalFieldTableMatchesTheModel() throws {
        let base = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(GatewayConfig())) as? [String: Any])
        var checked = 0
        for (section, value) in base {
            guard let fields = value as? [String: Any] else { continue }
            for (field, leaf) in fields where leaf is NSNumber {
                var copy = base
                var sectionCopy = fields
                sectionCopy[field] = 0.5
                copy[section] = sectionCopy
                let data = try JSONSerialization.data(withJSONObject: copy)
                let decodes = (try? JSONDecoder().decode(GatewayConfig.self, from: data)) != nil
                let path = "\(section).\(field)"
                #expect(decodes == ConfigSchema.fractionalFields.contains(path), "\(path)")
                checked += 1
            }
        }
        #expect(checked > 30)
    }
}
