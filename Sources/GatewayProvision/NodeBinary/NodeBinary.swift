import Foundation
import GatewayCore

/// The `gw-cli` binary an image build installs on its nodes, checked to start there.
///
/// The node image is a minimal Ubuntu without a Swift toolchain, so the binary must be an ELF
/// executable of the image's architecture that needs no toolchain library (the Swift runtime,
/// Foundation, Dispatch): a build with `--static-swift-stdlib`, as `scripts/build-node-binary.sh`
/// makes. A debug or plain `swift build` links the runtime from the toolchain and cannot start on
/// the image. The check runs before any packer process.
public struct NodeBinary: Sendable, Equatable {
    /// The binary's absolute path (what packer copies into the image).
    public var path: String
    /// The binary's CPU architecture.
    public var architecture: InstanceStorageCatalog.Architecture
    /// The shared libraries it needs (system libraries only, once checked).
    public var neededLibraries: [String]

    /// Name prefixes of the shared libraries a Swift toolchain ships: the Swift runtime and
    /// standard library (`libswiftCore.so`, `libswift_Concurrency.so`, ...), Foundation
    /// (`libFoundation*.so`, `lib_FoundationICU.so`), Dispatch, the blocks runtime and the test
    /// libraries.
    public static let toolchainLibraryPrefixes = [
        "libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "libXCTest", "libTesting",
    ]

    /// The entries of `libraries` that come from a Swift toolchain (see ``toolchainLibraryPrefixes``).
    public static func toolchainLibraries(in libraries: [String]) -> [String] {
        libraries.filter { library in toolchainLibraryPrefixes.contains { library.hasPrefix($0) } }
    }

    /// The binary an image build installs when none is given: the `gw-cli` of this installation,
    /// that is the running executable itself (whatever its file is called), except that `gw-rest`
    /// defaults to the `gw-cli` installed beside it.
    ///
    /// - Parameter runningExecutable: The running executable's path; `nil` reads `/proc/self/exe`.
    /// - Returns: The path, or `nil` when the running executable cannot be found.
    public static func defaultPath(runningExecutable: String? = nil) -> String? {
        guard let executable = runningExecutable ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) else {
            return nil
        }
        let url = URL(fileURLWithPath: executable)
        guard url.lastPathComponent.hasPrefix("gw-rest") else { return url.path }
        return url.deletingLastPathComponent().appendingPathComponent("gw-cli").path
    }

    /// Checks the binary an image build installs.
    ///
    /// - Parameters:
    ///   - explicitPath: The binary given by the caller; `nil` takes ``defaultPath(runningExecutable:)``.
    ///     A relative path is taken from the current directory.
    ///   - architecture: The image's architecture (of the config's `compute.instanceTypes`).
    /// - Returns: The checked binary.
    /// - Throws: ``ProvisionError`` (``ProvisionError/Code/nodeBinaryRefused``) when the file is
    ///   missing, not an executable ELF file, of another architecture, or needs toolchain libraries.
    public static func check(
        explicitPath: String?, architecture: InstanceStorageCatalog.Architecture
    ) throws(ProvisionError) -> NodeBinary {
        let fix = "build a self-contained one with scripts/build-node-binary.sh and give it as the node binary"
        let subject: String
        let path: String
        if let explicitPath {
            guard !explicitPath.isEmpty else { throw ProvisionError(.nodeBinaryRefused, "the node binary's path is empty: \(fix)") }
            path = URL(fileURLWithPath: explicitPath).standardizedFileURL.path
            subject = "the node binary \(path)"
        } else {
            guard let found = defaultPath() else {
                throw ProvisionError(.nodeBinaryRefused, "the gw-cli to install in the image cannot be found (no /proc/self/exe): \(fix)")
            }
            path = found
            subject = "the node binary \(path) (the default: this installation's gw-cli; no node binary given)"
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ProvisionError(.nodeBinaryRefused, "\(subject) does not exist: \(fix)")
        }
        guard !isDirectory.boolValue else { throw ProvisionError(.nodeBinaryRefused, "\(subject) is a directory, not a binary: \(fix)") }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ProvisionError(.nodeBinaryRefused, "\(subject) is not executable (no execute permission): chmod +x it, or \(fix)")
        }
        let file: ELFFile
        do {
            file = try ELFFile(contentsOf: path)
        } catch {
            throw ProvisionError(.nodeBinaryRefused, "\(subject) is not an ELF executable (\(error.message)): \(fix)")
        }
        switch file.type {
        case .executable, .sharedObject: break
        default: throw ProvisionError(.nodeBinaryRefused, "\(subject) is an ELF \(file.type) file, not an executable: \(fix)")
        }
        guard let found = file.architecture else {
            throw ProvisionError(
                .nodeBinaryRefused, "\(subject) is built for ELF machine \(file.machine), not x86_64 or arm64: \(fix) on an \(architecture.rawValue) machine")
        }
        guard found == architecture else {
            throw ProvisionError(
                .nodeBinaryRefused,
                "\(subject) is an \(found.rawValue) binary, but the image is \(architecture.rawValue) (from compute.instanceTypes): "
                    + "\(fix) on an \(architecture.rawValue) machine, or choose \(found.rawValue) instance types")
        }
        let toolchain = toolchainLibraries(in: file.neededLibraries)
        guard toolchain.isEmpty else {
            throw ProvisionError(
                .nodeBinaryRefused,
                "\(subject) needs the Swift toolchain's libraries \(toolchain.joined(separator: ", ")), which the node image does not have, "
                    + "so it cannot start there: \(fix)")
        }
        return NodeBinary(path: path, architecture: found, neededLibraries: file.neededLibraries)
    }
}
