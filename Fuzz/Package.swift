// swift-tools-version:6.1
// Coverage-guided fuzzing of RunProof's readers with libFuzzer, in a package of its own so that the root
// build never needs the fuzzer runtime. Built and run by Scripts/fuzz (-sanitize=fuzzer,address).
import PackageDescription

let package = Package(
    name: "RunProofFuzz",
    dependencies: [.package(name: "RunProof", path: "..")],
    targets: [
        .executableTarget(
            name: "RunProofFuzz",
            dependencies: [.product(name: "RunProofCore", package: "RunProof")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
