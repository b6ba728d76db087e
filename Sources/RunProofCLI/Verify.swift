import ArgumentParser
import RunProofCore
import RunProofStore

/// `runproof verify`: recomputes a run's chains and checks them against their seals.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify a run and print its verdict: HASH_CHAIN, FAILED or UNSUPPORTED.")

    @Option(help: "Export file (NDJSON) to verify offline.")
    var file: String?

    @Option(help: "Proof file (from runproof prove) to verify offline.")
    var proof: String?

    @Option(help: "Audit bundle (from runproof export --bundle) to verify offline; needs --pubkey or --keyring.")
    var bundle: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var trust: TrustOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "With --json, include the step objects (held in memory).")
    var steps = false

    func validate() throws {
        guard [file, proof, bundle, store.db].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --file, --bundle, --proof and --db")
        }
        if bundle != nil && trust.pubkey == nil && trust.keyring == nil { throw ValidationError("--bundle needs --pubkey or --keyring") }
        if store.db != nil { _ = try store.scope() }
    }

    func run() throws {
        try reportingErrors {
            let policy = try trust.policy()
            let collect = steps && output.json
            let report: RunReport
            if let proof {
                return try verifyProof(proof, policy)
            } else if let bundle {
                report = try AuditBundle.verify(path: bundle, trust: policy)
            } else if let file {
                report = try ExportFile.verify(path: file, trust: policy, collectSteps: collect)
            } else {
                let scope = try store.scope()
                report = try StoreVerifier.verify(try store.open(), tenant: scope.tenant, run: scope.run, trust: policy, collectSteps: collect)
            }
            report.print(json: output.json, steps: steps)
            throw Exit.code(for: report.verdict.kind)
        }
    }

    private func verifyProof(_ path: String, _ policy: TrustPolicy) throws {
        let bytes = try readText(path)
        let verdict: Verdict
        var header: TraceHeader?
        do {
            let proof = try JSONValue(parsing: bytes)
            header = try? TraceHeader(json: proof["header"] ?? .null)
            verdict = ProofFile.verify(proof, trust: policy)
        } catch {
            verdict = Verdict(kind: .failed, reason: "malformed proof: \(error)")
        }
        let report = header.map { RunReport(runId: $0.runId, traces: [RunReport.Trace(header: $0, verdict: verdict)]) }
            ?? RunReport(runId: "", traces: [], emptyVerdict: verdict)
        report.print(json: output.json, steps: false)
        throw Exit.code(for: report.verdict.kind)
    }
}
