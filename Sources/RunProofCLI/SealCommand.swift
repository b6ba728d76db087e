import ArgumentParser
import RunProofCore
import RunProofStore

extension RunProofCommand {
    /// `runproof seal`: seals the steps of a trace not yet covered by a seal.
    struct SealCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seal",
            abstract: "Seal traces: record each chain's head and Merkle root, signed with --key.",
            discussion: """
            With --db, sealing is incremental: only steps after the latest seal are read. Without --key or RUNPROOF_KEY \
            the seal is unsigned.
            """)

        @Option(help: "Export file (NDJSON) to seal; the seal line is appended.")
        var file: String?

        @OptionGroup var store: StoreOptions

        @Flag(help: "With --db, seal every trace that has unsealed steps.")
        var all = false

        @OptionGroup var signing: SigningOptions

        @Option(help: "Key name in the checkpoint signature (signed note) of each seal.")
        var keyName = Checkpoint.defaultKeyName

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (file == nil) != (store.db == nil) else { throw ValidationError("give exactly one of --file and --db") }
            if store.db != nil && !all { _ = try store.scope() }
            if all && (store.db == nil || store.tenant != nil || store.run != nil) {
                throw ValidationError("--all goes with --db and without --tenant/--run")
            }
        }

        func run() throws {
            let signingKey = try signing.signer()
            if let file { return try sealFile(file, signingKey) }
            let db = try store.open()
            let display = ProgressDisplay.start(all ? "seal" : "seal run \(store.run ?? "")")
            defer { display?.finish() }
            if all {
                // Each trace's outcome is printed as it is sealed: nothing is held for the whole pass.
                let count = try Sealer.sealAll(db, key: signingKey, keyName: keyName, progress: display?.progress) { outcome in
                    display?.finish()
                    report(outcome)
                }
                if count == 0 && !output.json { print("no trace has unsealed steps") }
                return
            }
            let scope = try store.scope()
            let outcomes: [SealOutcome]
            do { outcomes = try Sealer.seal(db, tenant: scope.tenant, run: scope.run, key: signingKey, keyName: keyName, progress: display?.progress) }
            catch let error as RunProofError where error.code == .notFound {
                printError("runproof: \(error.message)")
                throw Exit.code(for: .unsupported)
            }
            display?.finish()
            outcomes.forEach(report)
        }

        /// Prints what sealing one trace did: a JSON line, or a sentence.
        private func report(_ outcome: SealOutcome) {
            if output.json {
                print(JSONValue.object([
                    "tenant_id": .string(outcome.trace.tenantId), "run_id": .string(outcome.trace.runId),
                    "trace_id": .string(outcome.trace.traceId), "from_length": JSONValue(outcome.fromLength),
                    "chain_length": JSONValue(outcome.toLength), "rows_read": JSONValue(outcome.rowsRead),
                    "seal": outcome.seal?.record ?? .null, "closing_seal": outcome.closing?.record ?? .null,
                    "closed": .bool(outcome.closed),
                ]).canonicalString)
            } else if let seal = outcome.seal {
                print("sealed run \(outcome.trace.runId) trace \(outcome.trace.traceId): steps \(outcome.fromLength)..<\(outcome.toLength) (\(outcome.rowsRead) rows read)\(seal.signature == nil ? ", unsigned" : ", key \(seal.keyId!)")")
            } else {
                print("run \(outcome.trace.runId) trace \(outcome.trace.traceId): already sealed at chain_length \(outcome.toLength)\(outcome.closed && outcome.closing == nil ? " and closed" : "")")
            }
            if outcome.closing != nil {
                print("closed run \(outcome.trace.runId) trace \(outcome.trace.traceId) at chain_length \(outcome.toLength): the trace is finished; nothing may be appended")
            }
        }

        private func sealFile(_ file: String, _ signingKey: SigningKey?) throws {
            let report = try ExportFile.verify(path: file, trust: TrustPolicy(publicKey: signingKey?.publicKey))
            let verdict = report.verdict
            guard let trace = report.traces.first, verdict.kind != .failed else {
                printError("runproof: refusing to seal: \(verdict.reason ?? verdict.kind.rawValue)")
                throw Exit.code(for: verdict.kind == .failed ? .failed : .unsupported)
            }
            guard verdict.chainLength > 0, let head = verdict.head, let root = verdict.merkleRoot else {
                printError("runproof: nothing to seal: \(verdict.reason ?? "trace has no steps")")
                throw Exit.code(for: .unsupported)
            }
            if verdict.sealCount > 0 && verdict.unsealedSteps == 0 {
                print("already sealed at chain_length \(verdict.chainLength)")
                return
            }
            var seal = Seal(header: trace.header, length: verdict.chainLength, head: head, merkleRoot: root)
            if let signingKey { try seal.sign(with: signingKey, keyName: keyName) }
            try ExportWriter.append(seal: seal, to: file)
            if output.json { print(seal.record.canonicalString) }
            else { print("sealed \(trace.header.runId) trace \(trace.header.traceId) at chain_length \(seal.chainLength)\(seal.signature == nil ? " (unsigned)" : " signed by \(seal.keyId!)")") }
        }
    }
}
