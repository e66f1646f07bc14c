import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// The rendered bundles of the example and the maximal config, byte for byte. After an intended change,
/// regenerate them with `GW_UPDATE_GOLDEN=1 swift test --filter GoldenBundleTests` and review the diff.
@Suite("Golden bundles")
struct GoldenBundleTests {
    static let updating = ProcessInfo.processInfo.environment["GW_UPDATE_GOLDEN"] == "1"

    @Test("Examples/gateway.yaml renders the golden bundle")
    func example() throws {
        try compare(try BundleRenderer.render(try TestSupport.exampleConfig()), golden: "example")
    }

    @Test("the maximal config renders the golden bundle")
    func maximal() throws {
        try compare(try BundleRenderer.render(try TestSupport.maximalConfig()), golden: "maximal")
    }

    @Test("rendering twice gives identical bytes")
    func renderTwice() throws {
        for config in [try TestSupport.exampleConfig(), try TestSupport.maximalConfig()] {
            let first = try BundleRenderer.render(config)
            let second = try BundleRenderer.render(config)
            #expect(first == second)
            #expect(first.files.map { Data($0.contents.utf8) } == second.files.map { Data($0.contents.utf8) })
        }
    }

    private func compare(_ bundle: RenderedBundle, golden name: String) throws {
        let directory = TestSupport.path("Tests/GatewayProvisionTests/Golden/\(name)")
        if Self.updating {
            try? FileManager.default.removeItem(atPath: directory)
            try bundle.write(to: URL(fileURLWithPath: directory), force: false)
            try? FileManager.default.removeItem(atPath: directory + "/" + RenderedBundle.recordFileName)
            return
        }
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var stored: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                stored.append(path)
            }
        }
        #expect(stored.sorted() == bundle.files.map(\.path), "the golden files of \(name) differ from the rendered list; regenerate with GW_UPDATE_GOLDEN=1 if intended")
        for file in bundle.files {
            let golden = try? String(contentsOfFile: directory + "/" + file.path, encoding: .utf8)
            #expect(golden == file.contents, "\(name)/\(file.path) differs from its golden file; regenerate with GW_UPDATE_GOLDEN=1 if intended")
        }
    }
}
