/// Trusted signing keys with their validity periods: rotation and revocation (docs/chain-v1.md 6.4).
///
/// `{"keys": [{"key_id", "public_key" (SPKI PEM), "not_before", "not_after" | null, "revoked_at" | null}]}`
public struct Keyring: Sendable {
    public struct Entry: Sendable {
        public var key: PublicKey
        /// Normalized timestamps (docs/chain-v1.md 2.3), which compare as text.
        public var notBefore: String
        public var notAfter: String?
        public var revokedAt: String?

        public init(key: PublicKey, notBefore: String, notAfter: String? = nil, revokedAt: String? = nil) {
            self.key = key
            self.notBefore = notBefore
            self.notAfter = notAfter
            self.revokedAt = revokedAt
        }

        var json: JSONValue {
            ["key_id": .string(key.keyId), "public_key": .string(key.pem), "not_before": .string(notBefore),
             "not_after": JSONValue(notAfter), "revoked_at": JSONValue(revokedAt)]
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads a keyring, refusing unknown keys, a key_id that is not its key's, and timestamps that do not parse.
    public init(json: JSONValue) throws(RunProofError) {
        guard case .array(let keys)? = json["keys"], json.objectKeys == ["keys"] else {
            throw RunProofError(.malformed, "keyring: expected {\"keys\": [...]}")
        }
        entries = []
        for (n, item) in keys.enumerated() {
            let at = "keyring entry \(n)"
            guard Set(item.objectKeys) == ["key_id", "public_key", "not_before", "not_after", "revoked_at"] else {
                throw RunProofError(.malformed, "\(at): expected exactly key_id, public_key, not_before, not_after, revoked_at")
            }
            guard let pem = item["public_key"]?.string else { throw RunProofError(.malformed, "\(at): public_key is not a PEM string") }
            let key = try PublicKey(pem: pem)
            guard item["key_id"]?.string == key.keyId else {
                throw RunProofError(.malformed, "\(at): key_id is not the SHA-256 of its public key (\(key.keyId))")
            }
            func time(_ name: String, optional: Bool) throws(RunProofError) -> String? {
                let value = item[name]
                if optional, value == .null { return nil }
                guard let text = value?.string else { throw RunProofError(.malformed, "\(at): \(name) is not a timestamp") }
                do { return try Timestamp.normalize(text) } catch {
                    throw RunProofError(.malformed, "\(at): \(name): \(error.message)")
                }
            }
            entries.append(Entry(key: key, notBefore: try time("not_before", optional: false)!,
                                 notAfter: try time("not_after", optional: true), revokedAt: try time("revoked_at", optional: true)))
        }
    }

    public var json: JSONValue { ["keys": .array(entries.map(\.json))] }

    /// Why `keyId` may not sign at `sealedAt`, or the key that may.
    func key(_ keyId: String, at sealedAt: String) -> Result<PublicKey, KeyProblem> {
        guard let entry = entries.first(where: { $0.key.keyId == keyId }) else { return .failure(.unknown) }
        guard let time = try? Timestamp.normalize(sealedAt) else { return .failure(.badTime) }
        if time < entry.notBefore { return .failure(.notYetValid(entry.notBefore)) }
        if let end = entry.notAfter, time >= end { return .failure(.expired(end)) }
        if let revoked = entry.revokedAt, time >= revoked { return .failure(.revoked(revoked)) }
        return .success(entry.key)
    }

    enum KeyProblem: Error, CustomStringConvertible {
        case unknown, badTime
        case notYetValid(String), expired(String), revoked(String)

        var description: String {
            switch self {
            case .unknown: "is not in the keyring"
            case .badTime: "cannot be checked: the signing time is not a timestamp"
            case .notYetValid(let t): "was not yet valid (not_before \(t))"
            case .expired(let t): "had expired (not_after \(t))"
            case .revoked(let t): "was revoked at \(t)"
            }
        }
    }
}
