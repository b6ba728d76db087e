import ArgumentParser
import RunProofCore
import RunProofStore

/// `runproof verify`: recomputes a run's chains and checks them against their seals.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify a run and print its verdict: HASH_CHAIN, FAILED or UNSUPPORTED.")

    @Option(help: "Export file (NDJSON) to verify offline.")
    var file: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var trust: TrustOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "With --json, include the step objects (held in memory).")
    var steps = false

    func validate() throws {
        guard (file == nil) != (store.db == nil) else { throw ValidationError("give exactly one of --file and --db") }
        if store.db != nil { _ = try store.scope() }
    }

    func run() throws {
        try reportingErrors {
            let policy = try trust.policy()
            let collect = steps && output.json
            let report: RunReport
            if let file {
                report = try ExportFile.verify(path: file, trust: policy, collectSteps: collect)
            } else {
                let scope = try store.scope()
                report = try StoreVerifier.verify(try store.open(), tenant: scope.tenant, run: scope.run, trust: policy, collectSteps: collect)
            }
            report.print(json: output.json, steps: steps)
            throw Exit.code(for: report.verdict.kind)
        }
    }
}
