/// Witness cosignatures of checkpoints, in the c2sp.org/tlog-cosignature form (Ed25519, `cosignature/v1`).
///
/// A witness signs `"cosignature/v1\ntime <unix seconds>\n" ‖ checkpoint body`; its signature line is
/// `— <name> <base64(key hash ‖ 8-byte big-endian time ‖ signature)>`, with key hash
/// `H(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]` and verifier key `<name>+<hex key hash>+<base64(0x04 ‖ public key)>`.
public struct WitnessKey: Sendable {
    public var name: String
    public var key: PublicKey

    package init(name: String, key: PublicKey) throws(RunProofError) {
        guard NoteKey.isValidName(name) else { throw RunProofError(.usage, "witness name \"\(name)\" must be non-empty, without spaces or '+'") }
        self.name = name
        self.key = key
    }

    var keyHash: [UInt8] { Array(SHA256.hash(Array(name.utf8) + [0x0A, 0x04] + key.raw).bytes.prefix(4)) }

    package var verifierKey: String { "\(name)+\(Hex.encode(keyHash))+\(Base64.encode([0x04] + key.raw))" }

    public init?(verifierKey: String) {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, NoteKey.isValidName(String(parts[0])), let raw = Base64.decode(String(parts[2])),
              raw.count == 33, raw[0] == 0x04, let key = try? PublicKey(raw: Array(raw[1...])) else { return nil }
        name = String(parts[0])
        self.key = key
        guard Hex.encode(keyHash) == parts[1] else { return nil }
    }

    static func message(body: [UInt8], time: UInt64) -> [UInt8] { Array("cosignature/v1\ntime \(time)\n".utf8) + body }

    /// The cosignature line of a checkpoint body at `time` (seconds since the epoch).
    package static func cosign(body: [UInt8], time: UInt64, name: String, key: SigningKey) throws(RunProofError) -> String {
        let witness = try WitnessKey(name: name, key: key.publicKey)
        let timeBytes = (0 ..< 8).map { UInt8(truncatingIfNeeded: time >> (8 * (7 - $0))) }
        let signature = try key.sign(message(body: body, time: time))
        return "\u{2014} \(name) \(Base64.encode(witness.keyHash + timeBytes + signature))"
    }

    /// Whether any signature line of the note is this witness's valid cosignature of `body`.
    package func hasCosigned(note: [UInt8], body: [UInt8]) -> Bool {
        let prefix = "\u{2014} \(name) "
        for line in String(decoding: note, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            guard let raw = Base64.decode(String(line.dropFirst(prefix.count))), raw.count == 76,
                  Array(raw.prefix(4)) == keyHash else { continue }
            let time = raw[4 ..< 12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if key.isValidSignature(Array(raw.suffix(64)), for: WitnessKey.message(body: body, time: time)) { return true }
        }
        return false
    }
}

/// A parsed checkpoint body: origin, size and root hash (docs/chain-v1.md 10).
package struct CheckpointBody: Sendable, Equatable {
    package var origin: String
    package var size: Int
    package var root: Digest
    /// The extension lines after the root hash (RunProof's trace checkpoints have one: the chain head).
    var extensions: [String]

    /// Whether this is the checkpoint of a tenant log (docs/chain-v1.md 10.4).
    var isTenantLog: Bool { origin.hasPrefix(CheckpointBody.tenantLogPrefix) }
    static let tenantLogPrefix = "runproof-tenant-log/"

    package init?(_ body: [UInt8]) {
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, !lines[0].isEmpty, let size = Int(lines[1]), size >= 0, String(size) == lines[1],
              let raw = Base64.decode(String(lines[2])), let root = Digest(bytes: raw) else { return nil }
        origin = String(lines[0])
        self.size = size
        self.root = root
        extensions = lines.dropFirst(3).dropLast().map(String.init)
        guard lines.last == "", !extensions.contains(where: \.isEmpty) else { return nil }
    }
}
