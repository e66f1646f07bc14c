import Foundation
import GatewayCore

/// File operations on the configured tree, with errors as ``StepError``.
enum HostFiles {
    /// The content of a text file, or `nil` when it does not exist.
    static func read(_ path: String) throws(StepError) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard !isDirectory.boolValue else { throw .fileSystem(path: path, reason: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .fileSystem(path: path, reason: "cannot be read") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The POSIX mode bits (`0o7777`) of a path, or `nil` when it does not exist.
    static func mode(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o7777
    }

    /// Owner and group ids of a path.
    static func ownership(_ path: String) -> (uid: UInt32, gid: UInt32)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid)
    }

    /// Writes a file atomically with a mode, creating missing parent directories (mode 0755).
    static func write(_ contents: String, to path: String, mode: Int) throws(StepError) {
        let parent = (path as NSString).deletingLastPathComponent
        try makeDirectories(parent, mode: 0o755)
        do {
            try AtomicFile.write(contents, to: path, permissions: mode)
        } catch {
            throw .fileSystem(path: path, reason: error.reason)
        }
        // The permissions passed at creation are filtered by the umask; set them exactly.
        guard chmod(path, mode_t(mode)) == 0 else { throw .fileSystem(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Creates a directory and its parents; existing directories are left as they are. Only the
    /// directory itself gets `mode`: parents are made 0755, as `mkdir -p` makes them, so that the service
    /// account can reach a directory it owns (a 0750 parent owned by root would lock it out).
    static func makeDirectories(_ path: String, mode: Int) throws(StepError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .fileSystem(path: path, reason: "exists and is not a directory") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, kind(parent) == .missing {
            try makeDirectories(parent, mode: 0o755)
            // Whatever the umask: the parents must stay traversable.
            guard chmod(parent, 0o755) == 0 else { throw .fileSystem(path: parent, reason: String(cString: strerror(errno))) }
        }
        guard mkdir(path, mode_t(mode)) == 0 || errno == EEXIST else {
            throw .fileSystem(path: path, reason: "cannot create the directory: \(String(cString: strerror(errno)))")
        }
    }

    /// Sets mode and, when given, owner of a path.
    static func setAttributes(_ path: String, mode: Int, owner: (uid: UInt32, gid: UInt32)?) throws(StepError) {
        if let owner, chown(path, owner.uid, owner.gid) != 0 {
            throw .fileSystem(path: path, reason: "cannot change the owner: \(String(cString: strerror(errno)))")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw .fileSystem(path: path, reason: "cannot change the mode: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether a path exists and what it is.
    static func kind(_ path: String) -> PathKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFLNK:
            var target = stat()
            guard stat(path, &target) == 0 else { return .other }
            return (target.st_mode & S_IFMT) == S_IFDIR ? .directory : ((target.st_mode & S_IFMT) == S_IFREG ? .file : .other)
        default: return .other
        }
    }

    enum PathKind: Equatable {
        case missing, directory, file, other
    }
}
