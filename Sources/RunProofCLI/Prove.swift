import ArgumentParser
import RunProofCore
import RunProofStore

extension RunProofCommand {
    /// `runproof prove`: a small standalone proof that steps are in a signed seal, or that one seal extends another.
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an RFC 9162 inclusion proof of steps, or a consistency proof between two seals.",
            discussion: "The trace is streamed once and checked against the seal before the proof is written.")

        @Option(help: "Export file (NDJSON) to prove from.")
        var file: String?

        @OptionGroup var store: StoreOptions

        @OptionGroup var choice: TraceChoice

        @Option(name: .customLong("step"), help: "Step index to prove (repeatable).")
        var steps: [Int] = []

        @Option(name: .customLong("consistency"), parsing: .upToNextOption, help: "Two chain lengths A B: prove the seal at B extends the seal at A.")
        var consistency: [Int] = []

        @Option(help: "Chain length of the seal to prove against (default: the latest seal).")
        var sealLength: Int?

        @OptionGroup var destination: OutputFileOptions

        @Option(help: "Proof format: json (runproof/inclusion-v1, consistency-v1) or tlog-proof (c2sp.org/tlog-proof, one --step).")
        var format: ProofFormat = .json

        enum ProofFormat: String, ExpressibleByArgument { case json, tlogProof = "tlog-proof" }

        @Flag(help: "Prove against the tenant log: --run R (a tlog-proof that its closing seal is logged) or --consistency A B.")
        var tenantLog = false

        func validate() throws {
            if tenantLog {
                guard store.db != nil, store.tenant != nil, steps.isEmpty, (store.run == nil) != consistency.isEmpty,
                      consistency.isEmpty || consistency.count == 2 else {
                    throw ValidationError("--tenant-log takes --db and --tenant, with --run R or --consistency A B")
                }
                return
            }
            guard (file == nil) != (store.db == nil) else { throw ValidationError("give exactly one of --file and --db") }
            if store.db != nil { _ = try store.scope() }
            guard steps.isEmpty != consistency.isEmpty else { throw ValidationError("give --step N or --consistency A B") }
            if !consistency.isEmpty && consistency.count != 2 { throw ValidationError("--consistency takes two chain lengths") }
            if format == .tlogProof && steps.count != 1 { throw ValidationError("--format tlog-proof proves one --step") }
        }

        func run() throws {
            if tenantLog, let tenant = store.tenant { return try proveTenantLog(tenant) }
            let (header, seals, stream) = try source()
            func seal(at length: Int?) throws -> Seal {
                guard let seal = try seals(length) else {
                    throw RunProofError(.usage, length.map { "no seal at chain_length \($0)" } ?? "the trace has no seal")
                }
                return seal
            }
            let builder = consistency.isEmpty
                ? try ProofFile.Builder(header: header, seal: seal(at: sealLength), steps: steps)
                : try ProofFile.Builder(header: header, first: seal(at: consistency[0]), second: seal(at: consistency[1]))
            let wanted = Set(steps)
            try stream { index, leaf, canonical in
                builder.add(leaf: leaf, step: wanted.contains(index) ? try canonical().map { try JSONValue(parsing: $0) } : nil)
                return builder.needsMore
            }
            let proof = try builder.proof()
            if format == .tlogProof, case .array(let entries)? = proof["entries"], let entry = entries.first {
                guard let step = entry["step"] else { throw RunProofError(.usage, "step \(steps[0]) is redacted: a tlog-proof carries the step") }
                guard case .array(let items)? = entry["path"] else { throw RunProofError(.internal, "inclusion proof without a path") }
                let path = items.compactMap { $0.string.flatMap { Digest(hex: $0) } }
                let text = try TlogProof.render(step: step.canonicalBytes, index: steps[0], path: path, seal: try seal(at: sealLength))
                try save(Array(text.utf8))
                print("wrote tlog-proof of step \(steps[0]) to \(destination.path)")
                return
            }
            try save(proof.canonicalBytes + [0x0A])
            print("wrote \(consistency.isEmpty ? "inclusion proof of step\(steps.count == 1 ? "" : "s") \(steps.sorted().map(String.init).joined(separator: ", "))" : "consistency proof \(consistency[0]) -> \(consistency[1])") to \(destination.path)")
        }

        /// Proofs against the tenant log: a run's inclusion (tlog-proof), or consistency between two of its checkpoints.
        private func proveTenantLog(_ tenant: String) throws {
            let db = try store.open()
            if consistency.count == 2 {
                let proof = try TenantLog.consistencyProof(db, tenant: tenant, first: consistency[0], second: consistency[1])
                try save(proof.canonicalBytes + [0x0A])
                return print("wrote tenant-log consistency proof \(consistency[0]) -> \(consistency[1]) to \(destination.path)")
            }
            guard let run = store.run else { return }
            let chosen = try choice.chosen(in: db, of: store)
            try save(Array(try TenantLog.inclusionProof(db, tenant: tenant, trace: chosen.traceId).utf8))
            print("wrote tlog-proof that run \(run) (trace \(chosen.traceId)) is in the tenant log of \(tenant) to \(destination.path)")
        }

        /// Writes the proof whole: never over an existing file unless --force, never over the file or database being read.
        private func save(_ bytes: [UInt8]) throws {
            try writeFile(bytes, to: destination.path, policy: store.outputPolicy(force: destination.force, reading: [file].compactMap { $0 }))
        }

        typealias LeafStream = ((Int, Digest, () throws -> [UInt8]?) throws -> Bool) throws -> Void

        /// The seal at a chain length (the latest for nil), found by streaming the seals.
        typealias SealLookup = (Int?) throws -> Seal?

        /// The header, the seal lookup and a stream of (index, leaf, step bytes) of the chosen trace.
        private func source() throws -> (TraceHeader, SealLookup, LeafStream) {
            if let file {
                let reader = try ExportReader(path: file)
                return (reader.header, reader.seal(at:), { body in
                    try reader.forEachStep { step in
                        switch step {
                        case let .full(index, canonical, _):
                            return try body(index, Leaf.hash(canonical), { Array(canonical) })
                        case let .redacted(index, leaf):
                            return try body(index, leaf, { nil })
                        case .leafRecord:
                            return true
                        }
                    }
                })
            }
            let db = try store.open()
            let chosen = try choice.chosen(in: db, of: store)
            return (try chosen.header(), { length in
                try db.withReadSnapshot {
                    let stream = try db.sealStream(of: chosen)
                    guard let length else { return stream.last }
                    while let seal = try stream.next(), seal.chainLength <= length {
                        if seal.chainLength == length { return seal }
                    }
                    return nil
                }
            }, { body in
                try db.forEachContiguousStep(of: chosen) { step in try body(step.index!, step.leaf, { Array(step.bytes) }) }
            })
        }
    }
}
