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
    public static let firstLine = "c2sp.org/tlog-proof@v1"

    /// The proof of one step (its canonical bytes) at `index`, by `path`, against a seal that carries its checkpoint signature.
    public static func render(step: [UInt8], index: Int, path: [Digest], seal: Seal) throws(RunProofError) -> String {
        guard let line = seal.checkpointSignature else {
            throw RunProofError(.usage, "the seal at chain_length \(seal.chainLength) is unsigned: a tlog-proof ends in a signed checkpoint; seal with --key")
        }
        var text = "\(firstLine)\nextra \(Base64.encode(step))\nindex \(index)\n"
        for hash in path { text += Base64.encode(hash.bytes) + "\n" }
        return text + "\n" + String(decoding: Checkpoint.body(of: seal), as: UTF8.self) + "\n" + line + "\n"
    }

    /// The offset of the first "\n\n" (its first newline).
    static func firstBlankLine(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        return (0 ..< bytes.count - 1).first { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }
    }

    /// Whether `text` is a tlog-proof (by its first line).
    public static func isTlogProof(_ text: [UInt8]) -> Bool { text.starts(with: Array((firstLine + "\n").utf8)) }

    /// Verifies a tlog-proof: the step hashes to a leaf included at `index` in the checkpoint's tree, and the
    /// checkpoint is signed by `key` (a verifier key, or the public key under the name on its signature line).
    public static func verify(_ text: [UInt8], verifierKey: NoteKey?, publicKey: PublicKey?) -> Verdict {
        func failed(_ reason: String, _ kind: Verdict.FailureKind, _ index: Int? = nil) -> Verdict {
            Verdict(kind: .failed, reason: reason, failingStepIndex: index, failureKind: kind)
        }
        guard isTlogProof(text), let blank = firstBlankLine(text) else { return failed("malformed tlog-proof: no proof block", .notCanonical) }
        let head = String(decoding: text[..<blank], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let note = Array(text[(blank + 2)...])
        guard head.count >= 3, head[1].hasPrefix("extra "), let step = Base64.decode(String(head[1].dropFirst(6))),
              head[2].hasPrefix("index "), let index = Int(head[2].dropFirst(6)), index >= 0 else {
            return failed("malformed tlog-proof: expected the extra (the step) and index lines", .notCanonical)
        }
        var path: [Digest] = []
        for line in head.dropFirst(3) {
            guard let raw = Base64.decode(line), let hash = Digest(bytes: raw) else { return failed("malformed tlog-proof: a path line is not a base64 hash", .notCanonical) }
            path.append(hash)
        }
        // The checkpoint: verified by the key when one is given, else read as it stands (authenticity unchecked).
        var authenticity = Verdict.Authenticity.unchecked
        let body: [UInt8]
        let key = verifierKey ?? publicKey.flatMap { publicKey in
            String(decoding: note, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("\u{2014} ") }
                .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { try? NoteKey(name: String($0), key: publicKey) } }
        }
        if let key {
            guard let opened = key.open(note) else { return failed("the checkpoint is not signed by \(key.name)", .signature) }
            body = opened
            authenticity = .pubkey
        } else {
            guard let end = firstBlankLine(note) else { return failed("malformed tlog-proof: no signed checkpoint", .notCanonical) }
            body = Array(note[...end])
        }
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count >= 3, let size = Int(lines[1]), let rootBytes = Base64.decode(lines[2]), let root = Digest(bytes: rootBytes) else {
            return failed("malformed checkpoint in the tlog-proof", .notCanonical)
        }
        // The entry is a step object at its index, or a tenant-log entry (docs/chain-v1.md 10.4).
        let object = try? JSONValue(parsing: step)
        guard let canonical = try? JCS.canonicalize(step), canonical == step,
              object?["step_index"]?.int == index || object?["format"]?.string == "runproof/tenant-log-v1" else {
            return failed("the proof's entry is not the canonical step object at index \(index), nor a tenant-log entry", .notCanonical, index)
        }
        let leaf = SHA256.hash([0] + step)
        guard index < size, MerkleProof.verifyInclusion(leaf: leaf, index: index, size: size, path: path, root: root) else {
            return failed("step \(index) is not included in the checkpoint's tree (size \(size))", .mismatch, index)
        }
        var verdict = Verdict(kind: .hashChain)
        verdict.chainLength = size
        verdict.merkleRoot = root
        verdict.authenticity = authenticity
        verdict.signature = key == nil ? .notChecked : .valid
        return verdict
    }
}
