/// A small JSON value for headers, seals and reports; serialized canonically (RFC 8785).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A canonical JSON text kept as its bytes: an object whose keys Swift's `String` would merge (keys that
    /// Unicode normalisation equates are distinct in JCS, docs/chain-v1.md 2.2), written out verbatim.
    case raw([UInt8])

    /// Parses any JSON text strictly (through the canonicalizer), rejecting what JCS rejects.
    public init(parsing bytes: [UInt8]) throws(JCSError) {
        let canonical = try JCS.canonicalize(bytes)
        var reader = CanonicalReader(canonical)
        self = reader.value()
    }

    public init(parsing text: String) throws(JCSError) { try self.init(parsing: Array(text.utf8)) }

    /// The RFC 8785 bytes of this value.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): NumberFormat.append(d, to: &out)
        case .string(let s): JCS.appendString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .raw(let bytes): out.append(contentsOf: bytes)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.keys.sorted { a, b in
                a.utf16.lexicographicallyPrecedes(b.utf16)
            }
            for (i, key) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JCS.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let d) = self { return d }; return nil }
    var isNull: Bool { self == .null }
    var isBool: Bool { if case .bool = self { return true }; return false }

    /// An integer value, when the number is integral and in range.
    public var int: Int? {
        guard case .number(let d) = self, d == d.rounded(), d.magnitude < 9007199254740992 else { return nil }
        return Int(d)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue {
    /// `.string(s)` or `.null`.
    public init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
    public init(_ number: Int) { self = .number(Double(number)) }
}

/// Reads canonical JSON (the canonicalizer's output) into values; trusts its input's form.
struct CanonicalReader {
    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func value() -> JSONValue {
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            let start = pos
            pos += 1
            var members: [String: JSONValue] = [:]
            var merged = false
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            while true {
                let key = string()
                pos += 1 // ':'
                // JCS already refused byte-identical keys: a key found again is a canonically equivalent one.
                if members.updateValue(value(), forKey: key) != nil { merged = true }
                let c = bytes[pos]; pos += 1
                if c == UInt8(ascii: "}") { return merged ? .raw(Array(bytes[start ..< pos])) : .object(members) }
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONValue] = []
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                items.append(value())
                let c = bytes[pos]; pos += 1
                if c == UInt8(ascii: "]") { return .array(items) }
            }
        case UInt8(ascii: "\""): return .string(string())
        case UInt8(ascii: "t"): pos += 4; return .bool(true)
        case UInt8(ascii: "f"): pos += 5; return .bool(false)
        case UInt8(ascii: "n"): pos += 4; return .null
        default:
            let start = pos
            while pos < bytes.count, !",]}".utf8.contains(bytes[pos]) { pos += 1 }
            return .number(Double(String(decoding: bytes[start ..< pos], as: UTF8.self))!)
        }
    }

    /// Decodes a canonical string: only \" \\ \b \t \n \f \r and \u00XX escapes occur.
    mutating func string() -> String {
        pos += 1
        var out: [UInt8] = []
        while bytes[pos] != UInt8(ascii: "\"") {
            if bytes[pos] == UInt8(ascii: "\\") {
                let c = bytes[pos + 1]
                pos += 2
                switch c {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "u"):
                    out.append(Hex.value(bytes[pos + 2])! << 4 | Hex.value(bytes[pos + 3])!)
                    pos += 4
                default: out.append(c)
                }
            } else {
                out.append(bytes[pos])
                pos += 1
            }
        }
        pos += 1
        return String(decoding: out, as: UTF8.self)
    }
}

extension CanonicalReader {
    /// Reads a canonical integer (digits, an optional minus) without building a value; nil, with `pos` after the
    /// value, for anything else.
    mutating func integer() -> Int? {
        let start = pos
        var negative = false, value = 0, digits = 0
        if bytes[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        while pos < bytes.count, case let d = bytes[pos] &- UInt8(ascii: "0"), d < 10 {
            guard digits < 18 else { pos = start; skipValue(); return nil }
            value = value * 10 + Int(d)
            digits += 1
            pos += 1
        }
        guard digits > 0, pos == bytes.count || Self.isEnd(bytes[pos]) else { pos = start; skipValue(); return nil }
        return negative ? -value : value
    }

    @inline(__always) static func isEnd(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: ":") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")
    }

    /// Skips one canonical value, leaving `pos` just after it.
    mutating func skipValue() {
        var depth = 0
        repeat {
            switch bytes[pos] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; pos += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; pos += 1
            case UInt8(ascii: "\""):
                pos += 1
                while bytes[pos] != UInt8(ascii: "\"") { pos += bytes[pos] == UInt8(ascii: "\\") ? 2 : 1 }
                pos += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"): pos += 1
            default:
                while pos < bytes.count, !CanonicalReader.isEnd(bytes[pos]) { pos += 1 }
            }
        } while depth > 0
    }

    /// Calls `body` with each top-level key of a canonical object and the range of its value.
    static func forEachMember(of bytes: [UInt8], _ body: (String, Range<Int>) throws -> Void) rethrows {
        var reader = CanonicalReader(bytes)
        guard bytes.first == UInt8(ascii: "{") else { return }
        reader.pos = 1
        if bytes[1] == UInt8(ascii: "}") { return }
        while true {
            let key = reader.string()
            reader.pos += 1
            let start = reader.pos
            reader.skipValue()
            try body(key, start ..< reader.pos)
            let c = bytes[reader.pos]; reader.pos += 1
            if c == UInt8(ascii: "}") { return }
        }
    }
}
