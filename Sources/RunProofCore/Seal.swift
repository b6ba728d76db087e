/// A signed checkpoint of a chain: its length, head and Merkle root, bound to tenant, run and trace.
public struct Seal: Sendable, Equatable {
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
}
