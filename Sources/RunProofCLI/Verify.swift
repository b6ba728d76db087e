import ArgumentParser
import RunProofCore

/// `runproof verify`: recomputes a trace's chain and checks it against its seals.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify a trace and print its verdict: HASH_CHAIN, FAILED or UNSUPPORTED.")

    @Option(help: "Export file (NDJSON) to verify offline.")
    var file: String

    @OptionGroup var trust: TrustOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "With --json, include the step objects (held in memory).")
    var steps = false

    func run() throws {
        try reportingErrors {
            let report = try ExportFile.verify(path: file, trust: try trust.policy(), collectSteps: steps && output.json)
            report.print(json: output.json, steps: steps)
            throw Exit.code(for: report.verdict.kind)
        }
    }
}
