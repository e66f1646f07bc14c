import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a deployment's lock: written into the lock file for the message a second run gets.
public struct LockHolder: Sendable, Equatable, Codable {
    /// The running run.
    public var runID: String
    /// What it does.
    public var action: RunAction
    /// When it started.
    public var startTime: Date
    /// The process running it.
    public var owner: ProcessIdentity

    /// Creates a holder description.
    public init(runID: String, action: RunAction, startTime: Date, owner: ProcessIdentity) {
        self.runID = runID
        self.action = action
        self.startTime = startTime
        self.owner = owner
    }
}

/// The exclusive lock of one deployment: one run at a time.
///
/// An advisory `flock` on the deployment's `lock` file. The kernel releases it when its process
/// ends in any way (even `kill -9`), so a crashed run never leaves the deployment locked. The file
/// descriptor is close-on-exec: terraform and packer do not inherit it.
final class DeploymentLock: Sendable {
    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// Takes the lock if it is free; `nil` when another process (or another run in this process) holds it.
    static func acquire(at url: URL) throws -> DeploymentLock? {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ProvisionError(.workspace, "cannot open the lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            close(fd)
            if busy { return nil }
            throw ProvisionError(.workspace, "cannot lock \(url.path): \(String(cString: strerror(errno)))")
        }
        return DeploymentLock(descriptor: fd)
    }

    /// Records who holds the lock (read by ``holder(at:)``).
    func describe(_ holder: LockHolder) {
        guard let data = try? WorkspaceCoding.prettyData(holder) else { return }
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            ftruncate(fd, 0)
            _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Releases the lock (also done when the object goes away).
    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            ftruncate(fd, 0)
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    /// Who holds the lock, as recorded in the file; `nil` when the file says nothing (yet).
    static func holder(at url: URL) -> LockHolder? {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return nil }
        return try? WorkspaceCoding.decoder.decode(LockHolder.self, from: data)
    }
}
