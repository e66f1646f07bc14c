import Foundation
import GatewayCore

/// How a run gets the deployment's bundle (the terraform project under `terraform/`, the packer
/// template under `packer/`).
public struct BundleSource: Sendable {
    /// Writes the bundle for a config into an empty directory.
    public typealias Writer = @Sendable (_ config: GatewayConfig, _ directory: URL) throws -> Void

    let write: Writer
    /// Describes the source in run logs.
    public let description: String

    /// A source that writes the bundle with `writer` (for example the renderer).
    public init(description: String, writer: @escaping Writer) {
        self.description = description
        self.write = writer
    }

    /// A bundle rendered before (`gw-cli render --out DIR`), possibly reviewed or adjusted; it is
    /// copied as it is and the config is not rendered again.
    public static func directory(_ url: URL) -> BundleSource {
        BundleSource(description: "the bundle in \(url.path)") { _, target in
            let terraform = url.appendingPathComponent("terraform")
            let packer = url.appendingPathComponent("packer")
            guard FileManager.default.fileExists(atPath: terraform.path) || FileManager.default.fileExists(atPath: packer.path) else {
                throw ProvisionError(.notFound, "\(url.path) is not a bundle: it has neither terraform/ nor packer/ (render one first)")
            }
            let items = try FileManager.default.contentsOfDirectory(atPath: url.path)
            for item in items where item != ".terraform" {
                try FileManager.default.copyItem(at: url.appendingPathComponent(item), to: target.appendingPathComponent(item))
            }
        }
    }
}
