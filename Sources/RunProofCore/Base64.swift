/// RFC 4648 base64 with padding, strict on decode.
package enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            for j in 0 ..< 4 {
                out.append(j <= n ? alphabet[Int(v >> (18 - 6 * UInt32(j)) & 63)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of each byte as a base64 digit, 255 for any other byte.
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (value, c) in alphabet.enumerated() { table[Int(c)] = UInt8(value) }
        return table
    }()

    /// Decodes padded base64; nil for any other text, including non-zero padding bits.
    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes padded base64 bytes (a table lookup per digit, no allocation but the output).
    static func decode(_ chars: UnsafeRawBufferPointer) -> [UInt8]? {
        guard chars.count % 4 == 0 else { return nil }
        let pad = chars.count == 0 ? 0 : chars[chars.count - 1] != UInt8(ascii: "=") ? 0 : chars[chars.count - 2] == UInt8(ascii: "=") ? 2 : 1
        var out = [UInt8](repeating: 0, count: chars.count / 4 * 3 - pad)
        var o = 0
        var i = 0
        let quads = chars.count / 4
        for q in 0 ..< quads {
            let last = q == quads - 1
            var v: UInt32 = 0
            for j in 0 ..< 4 {
                let c = chars[i + j]
                if last && j >= 4 - pad {
                    v <<= 6 // '=' (checked by `pad`)
                    continue
                }
                let d = values[Int(c)]
                guard d != 255 else { return nil }
                v = v << 6 | UInt32(d)
            }
            let count = last ? 3 - pad : 3
            // Non-zero padding bits are not canonical.
            if last && pad > 0 && v & (pad == 2 ? 0xFFFF : 0xFF) != 0 { return nil }
            if count > 0 { out[o] = UInt8(v >> 16 & 255) }
            if count > 1 { out[o + 1] = UInt8(v >> 8 & 255) }
            if count > 2 { out[o + 2] = UInt8(v & 255) }
            o += count
            i += 4
        }
        return out
    }
}
