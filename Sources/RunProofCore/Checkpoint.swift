/// Seals as C2SP tlog-checkpoints, signed as C2SP signed notes with Ed25519 (docs/chain-v1.md 10).
public enum Checkpoint {
    /// The key name used when none is chosen.
    public static let defaultKeyName = "runproof"

    /// `runproof/<enc(tenant)>/<enc(trace)>`: an origin with no space, `+` or `/` of its own.
    package static func origin(tenant: String, trace: String) -> String {
        "runproof/\(percentEncoded(tenant))/\(percentEncoded(trace))"
    }

    /// The checkpoint body of a seal: origin, size, base64 root hash, and the chain head as an extension line.
    package static func body(of seal: Seal) -> [UInt8] {
        let text = "\(origin(tenant: seal.tenantId, trace: seal.traceId))\n\(seal.chainLength)\n"
            + "\(Base64.encode(seal.merkleRoot.bytes))\nrunproof-head \(seal.head.hex)\n"
        return Array(text.utf8)
    }

    package static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}

/// An Ed25519 key as signed notes name it: a key name and the public key.
public struct NoteKey: Sendable {
    public var name: String
    public var key: PublicKey

    public init(name: String, key: PublicKey) throws(RunProofError) {
        guard NoteKey.isValidName(name) else {
            throw RunProofError(.usage, "note key name \"\(name)\" must be non-empty and hold no space, no '+' and no control character")
        }
        self.name = name
        self.key = key
    }

    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// The first 4 bytes of `H(name ‖ 0x0A ‖ 0x01 ‖ public key)`.
    var keyHash: [UInt8] { Array(SHA256.hash(Array(name.utf8) + [0x0A, 0x01] + key.raw).bytes.prefix(4)) }

    /// `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`, the verifier key note verifiers take.
    public var verifierKey: String {
        "\(name)+\(Hex.encode(keyHash))+\(Base64.encode([0x01] + key.raw))"
    }

    /// Parses a verifier key string; nil when it is not an Ed25519 verifier key.
    public init?(verifierKey: String) {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, NoteKey.isValidName(String(parts[0])), parts[1].count == 8,
              let raw = Base64.decode(String(parts[2])), raw.count == 33, raw[0] == 0x01,
              let key = try? PublicKey(raw: Array(raw[1...])) else { return nil }
        name = String(parts[0])
        self.key = key
        guard Hex.encode(keyHash) == parts[1] else { return nil }
    }

    /// The signature line `— <name> <base64(key hash ‖ signature)>` (no final newline) of a note body.
    package static func signatureLine(body: [UInt8], name: String, key: SigningKey) throws(RunProofError) -> String {
        let noteKey = try NoteKey(name: name, key: key.publicKey)
        return "\u{2014} \(name) \(Base64.encode(noteKey.keyHash + (try key.sign(body))))"
    }

    /// Whether `line` is this key's valid signature line over `body`.
    func verifies(line: String, body: [UInt8]) -> Bool {
        let prefix = "\u{2014} \(name) "
        guard line.hasPrefix(prefix), let raw = Base64.decode(String(line.dropFirst(prefix.count))), raw.count == 68,
              Array(raw.prefix(4)) == keyHash else { return false }
        return key.isValidSignature(Array(raw.dropFirst(4)), for: body)
    }

    /// Opens a signed note as Go's `note.Open` does: the text up to the last blank line, verified by this key.
    /// Returns the note's text, or nil when no valid signature of this key is on it.
    public func open(_ note: [UInt8]) -> [UInt8]? {
        guard let text = String(validating: note, as: UTF8.self),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }), note.last == 0x0A else { return nil }
        // Split at the last "\n\n": the text (ending in \n) and the signature lines.
        var split: Int?
        for i in stride(from: note.count - 2, through: 0, by: -1) where note[i] == 0x0A && note[i + 1] == 0x0A { split = i; break }
        guard let split else { return nil }
        let body = Array(note[...split])
        let lines = String(decoding: note[(split + 2)...], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard !lines.isEmpty, lines.allSatisfy({ $0.hasPrefix("\u{2014} ") }) else { return nil }
        // The first line naming this key decides, as in Go.
        guard let mine = lines.first(where: { line in
            let fields = line.dropFirst(2).split(separator: " ")
            guard fields.count == 2, fields[0] == name, let raw = Base64.decode(String(fields[1])), raw.count >= 4 else { return false }
            return Array(raw.prefix(4)) == keyHash
        }) else { return nil }
        return verifies(line: String(mine), body: body) ? body : nil
    }
}
