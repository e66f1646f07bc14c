// swift-tools-version: 6.2
// Benchmarks of the process runner, kept out of the main package graph (its own build directory).
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name, whatever the checkout is called.
let gatewayPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "runner-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "RunnerThroughput",
            dependencies: [.product(name: "GatewayCore", package: gatewayPackage)],
            swiftSettings: [.swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny")]
        )
    ]
)
