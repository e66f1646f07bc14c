import Foundation
import GatewayCore
import GatewayProvision
import Testing

@Suite("Writing a bundle")
struct BundleWriteTests {
    func bundle(_ configure: (inout GatewayConfig) -> Void = { _ in }) throws -> RenderedBundle {
        var config = try TestSupport.exampleConfig()
        configure(&config)
        return try BundleRenderer.render(config)
    }

    func contents(of directory: String) -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: directory + "/" + path) { result[path] = data }
        }
        return result
    }

    func leftovers(in parent: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.contains(".render-") }
    }

    @Test("a new directory is created with every file, its mode and the record")
    func newDirectory() throws {
        let parent = try TestSupport.temporaryDirectory(prefix: "write-new")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let bundle = try bundle()
        let target = parent + "/nested/out"
        let result = try bundle.write(to: URL(fileURLWithPath: target), force: false)
        #expect(result.created)
        #expect(result.written == bundle.files.map(\.path))
        for file in bundle.files {
            let path = target + "/" + file.path
            #expect(FileManager.default.contents(atPath: path) == Data(file.contents.utf8))
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
            #expect(mode == file.mode, "\(file.path) has mode \(String(mode, radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: target + "/" + RenderedBundle.recordFileName))
        #expect(leftovers(in: parent + "/nested").isEmpty)
    }

    @Test("rendering again replaces its own files, removes the ones it no longer renders and keeps everything else")
    func rerender() throws {
        let parent = try TestSupport.temporaryDirectory(prefix: "write-again")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/bundle"
        try bundle { $0.state = StateBackendSettings(kind: .s3, bucket: "state-bucket") }.write(to: URL(fileURLWithPath: target), force: false)
        #expect(FileManager.default.fileExists(atPath: target + "/terraform/backend.tf"))
        let state = Data("{\"version\": 4}\n".utf8)
        try state.write(to: URL(fileURLWithPath: target + "/terraform/terraform.tfstate"))
        try FileManager.default.createDirectory(atPath: target + "/terraform/.terraform/providers", withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: target + "/NOTES.md"))
        try Data("edited".utf8).write(to: URL(fileURLWithPath: target + "/terraform/network.tf"))

        let local = try bundle()
        let result = try local.write(to: URL(fileURLWithPath: target), force: false)
        #expect(!result.created)
        #expect(result.removed == ["terraform/backend.tf"])
        #expect(!FileManager.default.fileExists(atPath: target + "/terraform/backend.tf"))
        #expect(FileManager.default.contents(atPath: target + "/terraform/terraform.tfstate") == state)
        #expect(FileManager.default.fileExists(atPath: target + "/terraform/.terraform/providers"))
        #expect(FileManager.default.contents(atPath: target + "/NOTES.md") == Data("notes".utf8))
        #expect(FileManager.default.contents(atPath: target + "/terraform/network.tf") == Data(try #require(local.file("terraform/network.tf")).contents.utf8))
        #expect(leftovers(in: parent).isEmpty)
    }

    @Test("a non-empty directory a render did not create is refused, and left as it was, unless forced")
    func foreignDirectory() throws {
        let parent = try TestSupport.temporaryDirectory(prefix: "write-foreign")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/project"
        try FileManager.default.createDirectory(atPath: target + "/terraform", withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target + "/terraform/terraform.tfstate"))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/terraform/network.tf"))
        let before = contents(of: target)
        let bundle = try bundle()
        #expect(throws: RenderedBundle.WriteError.self) {
            try bundle.write(to: URL(fileURLWithPath: target), force: false)
        }
        #expect(contents(of: target) == before)
        #expect(leftovers(in: parent).isEmpty)

        let result = try bundle.write(to: URL(fileURLWithPath: target), force: true)
        #expect(result.removed.isEmpty)
        #expect(FileManager.default.contents(atPath: target + "/terraform/terraform.tfstate") == Data("keep me".utf8))
        #expect(FileManager.default.contents(atPath: target + "/terraform/network.tf") == Data(try #require(bundle.file("terraform/network.tf")).contents.utf8))
    }

    @Test("an empty existing directory is used without --force")
    func emptyDirectory() throws {
        let target = try TestSupport.temporaryDirectory(prefix: "write-empty")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let result = try bundle().write(to: URL(fileURLWithPath: target), force: false)
        #expect(!result.created)
        #expect(FileManager.default.fileExists(atPath: target + "/terraform/versions.tf"))
    }

    @Test("something in the way fails the write before any file is replaced")
    func blockedDestination() throws {
        let parent = try TestSupport.temporaryDirectory(prefix: "write-blocked")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/bundle"
        try bundle().write(to: URL(fileURLWithPath: target), force: false)
        try FileManager.default.removeItem(atPath: target + "/terraform/variables.tf")
        try FileManager.default.createDirectory(atPath: target + "/terraform/variables.tf", withIntermediateDirectories: false)
        let before = contents(of: target)
        let changed = try bundle { $0.compute.maxSize = 5 }
        do {
            try changed.write(to: URL(fileURLWithPath: target), force: false)
            Issue.record("the write should have failed")
        } catch {
            #expect(error.path.hasSuffix("terraform/variables.tf"))
        }
        #expect(contents(of: target) == before)
        #expect(leftovers(in: parent).isEmpty)

        let file = parent + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: RenderedBundle.WriteError.self) { try changed.write(to: URL(fileURLWithPath: file), force: true) }
    }
}
