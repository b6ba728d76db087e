/// A signed checkpoint of a chain: its length, head and Merkle root, bound to tenant, run and trace.
public struct Seal: Sendable, Equatable {
    static let keys: Set<String> = ["chain_length", "closed", "format", "genesis", "head", "key_id", "merkle_root", "run_id",
                                    "sealed_at", "tenant_id", "trace_id"]

    public var chainLength: Int
    public var genesis: Digest
    public var head: Digest
    public var keyId: String?
    public var merkleRoot: Digest
    public var runId: String
    public var sealedAt: String
    public var tenantId: String
    public var traceId: String
    /// Whether this is the closing seal of a finished trace (`"closed": true`; absent otherwise).
    public var closed = false
    /// Base64 Ed25519 signature over `JCS(seal object)`; nil for an unsigned seal.
    public var signature: String?
    /// The signed-note signature line of this seal's checkpoint (docs/chain-v1.md 10), when it was signed with one.
    public var checkpointSignature: String?

    public init(header: TraceHeader, length: Int, head: Digest, merkleRoot: Digest, sealedAt: String = Timestamp.now()) {
        chainLength = length
        genesis = header.genesis
        self.head = head
        keyId = nil
        self.merkleRoot = merkleRoot
        runId = header.runId
        self.sealedAt = sealedAt
        tenantId = header.tenantId
        traceId = header.traceId
        signature = nil
    }

    /// The seal object that is signed (without the signature).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "chain_length": JSONValue(chainLength), "format": .string(TraceHeader.format), "genesis": .string(genesis.hex),
            "head": .string(head.hex), "key_id": JSONValue(keyId), "merkle_root": .string(merkleRoot.hex),
            "run_id": .string(runId), "sealed_at": .string(sealedAt), "tenant_id": .string(tenantId),
            "trace_id": .string(traceId)]
        if closed { members["closed"] = true }
        return .object(members)
    }

    /// The closing seal of this seal's chain state: the same length, head and root, `closed`, unsigned.
    package func closing(sealedAt: String = Timestamp.now()) -> Seal {
        var seal = self
        seal.closed = true
        seal.sealedAt = sealedAt
        seal.keyId = nil
        seal.signature = nil
        seal.checkpointSignature = nil
        return seal
    }

    /// The seal as it is stored and exported: `{"seal": {...}, "signature": "..."}`.
    public var record: JSONValue {
        var members: [String: JSONValue] = ["seal": json]
        if let signature { members["signature"] = .string(signature) }
        if let checkpointSignature { members["checkpoint_signature"] = .string(checkpointSignature) }
        return .object(members)
    }

    /// Signs the seal, setting `key_id` and `signature`.
    public mutating func sign(with key: SigningKey, keyName: String = Checkpoint.defaultKeyName) throws(RunProofError) {
        keyId = key.publicKey.keyId
        signature = Base64.encode(try key.sign(json.canonicalBytes))
        checkpointSignature = try NoteKey.signatureLine(body: Checkpoint.body(of: self), name: keyName, key: key)
    }

    /// Whether the checkpoint signature, if any, is `key`'s valid signed-note signature of this seal's checkpoint.
    func isCheckpointSignatureValid(for key: PublicKey) -> Bool {
        guard let line = checkpointSignature else { return true }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 3, let noteKey = try? NoteKey(name: String(fields[1]), key: key) else { return false }
        return noteKey.verifies(line: line, body: Checkpoint.body(of: self))
    }

    /// Whether the signature is a valid signature of this seal by `key`.
    public func isSignatureValid(for key: PublicKey) -> Bool {
        guard let signature, let raw = Base64.decode(signature) else { return false }
        return key.isValidSignature(raw, for: json.canonicalBytes)
    }

    /// Reads a seal record, rejecting missing or unexpected keys and wrong types.
    public init(record: JSONValue) throws(RunProofError) {
        guard case .object(let outer) = record, case .object(let s)? = outer["seal"] else {
            throw RunProofError(.malformed, "seal record has no seal object")
        }
        if let extra = Set(outer.keys).subtracting(["seal", "signature", "checkpoint_signature"]).first ?? Set(s.keys).subtracting(Seal.keys).sorted().first {
            throw RunProofError(.malformed, "seal has unexpected key \"\(extra)\"")
        }
        func text(_ key: String) throws(RunProofError) -> String {
            guard let v = s[key]?.string else { throw RunProofError(.malformed, "seal \(key) is missing or not a string") }
            return v
        }
        func digest(_ key: String) throws(RunProofError) -> Digest {
            guard let d = Digest(hex: try text(key)) else { throw RunProofError(.malformed, "seal \(key) is not a SHA-256 hex digest") }
            return d
        }
        guard try text("format") == TraceHeader.format else { throw RunProofError(.malformed, "seal format is not \(TraceHeader.format)") }
        guard let length = s["chain_length"]?.int, length > 0 else {
            throw RunProofError(.malformed, "seal chain_length is missing or not a positive integer")
        }
        guard let keyId = s["key_id"], keyId.isNull || keyId.string != nil else {
            throw RunProofError(.malformed, "seal key_id is missing or not a string or null")
        }
        let signature = outer["signature"]
        guard signature == nil || signature?.string != nil else { throw RunProofError(.malformed, "seal signature is not a string") }
        if let closed = s["closed"], closed != .bool(true) {
            throw RunProofError(.malformed, "seal closed is not true (it is present only on a closing seal)")
        }
        if let id = keyId.string, !(id.utf8.count == 64 && id.utf8.allSatisfy { Hex.value($0) != nil && !($0 >= 0x41 && $0 <= 0x46) }) {
            throw RunProofError(.malformed, "seal key_id is not 64 lowercase hex digits")
        }
        guard (keyId.string == nil) == (signature == nil) else {
            throw RunProofError(.malformed, keyId.string == nil ? "an unsigned seal (key_id null) carries a signature" : "seal key_id names a key but the seal has no signature")
        }
        guard let at = s["sealed_at"]?.string, (try? Timestamp.normalize(at)) == at else {
            throw RunProofError(.malformed, "seal sealed_at is not a timestamp in the chain format (YYYY-MM-DDTHH:MM:SS.ffffffZ)")
        }
        chainLength = length
        closed = s["closed"] != nil
        genesis = try digest("genesis")
        head = try digest("head")
        self.keyId = keyId.string
        merkleRoot = try digest("merkle_root")
        runId = try text("run_id")
        sealedAt = try text("sealed_at")
        tenantId = try text("tenant_id")
        traceId = try text("trace_id")
        self.signature = signature?.string
        if let line = outer["checkpoint_signature"] {
            guard let text = line.string else { throw RunProofError(.malformed, "seal checkpoint_signature is not a string") }
            guard self.signature != nil else { throw RunProofError(.malformed, "an unsigned seal carries a checkpoint_signature") }
            checkpointSignature = text
        }
    }
}
