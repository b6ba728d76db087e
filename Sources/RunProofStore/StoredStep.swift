import RunProofCore

/// A stored step made canonical once: what the sealer, the exporter, the verifier and proofs read from a store.
public struct StoredStep {
    /// The row's `step_index`, nil when it is not an integer.
    public var index: Int?
    /// The canonical step object, valid only during the callback.
    public var bytes: UnsafeRawBufferPointer
    /// `H(0x00 || bytes)`.
    public var leaf: Digest
    /// The leaf recorded for `index` at seal time, when asked for.
    public var recorded: Digest?
    /// The fields of the legacy root (docs/chain-v1.md 4).
    public var skillName: String?
    public var status: String?
}

extension TraceStore {
    /// Streams a trace's steps with `step_index >= from`, each canonicalized and leaf-hashed once, in index order as
    /// stored, gaps and all (the verifier classifies them). A step that cannot be canonicalized throws
    /// `StepEncodingError`, naming its field.
    public func forEachCanonicalStep(of trace: TraceRow, from: Int = 0, recordedLeaves: Bool = false,
                                     _ body: (StoredStep) throws -> Bool) throws {
        var encoder = StepEncoder()
        let hasher = SHA256()
        try forEachStep(of: trace, from: from, recordedLeaves: recordedLeaves) { value, recorded in
            try encoder.encode(value)
            return try encoder.bytes.withUnsafeBytes { bytes in
                try body(StoredStep(index: value(.stepIndex).int, bytes: bytes, leaf: Leaf.hash(bytes, with: hasher), recorded: recorded,
                                    skillName: value(.skillName).string, status: value(.status).string))
            }
        }
    }

    /// Streams the steps `from, from + 1, ...` without a gap, for what builds on them (sealing, proofs): a missing,
    /// repeated or negative index is `.integrity`.
    public func forEachContiguousStep(of trace: TraceRow, from: Int = 0, _ body: (StoredStep) throws -> Bool) throws {
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
