/// Inclusion proofs in the c2sp.org/tlog-proof text form, ending in the signed checkpoint they prove against.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64(JCS(step))>
/// index <step index>
/// <base64 hash of the RFC 9162 inclusion path>      one per line
///
/// <signed checkpoint (docs/chain-v1.md 10)>
/// ```
public enum TlogProof {
    package static let firstLine = "c2sp.org/tlog-proof@v1"

    /// The proof of one step (its canonical bytes) at `index`, by `path`, against a seal that carries its checkpoint signature.
    package static func render(step: [UInt8], index: Int, path: [Digest], seal: Seal) throws(RunProofError) -> String {
        guard let line = seal.checkpointSignature else {
            throw RunProofError(.usage, "the seal at chain_length \(seal.chainLength) is unsigned: a tlog-proof ends in a signed checkpoint; seal with --key")
        }
        var text = "\(firstLine)\nextra \(Base64.encode(step))\nindex \(index)\n"
        for hash in path { text += Base64.encode(hash.bytes) + "\n" }
        return text + "\n" + String(decoding: Checkpoint.body(of: seal), as: UTF8.self) + "\n" + line + "\n"
    }

    static let tenantLogEntryKeys: Set<String> = ["chain_length", "format", "head", "merkle_root", "run_id", "tenant_id", "trace_id"]

    /// The offset of the first "\n\n" (its first newline).
    static func firstBlankLine(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        return (0 ..< bytes.count - 1).first { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }
    }

    /// Whether `text` is a tlog-proof (by its first line).
    package static func isTlogProof(_ text: [UInt8]) -> Bool { text.starts(with: Array((firstLine + "\n").utf8)) }

    /// Verifies a tlog-proof: the step hashes to a leaf included at `index` in the checkpoint's tree, and the
    /// checkpoint is signed by `key` (a verifier key, or the public key under the name on its signature line).
    public static func verify(_ text: [UInt8], verifierKey: NoteKey?, publicKey: PublicKey?) -> Verdict {
        // Authenticity is what was checked, whatever the verdict (docs/chain-v1.md 6.5): unsigned when no signed
        // checkpoint (a note with a blank line before its signature lines) follows the proof block.
        let noteText = firstBlankLine(text).map { Array(text[($0 + 2)...]) } ?? []
        let signatureLines = firstBlankLine(noteText) == nil ? []
            : String(decoding: noteText, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("\u{2014} ") }
        let authenticity: Verdict.Authenticity = signatureLines.isEmpty ? .unsigned
            : verifierKey != nil || publicKey != nil ? .pubkey : .unchecked
        func failed(_ reason: String, _ kind: Verdict.FailureKind, _ index: Int? = nil) -> Verdict {
            var verdict = Verdict(kind: .failed, reason: reason, failingStepIndex: index, failureKind: kind)
            verdict.authenticity = authenticity
            return verdict
        }
        guard isTlogProof(text), let blank = firstBlankLine(text) else { return failed("malformed tlog-proof: no proof block", .notCanonical) }
        let head = String(decoding: text[..<blank], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let note = Array(text[(blank + 2)...])
        guard head.count >= 3, head[1].hasPrefix("extra "), let step = Base64.decode(String(head[1].dropFirst(6))),
              head[2].hasPrefix("index "), let index = Int(head[2].dropFirst(6)), index >= 0, "index \(index)" == head[2] else {
            return failed("malformed tlog-proof: expected the extra (the step) and index lines", .notCanonical)
        }
        var path: [Digest] = []
        for line in head.dropFirst(3) {
            guard let raw = Base64.decode(line), let hash = Digest(bytes: raw) else { return failed("malformed tlog-proof: a path line is not a base64 hash", .notCanonical) }
            path.append(hash)
        }
        // The checkpoint: opened by the key when one is given (with --pubkey, under any name on its lines).
        let body: [UInt8]
        if verifierKey != nil || publicKey != nil {
            let keys = verifierKey.map { [$0] } ?? signatureLines.compactMap { line in
                line.split(separator: " ").dropFirst().first.flatMap { try? NoteKey(name: String($0), key: publicKey!) }
            }
            guard let opened = keys.lazy.compactMap({ $0.open(note) }).first else {
                return failed("the checkpoint is not signed by \(verifierKey?.name ?? "the given key")", .signature)
            }
            body = opened
        } else {
            guard let end = firstBlankLine(note) else { return failed("malformed tlog-proof: no signed checkpoint", .notCanonical) }
            body = Array(note[...end])
        }
        guard let checkpoint = CheckpointBody(body), !(checkpoint.isTenantLog && !checkpoint.extensions.isEmpty) else {
            return failed("malformed checkpoint in the tlog-proof", .notCanonical)
        }
        // Against a trace's checkpoint the entry is its step object at `index`; against a tenant log's checkpoint
        // (no extension line), the tenant-log entry of one of that tenant's closed runs (docs/chain-v1.md 10.4).
        let object = try? JSONValue(parsing: step)
        let fits: Bool
        if checkpoint.isTenantLog {
            fits = Set(object?.objectKeys ?? []) == Self.tenantLogEntryKeys
                && object?["format"]?.string == "runproof/tenant-log-v1"
                && object?["tenant_id"]?.string.map { CheckpointBody.tenantLogPrefix + Checkpoint.percentEncoded($0) } == checkpoint.origin
        } else {
            fits = object?["step_index"]?.int == index && Set(object?.objectKeys ?? []) == StepField.keySet
        }
        guard let canonical = try? JCS.canonicalize(step), canonical == step, fits else {
            return failed("the proof's entry is not \(checkpoint.isTenantLog ? "a tenant-log entry of this tenant" : "the canonical step object at index \(index)")", .notCanonical, index)
        }
        let leaf = Leaf.hash(step)
        guard index < checkpoint.size, MerkleProof.verifyInclusion(leaf: leaf, index: index, size: checkpoint.size, path: path, root: checkpoint.root) else {
            return failed("step \(index) is not included in the checkpoint's tree (size \(checkpoint.size))", .mismatch, index)
        }
        var verdict = Verdict(kind: .hashChain)
        verdict.chainLength = checkpoint.size
        verdict.merkleRoot = checkpoint.root
        verdict.authenticity = authenticity
        verdict.signature = authenticity == .pubkey ? .valid : .notChecked
        return verdict
    }
}
