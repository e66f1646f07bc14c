// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "gateway",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
        .library(name: "GatewayProvision", targets: ["GatewayProvision"]),
        .library(name: "GatewayNode", targets: ["GatewayNode"]),
        .executable(name: "gw-cli", targets: ["GatewayCLI"]),
        .executable(name: "gw-rest", targets: ["GatewayREST"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // TLS for gw-rest (BoringSSL, built from source); the version HummingbirdTLS resolves to.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // System library shim: libssl/libcrypto (OpenSSL 3) for SigV4 HMAC-SHA256 and SHA-256.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // System library shim: libcurl (OpenSSL flavour) for outbound HTTPS to AWS APIs.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "GatewayCore",
            dependencies: [
                "COpenSSL",
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "GatewayProvision",
            dependencies: [
                "GatewayCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GatewayNode",
            dependencies: [
                "GatewayCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "GatewayCLI",
            dependencies: [
                "GatewayCore", "GatewayProvision", "GatewayNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/gw-cli"
        ),
        .executableTarget(
            name: "GatewayREST",
            dependencies: [
                "GatewayCore", "GatewayProvision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/gw-rest"
        ),
        // Benchmarks of the AWS client and the CloudWatch publisher; run through Benchmarks/aws/run.sh.
        .executableTarget(
            name: "AWSBenchmarks",
            dependencies: ["GatewayCore", "GatewayNode", .product(name: "Metrics", package: "swift-metrics")],
            path: "Benchmarks/aws/AWSBenchmarks"
        ),
        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore"], resources: [.copy("Fixtures")]),
        // Golden files and Python helpers are read from the source tree by path, not bundled.
        .testTarget(name: "GatewayProvisionTests", dependencies: ["GatewayProvision", "GatewayCore"], exclude: ["Golden", "Fixtures"]),
        .testTarget(
            name: "GatewayNodeTests",
            dependencies: ["GatewayNode", "GatewayCore"],
            exclude: ["Support/get_load.py", "Support/s3_clients_check.py", "Support/orphan_guard.py", "Support/stream_clients.py", "Support/stream_backend.py"]
        ),
        .testTarget(name: "GatewayCLITests", dependencies: ["GatewayCLI", "GatewayCore"]),
        // Boots a node in a virtual machine (scripts/vm): slow, so the test command runs it on its own.
        .testTarget(name: "GatewayVMTests", dependencies: ["GatewayProvision", "GatewayCore"]),
        .testTarget(
            name: "GatewayRESTTests",
            dependencies: [
                "GatewayREST", "GatewayCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
