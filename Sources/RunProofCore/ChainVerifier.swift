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
public final class ChainVerifier {
    public let header: TraceHeader
    private let builder: ChainBuilder
    /// Merkle tree over the recorded leaves, while every position so far has one.
    private var record: MerkleTree?
    private let seals: SealStream
    /// The seal read ahead, not yet due; the seal read before it.
    private var pendingSeal: Seal?
    private var previousSeal: Seal?
    private var sealsEnded = false
    private var sealsRead = 0
    /// A seal that could not be read for another reason than its content (a broken connection): rethrown by `finish()`.
    private var sealReadError: Error?
    private let trust: TrustPolicy
    /// With a public key: the key every seal that names it must verify with.
    private var sealKey: PublicKey?
    private var sealProblem: SealProblem?
    private let finished: Bool?
    /// The chain length of the last seal that matched.
    private var lastGood = 0
    private var verdict: Verdict
    private let legacy = SHA256()
    private var legacyValid = true
    private var legacyRoot: Digest?
    private let hasher = SHA256()

    /// A problem of the seals themselves. The lowest rank wins, whatever the steps; within a rank the first
    /// (or, for the signatures of one public key, the last) stands.
    private struct SealProblem {
        enum Rank: Int { case malformed, binding, order, latestSignature, signature, checkpointSignature }
        var rank: Rank
        var index: Int?
        var kind: Verdict.FailureKind
        var reason: String
        var signature: Verdict.Signature?
    }

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

    /// Whether a failure has been found; consuming more steps can only refine its kind.
    public var hasFailed: Bool { verdict.kind == .failed }

    /// - Parameter finished: whether the trace's row says it is finished (nil when unknown, as in an export file).
    public init(header: TraceHeader, seals: SealStream, trust: TrustPolicy = TrustPolicy(), finished: Bool? = nil) {
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
    public convenience init(header: TraceHeader, seals: [Seal], trust: TrustPolicy = TrustPolicy(), finished: Bool? = nil) {
        self.init(header: header, seals: SealStream(seals), trust: trust, finished: finished)
    }

    /// The verdict of the seal checks alone (binding, order, signatures), before any step: reads every seal.
    var sealVerdict: Verdict {
        drainSeals()
        var result = verdict
        if let problem = sealProblem { apply(problem, to: &result) }
        return result
    }

    /// States the authenticity and checks what the latest seal alone decides (docs/chain-v1.md 6.2, 6.4, 6.5).
    private func checkLatestSignature() {
        guard let latest = seals.last else { verdict.signature = .none; return }
        verdict.keyId = latest.keyId
        verdict.authenticity = latest.signature == nil ? .unsigned
            : trust.keyring != nil ? .keyring : trust.publicKey != nil ? .pubkey : .unchecked
        if trust.keyring != nil { verdict.signature = .valid; return } // every seal is checked as it is read
        let at = "seal at chain_length \(latest.chainLength)"
        guard latest.signature != nil else {
            verdict.signature = .unsigned
            if trust.requireSignature { note(.latestSignature, nil, .signature, "\(at) is unsigned and a signature is required") }
            return
        }
        guard let key = trust.publicKey else {
            verdict.signature = .notChecked
            if trust.requireSignature { note(.latestSignature, nil, .signature, "\(at) is signed but no public key was given to check it") }
            return
        }
        guard latest.keyId == key.keyId else {
            return note(.latestSignature, nil, .signature, "\(at) was signed by key \(latest.keyId ?? "null"), not by the given key \(key.keyId)",
                        signature: .invalid)
        }
        // The latest seal must verify; so must any earlier seal that claims the same key.
        verdict.signature = .valid
        sealKey = key
    }

    /// Checks one seal as it is read, in order: its binding, its place after the seal before it, its signature.
    private func check(_ seal: Seal) {
        let at = "seal at chain_length \(seal.chainLength)"
        if seal.tenantId != header.tenantId || seal.runId != header.runId || seal.traceId != header.traceId {
            note(.binding, nil, .seal, "\(at) belongs to another tenant, run or trace")
        } else if seal.genesis != verdict.genesis {
            note(.binding, nil, .seal, "\(at) has another genesis: the trace header was changed")
        }
        if let previous = previousSeal {
            if previous.closed {
                if seal.chainLength > previous.chainLength {
                    note(.order, previous.chainLength, .appendedAfterClose,
                         "\(at) extends the trace after its closing seal at chain_length \(previous.chainLength)")
                } else {
                    note(.order, nil, .seal, "\(at) comes after the closing seal at chain_length \(previous.chainLength)")
                }
            } else if seal.chainLength < previous.chainLength {
                note(.order, nil, .seal, "\(at) comes after the seal at chain_length \(previous.chainLength): seals out of order")
            } else if seal.chainLength == previous.chainLength {
                if !seal.closed {
                    note(.order, nil, .seal, "duplicate seal: two seals at chain_length \(seal.chainLength)")
                } else if previous.head != seal.head || previous.merkleRoot != seal.merkleRoot {
                    note(.order, nil, .seal, "the closing seal at chain_length \(seal.chainLength) disagrees with the seal it closes")
                }
            }
        }
        previousSeal = seal
        sealsRead += 1
        checkSignature(seal)
    }

    /// With a keyring every seal must be signed by a key valid at its `sealed_at` (6.4); with a public key,
    /// every seal that names the key must verify with it.
    private func checkSignature(_ seal: Seal) {
        if let keyring = trust.keyring {
            let at = "seal at chain_length \(seal.chainLength)\(seal.closed ? " (closing)" : "")"
            guard let keyId = seal.keyId, seal.signature != nil else {
                return note(.signature, nil, .signature, "\(at) is unsigned; a keyring requires every seal to be signed", signature: .unsigned)
            }
            switch keyring.key(keyId, at: seal.sealedAt) {
            case .failure(let problem):
                note(.signature, nil, .signature, "\(at) was signed at \(seal.sealedAt) by key \(keyId), which \(problem)", signature: .invalid)
            case .success(let key):
                if !seal.isSignatureValid(for: key) {
                    note(.signature, nil, .signature, "\(at) has a bad signature", signature: .invalid)
                } else if !seal.isCheckpointSignatureValid(for: key) {
                    note(.signature, nil, .signature, "\(at) has a bad checkpoint signature", signature: .invalid)
                }
            }
        } else if let key = sealKey, seal.keyId == key.keyId {
            let at = "seal at chain_length \(seal.chainLength)"
            if !seal.isSignatureValid(for: key) {
                note(.signature, last: true, nil, .signature, "\(at) has a bad signature", signature: .invalid)
            }
            if !seal.isCheckpointSignatureValid(for: key) {
                note(.checkpointSignature, last: true, nil, .signature, "\(at) has a bad checkpoint signature", signature: .invalid)
            }
        }
    }

    /// Records a seal problem unless one of a lower rank (or, unless `last`, of the same rank) stands; no row
    /// can change the verdict after it.
    private func note(_ rank: SealProblem.Rank, last: Bool = false, _ index: Int?, _ kind: Verdict.FailureKind, _ reason: String,
                      signature: Verdict.Signature? = nil) {
        if let standing = sealProblem, standing.rank.rawValue < rank.rawValue || (standing.rank == rank && !last) { return }
        sealProblem = SealProblem(rank: rank, index: index, kind: kind, reason: reason, signature: signature)
        candidate = nil
        pendingGap = nil
        settled = true
    }

    private func apply(_ problem: SealProblem, to result: inout Verdict) {
        result.kind = .failed
        result.reason = problem.reason
        result.failingStepIndex = problem.index
        result.failureKind = problem.kind
        if let signature = problem.signature { result.signature = signature }
    }

    /// The next seal of the stream (the one read ahead first); nil at its end or once it could not be read.
    private func nextSeal() -> Seal? {
        if let seal = pendingSeal { pendingSeal = nil; return seal }
        guard !sealsEnded else { return nil }
        do {
            if let seal = try seals.next() { return seal }
        } catch let error as RunProofError where error.code == .malformed {
            note(.malformed, nil, .seal, error.message)
        } catch {
            sealReadError = error
        }
        sealsEnded = true
        return nil
    }

    /// Reads and checks every seal not read yet (those beyond the last step, or all after a failure).
    private func drainSeals() {
        while sealProblem?.rank != .malformed, let seal = nextSeal() { check(seal) }
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

    /// Reads the seals up to `length` and compares the chain, and the leaf record, with those at `length`.
    private func checkSealsAt(_ length: Int) -> Bool {
        while let seal = nextSeal() {
            guard seal.chainLength <= length else { pendingSeal = seal; break }
            check(seal)
            if sealProblem != nil { return false }
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

    /// The verdict once every step has been consumed; reads and checks the seals not read yet.
    /// Throws what kept a seal from being read (a broken connection), never a verdict on partial seals.
    public func finish() throws -> Verdict {
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
