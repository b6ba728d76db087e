/// What a verifier trusts and demands: keys, signatures, closing seals.
public struct TrustPolicy: Sendable {
    public var publicKey: PublicKey?
    /// When set, every seal must be signed by a key of the keyring valid at its `sealed_at`.
    public var keyring: Keyring?
    public var requireSignature: Bool
    /// Whether a finished trace (in an export file: any trace) must carry a closing seal.
    public var requireClosed: Bool

    public init(publicKey: PublicKey? = nil, keyring: Keyring? = nil, requireSignature: Bool = false, requireClosed: Bool = false) {
        self.publicKey = publicKey
        self.keyring = keyring
        self.requireSignature = requireSignature
        self.requireClosed = requireClosed
    }
}

/// Verifies one trace from a stream of steps and a stream of seals, in constant memory.
///
/// Each seal is checked as it is read (binding, order, signature), and the recomputed head and Merkle root
/// are compared with it when the chain reaches its length. A seal problem outranks any step problem
/// (docs/chain-v1.md 6.2); seals beyond the last step are still read and checked by `finish()`. Each row may
/// bring the leaf hash recorded for its index at seal time, which locates a change exactly (6.3); the seals stay
/// the authority.
package final class ChainVerifier {
    let header: TraceHeader
    let builder: ChainBuilder
    /// Merkle tree over the recorded leaves, while every position so far has one.
    var record: MerkleTree?
    let seals: SealStream
    /// The seal read ahead, not yet due; the seal read before it.
    var pendingSeal: Seal?
    var previousSeal: Seal?
    var sealsEnded = false
    var sealsRead = 0
    /// A seal that could not be read for another reason than its content (a broken connection): rethrown by `finish()`.
    var sealReadError: Error?
    let trust: TrustPolicy
    /// With a public key: the key every seal that names it must verify with.
    var sealKey: PublicKey?
    var sealProblem: SealProblem?
    let finished: Bool?
    /// The chain length of the last seal that matched.
    var lastGood = 0
    var verdict: Verdict
    let legacy = SHA256()
    var legacyValid = true
    var legacyRoot: Digest?

    /// A problem of the seals themselves. The lowest rank wins, whatever the steps; within a rank the first
    /// (or, for the signatures of one public key, the last) stands.
    struct SealProblem {
        enum Rank: Int { case malformed, binding, order, latestSignature, signature, checkpointSignature }
        var rank: Rank
        var index: Int?
        var kind: Verdict.FailureKind
        var reason: String
        var signature: Verdict.Signature?
    }

    /// A content change seen against the leaf record, waiting for a seal to confirm it and for rows to classify it.
    struct Candidate {
        enum Stage { case awaitingNext, searchingFar, done }
        var position: Int
        var recorded: Digest
        /// The row's canonical bytes (nil when redacted), to re-index it.
        var bytes: [UInt8]?
        var kind: Verdict.FailureKind?
        var stage = Stage.awaitingNext
    }
    var candidate: Candidate?
    /// An index that jumped past the expected one, waiting for the next row to say whether it is a reordering.
    var pendingGap: (expected: Int, index: Int, intact: Bool)?
    /// Set once the verdict, kind included, can no longer change.
    var settled = false

    /// Whether a failure has been found; consuming more steps can only refine its kind.
    var hasFailed: Bool { verdict.kind == .failed }

    /// - Parameter finished: whether the trace's row says it is finished (nil when unknown, as in an export file).
    package init(header: TraceHeader, seals: SealStream, trust: TrustPolicy = TrustPolicy(), finished: Bool? = nil) {
        self.header = header
        let genesis = header.genesis
        builder = ChainBuilder(genesis: genesis)
        record = MerkleTree()
        self.seals = seals
        self.trust = trust
        self.finished = finished
        verdict = Verdict(kind: .hashChain)
        verdict.genesis = genesis
        verdict.sealCount = seals.count
        verdict.sealedLength = seals.last?.chainLength ?? 0
        verdict.closed = seals.last?.closed ?? false
        legacy.update(header.runId)
        checkLatestSignature()
    }

    /// Verifies against seals given at once, in order.
    convenience init(header: TraceHeader, seals: [Seal], trust: TrustPolicy = TrustPolicy(), finished: Bool? = nil) {
        self.init(header: header, seals: SealStream(seals), trust: trust, finished: finished)
    }

    func fail(_ index: Int?, _ kind: Verdict.FailureKind?, _ reason: String) {
        guard verdict.kind != .failed else { return }
        verdict.kind = .failed
        verdict.reason = reason
        verdict.failingStepIndex = index
        verdict.failureKind = kind
    }

    /// Fails for good: no later row can refine this verdict.
    func settle(_ index: Int?, _ kind: Verdict.FailureKind, _ reason: String) {
        fail(index, kind, reason)
        candidate = nil
        settled = true
    }

    /// The step index expected next.
    package var expectedIndex: Int { builder.length }

    /// Consumes one step by its canonical bytes; `recorded` is the leaf recorded for its index at seal time.
    /// Returns false once nothing more is to be learned.
    @discardableResult
    func consume(index: Int, canonicalStep: UnsafeRawBufferPointer, recorded: Digest? = nil,
                       skillName: String?, status: String?) -> Bool {
        guard !settled else { return false }
        let leaf = builder.leaf(canonicalStep: canonicalStep)
        guard let skillName, let status else {
            return consume(index: index, canonicalStep: canonicalStep, leaf: leaf, recorded: recorded, legacyLine: nil)
        }
        let line = Array("\(index):\(skillName):\(status)".utf8)
        return line.withUnsafeBytes { consume(index: index, canonicalStep: canonicalStep, leaf: leaf, recorded: recorded, legacyLine: $0) }
    }

    /// Consumes one step with its leaf hash and its line of the legacy root, `index:skill_name:status` (nil when
    /// either field is not a string), both made ready by its reader.
    @discardableResult
    package func consume(index: Int, canonicalStep: UnsafeRawBufferPointer, leaf: Digest, recorded: Digest? = nil,
                        legacyLine: UnsafeRawBufferPointer?) -> Bool {
        guard !settled else { return false }
        if !hasFailed, index == builder.length {
            if let legacyLine { legacy.update(bufferPointer: legacyLine) } else { legacyValid = false }
        }
        return row(index: index, leaf: leaf, canonical: canonicalStep, recorded: recorded)
    }

    /// Consumes a redacted step: only its leaf hash is known.
    @discardableResult
    func consume(index: Int, leaf: Digest, recorded: Digest? = nil) -> Bool {
        guard !settled else { return false }
        legacyValid = false
        return row(index: index, leaf: leaf, canonical: nil, recorded: recorded)
    }

    /// Records that the step expected next could not be read or canonicalized.
    package func reject(index: Int?, reason: String) {
        guard !settled else { return }
        if pendingGap != nil { return endOfRows() }
        if hasFailed { return endOfRows() }
        settle(index ?? expectedIndex, .notCanonical, reason)
    }

    /// Records that a leaf-record line is malformed: FAILED, naming no step (it is not one).
    func rejectRecord(_ reason: String) {
        guard !settled else { return }
        if hasFailed || pendingGap != nil { return endOfRows() }
        settle(nil, .notCanonical, reason)
    }

    func row(index: Int, leaf: Digest, canonical: UnsafeRawBufferPointer?, recorded: Digest?) -> Bool {
        if let gap = pendingGap {
            pendingGap = nil
            if index == gap.expected {
                settle(gap.expected, .reordered, "step \(gap.expected) is out of order: step_index \(gap.index) comes before it")
            } else {
                settleGap(gap)
            }
            return false
        }
        classify(index: index, leaf: leaf, canonical: canonical, recorded: recorded)
        if settled { return false }
        if hasFailed {
            // Only classifying now, up to the end of the sealed range.
            guard let c = candidate, c.stage != .done else { settled = true; return false }
            if index + 1 >= verdict.sealedLength { endOfRows(); return false }
            return true
        }
        let expected = builder.length
        guard index == expected else {
            candidate = nil
            if index < 0 { settle(expected, .indexGap, "negative step_index \(index) where step \(expected) was expected") }
            else if index == expected - 1 { settle(index, .duplicateIndex, "duplicate step_index \(index)") }
            else if index < expected { settle(index, .reordered, "step_index \(index) is out of order after step \(expected - 1)") }
            else { pendingGap = (expected, index, recorded != nil && recorded == leaf); return true }
            return false
        }
        if expected < verdict.sealedLength {
            if candidate == nil, let recorded, recorded != leaf {
                candidate = Candidate(position: expected, recorded: recorded, bytes: canonical.map(Array.init))
            }
            if let recorded { record?.append(recorded) } else { record = nil }
        }
        builder.append(leaf: leaf)
        return checkSealsAt(builder.length)
    }

    /// No more rows: settles whatever waits for one.
    func endOfRows() {
        if let gap = pendingGap { pendingGap = nil; return settleGap(gap) }
        if hasFailed, var c = candidate, c.stage != .done {
            c.kind = .changed
            c.stage = .done
            candidate = c
            publishCandidate()
        }
        settled = true
    }

    /// The verdict once every step has been consumed; reads and checks the seals not read yet.
    /// Throws what kept a seal from being read (a broken connection), never a verdict on partial seals.
    package func finish() throws -> Verdict {
        if !settled { endOfRows() }
        drainSeals()
        if let sealReadError { throw sealReadError }
        if sealProblem == nil, sealsRead != seals.count || previousSeal != seals.last {
            note(.malformed, nil, .seal, "the seals changed while they were read (\(sealsRead) read, \(seals.count) announced)")
        }
        var result = verdict
        if let problem = sealProblem {
            apply(problem, to: &result)
            result.chainLength = builder.length
            return result
        }
        result.chainLength = builder.length
        result.head = builder.head
        result.merkleRoot = builder.merkleRoot
        result.unsealedSteps = max(0, builder.length - result.sealedLength)
        if result.kind == .failed { return result } // the hashes describe only what was read before the failure
        if legacyValid, legacyRoot == nil { legacyRoot = legacy.finalize() }
        result.legacyRootHash = legacyValid ? legacyRoot : nil
        let closedAt = seals.last.flatMap { $0.closed ? $0.chainLength : nil }
        func failed(_ index: Int?, _ kind: Verdict.FailureKind, _ reason: String) -> Verdict {
            result.kind = .failed
            result.failingStepIndex = index
            result.failureKind = kind
            result.reason = reason
            return result
        }
        if builder.length < result.sealedLength {
            // The seal that would confirm a located change was never reached: the change comes first, on the record's word.
            if let c = candidate {
                let kind = c.kind ?? .changed
                return failed(c.position, kind, "\(ChainVerifier.describe(kind, c.position)): located by the leaf record; the trace then ends at \(builder.length) of \(result.sealedLength) sealed steps")
            }
            return failed(builder.length, .truncated,
                          "trace truncated: \(builder.length) steps present, \(result.sealedLength) were sealed (step \(builder.length) is missing)")
        }
        if let closedAt, builder.length > closedAt {
            return failed(closedAt, .appendedAfterClose,
                          "\(builder.length - closedAt) step\(builder.length - closedAt == 1 ? "" : "s") appended after the closing seal at chain_length \(closedAt)")
        }
        if builder.length == 0 {
            result.kind = .unsupported
            result.reason = "trace has no steps"
        } else if seals.count == 0 {
            result.kind = .unsupported
            result.reason = "trace was never sealed"
        } else if trust.requireClosed, closedAt == nil, finished ?? true {
            return failed(nil, .notClosed, finished == true ? "the trace is finished but has no closing seal" : "the trace has no closing seal")
        }
        return result
    }
}
