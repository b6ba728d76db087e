/// The seals side of a verification: read one at a time in chain-length order, each checked as it is read
/// (binding, order, signature) and compared with the chain at its length (docs/chain-v1.md 6.1, 6.2, 6.4, 7).
extension ChainVerifier {
    /// The verdict of the seal checks alone (binding, order, signatures), before any step: reads every seal.
    var sealVerdict: Verdict {
        drainSeals()
        var result = verdict
        if let problem = sealProblem { apply(problem, to: &result) }
        return result
    }

    /// States the authenticity and checks what the latest seal alone decides (docs/chain-v1.md 6.2, 6.4, 6.5).
    func checkLatestSignature() {
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
    func check(_ seal: Seal) {
        var at: String { "seal at chain_length \(seal.chainLength)" } // made only for a message
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
    func checkSignature(_ seal: Seal) {
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
    func note(_ rank: SealProblem.Rank, last: Bool = false, _ index: Int?, _ kind: Verdict.FailureKind, _ reason: String,
                      signature: Verdict.Signature? = nil) {
        if let standing = sealProblem, standing.rank.rawValue < rank.rawValue || (standing.rank == rank && !last) { return }
        sealProblem = SealProblem(rank: rank, index: index, kind: kind, reason: reason, signature: signature)
        candidate = nil
        pendingGap = nil
        settled = true
    }

    func apply(_ problem: SealProblem, to result: inout Verdict) {
        result.kind = .failed
        result.reason = problem.reason
        result.failingStepIndex = problem.index
        result.failureKind = problem.kind
        if let signature = problem.signature { result.signature = signature }
    }

    /// The next seal of the stream (the one read ahead first); nil at its end or once it could not be read.
    func nextSeal() -> Seal? {
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
    func drainSeals() {
        while sealProblem?.rank != .malformed, let seal = nextSeal() { check(seal) }
    }

    /// Reads the seals up to `length` and compares the chain, and the leaf record, with those at `length`.
    func checkSealsAt(_ length: Int) -> Bool {
        // Most steps are not sealed: the seal read ahead is further on (read its length, do not copy it).
        if let due = pendingSeal?.chainLength, due > length { return true }
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
}
