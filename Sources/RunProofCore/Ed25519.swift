internal import CRunProofCrypto

/// An owned `EVP_PKEY`, freed with its owner.
final class PKey {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    /// Parses a PEM key with the given PEM reader, accepting Ed25519 keys only.
    static func read(pem: String, what: String,
                     _ reader: (OpaquePointer) -> OpaquePointer?) throws(RunProofError) -> PKey {
        var bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeMutableBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return reader(bio)
        }
        guard let key else {
            throw RunProofError(.key, "not a PEM \(what)", underlying: OpenSSLError.drain(), origin: .openssl)
        }
        let owned = PKey(key)
        guard EVP_PKEY_get_base_id(key) == crunproof_pkey_ed25519() else {
            throw RunProofError(.key, "the \(what) is not an Ed25519 key")
        }
        return owned
    }

    /// Writes the key as PEM with the given writer.
    func pem(_ writer: (OpaquePointer, OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("OpenSSL cannot allocate a BIO") }
        defer { BIO_free(bio) }
        guard writer(bio, pointer) == 1 else { fatalError("OpenSSL cannot write a PEM key: \(OpenSSLError.drain())") }
        var out = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let n = BIO_read(bio, &out, Int32(out.count))
        return String(decoding: out.prefix(Int(max(n, 0))), as: UTF8.self)
    }

    var rawPublicKey: [UInt8] {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(pointer, &raw, &length) == 1, length == 32 else {
            fatalError("OpenSSL cannot export an Ed25519 public key: \(OpenSSLError.drain())")
        }
        return raw
    }
}

/// An Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes).
public final class SigningKey: @unchecked Sendable {
    let key: PKey

    /// Generates a new key from OpenSSL's CSPRNG.
    public init() throws(RunProofError) {
        guard let context = EVP_PKEY_CTX_new_id(crunproof_pkey_ed25519(), nil) else {
            throw RunProofError(.crypto, "cannot create an Ed25519 key context", underlying: OpenSSLError.drain(), origin: .openssl)
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw RunProofError(.crypto, "cannot generate an Ed25519 key", underlying: OpenSSLError.drain(), origin: .openssl)
        }
        self.key = PKey(key)
    }

    public init(pem: String) throws(RunProofError) {
        key = try PKey.read(pem: pem, what: "private key") { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
    }

    /// The PKCS#8 PEM text of this key.
    public var pem: String { key.pem { PEM_write_bio_PrivateKey($0, $1, nil, nil, 0, nil, nil) } }

    public var publicKey: PublicKey {
        // Cannot fail: the raw key comes from a valid private key.
        try! PublicKey(raw: key.rawPublicKey)
    }

    /// The 64-byte Ed25519 signature of a message.
    public func sign(_ message: [UInt8]) throws(RunProofError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw RunProofError(.crypto, "cannot allocate a digest context") }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1,
              EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64
        else { throw RunProofError(.crypto, "Ed25519 signing failed", underlying: OpenSSLError.drain(), origin: .openssl) }
        return signature
    }
}

/// An Ed25519 public key (SubjectPublicKeyInfo PEM, or the raw 32 bytes).
public final class PublicKey: @unchecked Sendable {
    let key: PKey
    /// The raw 32-byte key.
    public let raw: [UInt8]

    public init(pem: String) throws(RunProofError) {
        key = try PKey.read(pem: pem, what: "public key") { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        raw = key.rawPublicKey
    }

    public init(raw: [UInt8]) throws(RunProofError) {
        guard raw.count == 32,
              let pointer = EVP_PKEY_new_raw_public_key(crunproof_pkey_ed25519(), nil, raw, raw.count)
        else { throw RunProofError(.key, "not a raw Ed25519 public key", underlying: OpenSSLError.drain(), origin: .openssl) }
        key = PKey(pointer)
        self.raw = raw
    }

    /// The key id of the chain format: hex SHA-256 of the raw public key.
    public var keyId: String { SHA256.hash(raw).hex }

    /// The SubjectPublicKeyInfo PEM text of this key.
    public var pem: String { key.pem { PEM_write_bio_PUBKEY($0, $1) } }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let ok = EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1
            && EVP_DigestVerify(context, signature, 64, message, message.count) == 1
        if !ok { ERR_clear_error() }
        return ok
    }
}
