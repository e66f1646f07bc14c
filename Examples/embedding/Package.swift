// swift-tools-version: 6.2
// An example of embedding the gateway toolkit in another Swift tool: it loads and validates a config
// with GatewayCore and renders its bundle with GatewayProvision. Build it from this directory with
// `swift build`; CI builds and runs it with scripts/build-embedding-example.sh.
import Foundation
import PackageDescription

// A path dependency is identified by its directory's name, which is whatever the checkout is called
// (gateway, main, a worktree...), so the name is taken from the path rather than written here.
let toolkitDirectory = URL(fileURLWithPath: Context.packageDirectory).appendingPathComponent("../..").standardizedFileURL
let toolkit = toolkitDirectory.lastPathComponent.lowercased()

let package = Package(
    name: "render-bundle",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "render-bundle",
            dependencies: [
                .product(name: "GatewayCore", package: toolkit),
                .product(name: "GatewayProvision", package: toolkit),
            ],
            swiftSettings: [.swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny")]
        )
    ]
)
