import Foundation
import GatewayCore

/// Encrypts a secret into a systemd credential file with `systemd-creds encrypt` on this machine
/// (its TPM or host key), so the unit can load it with `LoadCredentialEncrypted=`. The plaintext only
/// passes through a private mode-0600 file under `/run` (memory), removed right after.
enum CredentialStep {
    /// The private directory for the plaintext while it is encrypted.
    static let stagingDirectory = "/run/gateway-node"

    static func encrypt(id: String, phase: NodePhase, title: String, credential: NodeCredential, field: String, secret: Secret, units: [String], root: HostRoot) -> NodeStep {
        let operation = StepOperation.encryptCredential(name: credential.name, path: credential.path, field: field, reference: secret.redactedReference)
        let staging = root.isSystem ? stagingDirectory : root.path(stagingDirectory)
        let command = ["systemd-creds", "encrypt", "--name=\(credential.name)", "\(staging)/<plaintext>", root.path(credential.path)]
        return NodeStep(id: id, phase: phase, title: title, operations: [operation, .run(command)], notes: ["decrypted and compared first; re-encrypted only when missing or different"]) { context in
            let path = context.root.path(credential.path)
            guard HostFiles.kind(path) == .file else { return false }
            guard HostFiles.mode(path) == 0o600 else { return false }
            let value = try context.secrets.value(for: field)
            // No redaction here: the decrypted value is compared in memory, never shown or stored.
            let output = try await context.probe(["systemd-creds", "decrypt", "--name=\(credential.name)", path, "-"])
            return output.succeeded && output.standardOutput == value
        } perform: { context in
            let value = try context.secrets.value(for: field)
            let target = context.root.path(credential.path)
            try HostFiles.makeDirectories(context.root.path(NodePaths.credentialDirectory), mode: 0o700)
            try HostFiles.makeDirectories(staging, mode: 0o700)
            try HostFiles.setAttributes(staging, mode: 0o700, owner: nil)
            let plaintext = "\(staging)/\(credential.name)-\(UUID().uuidString)"
            defer { unlink(plaintext) }
            try HostFiles.write(value, to: plaintext, mode: 0o600)
            let temporary = target + ".new"
            defer { unlink(temporary) }
            try await context.require(["systemd-creds", "encrypt", "--name=\(credential.name)", plaintext, temporary], redacting: [value])
            try HostFiles.setAttributes(temporary, mode: 0o600, owner: nil)
            guard rename(temporary, target) == 0 else {
                throw StepError.fileSystem(path: target, reason: String(cString: strerror(errno)))
            }
            for unit in units { context.journal.recordCredentialChange(for: unit) }
        }
    }
}
