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

/// Verifies one trace from a stream of steps in constant memory (beyond its seals).
///
/// Seals are checked first (binding, signatures), then each step is consumed in order; the
/// recomputed head and Merkle root are compared at every seal's chain length. Each row may bring
/// the leaf hash recorded for its index at seal time, which locates a change exactly
/// (docs/chain-v1.md 6.3); the seals stay the authority.
public final class ChainVerifier {
    public let header: TraceHeader
    private let builder: ChainBuilder
    /// Merkle tree over the recorded leaves, while every position so far has one.
    private var record: MerkleTree?
    private let seals: [Seal]
    private let finished: Bool?
    private let requireClosed: Bool
    private var nextSeal = 0
    /// The chain length of the last seal that matched.
    private var lastGood = 0
    private var verdict: Verdict
    private let legacy = SHA256()
    private var legacyValid = true
    private var legacyRoot: Digest?
    private let hasher = SHA256()

    /// A content change seen against the leaf record, waiting for a seal to confirm it and for rows to classify it.
    private struct Candidate {
        enum Stage { case awaitingNext, searchingFar, done }
        var position: Int
        var recorded: Digest
        /// The row's canonical bytes (nil when redacted), to re-index it.
        var bytes: [UInt8]?
        var kind: Verdict.FailureKind?
        var stage = Stage.awaitingNext
    }
    private var candidate: Candidate?
    /// An index that jumped past the expected one, waiting for the next row to say whether it is a reordering.
    private var pendingGap: (expected: Int, index: Int, intact: Bool)?
    /// Set once the verdict, kind included, can no longer change.
    private var settled = false

    /// The verdict of the seal checks alone (binding, signatures), before any step.
    var sealVerdict: Verdict { verdict }

    /// Whether a failure has been found; consuming more steps can only refine its kind.
    public var hasFailed: Bool { verdict.kind == .failed }

    /// - Parameter finished: whether the trace's row says it is finished (nil when unknown, as in an export file).
    public init(header: TraceHeader, seals: [Seal], trust: TrustPolicy = TrustPolicy(), finished: Bool? = nil) {
        self.header = header
        let genesis = header.genesis
        builder = ChainBuilder(genesis: genesis)
        record = MerkleTree()
        // A seal given after the closing seal: a longer one extends the closed trace, any other is out of place.
        let closingAt = seals.firstIndex(where: \.closed)
        let afterClose = closingAt.flatMap { at in seals[(at + 1)...].first.map { (seals[at], $0) } }
        // By length; a closing seal after the seal it closes.
        self.seals = seals.sorted { ($0.chainLength, $0.closed ? 1 : 0) < ($1.chainLength, $1.closed ? 1 : 0) }
        self.finished = finished
        requireClosed = trust.requireClosed
        verdict = Verdict(kind: .hashChain)
        verdict.genesis = genesis
        verdict.sealCount = seals.count
        verdict.sealedLength = self.seals.last?.chainLength ?? 0
        verdict.closed = seals.last?.closed ?? false // the last seal given, as a file lists them
        legacy.update(header.runId)
        if let (closing, next) = afterClose {
            if next.chainLength > closing.chainLength {
                fail(closing.chainLength, .appendedAfterClose, "seal at chain_length \(next.chainLength) extends the trace after its closing seal at chain_length \(closing.chainLength)")
            } else {
                fail(nil, .seal, "seal at chain_length \(next.chainLength) comes after the closing seal at chain_length \(closing.chainLength)")
            }
        }
        checkSeals(genesis: genesis)
        checkSignatures(trust)
    }

    private func checkSeals(genesis: Digest) {
        var previous: Seal?
        for seal in seals {
            let at = "seal at chain_length \(seal.chainLength)"
            if seal.tenantId != header.tenantId || seal.runId != header.runId || seal.traceId != header.traceId {
                return fail(nil, .seal, "\(at) belongs to another tenant, run or trace")
            }
            if seal.genesis != genesis { return fail(nil, .seal, "\(at) has another genesis: the trace header was changed") }
            if let previous {
                if previous.closed {
                    return fail(previous.chainLength, .appendedAfterClose,
                                "\(at) extends the trace after its closing seal at chain_length \(previous.chainLength)")
                }
                if previous.chainLength == seal.chainLength {
                    guard seal.closed else { return fail(nil, .seal, "two seals at chain_length \(seal.chainLength)") }
                    if previous.head != seal.head || previous.merkleRoot != seal.merkleRoot {
                        return fail(nil, .seal, "the closing seal at chain_length \(seal.chainLength) disagrees with the seal it closes")
                    }
                }
            }
            previous = seal
        }
    }

    /// Checks signatures as the policy says (docs/chain-v1.md 6.2, 6.4) and states the authenticity (6.5).
    private func checkSignatures(_ trust: TrustPolicy) {
        guard let latest = seals.last else { verdict.signature = .none; return }
        verdict.keyId = latest.keyId
        verdict.authenticity = latest.signature == nil ? .unsigned
            : trust.keyring != nil ? .keyring : trust.publicKey != nil ? .pubkey : .unchecked
        if let keyring = trust.keyring {
            for seal in seals {
                let at = "seal at chain_length \(seal.chainLength)\(seal.closed ? " (closing)" : "")"
                guard let keyId = seal.keyId, seal.signature != nil else {
                    verdict.signature = .unsigned
                    return fail(nil, .signature, "\(at) is unsigned; a keyring requires every seal to be signed")
                }
                switch keyring.key(keyId, at: seal.sealedAt) {
                case .failure(let problem):
                    verdict.signature = .invalid
                    return fail(nil, .signature, "\(at) was signed at \(seal.sealedAt) by key \(keyId), which \(problem)")
                case .success(let key):
                    guard seal.isSignatureValid(for: key) else {
                        verdict.signature = .invalid
                        return fail(nil, .signature, "\(at) has a bad signature")
                    }
                    guard seal.isCheckpointSignatureValid(for: key) else {
                        verdict.signature = .invalid
                        return fail(nil, .signature, "\(at) has a bad checkpoint signature")
                    }
                }
            }
            verdict.signature = .valid
            return
        }
        let at = "seal at chain_length \(latest.chainLength)"
        guard latest.signature != nil else {
            verdict.signature = .unsigned
            if trust.requireSignature { fail(nil, .signature, "\(at) is unsigned and a signature is required") }
            return
        }
        guard let key = trust.publicKey else {
            verdict.signature = .notChecked
            if trust.requireSignature { fail(nil, .signature, "\(at) is signed but no public key was given to check it") }
            return
        }
        if latest.keyId != key.keyId {
            verdict.signature = .invalid
            return fail(nil, .signature, "\(at) was signed by key \(latest.keyId ?? "null"), not by the given key \(key.keyId)")
        }
        // The latest seal must verify; so must any earlier seal that claims the same key.
        if let bad = seals.last(where: { $0.keyId == key.keyId && !$0.isSignatureValid(for: key) }) {
            verdict.signature = .invalid
            return fail(nil, .signature, "seal at chain_length \(bad.chainLength) has a bad signature")
        }
        if let bad = seals.last(where: { $0.keyId == key.keyId && !$0.isCheckpointSignatureValid(for: key) }) {
            verdict.signature = .invalid
            return fail(nil, .signature, "seal at chain_length \(bad.chainLength) has a bad checkpoint signature")
        }
        verdict.signature = .valid
    }

    private func fail(_ index: Int?, _ kind: Verdict.FailureKind?, _ reason: String) {
        guard verdict.kind != .failed else { return }
        verdict.kind = .failed
        verdict.reason = reason
        verdict.failingStepIndex = index
        verdict.failureKind = kind
    }

    /// Fails for good: no later row can refine this verdict.
    private func settle(_ index: Int?, _ kind: Verdict.FailureKind, _ reason: String) {
        fail(index, kind, reason)
        candidate = nil
        settled = true
    }

    /// The step index expected next.
    public var expectedIndex: Int { builder.length }

    /// Consumes one step by its canonical bytes; `recorded` is the leaf recorded for its index at seal time.
    /// Returns false once nothing more is to be learned.
    @discardableResult
    public func consume(index: Int, canonicalStep: UnsafeRawBufferPointer, recorded: Digest? = nil,
                       skillName: String?, status: String?) -> Bool {
        guard !settled else { return false }
        let leaf = builder.leaf(canonicalStep: canonicalStep)
        if !hasFailed, index == builder.length {
            if let skillName, let status { legacy.update("\(index):\(skillName):\(status)") } else { legacyValid = false }
        }
        return row(index: index, leaf: leaf, canonical: canonicalStep, recorded: recorded)
    }

    /// Consumes a redacted step: only its leaf hash is known.
    @discardableResult
    public func consume(index: Int, leaf: Digest, recorded: Digest? = nil) -> Bool {
        guard !settled else { return false }
        legacyValid = false
        return row(index: index, leaf: leaf, canonical: nil, recorded: recorded)
    }

    /// Records that the step expected next could not be read or canonicalized.
    public func reject(index: Int?, reason: String) {
        guard !settled else { return }
        if pendingGap != nil { return endOfRows() }
        if hasFailed { return endOfRows() }
        settle(index ?? expectedIndex, .notCanonical, reason)
    }

    /// Records that a leaf-record line is malformed: FAILED, naming no step (it is not one).
    public func rejectRecord(_ reason: String) {
        guard !settled else { return }
        if hasFailed || pendingGap != nil { return endOfRows() }
        settle(nil, .notCanonical, reason)
    }

    private func row(index: Int, leaf: Digest, canonical: UnsafeRawBufferPointer?, recorded: Digest?) -> Bool {
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

    /// Advances the candidate's classification with one more row (docs/chain-v1.md 6.3).
    private func classify(index: Int, leaf: Digest, canonical: UnsafeRawBufferPointer?, recorded: Digest?) {
        guard var c = candidate else { return }
        let e = c.position
        switch c.stage {
        case .awaitingNext:
            // The row after the candidate decides between removed, inserted and reordered.
            let a = index == e + 1 && recorded != nil && c.bytes.map { reindexedLeaf($0, e + 1) == recorded } == true
            let b = index == e + 1 && canonical.map { reindexedLeaf(Array($0), e) == c.recorded } == true
            c.kind = a && b ? .reordered : a ? .removed : b ? .inserted : nil
            c.stage = c.kind == nil ? .searchingFar : .done
            c.bytes = nil
        case .searchingFar:
            // The first further mismatch in the sealed range: the other half of a swap with the candidate, or not.
            guard index > e + 1, index < verdict.sealedLength, let recorded, leaf != recorded else { return }
            c.kind = canonical.map { reindexedLeaf(Array($0), e) == c.recorded } == true ? .reordered : .changed
            c.stage = .done
        case .done:
            return
        }
        candidate = c
        publishCandidate()
        if hasFailed, c.stage == .done { settled = true }
    }

    private func settleGap(_ gap: (expected: Int, index: Int, intact: Bool)) {
        if gap.intact {
            let range = gap.index - gap.expected == 1 ? "step \(gap.expected) was" : "steps \(gap.expected)...\(gap.index - 1) were"
            settle(gap.expected, .removed, "\(range) removed (step \(gap.index) follows, intact)")
        } else {
            settle(gap.expected, .indexGap, "step \(gap.expected) is missing (the next step has step_index \(gap.index))")
        }
    }

    /// Compares the chain, and the leaf record, with every seal at `length`.
    private func checkSealsAt(_ length: Int) -> Bool {
        while nextSeal < seals.count, seals[nextSeal].chainLength == length {
            let seal = seals[nextSeal]
            nextSeal += 1
            let stepsMatch = seal.head == builder.head && seal.merkleRoot == builder.merkleRoot
            let recordMatches = record.map { $0.root == seal.merkleRoot } ?? false
            if !stepsMatch {
                guard let c = candidate, recordMatches else {
                    let range = length - lastGood == 1 ? "step \(lastGood) was" : "a step in \(lastGood)...\(length - 1) was"
                    settle(lastGood, .mismatch, "\(range) changed, removed, inserted or reordered: the chain does not match the seal at chain_length \(length)")
                    return false
                }
                fail(c.position, c.kind, "step \(c.position) does not match its leaf record and the chain does not match the seal at chain_length \(length)")
                publishCandidate()
                if c.stage == .done { settled = true; return false }
                return true // the rows that follow classify it
            }
            if let c = candidate {
                settle(c.position, .leafRecord, "the leaf hash recorded for step \(c.position) does not match it, but the seal at chain_length \(length) does: the leaf record was altered")
                return false
            }
            lastGood = length
        }
        return true
    }

    /// Writes the candidate's kind and reason into the verdict once both the failure and the kind are known.
    private func publishCandidate() {
        guard hasFailed, let c = candidate, verdict.failingStepIndex == c.position, let kind = c.kind else { return }
        verdict.failureKind = kind
        verdict.reason = "\(ChainVerifier.describe(kind, c.position)): located by the leaf record, the chain does not match the seal"
    }

    private static func describe(_ kind: Verdict.FailureKind, _ position: Int) -> String {
        switch kind {
        case .removed: "step \(position) was removed (the steps after it moved up)"
        case .inserted: "a step was inserted at \(position) (the steps after it moved down)"
        case .reordered: "step \(position) was reordered (it holds another step's content)"
        default: "step \(position) was changed"
        }
    }

    /// No more rows: settles whatever waits for one.
    private func endOfRows() {
        if let gap = pendingGap { pendingGap = nil; return settleGap(gap) }
        if hasFailed, var c = candidate, c.stage != .done {
            c.kind = .changed
            c.stage = .done
            candidate = c
            publishCandidate()
        }
        settled = true
    }

    /// `H(0x00 ‖ step)` with the top-level `step_index` value replaced by `index` (docs/chain-v1.md 6.3), or nil.
    private func reindexedLeaf(_ step: [UInt8], _ index: Int) -> Digest? {
        let timestamp = Array(#","timestamp":"#.utf8), key = Array(#""step_index":"#.utf8)
        guard let end = lastRange(of: timestamp, in: step) else { return nil }
        var start = end
        while start > 0, step[start - 1] == UInt8(ascii: "-") || (step[start - 1] >= 0x30 && step[start - 1] <= 0x39) { start -= 1 }
        guard start >= key.count, Array(step[start - key.count ..< start]) == key else { return nil }
        hasher.update(byte: 0x00)
        step.withUnsafeBytes { bytes in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[..<start]))
            hasher.update(Array(String(index).utf8))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[end...]))
        }
        return hasher.finalize()
    }

    private func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0], Array(haystack[i ..< i + needle.count]) == needle { return i }
            i -= 1
        }
        return nil
    }

    /// The verdict once every step has been consumed.
    public func finish() -> Verdict {
        if !settled { endOfRows() }
        var result = verdict
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
        } else if seals.isEmpty {
            result.kind = .unsupported
            result.reason = "trace was never sealed"
        } else if requireClosed, closedAt == nil, finished ?? true {
            return failed(nil, .notClosed, finished == true ? "the trace is finished but has no closing seal" : "the trace has no closing seal")
        }
        return result
    }
}
