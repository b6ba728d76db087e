// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "RunProof",
    products: [
        .library(name: "RunProofCore", targets: ["RunProofCore"]),
        .library(name: "RunProofStore", targets: ["RunProofStore"]),
        .library(name: "RunProofEvidence", targets: ["RunProofEvidence"]),
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
        .executableTarget(
            name: "RunProofCLI",
            dependencies: [
                "RunProofCore", "RunProofStore", "RunProofEvidence",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RunProofCoreTests", dependencies: ["RunProofCore"]),
        .testTarget(name: "RunProofStoreTests", dependencies: ["RunProofStore", "RunProofCore"]),
        .testTarget(name: "RunProofEvidenceTests", dependencies: ["RunProofEvidence", "RunProofStore", "RunProofCore"]),
        .testTarget(name: "RunProofCLITests", dependencies: ["RunProofCore", "RunProofStore", "RunProofEvidence", "RunProofCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
