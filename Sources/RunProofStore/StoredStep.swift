import RunProofCore

/// A stored step made canonical once: what the sealer, the exporter, the verifier and proofs read from a store.
package struct StoredStep {
    /// The row's `step_index`, nil when it is not an integer.
    package var index: Int?
    /// The canonical step object, valid only during the callback.
    package var bytes: UnsafeRawBufferPointer
    /// `H(0x00 || bytes)`.
    package var leaf: Digest
    /// The leaf recorded for `index` at seal time, when asked for.
    package var recorded: Digest?
    /// The step's line of the legacy root (docs/chain-v1.md 4), `index:skill_name:status`, nil when either field is
    /// null; valid only during the callback.
    package var legacyLine: UnsafeRawBufferPointer?
}

extension TraceStore {
    /// Streams a trace's steps with `step_index >= from`, each canonicalized and leaf-hashed once, in index order as
    /// stored, gaps and all (the verifier classifies them). A step that cannot be canonicalized throws
    /// `StepEncodingError`, naming its field. With `workers`, rows are copied in batches and made ready on that many
    /// threads (`RowBatch`); `body` still sees them in order, on this thread.
    package func forEachCanonicalStep(of trace: TraceRow, from: Int = 0, recordedLeaves: Bool = false, workers: Int = 0,
                                     _ body: (StoredStep) throws -> Bool) throws {
        if workers > 0 { return try RowBatch.stream(self, trace: trace, from: from, recordedLeaves: recordedLeaves, workers: workers, body) }
        var preparer = StepPreparer()
        try forEachStep(of: trace, from: from, recordedLeaves: recordedLeaves) { value, recorded in
            let (index, leaf, hasLegacy) = try preparer.prepare(value)
            return try preparer.encoder.bytes.withUnsafeBytes { bytes in
                try preparer.legacy.withUnsafeBytes { line in
                    try body(StoredStep(index: index, bytes: bytes, leaf: leaf, recorded: recorded, legacyLine: hasLegacy ? line : nil))
                }
            }
        }
    }

    /// Streams the steps `from, from + 1, ...` without a gap, for what builds on them (sealing, proofs): a missing,
    /// repeated or negative index is `.integrity`.
    package func forEachContiguousStep(of trace: TraceRow, from: Int = 0, _ body: (StoredStep) throws -> Bool) throws {
        var expected = from
        try forEachCanonicalStep(of: trace, from: from) { step in
            guard step.index == expected else {
                throw RunProofError(.integrity, "trace \(trace.traceId): step \(expected) is missing or out of order (the next row has step_index \(step.index.map(String.init) ?? "null")); verify the run")
            }
            expected += 1
            return try body(step)
        }
    }
}

extension SealStream {
    /// A trace's seals as a store keeps them: `count` seal rows read by `nextRow` (nil after the last; it is not
    /// called again), then the closing seal, once, when there is one. `latest` is the latest seal row's seal.
    init(rows count: Int, latest: Seal?, closing: Seal?, nextRow: @escaping () throws -> Seal?) {
        var rowsDone = false, closingDue = closing
        self.init(count: count + (closing == nil ? 0 : 1), last: closing ?? latest) {
            if !rowsDone, let seal = try nextRow() { return seal }
            rowsDone = true
            defer { closingDue = nil }
            return closingDue
        }
    }
}

extension ChainVerifier {
    /// Consumes one stored step; a row without an integer step_index is rejected. False once nothing more is to be learned.
    func consume(_ step: StoredStep) -> Bool {
        guard let index = step.index else {
            reject(index: nil, reason: "step after \(expectedIndex - 1) has no integer step_index")
            return false
        }
        return consume(index: index, canonicalStep: step.bytes, leaf: step.leaf, recorded: step.recorded, legacyLine: step.legacyLine)
    }

    /// Records that a stored row could not be canonicalized, naming its field.
    func reject(_ error: StepEncodingError) {
        reject(index: error.stepIndex, reason: "step \(error.stepIndex.map(String.init) ?? "?") is not canonicalizable: field \(error.field): \(error.reason)")
    }
}

extension RunReport.Trace {
    /// The report of a trace whose header cannot be canonicalized: FAILED, under a header made of what could be read.
    static func unreadableHeader(_ trace: TraceRow, _ error: RunProofError, completedAt: String?) -> RunReport.Trace {
        let placeholder = TraceHeader(tenantId: trace.tenantId, runId: trace.runId, traceId: trace.traceId,
                                      correlationId: trace.correlationId ?? "", agentId: trace.agentId, plan: nil,
                                      startedAt: trace.startedAt ?? "")
        return RunReport.Trace(header: placeholder, verdict: Verdict(kind: .failed, reason: error.message, failureKind: .notCanonical),
                               status: trace.status, completedAt: completedAt)
    }
}

/// Makes one stored row ready: its canonical bytes, its leaf hash and its line of the legacy root.
struct StepPreparer {
    var encoder = StepEncoder()
    var legacy: [UInt8] = []
    private let hasher = SHA256()

    /// Encodes the row into `encoder.bytes` and its legacy line into `legacy`; returns its index, its leaf, and
    /// whether it has a legacy line.
    mutating func prepare(_ value: (StepField) -> FieldValue) throws(StepEncodingError) -> (Int?, Digest, Bool) {
        try encoder.encode(value)
        let leaf = encoder.bytes.withUnsafeBytes { Leaf.hash($0, with: hasher) }
        let (index, hasLegacy) = prepareLegacy(value)
        return (index, leaf, hasLegacy)
    }

    /// Encodes the row at the end of `out` (where a batch keeps its rows) and its legacy line into `legacy`; returns
    /// its index, its leaf, and whether it has a legacy line. After an error, `out` ends with part of the row.
    mutating func prepare(_ value: (StepField) -> FieldValue, appendingTo out: inout [UInt8]) throws(StepEncodingError) -> (Int?, Digest, Bool) {
        let start = out.count
        try encoder.encode(value, appendingTo: &out)
        let leaf = out.withUnsafeBytes { Leaf.hash(UnsafeRawBufferPointer(rebasing: $0[start...]), with: hasher) }
        let (index, hasLegacy) = prepareLegacy(value)
        return (index, leaf, hasLegacy)
    }

    private mutating func prepareLegacy(_ value: (StepField) -> FieldValue) -> (Int?, Bool) {
        let index = value(.stepIndex).int
        legacy.removeAll(keepingCapacity: true)
        let hasLegacy = index.map { legacy.append(contentsOf: String($0).utf8) } != nil
            && Self.appendLegacy(value(.skillName), to: &legacy) && Self.appendLegacy(value(.status), to: &legacy)
        return (index, hasLegacy)
    }

    /// Appends `:` and a field's text as the legacy root has it; false for null.
    private static func appendLegacy(_ value: FieldValue, to line: inout [UInt8]) -> Bool {
        line.append(UInt8(ascii: ":"))
        switch value {
        case .text(let bytes): line.append(contentsOf: bytes)
        case .null: return false
        default:
            guard let text = value.string else { return false }
            line.append(contentsOf: text.utf8)
        }
        return true
    }

}
