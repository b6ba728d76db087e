/// Verification of tenant-log consistency proofs (docs/chain-v1.md 10.4); the log itself lives in RunProofStore.
public enum TenantLogProof {
    package static let consistencyFormat = "runproof/tenant-log-consistency-v1"

    /// Verifies a tenant-log consistency proof: both checkpoints signed by `key`, of one origin, and the path.
    public static func verifyConsistency(_ proof: JSONValue, key: NoteKey) -> Verdict {
        // Checked against the log's key, whatever the verdict; unsigned when a checkpoint carries no signature at all.
        let signed = [proof["first"]?.string, proof["second"]?.string].allSatisfy { $0?.contains("\n\n\u{2014} ") ?? true }
        func failed(_ reason: String, _ kind: Verdict.FailureKind) -> Verdict {
            var verdict = Verdict(kind: .failed, reason: reason, failureKind: kind)
            verdict.authenticity = signed ? .pubkey : .unsigned
            return verdict
        }
        guard proof["format"]?.string == consistencyFormat, let first = proof["first"]?.string, let second = proof["second"]?.string,
              case .array(let items)? = proof["path"] else { return failed("malformed tenant-log consistency proof", .notCanonical) }
        let path = items.compactMap { $0.string.flatMap { Digest(hex: $0) } }
        guard path.count == items.count else { return failed("malformed tenant-log consistency proof: path", .notCanonical) }
        guard let bodyA = key.open(Array(first.utf8)), let bodyB = key.open(Array(second.utf8)),
              let a = CheckpointBody(bodyA), let b = CheckpointBody(bodyB)
        else { return failed("a checkpoint of the proof is not signed by \(key.name)", .signature) }
        guard a.origin == b.origin, a.origin == proof["origin"]?.string else { return failed("the checkpoints are of different logs", .seal) }
        guard a.isTenantLog, a.extensions.isEmpty, b.extensions.isEmpty else {
            return failed("the checkpoints are not tenant-log checkpoints", .notCanonical)
        }
        guard a.size <= b.size, a.size >= 1, MerkleProof.verifyConsistency(first: a.size, second: b.size, firstRoot: a.root, secondRoot: b.root, path: path) else {
            return failed("the tenant log at size \(b.size) does not extend the one at size \(a.size)", .mismatch)
        }
        var verdict = Verdict(kind: .hashChain)
        verdict.chainLength = b.size
        verdict.merkleRoot = b.root
        verdict.authenticity = .pubkey
        verdict.signature = .valid
        return verdict
    }
}
