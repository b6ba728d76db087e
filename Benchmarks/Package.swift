// swift-tools-version:6.1
// Benchmarks live in their own package so the root build and tests stay fast.
import PackageDescription

let package = Package(
    name: "RunProofBenchmarks",
    dependencies: [
        .package(name: "RunProof", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ChainBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RunProofCore", package: "RunProof"),
                .product(name: "RunProofStore", package: "RunProof"),
                .product(name: "RunProofSamples", package: "RunProof"),
            ],
            path: "Benchmarks/ChainBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Builds the million-step, seal-per-step fixtures of Scripts/bench-seals in a store.
        .executableTarget(
            name: "SealedTraceFixture",
            dependencies: [
                .product(name: "RunProofCore", package: "RunProof"),
                .product(name: "RunProofStore", package: "RunProof"),
                .product(name: "RunProofSamples", package: "RunProof"),
            ],
            path: "Sources/SealedTraceFixture"
        ),
    ]
)
