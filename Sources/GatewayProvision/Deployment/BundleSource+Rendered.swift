import Foundation
import GatewayCore

extension BundleSource {
    /// The bundle rendered from the config with ``BundleRenderer``.
    public static var rendered: BundleSource {
        BundleSource(description: "the bundle rendered from the config") { config, directory in
            try BundleRenderer.render(config).write(to: directory, force: false)
        }
    }
}
