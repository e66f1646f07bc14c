import Foundation
import GatewayCore

extension RenderedBundle {
    /// The file in a bundle directory that lists what `gw-cli render` wrote there. Its presence marks the
    /// directory as a bundle directory, and a later render removes only files listed in it.
    public static let recordFileName = ".gateway-bundle.json"

    /// Files a render never deletes, even when an old record lists them.
    static let protectedNames: Set<String> = [
        "terraform.tfstate", "terraform.tfstate.backup", ".terraform.lock.hcl", PackerTemplateRenderer.manifestFileName, TerraformDriver.localStateOverrideFileName,
    ]

    /// A bundle could not be written.
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path concerned.
        public let path: String
        /// What went wrong and what to do.
        public let reason: String

        public var description: String { "cannot write the bundle to \(path): \(reason)" }
    }

    /// What a write did.
    public struct WriteResult: Sendable, Equatable {
        /// The bundle directory.
        public let directory: String
        /// Relative paths written.
        public let written: [String]
        /// Relative paths of files an earlier render wrote that this bundle no longer has, now removed.
        public let removed: [String]
        /// Whether the directory was created by this write.
        public let created: Bool
    }

    /// Writes the bundle into `directory`.
    ///
    /// The files are first written into a temporary directory next to the target. A new directory is
    /// then moved into place as a whole; into an existing bundle directory each file is moved over its
    /// old version, so a failure while writing leaves the target untouched. A non-empty directory that
    /// holds no earlier bundle is refused unless `force` is set. Files the bundle did not write (such as
    /// `terraform.tfstate`, `.terraform/` or Packer's manifest) are never deleted; files an earlier render
    /// wrote that this bundle no longer has are removed.
    /// - Parameters:
    ///   - directory: The bundle directory; it and its parents are created when missing.
    ///   - force: Write into a non-empty directory that was not created by a render.
    @discardableResult
    public func write(to directory: URL, force: Bool) throws(WriteError) -> WriteResult {
        let target = directory.standardizedFileURL.path
        let fileManager = FileManager.default
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw WriteError(path: target, reason: "give a directory below /")
        }
        do {
            try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: parent, reason: "cannot create it: \(Self.reason(error))")
        }
        for file in files where !Self.isSafeRelativePath(file.path) {
            throw WriteError(path: file.path, reason: "a bundle file must have a relative path inside the bundle")
        }

        var info = stat()
        let exists = lstat(target, &info) == 0
        if exists, (info.st_mode & S_IFMT) != S_IFDIR {
            throw WriteError(path: target, reason: "it exists and is not a directory")
        }
        var previous: [String] = []
        if exists {
            let recordPath = target + "/" + Self.recordFileName
            if let data = fileManager.contents(atPath: recordPath), let record = try? JSONDecoder().decode(BundleRecord.self, from: data) {
                previous = record.files
            } else {
                let entries = (try? fileManager.contentsOfDirectory(atPath: target)) ?? []
                if !entries.isEmpty, !force {
                    throw WriteError(
                        path: target, reason: "the directory is not empty and holds no bundle rendered by gateway; choose an empty directory, or use --force to write into it (no file is deleted)")
                }
            }
        }

        let staging = parent + "/." + name + ".render-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(path: staging, reason: "cannot create the temporary directory: \(Self.reason(error))")
        }
        defer { try? fileManager.removeItem(atPath: staging) }

        let record = BundleRecord(generator: "gw-cli \(GatewayVersion.current)", deployment: summary.deployment, files: files.map(\.path))
        var staged = files.map { (path: $0.path, data: Data($0.contents.utf8), mode: $0.mode) }
        staged.append((path: Self.recordFileName, data: Data(record.text.utf8), mode: 0o644))
        for directory in Set(staged.map { ($0.path as NSString).deletingLastPathComponent }).sorted() where !directory.isEmpty {
            do {
                try fileManager.createDirectory(atPath: staging + "/" + directory, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: staging + "/" + directory, reason: Self.reason(error))
            }
        }
        for file in staged {
            try Self.writeFile(file.data, to: staging + "/" + file.path, mode: file.mode)
        }
        // The files must be on disk before they replace anything. One flush of the file system
        // costs one journal commit instead of one per file.
        try Self.flush(staging, files: staged.map { staging + "/" + $0.path })

        if !exists {
            guard rename(staging, target) == 0 else {
                throw WriteError(path: target, reason: "cannot move the rendered bundle into place: \(String(cString: strerror(errno)))")
            }
            return WriteResult(directory: target, written: files.map(\.path), removed: [], created: true)
        }

        // Existing directory: check every destination first, so that nothing is moved when one is blocked.
        for file in staged {
            try Self.checkDestination(file.path, under: target)
        }
        // Then move every staged file over its old version; the record goes last.
        for file in staged {
            let destination = target + "/" + file.path
            try Self.makeDirectories(for: file.path, under: target)
            guard rename(staging + "/" + file.path, destination) == 0 else {
                throw WriteError(path: destination, reason: "cannot move it into place: \(String(cString: strerror(errno)))")
            }
        }
        let current = Set(files.map(\.path))
        var removed: [String] = []
        for path in previous.sorted() where !current.contains(path) && Self.isSafeRelativePath(path) {
            let file = (path as NSString).lastPathComponent
            guard !Self.protectedNames.contains(file), !file.hasPrefix("terraform.tfstate") else { continue }
            var existing = stat()
            let absolute = target + "/" + path
            guard lstat(absolute, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(absolute) == 0 { removed.append(path) }
        }
        return WriteResult(directory: target, written: files.map(\.path), removed: removed, created: false)
    }

    private static func writeFile(_ data: Data, to path: String, mode: Int) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if let failure { throw WriteError(path: path, reason: failure) }
    }

    /// Makes the staged files durable before they replace anything. The files are flushed by
    /// concurrent threads, so the file system commits them together instead of one after another;
    /// only this bundle's files are flushed, not everything else waiting on the disk.
    private static func flush(_ directory: String, files: [String]) throws(WriteError) {
        let failures = FlushFailures()
        let group = DispatchGroup()
        let lanes = min(files.count, 16)
        for lane in 0..<lanes {
            let slice = stride(from: lane, to: files.count, by: lanes).map { files[$0] }
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for file in slice {
                    let descriptor = open(file, O_RDONLY | O_CLOEXEC)
                    if descriptor < 0 || fsync(descriptor) != 0 {
                        failures.record(WriteError(path: file, reason: "cannot flush: \(String(cString: strerror(errno)))"))
                    }
                    if descriptor >= 0 { close(descriptor) }
                }
            }
        }
        group.wait()
        if let failure = failures.first { throw failure }
    }

    /// Fails when something other than a directory sits on the way to a file, or a directory where the file goes.
    private static func checkDestination(_ relativePath: String, under root: String) throws(WriteError) {
        var current = root
        let components = relativePath.split(separator: "/")
        for (index, component) in components.enumerated() {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0 else { return }
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            if index + 1 < components.count, !isDirectory {
                throw WriteError(path: current, reason: "it is in the way of a bundle directory (not a directory, or a symbolic link); move it away")
            }
            if index + 1 == components.count, isDirectory {
                throw WriteError(path: current, reason: "a directory is in the way of a bundle file; move it away")
            }
        }
    }

    private static func makeDirectories(for relativePath: String, under root: String) throws(WriteError) {
        var current = root
        for component in relativePath.split(separator: "/").dropLast() {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw WriteError(path: current, reason: "it is in the way of a bundle directory (not a directory, or a symbolic link)")
                }
            } else if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw WriteError(path: current, reason: String(cString: strerror(errno)))
            }
        }
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// The record of a written bundle (``RenderedBundle/recordFileName``).
struct BundleRecord: Codable, Equatable {
    let generator: String
    let deployment: String
    let files: [String]

    var text: String {
        JSONValue.object([
            "generator": .string(generator),
            "deployment": .string(deployment),
            "files": .strings(files),
        ]).text
    }
}

/// The first error of the flushing threads.
private final class FlushFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [RenderedBundle.WriteError] = []

    func record(_ error: RenderedBundle.WriteError) {
        lock.lock()
        errors.append(error)
        lock.unlock()
    }

    var first: RenderedBundle.WriteError? {
        lock.lock()
        defer { lock.unlock() }
        return errors.first
    }
}
