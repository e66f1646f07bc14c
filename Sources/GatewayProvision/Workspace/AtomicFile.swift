import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old or the new content, never a mix: the data goes
/// to a temporary file in the same directory, is flushed to disk, and replaces the target by rename.
enum AtomicFile {
    /// Writes `data` to `url` atomically with the given permissions (owner-only by default).
    ///
    /// - Throws: ``ProvisionError`` with code ``ProvisionError/Code/workspace`` naming the file.
    static func write(_ data: Data, to url: URL, permissions: mode_t = 0o600) throws {
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else {
            throw failure("cannot create \(temporary)", url: url)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        let ok = (try? handle.write(contentsOf: data)) != nil && (try? handle.synchronize()) != nil
        close(descriptor)
        guard ok, rename(temporary, url.path) == 0 else {
            let error = failure("cannot write", url: url)
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Encodes `value` as pretty JSON and writes it atomically.
    static func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
        try write(WorkspaceCoding.prettyData(value), to: url)
    }

    private static func failure(_ what: String, url: URL) -> ProvisionError {
        ProvisionError(.workspace, "\(what) \(url.path): \(String(cString: strerror(errno))); check the workspace directory's permissions and free space")
    }
}
