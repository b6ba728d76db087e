/// What a verifier trusts: the public key, and whether a valid signature is required.
public struct TrustPolicy: Sendable {
    public var publicKey: PublicKey?
    public var requireSignature: Bool

    public init(publicKey: PublicKey? = nil, requireSignature: Bool = false) {
        self.publicKey = publicKey
        self.requireSignature = requireSignature
    }
}

/// Verifies one trace from a stream of steps in constant memory (beyond its seals).
///
/// Seals are checked first (binding, signatures), then each step is consumed in order; the
/// recomputed head and Merkle root are compared at every seal's chain length.
public final class ChainVerifier {
    public let header: TraceHeader
    private let builder: ChainBuilder
    private let seals: [Seal]
    private var nextSeal = 0
    /// The chain length of the last seal that matched.
    private var lastGood = 0
    private var verdict: Verdict
    private let legacy = SHA256()
    private var legacyValid = true
    private var legacyRoot: Digest?

    /// The verdict of the seal checks alone (binding to the header, signatures), before any step.
    var sealVerdict: Verdict { verdict }

    /// Whether a failure has been found; consuming more steps changes nothing.
    public var hasFailed: Bool { verdict.kind == .failed }

    public init(header: TraceHeader, seals: [Seal], trust: TrustPolicy = TrustPolicy()) {
        self.header = header
        let genesis = header.genesis
        builder = ChainBuilder(genesis: genesis)
        self.seals = seals.sorted { $0.chainLength < $1.chainLength }
        verdict = Verdict(kind: .hashChain)
        verdict.genesis = genesis
        verdict.sealCount = seals.count
        verdict.sealedLength = self.seals.last?.chainLength ?? 0
        legacy.update(header.runId)
        checkSeals(genesis: genesis, trust: trust)
    }

    private func checkSeals(genesis: Digest, trust: TrustPolicy) {
        var previous: Seal?
        for seal in seals {
            let at = "seal at chain_length \(seal.chainLength)"
            if seal.tenantId != header.tenantId || seal.runId != header.runId || seal.traceId != header.traceId {
                return fail(nil, "\(at) belongs to another tenant, run or trace")
            }
            if seal.genesis != genesis { return fail(nil, "\(at) has another genesis: the trace header was changed") }
            if let previous, previous.chainLength == seal.chainLength, previous.head != seal.head {
                return fail(nil, "two seals at chain_length \(seal.chainLength) disagree")
            }
            previous = seal
        }
        // The latest seal commits to the whole sealed prefix: its signature is the one that must hold.
        // Earlier seals are checkpoints (their heads are compared), which lets signing keys rotate.
        guard let latest = seals.last else { verdict.signature = .none; return }
        let at = "seal at chain_length \(latest.chainLength)"
        verdict.keyId = latest.keyId
        guard latest.signature != nil else {
            verdict.signature = .unsigned
            if trust.requireSignature { fail(nil, "\(at) is unsigned and a signature is required") }
            return
        }
        guard let key = trust.publicKey else {
            verdict.signature = .notChecked
            if trust.requireSignature { fail(nil, "\(at) is signed but no public key was given to check it") }
            return
        }
        if latest.keyId != key.keyId {
            verdict.signature = .invalid
            return fail(nil, "\(at) was signed by key \(latest.keyId ?? "null"), not by the given key \(key.keyId)")
        }
        guard latest.isSignatureValid(for: key) else {
            verdict.signature = .invalid
            return fail(nil, "\(at) has a bad signature")
        }
        verdict.signature = .valid
    }

    private func fail(_ index: Int?, _ reason: String) {
        guard verdict.kind != .failed else { return }
        verdict.kind = .failed
        verdict.reason = reason
        verdict.failingStepIndex = index
    }

    /// The step index expected next.
    public var expectedIndex: Int { builder.length }

    /// Consumes one step by its canonical bytes; returns false once the verdict is FAILED.
    @discardableResult
    public func consume(index: Int, canonicalStep: UnsafeRawBufferPointer, skillName: String?, status: String?) -> Bool {
        guard checkIndex(index) else { return false }
        let leaf = builder.leaf(canonicalStep: canonicalStep)
        if let skillName, let status { legacy.update("\(index):\(skillName):\(status)") } else { legacyValid = false }
        return accept(leaf: leaf)
    }

    /// Consumes a redacted step: only its leaf hash is known.
    @discardableResult
    public func consume(index: Int, leaf: Digest) -> Bool {
        guard checkIndex(index) else { return false }
        legacyValid = false
        return accept(leaf: leaf)
    }

    /// Records that the step expected next could not be read or canonicalized.
    public func reject(index: Int?, reason: String) {
        fail(index ?? expectedIndex, reason)
    }

    private func checkIndex(_ index: Int) -> Bool {
        if hasFailed { return false }
        let expected = builder.length
        if index == expected { return true }
        if index < 0 { fail(expected, "negative step_index \(index) where step \(expected) was expected") }
        else if index < expected { fail(index, "duplicate or out-of-order step_index \(index) after step \(expected - 1)") }
        else { fail(expected, "step \(expected) is missing (the next step has step_index \(index))") }
        return false
    }

    private func accept(leaf: Digest) -> Bool {
        builder.append(leaf: leaf)
        let length = builder.length
        while nextSeal < seals.count, seals[nextSeal].chainLength == length {
            let seal = seals[nextSeal]
            nextSeal += 1
            let root = builder.merkleRoot
            if seal.head != builder.head || seal.merkleRoot != root {
                let range = length - lastGood == 1 ? "step \(lastGood) was" : "a step in \(lastGood)...\(length - 1) was"
                fail(lastGood, "\(range) changed, removed, inserted or reordered: the chain does not match the seal at chain_length \(length)")
                return false
            }
            lastGood = length
        }
        return true
    }

    /// The verdict once every step has been consumed.
    public func finish() -> Verdict {
        var result = verdict
        result.chainLength = builder.length
        result.head = builder.head
        result.merkleRoot = builder.merkleRoot
        result.unsealedSteps = max(0, builder.length - result.sealedLength)
        if result.kind == .failed { return result } // the hashes describe only what was read before the failure
        if legacyValid, legacyRoot == nil { legacyRoot = legacy.finalize() }
        result.legacyRootHash = legacyValid ? legacyRoot : nil
        if builder.length < result.sealedLength {
            result.kind = .failed
            result.failingStepIndex = builder.length
            result.reason = "trace truncated: \(builder.length) steps present, \(result.sealedLength) were sealed (step \(builder.length) is missing)"
        } else if builder.length == 0 {
            result.kind = .unsupported
            result.reason = "trace has no steps"
        } else if seals.isEmpty {
            result.kind = .unsupported
            result.reason = "trace was never sealed"
        }
        return result
    }
}
