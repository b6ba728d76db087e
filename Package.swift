// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "RunProof",
    products: [
        .library(name: "RunProofCore", targets: ["RunProofCore"]),
        .library(name: "RunProofStore", targets: ["RunProofStore"]),
        .library(name: "RunProofEvidence", targets: ["RunProofEvidence"]),
        // Sample traces and the platform's linkage scenario, for the demo and the benchmarks (not for production use).
        .library(name: "RunProofSamples", targets: ["RunProofSamples"]),
        .executable(name: "runproof", targets: ["RunProofCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CRunProofCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CRunProofSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CRunProofPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "RunProofCore", dependencies: ["CRunProofCrypto"]),
        .target(name: "RunProofStore", dependencies: ["RunProofCore", "CRunProofSQLite", "CRunProofPQ"]),
        .target(name: "RunProofEvidence", dependencies: ["RunProofCore", "RunProofStore"]),
        .target(name: "RunProofSamples", dependencies: ["RunProofCore", "RunProofStore"]),
        .executableTarget(
            name: "RunProofCLI",
            dependencies: [
                "RunProofCore", "RunProofStore", "RunProofEvidence", "RunProofSamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What only the tests use: the test server's schemas and databases, psql, temporary folders, all cleaned up.
        .target(name: "RunProofTestSupport", dependencies: ["RunProofCore", "RunProofStore"], path: "Tests/RunProofTestSupport"),
        .testTarget(name: "RunProofCoreTests", dependencies: ["RunProofCore", "RunProofTestSupport"]),
        .testTarget(name: "RunProofStoreTests", dependencies: ["RunProofStore", "RunProofCore", "RunProofSamples", "RunProofTestSupport"]),
        .testTarget(name: "RunProofEvidenceTests",
                    dependencies: ["RunProofEvidence", "RunProofStore", "RunProofCore", "RunProofSamples", "RunProofTestSupport"]),
        .testTarget(name: "RunProofCLITests",
                    dependencies: ["RunProofCore", "RunProofStore", "RunProofEvidence", "RunProofSamples", "RunProofCLI", "RunProofTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
