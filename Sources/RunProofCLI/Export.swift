import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofEvidence
import RunProofStore

/// `runproof export`: writes a run's trace as an NDJSON file that verifies offline.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a trace with its seals to an NDJSON file for offline verification.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Trace id, when the run has several traces.")
    var trace: String?

    @Option(name: .shortAndLong, help: "File to write.")
    var output: String

    @Flag(help: "Write a signed audit bundle: the trace, its seals, the evidence and governance answers.")
    var bundle = false

    @Option(help: "With --bundle, the Ed25519 private key (PEM) that signs it (default: the file named by RUNPROOF_KEY).")
    var key: String?

    @Option(help: "With --bundle, a step index whose content is left out (its leaf hash is kept); repeatable.")
    var redact: [Int] = []

    @Flag(help: "Replace the output file if it exists (whole: it is written beside it, then renamed over it).")
    var force = false

    func validate() throws {
        _ = try store.scope()
        if bundle && key == nil && (getenv("RUNPROOF_KEY").map { String(cString: $0).isEmpty } ?? true) {
            throw ValidationError("--bundle needs --key (or RUNPROOF_KEY)")
        }
        if !bundle && (key != nil || !redact.isEmpty) { throw ValidationError("--key and --redact go with --bundle") }
    }

    func run() throws {
        let scope = try store.scope()
        let db = try store.open()
        let chosen = try store.chooseTrace(in: db, trace: trace)
        if bundle, let signingKey = try signingKey(key) {
            let count = try BundleExporter.export(db, trace: chosen, to: output, key: signingKey, policy: store.outputPolicy(force: force), redact: Set(redact))
            print("wrote audit bundle of trace \(chosen.traceId) of run \(scope.run): \(count) steps (\(redact.count) redacted) to \(output)")
            return
        }
        let display = ProgressDisplay.start("export run \(chosen.runId)")
        defer { display?.finish() }
        let count = try Exporter.export(db, trace: chosen, to: output, policy: store.outputPolicy(force: force), progress: display?.progress)
        display?.finish()
        print("exported trace \(chosen.traceId) of run \(scope.run): \(count) steps to \(output)")
    }
}
