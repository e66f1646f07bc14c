import Foundation
import Testing

@testable import GatewayCore

/// Derives thousands of mutated configs from the example (deleted keys, wrong types, out-of-range
/// numbers, huge strings, odd characters) and checks that nothing crashes and every failure has a path.
struct ConfigMutationTests {
    /// A small deterministic generator, so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let replacements: [ConfigNode.Value] = [
        .string(""), .string(String(repeating: "x", count: 100_000)), .string("<YOUR_VALUE>"), .string("$(rm -rf /)"),
        .string("ü\u{1F600}\\\"${x}%{y}"), .integer(-1), .integer(0), .integer(Int.max), .integer(Int.min), .double(1e300),
        .double(-0.5), .bool(true), .null, .array([]), .array([ConfigNode(.integer(1))]), .object([]),
        .object([(key: "unexpected", node: ConfigNode(.string("x")), keyPosition: nil)]),
    ]

    /// Every path to a node in the tree.
    static func paths(_ node: ConfigNode, _ prefix: [PathStep] = []) -> [[PathStep]] {
        var result = [prefix]
        switch node.value {
        case .object(let entries):
            for entry in entries { result += paths(entry.node, prefix + [.key(entry.key)]) }
        case .array(let items):
            for (index, item) in items.enumerated() { result += paths(item, prefix + [.index(index)]) }
        default: break
        }
        return result
    }

    enum PathStep {
        case key(String)
        case index(Int)
    }

    static func mutate(_ node: ConfigNode, at path: ArraySlice<PathStep>, delete: Bool, replacement: ConfigNode.Value) -> ConfigNode {
        guard let step = path.first else { return ConfigNode(replacement) }
        var copy = node
        switch (step, node.value) {
        case (.key(let key), .object(var entries)):
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return node }
            if delete && path.count == 1 {
                entries.remove(at: index)
            } else {
                entries[index].node = mutate(entries[index].node, at: path.dropFirst(), delete: delete, replacement: replacement)
            }
            copy.value = .object(entries)
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            if delete && path.count == 1 {
                items.remove(at: index)
            } else {
                items[index] = mutate(items[index], at: path.dropFirst(), delete: delete, replacement: replacement)
            }
            copy.value = .array(items)
        default: return node
        }
        return copy
    }

    /// What a fuzzing pass found: configs accepted, configs refused, and refusals that broke the rules.
    struct FuzzOutcome: Sendable {
        var count = 0
        var accepted = 0
        var failures = 0
        var badProblems: [String] = []
    }

    /// Seconds of CPU: it runs on a thread of its own, so it does not hold one of the few threads
    /// every other test's async work shares.
    @Test func thousandsOfMutationsNeverCrashAndAlwaysCarryAPath() async throws {
        let outcome = try await AWSTestTools.offPool { try Self.fuzz() }
        #expect(outcome.badProblems.isEmpty, "\(outcome.badProblems.count) bad problems, e.g. \(outcome.badProblems.prefix(3))")
        #expect(outcome.failures + outcome.accepted == outcome.count)
        #expect(outcome.failures > outcome.count / 2, "mutations should mostly break the config (\(outcome.failures) of \(outcome.count))")
    }

    static func fuzz() throws -> FuzzOutcome {
        let text = try String(contentsOfFile: TestSupport.exampleConfigPath, encoding: .utf8)
        var reader = YAMLDocumentReader()
        let tree = try reader.read(text)
        let allPaths = Self.paths(tree).filter { !$0.isEmpty }
        let environment = ProcessInfo.processInfo.environment
        var generator = SplitMix64(state: environment["GW_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED)
        var outcome = FuzzOutcome()
        outcome.count = environment["GW_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 1_200
        for iteration in 0..<outcome.count {
            var mutated = tree
            let edits = Int.random(in: 1...3, using: &generator)
            for _ in 0..<edits {
                let path = allPaths.randomElement(using: &generator)!
                let delete = Bool.random(using: &generator) && iteration % 3 == 0
                let replacement = Self.replacements.randomElement(using: &generator)!
                mutated = Self.mutate(mutated, at: path[...], delete: delete, replacement: replacement)
            }
            // Through text, as a user's file would arrive.
            let yaml = String(decoding: mutated.jsonData(), as: UTF8.self)
            let problems = TestSupport.problems(yaml)
            let errors = problems.filter { $0.severity == .error }
            if errors.isEmpty {
                outcome.accepted += 1
            } else {
                outcome.failures += 1
                for problem in errors where problem.path.isEmpty || problem.message.isEmpty || problem.hint.isEmpty {
                    outcome.badProblems.append("iteration \(iteration): \(problem) in \(yaml.prefix(300))")
                }
            }
        }
        return outcome
    }
}
