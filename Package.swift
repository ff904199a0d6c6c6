// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "varde",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "varde", targets: ["varde"]),
        .executable(name: "varde-bench", targets: ["varde-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "VardeCore",
            swiftSettings: swiftSettings
        ),
        // The patient simulator's model: fleet, deteriorations, readings, the rules as
        // written, the report. Pure and seeded: no clock, no system randomness, no I/O.
        .target(
            name: "VardeSimulator",
            dependencies: ["VardeCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VardeAuth",
            dependencies: [
                "VardeCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VardeStore",
            dependencies: [
                "VardeCore",
                "CLibPQ",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VardeTestSupport",
            dependencies: ["VardeStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VardeHTTP",
            dependencies: [
                "VardeCore",
                "VardeStore",
                "VardeAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The API description, served byte for byte at /openapi.yaml, and the web app's
            // pages and files (/app/). SwiftPM puts them in varde_VardeHTTP.resources beside
            // the binary: install that folder with `varde`.
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/webapp")],
            swiftSettings: swiftSettings
        ),
        // What `varde` and `varde-bench` share: database options, logging, error reporting.
        .target(
            name: "VardeCLI",
            dependencies: [
                "VardeHTTP",
                "VardeStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "varde",
            dependencies: [
                "VardeCore",
                "VardeStore",
                "VardeAuth",
                "VardeHTTP",
                "VardeCLI",
                "VardeSimulation",
                "VardeSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `varde simulate`: drives the real application (or a running server) over HTTP
        // with the simulator's fleet and writes the clinical-safety report.
        .target(
            name: "VardeSimulation",
            dependencies: [
                "VardeSimulator", "VardeCore", "VardeStore", "VardeAuth", "VardeHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks, kept out of the production binary.
        .executableTarget(
            name: "varde-bench",
            dependencies: [
                "VardeSimulation",
                "VardeSimulator",
                "VardeCore",
                "VardeStore",
                "VardeAuth",
                "VardeHTTP",
                "VardeCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "VardeCoreTests", dependencies: ["VardeCore"], swiftSettings: swiftSettings),
        .testTarget(name: "VardeSimulatorTests", dependencies: ["VardeSimulator", "VardeCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "VardeSimulationTests",
            dependencies: ["VardeSimulation", "VardeSimulator", "VardeCore", "VardeStore", "VardeHTTP", "VardeTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "VardeAuthTests", dependencies: ["VardeAuth"], swiftSettings: swiftSettings),
        .testTarget(
            name: "VardeCLITests", dependencies: ["VardeCLI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "VardeStoreTests",
            dependencies: [
                "VardeStore", "VardeCore", "VardeTestSupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VardeHTTPTests",
            dependencies: [
                "VardeHTTP", "VardeStore", "VardeCore", "VardeAuth", "VardeTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // Run by OpenAPITests with the venv's Python (deploy/python-tools.sh).
            exclude: ["Support/validate_responses.py"],
            swiftSettings: swiftSettings
        ),
    ]
)
