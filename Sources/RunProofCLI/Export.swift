import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofEvidence
import RunProofStore

extension RunProofCommand {
    /// `runproof export`: writes a run's trace as an NDJSON file that verifies offline.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a trace with its seals to an NDJSON file for offline verification.")

        @OptionGroup var store: StoreOptions

        @OptionGroup var choice: TraceChoice

        @Flag(help: "Write an audit bundle signed with --key: the trace, its seals, the evidence and governance answers.")
        var bundle = false

        @OptionGroup var signing: SigningOptions

        @Option(help: "With --bundle, a step index whose content is left out (its leaf hash is kept); repeatable.")
        var redact: [Int] = []

        @OptionGroup var destination: OutputFileOptions

        func validate() throws {
            _ = try store.scope()
            if bundle && signing.path == nil { throw ValidationError("--bundle needs --key (or RUNPROOF_KEY)") }
            if !bundle && (signing.key != nil || !redact.isEmpty) { throw ValidationError("--key and --redact go with --bundle") }
        }

        func run() throws {
            let scope = try store.scope()
            let db = try store.open()
            let chosen = try choice.chosen(in: db, of: store)
            let output = destination.path, policy = store.outputPolicy(force: destination.force)
            if bundle, let signingKey = try signing.signer() {
                let count = try BundleExporter.export(db, trace: chosen, to: output, key: signingKey, policy: policy, redact: Set(redact))
                print("wrote audit bundle of trace \(chosen.traceId) of run \(scope.run): \(count) steps (\(redact.count) redacted) to \(output)")
                return
            }
            let display = ProgressDisplay.start("export run \(chosen.runId)")
            defer { display?.finish() }
            let count = try Exporter.export(db, trace: chosen, to: output, policy: policy, progress: display?.progress)
            display?.finish()
            print("exported trace \(chosen.traceId) of run \(scope.run): \(count) steps to \(output)")
        }
    }
}
