import RunProofCore

/// What sealing one trace did.
public struct SealOutcome: Sendable {
    public var trace: TraceRow
    /// The chain length of the latest seal before, and after.
    public var fromLength: Int
    public var toLength: Int
    /// The new seal, nil when there was nothing new to seal.
    public var seal: Seal?
    /// Step rows read to build it.
    public var rowsRead: Int
}

/// Seals traces incrementally: resumes from the latest seal's head and Merkle frontier and reads only newer steps.
public enum Sealer {
    /// Seals every trace of a tenant's run.
    public static func seal(_ store: any TraceStore, tenant: String, run: String, key: SigningKey?) throws -> [SealOutcome] {
        let traces = try store.traces(tenant: tenant, run: run)
        guard !traces.isEmpty else { throw RunProofError(.notFound, "No trace found for run") }
        return try traces.map { try seal(store, trace: $0, key: key) }
    }

    /// Seals every trace, of any tenant, that has steps beyond its latest seal.
    public static func sealAll(_ store: any TraceStore, key: SigningKey?) throws -> [SealOutcome] {
        try store.tracesWithUnsealedSteps().map { try seal(store, trace: $0, key: key) }
    }

    /// Seals one trace under its seal lock; a concurrent sealer's seal is built upon, never forked.
    public static func seal(_ store: any TraceStore, trace: TraceRow, key: SigningKey?, sealedAt: String? = nil) throws -> SealOutcome {
        let header = try trace.header()
        return try store.withSealLock(trace) {
            let rowsBefore = store.rowsRead
            let latest = try store.seals(of: trace).last
            let builder: ChainBuilder
            if let latest {
                let seal = latest.seal
                guard seal.genesis == header.genesis, seal.runId == header.runId, seal.tenantId == header.tenantId else {
                    throw RunProofError(.conflict, "the latest seal of trace \(trace.traceId) does not belong to its header; verify the trace")
                }
                builder = try ChainBuilder(resuming: ChainState(head: seal.head, length: seal.chainLength, frontier: latest.frontier))
                guard builder.merkleRoot == seal.merkleRoot else {
                    throw RunProofError(.conflict, "the stored Merkle frontier of trace \(trace.traceId) does not match its seal")
                }
            } else {
                builder = ChainBuilder(genesis: header.genesis)
            }
            let from = builder.length
            var encoder = StepEncoder()
            var encodingError: StepEncodingError?
            try store.forEachStep(of: trace, from: from) { value in
                do { try encoder.encode(value) } catch let error as StepEncodingError { encodingError = error; return false }
                guard value(.stepIndex).int == builder.length else {
                    throw RunProofError(.malformed, "trace \(trace.traceId): step \(builder.length) is missing (next step_index \(value(.stepIndex).string ?? "null"))")
                }
                encoder.bytes.withUnsafeBytes { _ = builder.append(canonicalStep: $0) }
                return true
            }
            if let encodingError {
                throw RunProofError(.nonCanonical, "cannot seal trace \(trace.traceId): \(encodingError)")
            }
            let read = store.rowsRead - rowsBefore
            guard builder.length > from else {
                return SealOutcome(trace: trace, fromLength: from, toLength: from, seal: nil, rowsRead: read)
            }
            var seal = Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot,
                            sealedAt: sealedAt ?? Timestamp.now())
            if let key { try seal.sign(with: key) }
            try store.insert(StoredSeal(seal: seal, frontier: builder.state.frontier))
            return SealOutcome(trace: trace, fromLength: from, toLength: builder.length, seal: seal, rowsRead: read)
        }
    }
}

/// Writes a trace from a store to an export file.
public enum Exporter {
    /// Streams a trace's header, steps and seals to `path`; steps in `redact` keep only their leaf hash.
    /// `trailer` writes whatever follows the seals (a bundle's evidence, governance and signature).
    /// Returns the number of steps written.
    @discardableResult
    public static func export(_ store: any TraceStore, trace: TraceRow, to path: String, redact: Set<Int> = [],
                              trailer: (ExportWriter) throws -> Void = { _ in }) throws -> Int {
        let header = try trace.header()
        let writer = try ExportWriter(path: path, header: header)
        var encoder = StepEncoder()
        var count = 0
        try store.forEachStep(of: trace, from: 0) { value in
            do { try encoder.encode(value) } catch {
                throw RunProofError(.nonCanonical, "cannot export trace \(trace.traceId): \(error)")
            }
            if let index = value(.stepIndex).int, redact.contains(index) {
                try writer.writeRedacted(index: index, leaf: SHA256.hash([0] + encoder.bytes))
            } else {
                try writer.write(canonicalStep: encoder.bytes)
            }
            count += 1
            return true
        }
        for stored in try store.seals(of: trace) { try writer.write(seal: stored.seal) }
        try trailer(writer)
        try writer.close()
        return count
    }
}
