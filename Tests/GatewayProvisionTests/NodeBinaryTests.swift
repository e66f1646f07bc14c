import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// The ELF reader and the node binary check, on binaries compiled here with gcc, the build's own
/// debug gw-cli, hand-made headers and garbage.
@Suite("Node binary check")
struct NodeBinaryTests {
    /// A temporary directory with gcc-built binaries: static, dynamic against a fake `libswiftCore.so`,
    /// and an object file.
    struct Binaries {
        let directory: URL
        let staticBinary: URL
        let linkedToSwiftCore: URL
        let objectFile: URL

        init() throws {
            directory = try ProvisionTestSupport.temporaryDirectory("elf")
            staticBinary = try TerraformTestTools.staticNodeBinary(in: directory)
            let library = directory.appendingPathComponent("fake-runtime.c")
            try "int swift_fake(void) { return 1; }\n".write(to: library, atomically: true, encoding: .utf8)
            // A shared library merely named like the Swift runtime: what matters is the DT_NEEDED name.
            try TerraformTestTools.compile(["-shared", "-fPIC", "-o", directory.appendingPathComponent("libswiftCore.so").path, library.path])
            let main = directory.appendingPathComponent("main.c")
            try "int swift_fake(void);\nint main(void) { return swift_fake() - 1; }\n".write(to: main, atomically: true, encoding: .utf8)
            linkedToSwiftCore = directory.appendingPathComponent("linked-to-swiftcore")
            try TerraformTestTools.compile(["-o", linkedToSwiftCore.path, main.path, "-L\(directory.path)", "-lswiftCore"])
            objectFile = directory.appendingPathComponent("main.o")
            try TerraformTestTools.compile(["-c", "-o", objectFile.path, main.path])
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: objectFile.path)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }

        func write(_ bytes: [UInt8], as name: String, mode: Int = 0o755) throws -> URL {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
            return url
        }
    }

    static let hostArchitecture: InstanceStorageCatalog.Architecture = {
        #if arch(arm64)
        .arm64
        #else
        .x86_64
        #endif
    }()

    /// A 64-byte ELF64 (or 52-byte ELF32) little-endian header with no program headers.
    static func header(elf64: Bool = true, type: UInt16 = 2, machine: UInt16) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: elf64 ? 64 : 52)
        bytes[0...6] = [0x7F, 0x45, 0x4C, 0x46, elf64 ? 2 : 1, 1, 1]
        bytes[16] = UInt8(type & 0xFF)
        bytes[18] = UInt8(machine & 0xFF)
        bytes[19] = UInt8(machine >> 8)
        return bytes
    }

    func check(_ url: URL, architecture: InstanceStorageCatalog.Architecture = hostArchitecture) throws -> NodeBinary {
        try NodeBinary.check(explicitPath: url.path, architecture: architecture)
    }

    func refusal(_ path: String, architecture: InstanceStorageCatalog.Architecture = hostArchitecture) -> ProvisionError? {
        do {
            _ = try NodeBinary.check(explicitPath: path, architecture: architecture)
            return nil
        } catch {
            return error
        }
    }

    @Test func aStaticBinaryNeedsNothingAndIsAccepted() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        let file = try ELFFile(contentsOf: binaries.staticBinary.path)
        #expect(file.elfClass == .elf64 && file.isLittleEndian)
        #expect(file.architecture == Self.hostArchitecture)
        #expect(file.neededLibraries.isEmpty && !file.hasInterpreter)
        let binary = try check(binaries.staticBinary)
        #expect(binary.path == binaries.staticBinary.standardizedFileURL.path && binary.neededLibraries.isEmpty)
    }

    @Test func aBinaryNeedingLibswiftCoreIsRefusedByName() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        let file = try ELFFile(contentsOf: binaries.linkedToSwiftCore.path)
        #expect(file.neededLibraries.contains("libswiftCore.so") && file.neededLibraries.contains("libc.so.6"), "\(file.neededLibraries)")
        #expect(file.hasInterpreter)
        let error = try #require(refusal(binaries.linkedToSwiftCore.path))
        #expect(error.code == .nodeBinaryRefused)
        #expect(error.message.contains("needs the Swift toolchain's libraries libswiftCore.so, which the node image does not have"), "\(error.message)")
        #expect(!error.message.contains("libc.so.6"))
        #expect(error.message.contains("scripts/build-node-binary.sh") && !error.message.contains("--"))
    }

    @Test func theDebugGatewayCLIIsRefusedForTheToolchainRuntime() throws {
        let debug = TerraformTestTools.debugGatewayCLI
        let file = try ELFFile(contentsOf: debug.path)
        #expect(file.neededLibraries.contains("libswiftCore.so"), "\(file.neededLibraries)")
        let error = try #require(refusal(debug.path))
        #expect(error.message.contains("libswiftCore.so") && error.message.contains("libFoundation"), "\(error.message)")
        #expect(error.message.contains("build a self-contained one with scripts/build-node-binary.sh and give it as the node binary"))
    }

    @Test func theDefaultIsThisInstallationsGatewayCLI() throws {
        #expect(NodeBinary.defaultPath(runningExecutable: "/opt/gw/bin/gw-cli") == "/opt/gw/bin/gw-cli")
        #expect(NodeBinary.defaultPath(runningExecutable: "/opt/gw/gw-cli-1.4.0") == "/opt/gw/gw-cli-1.4.0")
        #expect(NodeBinary.defaultPath(runningExecutable: "/opt/gw/bin/gw-rest") == "/opt/gw/bin/gw-cli")
        // Here the running executable is the test bundle, linked like the debug gw-cli: refused, as the default.
        do {
            _ = try NodeBinary.check(explicitPath: nil, architecture: Self.hostArchitecture)
            Issue.record("the debug build was accepted as the default node binary")
        } catch {
            #expect(error.message.contains("no node binary given") && error.message.contains("libswiftCore.so"), "\(error.message)")
        }
    }

    @Test func anotherArchitectureIsRefused() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        let arm = try binaries.write(Self.header(machine: ELFFile.machineAArch64), as: "arm64-header")
        #expect(try ELFFile(contentsOf: arm.path).architecture == .arm64)
        let error = try #require(refusal(arm.path, architecture: .x86_64))
        #expect(error.message.contains("is an arm64 binary, but the image is x86_64 (from compute.instanceTypes)"), "\(error.message)")
        #expect(error.message.contains("give it as the node binary"))
        let intel = try binaries.write(Self.header(type: 3, machine: ELFFile.machineX86_64), as: "x86-header")
        #expect(try check(intel, architecture: .x86_64).architecture == .x86_64)
        #expect(refusal(intel.path, architecture: .arm64)?.message.contains("is an x86_64 binary, but the image is arm64") == true)
        let i386 = try binaries.write(Self.header(elf64: false, machine: 3), as: "i386-header")
        #expect(try ELFFile(contentsOf: i386.path).elfClass == .elf32)
        #expect(refusal(i386.path)?.message.contains("ELF machine 3, not x86_64 or arm64") == true)
    }

    @Test func missingNonELFNonExecutableAndObjectFilesAreRefused() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        let script = try binaries.write(Array("#!/bin/sh\necho hi\n".utf8), as: "script")
        let readOnly = binaries.directory.appendingPathComponent("read-only")
        try FileManager.default.copyItem(at: binaries.staticBinary, to: readOnly)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: readOnly.path)
        let cases: [(String, String)] = [
            (binaries.directory.appendingPathComponent("absent").path, "does not exist"),
            (binaries.directory.path, "is a directory"),
            (script.path, "is not an ELF executable (not an ELF file"),
            (readOnly.path, "is not executable (no execute permission): chmod +x it"),
            (binaries.objectFile.path, "is an ELF relocatable file, not an executable"),
            ("", "the node binary's path is empty"),
        ]
        for (path, expected) in cases {
            let error = try #require(refusal(path), "\(path) was accepted")
            #expect(error.code == .nodeBinaryRefused)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("--") && error.message.contains("scripts/build-node-binary.sh"), "\(error.message)")
        }
    }

    @Test func truncatedFilesThrowInsteadOfCrashing() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        let whole = try Data(contentsOf: binaries.linkedToSwiftCore)
        let full = try ELFFile(whole)
        var failures = 0
        for length in [0, 1, 4, 15, 16, 17, 40, 52, 63, 64, 65, 100, 200, 400, 600, 1000, 2000, 4000, whole.count / 2, whole.count - 1] {
            do {
                let file = try ELFFile(whole.prefix(length))
                // A prefix can only succeed if it holds everything the reader uses.
                #expect(file == full, "a \(length)-byte prefix read differently")
            } catch {
                failures += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(failures >= 12)
        #expect(throws: ELFFormatError.self) { try ELFFile(Data()) }
    }

    @Test func garbageAndCorruptedHeadersThrowInsteadOfCrashing() throws {
        let binaries = try Binaries()
        defer { binaries.remove() }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0...512, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45 { bytes[0] = 0 }
            #expect(throws: ELFFormatError.self) { try ELFFile(Data(bytes)) }
        }
        // Valid magic, class and byte order, random everything else (huge offsets and counts included).
        for _ in 0..<2000 {
            var bytes = (0..<Int.random(in: 16...1024, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[0...5] = [0x7F, 0x45, 0x4C, 0x46, UInt8.random(in: 1...2, using: &generator), UInt8.random(in: 1...2, using: &generator)]
            _ = try? ELFFile(Data(bytes))
        }
        // The real dynamic binary with random bytes of its headers and dynamic table overwritten.
        let original = [UInt8](try Data(contentsOf: binaries.linkedToSwiftCore))
        var refused = 0
        for _ in 0..<1000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                bytes[Int.random(in: 16..<min(bytes.count, 4096), using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try ELFFile(Data(bytes)) } catch { refused += 1 }
        }
        #expect(refused > 0, "no corruption was ever noticed")
    }

    @Test func toolchainLibrariesAreRecognisedByName() {
        let needed = [
            "libswiftCore.so", "libswift_Concurrency.so", "libFoundationEssentials.so", "lib_FoundationICU.so", "libdispatch.so",
            "libBlocksRuntime.so", "libssl.so.3", "libcurl.so.4", "libc.so.6", "libxml2.so.2",
        ]
        #expect(NodeBinary.toolchainLibraries(in: needed) == Array(needed.prefix(6)))
    }
}
