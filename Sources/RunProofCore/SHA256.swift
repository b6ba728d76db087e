internal import CRunProofCrypto

/// A SHA-256 digest held inline: 32 bytes, no heap.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public static func == (a: Digest, b: Digest) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0); hasher.combine(storage.1); hasher.combine(storage.2); hasher.combine(storage.3)
    }

    /// Reads 32 raw bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        withUnsafeMutableBytes { dst in
            for (i, b) in bytes.enumerated() { dst[i] = b }
        }
    }

    /// A digest from 64 lowercase hex digits given as bytes (a column as the database hands it over): one per
    /// stored step, so decoded without a branch per digit.
    package init?(hexBytes utf8: UnsafeRawBufferPointer) {
        guard utf8.count == 64 else { return nil }
        var invalid: UInt8 = 0
        self.init()
        withUnsafeMutableBytes { dst in
            for i in 0 ..< 32 {
                let hi = Hex.nibble(utf8[2 * i]), lo = Hex.nibble(utf8[2 * i + 1])
                invalid |= hi | lo
                dst[i] = hi << 4 | lo & 15
            }
        }
        if invalid > 15 { return nil }
    }

    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64 else { return nil }
        let utf8 = Array(hex.utf8)
        var ok = true
        withUnsafeMutableBytes { dst in
            for i in 0..<32 {
                guard let hi = Hex.value(utf8[2 * i]), let lo = Hex.value(utf8[2 * i + 1]) else { ok = false; return }
                dst[i] = hi << 4 | lo
            }
        }
        if !ok { return nil }
    }

    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    @inlinable
    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &storage, body)
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }
    public var description: String { hex }
}

/// Hex encoding of bytes, lowercase.
enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of a lowercase hex digit, nil for any other byte.
    @inline(__always) static func lowercaseValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
        default: nil
        }
    }

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = digits[Int(b >> 4)]
                out[2 * i + 1] = digits[Int(b & 15)]
            }
            return bytes.count * 2
        }
    }

    static func encode(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { encode($0) } }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = value(utf8[i]), let lo = value(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// The value of one lowercase hex digit, or 0xFF for any other byte (selected, not branched on).
    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8 {
        let digit = c &- UInt8(ascii: "0"), letter = c &- UInt8(ascii: "a") &+ 10
        return digit < 10 ? digit : (letter &- 10 < 6 ? letter : 0xFF)
    }

    /// The value of one lowercase hex digit.
    @inline(__always)
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

/// Incremental SHA-256 over OpenSSL's EVP API; the EVP context is owned here and reused after `finalize()`.
public final class SHA256 {
    /// The SHA256 implementation, fetched once per process (implicit fetches cost a lookup per init).
    nonisolated(unsafe) private static let md: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new(), let md = SHA256.md,
              EVP_DigestInit_ex2(context, md, nil) == 1
        else { fatalError("OpenSSL cannot provide SHA-256: \(OpenSSLError.drain())") }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    @inline(__always)
    public func update(bufferPointer: UnsafeRawBufferPointer) {
        guard bufferPointer.count > 0 else { return }
        EVP_DigestUpdate(context, bufferPointer.baseAddress, bufferPointer.count)
    }

    @inline(__always)
    func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { update(bufferPointer: $0) }
    }

    @inline(__always)
    func update(digest: Digest) {
        digest.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// `H(tag || a || b)`, the 65 bytes of a chain link or a Merkle node passed to OpenSSL in one call (each call
    /// costs about as much as hashing a third of a block).
    @inline(__always)
    func hash(tag: UInt8, _ a: Digest, _ b: Digest) -> Digest {
        // Laid out as eight bytes, then `a` and `b` (72 bytes): the tag goes in the eighth, just before `a`.
        var message = (UInt64(0), a, b)
        return withUnsafeMutableBytes(of: &message) { raw in
            raw[7] = tag
            update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[7 ..< 72]))
            return finalize()
        }
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    func update(_ text: String) {
        var text = text
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Returns the digest of everything written since the last finalize, and starts over.
    @inline(__always)
    public func finalize() -> Digest {
        var digest = Digest()
        digest.withUnsafeMutableBytes { out in
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
        }
        EVP_DigestInit_ex2(context, nil, nil)
        return digest
    }

    /// One-shot digest of a buffer.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        let hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize()
    }

    public static func hash(_ bytes: [UInt8]) -> Digest { bytes.withUnsafeBytes { hash($0) } }
}

/// Reads and clears OpenSSL's thread error queue.
enum OpenSSLError {
    static func drain() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no OpenSSL error recorded" : messages.joined(separator: "; ")
    }
}
