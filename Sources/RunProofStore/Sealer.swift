import RunProofCore

/// What sealing one trace did.
public struct SealOutcome: Sendable {
    public var trace: TraceRow
    /// The chain length of the latest seal before, and after.
    public var fromLength: Int
    public var toLength: Int
    /// The new seal, nil when there was nothing new to seal.
    public var seal: Seal?
    /// The closing seal written now, when the trace is finished (docs/chain-v1.md 5.1).
    public var closing: Seal?
    /// Whether the trace is closed (now or before).
    public var closed: Bool
    /// Step rows read to build it.
    public var rowsRead: Int
}

/// Seals traces incrementally: resumes from the latest seal's head and Merkle frontier and reads only newer steps.
public enum Sealer {
    /// Seals every trace of a tenant's run.
    public static func seal(_ store: any TraceStore, tenant: String, run: String, key: SigningKey?,
                            keyName: String = Checkpoint.defaultKeyName, progress: Progress? = nil) throws -> [SealOutcome] {
        let traces = try store.traces(tenant: tenant, run: run)
        guard !traces.isEmpty else { throw RunProofError(.notFound, "No trace found for run") }
        return try traces.map { try seal(store, trace: $0, key: key, keyName: keyName, progress: progress) }
    }

    /// Seals every trace, of any tenant, that has steps beyond its latest seal, reading the traces a page at a time
    /// and handing each outcome to `body` as it is made: memory does not grow with the number of traces. Returns how
    /// many traces were sealed.
    @discardableResult
    public static func sealAll(_ store: any TraceStore, key: SigningKey?, keyName: String = Checkpoint.defaultKeyName,
                               progress: Progress? = nil, pageSize: Int = 1000,
                               _ body: (SealOutcome) throws -> Void = { _ in }) throws -> Int {
        try store.requireSealTables(for: "seal")
        var count = 0
        var after: TraceRow?
        while true {
            let page = try store.tracesWithUnsealedSteps(after: after, limit: pageSize)
            for trace in page {
                try body(try seal(store, trace: trace, key: key, keyName: keyName, progress: progress))
                count += 1
            }
            guard page.count == pageSize, let last = page.last else { return count }
            after = last
        }
    }

    /// Seals one trace under its seal lock; a concurrent sealer's seal is built upon, never forked.
    /// A finished trace is also closed; a closed trace is never extended (`.integrity` when steps were appended).
    public static func seal(_ store: any TraceStore, trace: TraceRow, key: SigningKey?, keyName: String = Checkpoint.defaultKeyName,
                            sealedAt: String? = nil, progress: Progress? = nil) throws -> SealOutcome {
        try store.requireSealTables(for: "seal")
        let header = try trace.header()
        return try store.withSealLock(trace) {
            let rowsBefore = store.rowsRead
            if let closure = try store.closure(of: trace) {
                var appended = 0
                try store.forEachStep(of: trace, from: closure.chainLength) { _ in appended += 1; return false }
                guard appended == 0 else {
                    throw RunProofError(.integrity, "trace \(trace.traceId) was closed at chain_length \(closure.chainLength), but steps were appended after it; verify the run")
                }
                return SealOutcome(trace: trace, fromLength: closure.chainLength, toLength: closure.chainLength, seal: nil,
                                   closing: nil, closed: true, rowsRead: store.rowsRead - rowsBefore)
            }
            let latest = try store.latestSeal(of: trace)
            let builder: ChainBuilder
            if let latest {
                let seal = latest.seal
                guard seal.genesis == header.genesis, seal.runId == header.runId, seal.tenantId == header.tenantId else {
                    throw RunProofError(.integrity, "the latest seal of trace \(trace.traceId) does not belong to its header; verify the trace")
                }
                builder = try ChainBuilder(resuming: ChainState(head: seal.head, length: seal.chainLength, frontier: latest.frontier))
                guard builder.merkleRoot == seal.merkleRoot else {
                    throw RunProofError(.integrity, "the stored Merkle frontier of trace \(trace.traceId) does not match its seal")
                }
            } else {
                builder = ChainBuilder(genesis: header.genesis)
            }
            let from = builder.length
            var leaves: [Digest] = []
            do {
                try store.forEachContiguousStep(of: trace, from: from) { step in
                    progress?.advance()
                    builder.append(leaf: step.leaf)
                    leaves.append(step.leaf)
                    return true
                }
            } catch let error as StepEncodingError {
                throw RunProofError(.nonCanonical, "cannot seal trace \(trace.traceId): \(error)")
            }
            let read = store.rowsRead - rowsBefore
            var outcome = SealOutcome(trace: trace, fromLength: from, toLength: from, seal: nil, closing: nil, closed: false, rowsRead: read)
            var last = latest?.seal
            if builder.length > from {
                var seal = Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot,
                                sealedAt: sealedAt ?? Timestamp.now())
                if let key { try seal.sign(with: key, keyName: keyName) }
                try store.insert(StoredSeal(seal: seal, frontier: builder.state.frontier))
                try store.insertLeaves(traceId: trace.traceId, from: from, leaves)
                outcome.seal = seal
                outcome.toLength = builder.length
                last = seal
            }
            if trace.isFinished, let last {
                var closing = last.closing(sealedAt: sealedAt ?? Timestamp.now())
                if let key { try closing.sign(with: key, keyName: keyName) }
                try store.insertClosure(closing)
                try TenantLog.append(store, closing: closing, key: key, keyName: keyName)
                outcome.closing = closing
                outcome.closed = true
            }
            return outcome
        }
    }
}

/// Writes a trace from a store to an export file.
public enum Exporter {
    /// Streams a trace's header, steps and seals to `path`; steps in `redact` keep only their leaf hash.
    /// `trailer` writes whatever follows the seals (a bundle's evidence, governance and signature).
    /// Returns the number of steps written.
    @discardableResult
    public static func export(_ store: any TraceStore, trace: TraceRow, to path: String, policy: OutputPolicy = OutputPolicy(),
                              redact: Set<Int> = [], progress: Progress? = nil,
                              trailer: (ExportWriter) throws -> Void = { _ in }) throws -> Int {
        // One snapshot: the seals written are those of the steps written, whatever a sealer does meanwhile.
        try store.withReadSnapshot {
            try exportSnapshot(store, trace: trace, to: path, policy: policy, redact: redact, progress: progress, trailer: trailer)
        }
    }

    private static func exportSnapshot(_ store: any TraceStore, trace: TraceRow, to path: String, policy: OutputPolicy,
                                       redact: Set<Int>, progress: Progress?, trailer: (ExportWriter) throws -> Void) throws -> Int {
        let header = try trace.header()
        let writer = try ExportWriter(path: path, header: header, policy: policy)
        var count = 0
        // Steps go out in blocks, each preceded by the leaf record of its steps (docs/chain-v1.md 7).
        var block: [(index: Int?, line: [UInt8], recorded: Digest?)] = []
        func flush() throws {
            for run in leafRuns(block.map { ($0.index, $0.recorded) }) { try writer.writeLeafRecord(from: run.from, leaves: run.leaves) }
            for row in block { try writer.write(canonicalStep: row.line) }
            block.removeAll(keepingCapacity: true)
        }
        do {
            try store.forEachCanonicalStep(of: trace, recordedLeaves: true) { step in
                if let index = step.index, redact.contains(index) {
                    block.append((index, JSONValue.object(["leaf": .string(step.leaf.hex), "step_index": JSONValue(index)]).canonicalBytes, step.recorded))
                } else {
                    block.append((step.index, Array(step.bytes), step.recorded))
                }
                if block.count == ExportFile.leafRecordBlock { try flush() }
                count += 1
                progress?.advance()
                return true
            }
        } catch let error as StepEncodingError {
            throw RunProofError(.nonCanonical, "cannot export trace \(trace.traceId): \(error)")
        }
        try flush()
        let seals = try store.sealStream(of: trace)
        while let seal = try seals.next() { try writer.write(seal: seal) }
        try trailer(writer)
        try writer.close()
        return count
    }

    /// The runs of consecutive indexes with a recorded leaf in one block, at most four (the rest are left out).
    static func leafRuns(_ rows: [(index: Int?, recorded: Digest?)]) -> [(from: Int, leaves: [Digest])] {
        var runs: [(from: Int, leaves: [Digest])] = []
        for row in rows {
            guard let index = row.index, let leaf = row.recorded else { continue }
            if let last = runs.last, last.from + last.leaves.count == index {
                runs[runs.count - 1].leaves.append(leaf)
            } else if runs.last.map({ index >= $0.from + $0.leaves.count }) ?? true {
                runs.append((index, [leaf]))
            }
        }
        return Array(runs.sorted { $0.leaves.count > $1.leaves.count }.prefix(4)).sorted { $0.from < $1.from }
    }
}
