import Foundation
import GatewayCore

extension BundleSource {
    /// The bundle rendered from the config.
    public static var rendered: BundleSource {
        BundleSource(description: "the bundle rendered from the config") { _, _ in
            throw ProvisionError(.notFound, "rendering is not on this branch yet: give --bundle DIR")
        }
    }
}
