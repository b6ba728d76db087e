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

    @Option(help: "Signed checkpoint (from runproof checkpoint) to verify offline; needs --vkey.")
    var checkpoint: String?

    @Option(help: "With --checkpoint, the verifier key <name>+<hex id>+<base64> (runproof keygen prints it).")
    var vkey: String?

    @Option(help: "With --checkpoint, a witness's verifier key (runproof keygen prints it); repeatable.")
    var witness: [String] = []

    @Option(help: "With --witness, how many of the witnesses must have cosigned (default: all given).")
    var witnessQuorum: Int?

    @OptionGroup var store: StoreOptions
    @OptionGroup var trust: TrustOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "With --json, include the step objects (held in memory).")
    var steps = false

    @Flag(help: "With --db: verify every run (of --tenant, or of every tenant) in one pass; a line per trace, then a summary.")
    var all = false

    @Option(help: "With --all, only runs started at or after this time (ISO 8601).")
    var since: String?

    @Option(help: "Write a verification receipt (DSSE envelope of an in-toto Statement) to this new file; needs a key.")
    var receipt: String?

    @Option(help: "With --receipt, the Ed25519 private key (PEM) that signs it (default: the file named by RUNPROOF_KEY).")
    var key: String?

    @Flag(help: "With --receipt, replace the receipt file if it exists (whole, atomically).")
    var force = false

    func validate() throws {
        if all || since != nil {
            guard all, store.db != nil, store.run == nil, !steps, receipt == nil else {
                throw ValidationError("--all goes with --db (and --tenant, --since), without --run, --steps or --receipt")
            }
            if let since, (try? Timestamp.normalize(since)) == nil { throw ValidationError("--since is not an ISO 8601 time") }
            return
        }
        guard [file, proof, bundle, checkpoint, store.db].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --file, --bundle, --proof, --checkpoint and --db")
        }
        if checkpoint != nil && vkey == nil { throw ValidationError("--checkpoint needs --vkey") }
        if receipt != nil && (checkpoint != nil || proof != nil) { throw ValidationError("--receipt goes with --db, --file or --bundle") }
        if (key != nil || force) && receipt == nil { throw ValidationError("--key and --force go with --receipt") }
        if !witness.isEmpty || witnessQuorum != nil {
            guard checkpoint != nil else { throw ValidationError("--witness and --witness-quorum go with --checkpoint") }
            guard witness.allSatisfy({ WitnessKey(verifierKey: $0) != nil }) else { throw ValidationError("a --witness is not a witness verifier key") }
            guard (1 ... max(1, witness.count)).contains(witnessQuorum ?? max(1, witness.count)), !witness.isEmpty else {
                throw ValidationError("--witness-quorum must be between 1 and the number of --witness keys")
            }
        }
        if vkey != nil && checkpoint == nil && proof == nil { throw ValidationError("--vkey goes with --checkpoint or --proof (a tlog-proof)") }
        if let vkey, NoteKey(verifierKey: vkey) == nil {
            throw ValidationError("--vkey is not an Ed25519 verifier key (<name>+<8 hex digits>+<base64 of 0x01 and the key>)")
        }
        if bundle != nil && trust.pubkey == nil && trust.keyring == nil { throw ValidationError("--bundle needs --pubkey or --keyring") }
        if store.db != nil { _ = try store.scope() }
    }

    func run() throws {
        let policy = try trust.policy()
        if all { return try verifyAll(policy) }
        let collect = steps && output.json
        let report: RunReport
        if let checkpoint, let vkey, let key = NoteKey(verifierKey: vkey) {
            return try verifyCheckpoint(checkpoint, key)
        } else if let proof {
            return try verifyProof(proof, policy)
        } else if let bundle {
            report = try AuditBundle.verify(path: bundle, trust: policy)
        } else if let file {
            let display = ProgressDisplay.start("verify \(file)")
            defer { display?.finish() }
            report = try ExportFile.verify(path: file, trust: policy, collectSteps: collect, progress: display?.progress)
        } else {
            let scope = try store.scope()
            let display = ProgressDisplay.start("verify run \(scope.run)")
            defer { display?.finish() }
            report = try StoreVerifier.verify(try store.open(), tenant: scope.tenant, run: scope.run, trust: policy, collectSteps: collect,
                                              progress: display?.progress)
        }
        if let receipt {
            guard let signer = try signingKey(key) else { throw RunProofError(.usage, "--receipt needs --key (or RUNPROOF_KEY)") }
            let envelope = try Receipt.envelope(Receipt.statement(report), key: signer)
            try writeFile(Array((envelope.canonicalString + "\n").utf8), to: receipt,
                          policy: store.outputPolicy(force: force, reading: [file, bundle].compactMap { $0 }))
        }
        report.print(json: output.json, steps: steps)
        throw Exit.code(for: report.verdict.kind)
    }

    /// Verifies every run of the tenant (or of every tenant) in one pass; exit 1 if any trace FAILED.
    private func verifyAll(_ policy: TrustPolicy) throws {
        let display = ProgressDisplay.start("verify --all")
        var counts: [Verdict.Kind: Int] = [:]
        try BulkVerifier.verifyAll(try store.open(), tenant: store.tenant, since: since.map { try Timestamp.normalize($0) },
                                   trust: policy, progress: display?.progress) { trace in
            let v = trace.verdict
            counts[v.kind, default: 0] += 1
            display?.finish()
            if output.json {
                print(JSONValue.object(["tenant_id": .string(trace.header.tenantId), "run_id": .string(trace.header.runId),
                                        "trace_id": .string(trace.header.traceId), "proof": v.json]).canonicalString)
            } else {
                let detail = v.kind == .hashChain ? "\(v.chainLength) steps, \(v.sealCount) seal\(v.sealCount == 1 ? "" : "s")" : (v.reason ?? "")
                print("\(v.kind.rawValue)  tenant \(trace.header.tenantId) run \(trace.header.runId) trace \(trace.header.traceId): \(detail)")
            }
        }
        display?.finish()
        let total = counts.values.reduce(0, +)
        let summary = "\(total) trace\(total == 1 ? "" : "s") verified: \(counts[.hashChain] ?? 0) HASH_CHAIN, \(counts[.failed] ?? 0) FAILED, \(counts[.unsupported] ?? 0) UNSUPPORTED"
        if output.json {
            print(JSONValue.object(["summary": ["traces": JSONValue(total),
                                                "hash_chain": JSONValue(counts[.hashChain] ?? 0), "failed": JSONValue(counts[.failed] ?? 0),
                                                "unsupported": JSONValue(counts[.unsupported] ?? 0)]]).canonicalString)
        } else {
            print(summary)
        }
        if (counts[.failed] ?? 0) > 0 { throw Exit.code(for: .failed) }
    }

    /// Opens a signed checkpoint with one verifier key, as note verifiers do, and prints what it says.
    private func verifyCheckpoint(_ path: String, _ key: NoteKey) throws {
        let note = Array(try readText(path).utf8)
        guard let body = key.open(note) else {
            if output.json {
                print(JSONValue.object(["verified": false, "reason": .string("no valid signature by \(key.name) on the checkpoint")]).canonicalString)
            } else {
                print("FAILED  checkpoint \(path): no valid signature by \(key.name)")
            }
            throw Exit.code(for: .failed)
        }
        let witnesses = witness.compactMap { WitnessKey(verifierKey: $0) }
        let cosigned = witnesses.filter { $0.hasCosigned(note: note, body: body) }
        if !witnesses.isEmpty, cosigned.count < (witnessQuorum ?? witnesses.count) {
            let reason = "\(cosigned.count) of \(witnesses.count) witnesses cosigned; \(witnessQuorum ?? witnesses.count) required"
            if output.json { print(JSONValue.object(["verified": false, "reason": .string(reason)]).canonicalString) }
            else { print("FAILED  checkpoint \(path): \(reason)") }
            throw Exit.code(for: .failed)
        }
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let origin = lines.first.map(String.init) ?? ""
        let size = lines.count > 1 ? String(lines[1]) : ""
        let root = lines.count > 2 ? Base64.decode(String(lines[2])).flatMap { Digest(bytes: $0)?.hex } : nil
        if output.json {
            print(JSONValue.object(["verified": true, "origin": .string(origin), "size": Int(size).map { JSONValue($0) } ?? .null,
                                    "root_hash": JSONValue(root), "key_name": .string(key.name),
                                    "witnesses": .array(cosigned.map { .string($0.name) })]).canonicalString)
        } else {
            print("VERIFIED  checkpoint \(origin) size \(size) root \(root ?? "?") (signed by \(key.name)\(cosigned.isEmpty ? "" : "; cosigned by \(cosigned.map(\.name).joined(separator: ", "))"))")
        }
    }

    private func verifyProof(_ path: String, _ policy: TrustPolicy) throws {
        let bytes = try readText(path)
        if TlogProof.isTlogProof(Array(bytes.utf8)) {
            let verdict = TlogProof.verify(Array(bytes.utf8), verifierKey: vkey.flatMap { NoteKey(verifierKey: $0) }, publicKey: policy.publicKey)
            let failed = verdict.kind == .failed || (policy.requireSignature && !verdict.authenticity.isChecked)
            RunReport(runId: "", traces: [], emptyVerdict: failed && verdict.kind != .failed
                ? Verdict(kind: .failed, reason: "the checkpoint's signature is required but no --vkey or --pubkey was given", failureKind: .signature)
                : verdict).print(json: output.json, steps: false)
            throw Exit.code(for: failed ? .failed : verdict.kind)
        }
        let verdict: Verdict
        var header: TraceHeader?
        if let json = try? JSONValue(parsing: bytes), json["format"]?.string == TenantLogProof.consistencyFormat {
            guard let key = vkey.flatMap({ NoteKey(verifierKey: $0) }) else { throw RunProofError(.usage, "a tenant-log consistency proof needs --vkey") }
            let verdict = TenantLogProof.verifyConsistency(json, key: key)
            RunReport(runId: "", traces: [], emptyVerdict: verdict).print(json: output.json, steps: false)
            throw Exit.code(for: verdict.kind)
        }
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
