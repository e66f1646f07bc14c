import Foundation

/// Writes files so that readers see either the old content or the new, never a half-written file:
/// the data goes to a temporary file in the same directory, is flushed, then renamed into place.
public enum AtomicFile {
    /// An atomic write failed.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The destination path.
        public let path: String
        /// What went wrong.
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes data to a path atomically.
    /// - Parameters:
    ///   - data: The content.
    ///   - path: The destination.
    ///   - permissions: POSIX mode of the new file, e.g. `0o600` for files that may hold secrets.
    ///   - overwrite: When `false`, an existing destination is an error.
    public static func write(_ data: Data, to path: String, permissions: Int = 0o644, overwrite: Bool = true) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError(path: path, reason: "the directory \(directory) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw WriteError(path: path, reason: "it is a directory") }
            if !overwrite { throw WriteError(path: path, reason: "it already exists (allow overwriting to replace it)") }
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }

    /// Writes text as UTF-8 atomically.
    public static func write(_ text: String, to path: String, permissions: Int = 0o644, overwrite: Bool = true) throws(WriteError) {
        try write(Data(text.utf8), to: path, permissions: permissions, overwrite: overwrite)
    }

    /// Reads a small text file (at most `limit` bytes); used by fronts that take a file argument.
    public static func readText(_ path: String, limit: Int = 1 << 20) throws(WriteError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WriteError(path: path, reason: "it does not exist")
        }
        guard !isDirectory.boolValue else { throw WriteError(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw WriteError(path: path, reason: "it cannot be read") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else { throw WriteError(path: path, reason: "it is larger than \(limit) bytes") }
        guard let text = String(data: data, encoding: .utf8) else { throw WriteError(path: path, reason: "it is not UTF-8 text") }
        return text
    }
}
