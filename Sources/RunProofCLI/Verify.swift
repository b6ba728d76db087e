import ArgumentParser
import RunProofCore
import RunProofStore

extension RunProofCommand {
    /// `runproof verify`: recomputes a run's chains and checks them against their seals.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify a run and print its verdict: HASH_CHAIN, FAILED or UNSUPPORTED.")

        @Option(help: "Export file (NDJSON) to verify offline.")
        var file: String?

        @Option(help: "Proof file (from runproof prove) to verify offline.")
        var proof: String?

        @Option(help: "Audit bundle (from runproof export --bundle) to verify offline; needs --pubkey or --keyring.")
        var bundle: String?

        @Option(help: "Signed checkpoint (from runproof checkpoint) to verify offline; needs --vkey.")
        var checkpoint: String?

        @OptionGroup var notes: NoteTrustOptions

        @OptionGroup var store: StoreOptions
        @OptionGroup var trust: TrustOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "With --json, include the step objects (held in memory).")
        var steps = false

        @Flag(help: "With --db: verify every run (of --tenant, or of every tenant) in one pass; a line per trace, then a summary.")
        var all = false

        @Option(help: "With --all, only runs started at or after this time (ISO 8601).")
        var since: String?

        @OptionGroup var receipt: ReceiptOptions

        @Option(help: "With --file or --db: threads that canonicalize and hash steps (default: RUNPROOF_THREADS, else one per core, at most 8; 0: all on the thread that chains them, which with --file is one of the N).")
        var jobs: Int?

        func validate() throws {
            if let jobs, !(0 ... 64).contains(jobs) { throw ValidationError("--jobs must be between 0 and 64") }
            if jobs != nil && file == nil && store.db == nil { throw ValidationError("--jobs goes with --file or --db") }
            if all || since != nil {
                guard all, store.db != nil, store.run == nil, !steps, receipt.path == nil else {
                    throw ValidationError("--all goes with --db (and --tenant, --since), without --run, --steps or --receipt")
                }
                if let since, (try? Timestamp.normalize(since)) == nil { throw ValidationError("--since is not an ISO 8601 time") }
                return
            }
            guard [file, proof, bundle, checkpoint, store.db].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --file, --bundle, --proof, --checkpoint and --db")
            }
            if checkpoint != nil && notes.vkey == nil { throw ValidationError("--checkpoint needs --vkey") }
            if receipt.path != nil && (checkpoint != nil || proof != nil) { throw ValidationError("--receipt goes with --db, --file or --bundle") }
            if (receipt.signing.key != nil || receipt.force) && receipt.path == nil { throw ValidationError("--key and --force go with --receipt") }
            if notes.hasWitnesses && checkpoint == nil { throw ValidationError("--witness and --witness-quorum go with --checkpoint") }
            if notes.vkey != nil && checkpoint == nil && proof == nil { throw ValidationError("--vkey goes with --checkpoint or --proof (a tlog-proof)") }
            if bundle != nil && trust.pubkey == nil && trust.keyring == nil { throw ValidationError("--bundle needs --pubkey or --keyring") }
            if store.db != nil { _ = try store.scope() }
        }

        /// The threads that make steps ready: --jobs, else RUNPROOF_THREADS, else one per core.
        var workers: Int { jobs ?? ExportFile.workers }

        func run() throws {
            let policy = try trust.policy()
            if all { return try verifyAll(policy) }
            let collect = steps && output.json
            let report: RunReport
            if let checkpoint, let key = notes.key {
                return try verifyCheckpoint(checkpoint, key)
            } else if let proof {
                return try verifyProof(proof, policy)
            } else if let bundle {
                report = try AuditBundle.verify(path: bundle, trust: policy)
            } else if let file {
                let display = ProgressDisplay.start("verify \(file)")
                defer { display?.finish() }
                report = try ExportFile.verify(path: file, trust: policy, collectSteps: collect, workers: workers, progress: display?.progress)
            } else {
                let scope = try store.scope()
                let display = ProgressDisplay.start("verify run \(scope.run)")
                defer { display?.finish() }
                report = try StoreVerifier.verify(try store.open(), tenant: scope.tenant, run: scope.run, trust: policy, collectSteps: collect,
                                                  progress: display?.progress, workers: workers)
            }
            if let path = receipt.path {
                guard let signer = try receipt.signing.signer() else { throw RunProofError(.usage, "--receipt needs --key (or RUNPROOF_KEY)") }
                let envelope = try Receipt.envelope(Receipt.statement(report), key: signer)
                try writeFile(Array((envelope.canonicalString + "\n").utf8), to: path,
                              policy: store.outputPolicy(force: receipt.force, reading: [file, bundle].compactMap { $0 }))
            }
            report.print(json: output.json, steps: steps)
            throw Exit.code(for: report.verdict.kind)
        }
    }
}
