#if canImport(Glibc)
import Glibc
#endif

/// RFC 8785 JSON Canonicalization: a strict JSON parser that streams bytes in and canonical bytes out.
///
/// Objects are the only values buffered: their members are written as they are parsed and
/// reordered in place when the keys were not already in UTF-16 order. Scratch storage is
/// kept between calls, so reuse one canonicalizer on a hot path. Public for the fuzzer (Fuzz/), which checks that
/// the fast path and the parser agree, and for embedders canonicalizing their own JSON.
public struct JCS: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    static let maxDepth = 128

    private struct Member {
        var keyStart: Int, keyEnd: Int      // decoded key bytes in `keys`
        var start: Int, end: Int            // canonical member bytes in `out`
    }

    private var members: [Member] = []
    private var keys: [UInt8] = []
    private var scratch: [UInt8] = []
    private var order: [Int] = []

    public init() {}

    /// Canonicalizes one JSON text, appending its canonical form to `out`. A text already in canonical form (every
    /// line RunProof writes) is validated and copied, not re-emitted.
    public mutating func canonicalize(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(JCSError) {
        if isCanonical(input) {
            out.append(contentsOf: input)
            return
        }
        // Canonical but for the spaces between tokens (PostgreSQL writes jsonb so: a space after each `:` and `,`, and
        // its keys in canonical order when they are ASCII of one length): checked again as it is without them.
        let start = out.count
        if Self.appendWithoutSpaces(input, to: &out), out.withUnsafeBytes({ isCanonical(UnsafeRawBufferPointer(rebasing: $0[start...])) }) {
            return
        }
        out.removeSubrange(start...)
        try canonicalizeByParsing(input, into: &out)
    }

    /// Appends `input` without the whitespace that follows a `,`, `:`, `{` or `[` outside strings (where a new token
    /// starts, so none is split); false, with `out` as it was, where there is other whitespace or none to leave out.
    static func appendWithoutSpaces(_ input: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        // No space at all (other whitespace is left to the parser): nothing to leave out, found without a walk.
        guard let base = input.baseAddress, memchr(base, 0x20, input.count) != nil else { return false }
        let start = out.count
        var run = 0, i = 0, inString = false, removed = false, last: UInt8 = 0
        while i < input.count {
            let c = input[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
            } else if Parser.isWhitespace(c) {
                guard last == UInt8(ascii: ",") || last == UInt8(ascii: ":") || last == UInt8(ascii: "{") || last == UInt8(ascii: "[") else {
                    out.removeSubrange(start...)
                    return false
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[run ..< i]))
                while i < input.count, Parser.isWhitespace(input[i]) { i += 1 }
                run = i
                removed = true
                continue
            } else if c == UInt8(ascii: "\"") {
                inString = true
            }
            last = c
            i += 1
        }
        guard removed else { return false }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[run...]))
        return true
    }

    /// Canonicalizes by parsing and re-emitting, whatever the input (the reference the fast path is tested against).
    public mutating func canonicalizeByParsing(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(JCSError) {
        members.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        var parser = Parser(input: input.bindMemory(to: UInt8.self))
        parser.skipWhitespace()
        try parseValue(&parser, &out, depth: 0)
        parser.skipWhitespace()
        if parser.pos != parser.input.count {
            throw JCSError("unexpected data after the JSON value", offset: parser.pos)
        }
    }

    /// Canonical bytes of a JSON text.
    public static func canonicalize(_ bytes: [UInt8]) throws(JCSError) -> [UInt8] {
        var jcs = JCS()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { raw.deallocate() }
        raw.copyBytes(from: bytes)
        try jcs.canonicalize(UnsafeRawBufferPointer(raw), into: &out)
        return out
    }

    static func canonicalize(_ text: String) throws(JCSError) -> [UInt8] {
        try canonicalize(Array(text.utf8))
    }

    // MARK: - Already canonical?

    /// Whether `input` is exactly its own canonical form, checked in one pass without writing it out: no whitespace,
    /// keys in UTF-16 order without repeats, minimal string escapes, well-formed UTF-8, numbers in ECMAScript form
    /// that are exactly a double. Conservative: false for anything it does not check cheaply (an escaped key), and
    /// for anything wrong; the parser then decides and reports.
    public mutating func isCanonical(_ input: UnsafeRawBufferPointer) -> Bool {
        var p = Parser(input: input.bindMemory(to: UInt8.self))
        return checkValue(&p, depth: 0) && p.pos == p.input.count
    }

    /// Whether `input` starts with a line that is exactly the canonical object with the members of a template: the
    /// object, then the end of `input` or a newline. Returns where the object ends (after its `}`), nil otherwise.
    ///
    /// `prefixes` holds what comes before each value end to end (`{"a":`, `,"b":` …), each ending at `ends[i]` and
    /// none shorter than 8 bytes; its keys must be distinct, unescaped and in canonical order. Each key is then
    /// compared as a few words and only the values are checked, so an object that fits is canonical exactly when
    /// its values are. `valueEnds[i]` gets where value `i` ends (the `,` or `}` after it). Canonical JSON holds no
    /// newline, so no value accepted runs past the line; the checks may look ahead past its end (a string's next
    /// eight bytes, a number's next byte) within `input`, which therefore runs to the end of the caller's buffer.
    /// Anything else is left to `isCanonical` or the parser.
    mutating func canonicalLine(_ input: UnsafeRawBufferPointer, prefixes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>,
                                valueEnds: UnsafeMutableBufferPointer<Int>) -> Int? {
        guard let base = input.baseAddress else { return nil }
        var p = Parser(input: input.bindMemory(to: UInt8.self))
        var prefix = 0
        for (i, end) in ends.enumerated() {
            let length = end - prefix
            precondition(length >= 8, "a template's prefixes are at least 8 bytes")
            guard input.count - p.pos > length, JCS.equal(base + p.pos, prefixes.baseAddress! + prefix, length) else { return nil }
            p.pos += length
            guard checkValue(&p, depth: 1) else { return nil }
            valueEnds[i] = p.pos
            prefix = end
        }
        guard p.pos < input.count, input[p.pos] == UInt8(ascii: "}") else { return nil }
        p.pos += 1
        return p.pos == input.count || input[p.pos] == 0x0A ? p.pos : nil
    }

    /// Whether the `n` bytes (at least 8) at `a` and `b` are the same, compared a word at a time.
    @inline(__always) static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var i = 0
        while n - i > 8 {
            guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
            i += 8
        }
        return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }

    private mutating func checkValue(_ p: inout Parser, depth: Int) -> Bool {
        guard let c = p.peek() else { return false }
        switch c {
        case UInt8(ascii: "{"): return depth < JCS.maxDepth && checkObject(&p, depth: depth + 1)
        case UInt8(ascii: "["): return depth < JCS.maxDepth && checkArray(&p, depth: depth + 1)
        case UInt8(ascii: "\""): return p.checkString() != nil
        case UInt8(ascii: "t"): return p.checkLiteral("true")
        case UInt8(ascii: "f"): return p.checkLiteral("false")
        case UInt8(ascii: "n"): return p.checkLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if p.checkPlainInteger() || p.checkPlainDecimal() { return true }
            // The parser's own number rule, compared with the text: canonical means it would write the same bytes.
            let start = p.pos
            scratch.removeAll(keepingCapacity: true)
            guard (try? p.parseNumber(into: &scratch)) != nil else { return false }
            return scratch.elementsEqual(UnsafeBufferPointer(rebasing: p.input[start ..< p.pos]))
        default: return false
        }
    }

    private mutating func checkArray(_ p: inout Parser, depth: Int) -> Bool {
        p.pos += 1
        if p.peek() == UInt8(ascii: "]") { p.pos += 1; return true }
        while true {
            guard checkValue(&p, depth: depth) else { return false }
            switch p.next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return true
            default: return false
            }
        }
    }

    private mutating func checkObject(_ p: inout Parser, depth: Int) -> Bool {
        p.pos += 1
        if p.peek() == UInt8(ascii: "}") { p.pos += 1; return true }
        var previous: Range<Int>?
        while true {
            guard p.peek() == UInt8(ascii: "\"") else { return false }
            let keyStart = p.pos + 1
            // An unescaped key's bytes are its UTF-8: compared as the parser compares decoded keys.
            guard p.checkString() == false else { return false }
            let key = keyStart ..< p.pos - 1
            if let previous, JCS.compareUTF16(UnsafeBufferPointer(rebasing: p.input[previous]),
                                              UnsafeBufferPointer(rebasing: p.input[key])) >= 0 { return false }
            previous = key
            guard p.next() == UInt8(ascii: ":"), checkValue(&p, depth: depth) else { return false }
            switch p.next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return true
            default: return false
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue(_ p: inout Parser, _ out: inout [UInt8], depth: Int) throws(JCSError) {
        guard let c = p.peek() else { throw JCSError("unexpected end of input", offset: p.pos) }
        switch c {
        case UInt8(ascii: "{"): try parseObject(&p, &out, depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(&p, &out, depth: depth + 1)
        case UInt8(ascii: "\""): try p.parseString(into: &out, key: nil)
        case UInt8(ascii: "t"): try p.literal("true", &out)
        case UInt8(ascii: "f"): try p.literal("false", &out)
        case UInt8(ascii: "n"): try p.literal("null", &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try p.parseNumber(into: &out)
        default: throw JCSError("unexpected character '\(Parser.describe(c))'", offset: p.pos)
        }
    }

    private mutating func parseArray(_ p: inout Parser, _ out: inout [UInt8], depth: Int) throws(JCSError) {
        guard depth <= JCS.maxDepth else { throw JCSError("nesting deeper than \(JCS.maxDepth)", offset: p.pos) }
        p.pos += 1
        out.append(UInt8(ascii: "["))
        p.skipWhitespace()
        if p.peek() == UInt8(ascii: "]") { p.pos += 1; out.append(UInt8(ascii: "]")); return }
        var index = 0
        while true {
            do { try parseValue(&p, &out, depth: depth) } catch { throw error.inside(index: index) }
            p.skipWhitespace()
            switch p.next() {
            case UInt8(ascii: ","): out.append(UInt8(ascii: ",")); p.skipWhitespace(); index += 1
            case UInt8(ascii: "]"): out.append(UInt8(ascii: "]")); return
            default: throw JCSError("expected ',' or ']' in array", offset: p.pos - 1).inside(index: index)
            }
        }
    }

    private mutating func parseObject(_ p: inout Parser, _ out: inout [UInt8], depth: Int) throws(JCSError) {
        guard depth <= JCS.maxDepth else { throw JCSError("nesting deeper than \(JCS.maxDepth)", offset: p.pos) }
        p.pos += 1
        out.append(UInt8(ascii: "{"))
        let contentStart = out.count
        let base = members.count
        let keyBase = keys.count
        defer { members.removeSubrange(base...); keys.removeSubrange(keyBase...) }
        p.skipWhitespace()
        if p.peek() == UInt8(ascii: "}") { p.pos += 1; out.append(UInt8(ascii: "}")); return }
        while true {
            guard p.peek() == UInt8(ascii: "\"") else { throw JCSError("expected a string key", offset: p.pos) }
            let start = out.count
            let keyStart = keys.count
            try p.parseString(into: &out, key: &keys)
            p.skipWhitespace()
            guard p.next() == UInt8(ascii: ":") else { throw JCSError("expected ':' after key", offset: p.pos - 1) }
            out.append(UInt8(ascii: ":"))
            p.skipWhitespace()
            do { try parseValue(&p, &out, depth: depth) } catch {
                throw error.inside(key: String(decoding: keys[keyStart...], as: UTF8.self))
            }
            members.append(Member(keyStart: keyStart, keyEnd: keys.count, start: start, end: out.count))
            p.skipWhitespace()
            switch p.next() {
            case UInt8(ascii: ","): out.append(UInt8(ascii: ",")); p.skipWhitespace()
            case UInt8(ascii: "}"):
                try sortMembers(base: base, contentStart: contentStart, &out, offset: p.pos)
                out.append(UInt8(ascii: "}"))
                return
            default: throw JCSError("expected ',' or '}' in object", offset: p.pos - 1)
            }
        }
    }

    /// Puts the members of the object just parsed in UTF-16 key order, rejecting duplicate keys.
    private mutating func sortMembers(base: Int, contentStart: Int, _ out: inout [UInt8], offset: Int) throws(JCSError) {
        let count = members.count - base
        var sorted = true
        for i in base + 1 ..< base + max(count, 1) where compareKeys(members[i - 1], members[i]) >= 0 {
            sorted = false
            break
        }
        if sorted { return }
        var order: [Int] = []
        swap(&order, &self.order)
        defer { swap(&order, &self.order) }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: base ..< base + count)
        order.sort { compareKeys(members[$0], members[$1]) < 0 }
        for i in 1 ..< order.count where compareKeys(members[order[i - 1]], members[order[i]]) == 0 {
            let key = String(decoding: keys[members[order[i]].keyStart ..< members[order[i]].keyEnd], as: UTF8.self)
            throw JCSError("duplicate key \"\(key)\"", offset: offset)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: out[contentStart...])
        out.removeSubrange(contentStart...)
        for (n, i) in order.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: scratch[members[i].start - contentStart ..< members[i].end - contentStart])
        }
    }

    private func compareKeys(_ a: Member, _ b: Member) -> Int {
        keys.withUnsafeBufferPointer { k in
            JCS.compareUTF16(UnsafeBufferPointer(rebasing: k[a.keyStart ..< a.keyEnd]),
                             UnsafeBufferPointer(rebasing: k[b.keyStart ..< b.keyEnd]))
        }
    }

    /// Where the canonical integer starting at `start` ends (`0` or `-?[1-9][0-9]*` of at most 15 digits, followed by
    /// no fraction, exponent or further digit); nil when there is none.
    static func plainIntegerEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
        var i = start
        let negative = i < input.count && input[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let first = i
        guard i < input.count, isDigit(input[i]) else { return nil }
        if input[i] == UInt8(ascii: "0") {
            guard !negative else { return nil } // -0 is written 0
            i += 1
        } else {
            while i < input.count, isDigit(input[i]) { i += 1 }
        }
        guard i - first <= 15 else { return nil }
        if i < input.count, case let c = input[i], c == UInt8(ascii: ".") || c | 0x20 == UInt8(ascii: "e") || isDigit(c) { return nil }
        return i
    }

    /// Compares two UTF-8 strings in the order of their UTF-16 code units (RFC 8785 §3.2.3).
    ///
    /// UTF-8 byte order is code point order; UTF-16 differs only where a supplementary
    /// character (4-byte UTF-8, surrogates in UTF-16) meets one of U+E000...U+FFFF.
    static func compareUTF16(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            let x = a[i], y = b[i]
            if x != y {
                if x >= 0xF0 && (y == 0xEE || y == 0xEF) { return -1 }
                if y >= 0xF0 && (x == 0xEE || x == 0xEF) { return 1 }
                return x < y ? -1 : 1
            }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

/// The byte-level reader behind `JCS`: one pass, no backtracking.
private struct Parser {
    let input: UnsafeBufferPointer<UInt8>
    var pos = 0

    init(input: UnsafeBufferPointer<UInt8>) { self.input = input }

    @inline(__always) func peek() -> UInt8? { pos < input.count ? input[pos] : nil }

    @inline(__always) mutating func next() -> UInt8? {
        guard pos < input.count else { pos += 1; return nil }
        defer { pos += 1 }
        return input[pos]
    }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    @inline(__always) mutating func skipWhitespace() {
        while pos < input.count, Parser.isWhitespace(input[pos]) { pos += 1 }
    }

    static func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "0x" + String(c, radix: 16)
    }

    mutating func literal(_ word: StaticString, _ out: inout [UInt8]) throws(JCSError) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard input.count - pos >= bytes.count, zip(bytes, input[pos...]).allSatisfy({ $0 == $1 }) else {
            throw JCSError("invalid literal", offset: pos)
        }
        pos += bytes.count
        out.append(contentsOf: bytes)
    }

    /// Whether the literal `word` (`true`, `false` or `null`) stands here; moves past it.
    mutating func checkLiteral(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard input.count - pos >= n else { return false }
        let here = UnsafeRawPointer(input.baseAddress! + pos), expected = UnsafeRawPointer(word.utf8Start)
        // Four bytes at once, then the last (overlapping for `true` and `null`).
        guard here.loadUnaligned(as: UInt32.self) == expected.loadUnaligned(as: UInt32.self),
              here.load(fromByteOffset: n - 1, as: UInt8.self) == expected.load(fromByteOffset: n - 1, as: UInt8.self)
        else { return false }
        pos += n
        return true
    }

    /// Moves past the bytes a string holds as they are: printable ASCII but `"` and `\`. Eight at a time while eight
    /// remain (the lowest byte a mask flags is always one it should: a false flag only sits above a true one).
    @inline(__always) mutating func skipPlainBytes() {
        let base = UnsafeRawPointer(input.baseAddress!)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while input.count - pos >= 8 {
            let x = base.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
            let quote = x ^ (0x22 &* ones), backslash = x ^ (0x5C &* ones)
            let flagged = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (x &- 0x20 &* ones) & ~x | x) & highs
            guard flagged == 0 else {
                pos += flagged.trailingZeroBitCount >> 3
                return
            }
            pos += 8
        }
        while pos < input.count, case let c = input[pos], c >= 0x20, c < 0x80, c != 0x22, c != 0x5C { pos += 1 }
    }

    /// Checks a string in canonical form (RFC 8785 3.2.2.2: only `\"`, `\\`, `\b \t \n \f \r` and `\u00xx` for
    /// the other controls; everything else literal, well-formed UTF-8); moves past it. Returns whether it had an
    /// escape, nil when it is not canonical.
    mutating func checkString() -> Bool? {
        pos += 1
        var escaped = false
        while true {
            skipPlainBytes()
            guard pos < input.count else { return nil }
            switch input[pos] {
            case 0x22:
                pos += 1
                return escaped
            case 0x5C:
                guard pos + 1 < input.count else { return nil }
                escaped = true
                switch input[pos + 1] {
                case 0x22, 0x5C, UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "r"):
                    pos += 2
                case UInt8(ascii: "u"):
                    // Only the controls without a short escape, in lowercase hex.
                    guard input.count - pos >= 6, input[pos + 2] == UInt8(ascii: "0"), input[pos + 3] == UInt8(ascii: "0"),
                          let high = Hex.lowercaseValue(input[pos + 4]), let low = Hex.lowercaseValue(input[pos + 5]),
                          case let scalar = high << 4 | low, scalar < 0x20,
                          ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(scalar) else { return nil }
                    pos += 6
                default:
                    return nil
                }
            case ..<0x20:
                return nil
            default:
                guard let length = try? validateUTF8(at: pos) else { return nil }
                pos += length
            }
        }
    }

    // MARK: Numbers

    /// Whether the number here is an integer already in ECMAScript form: `0` or `-?[1-9][0-9]*` of at most 15 digits,
    /// without fraction or exponent. Such an integer is an exact double written as it is (what `parseNumber` writes).
    /// Moves past it when true; anything else is left to `checkPlainDecimal` and `parseNumber`.
    mutating func checkPlainInteger() -> Bool {
        guard let end = JCS.plainIntegerEnd(input, from: pos) else { return false }
        pos = end
        return true
    }

    /// Whether the number here is a plain decimal already in ECMAScript form: `-?(0|[1-9][0-9]*)\.[0-9]*[1-9]` with at
    /// most 15 significant digits and, below 1, at most 5 zeros after the point. Such a decimal is the shortest text of
    /// its double (15 digits always survive the trip through a double) and is written without exponent, so it is its
    /// own canonical form and exact. Moves past it when true; anything else is left to `parseNumber`.
    mutating func checkPlainDecimal() -> Bool {
        var i = pos
        if input[i] == UInt8(ascii: "-") { i += 1 }
        guard i < input.count, isDigit(input[i]) else { return false }
        let zeroInteger = input[i] == UInt8(ascii: "0")
        let integerStart = i
        if zeroInteger { i += 1 } else { while i < input.count, isDigit(input[i]) { i += 1 } }
        let integerDigits = i - integerStart
        guard i < input.count, input[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let fractionStart = i
        while i < input.count, isDigit(input[i]) { i += 1 }
        let fractionDigits = i - fractionStart
        guard fractionDigits > 0, input[i - 1] != UInt8(ascii: "0") else { return false }
        if i < input.count, input[i] == UInt8(ascii: "e") || input[i] == UInt8(ascii: "E") { return false }
        var significant = integerDigits + fractionDigits
        if zeroInteger {
            var zeros = 0
            while input[fractionStart + zeros] == UInt8(ascii: "0") { zeros += 1 }
            guard zeros <= 5 else { return false }
            significant = fractionDigits - zeros
        }
        guard significant <= 15 else { return false }
        pos = i
        return true
    }

    mutating func parseNumber(into out: inout [UInt8]) throws(JCSError) {
        let start = pos
        if input[pos] == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek(), isDigit(first) else { throw JCSError("invalid number", offset: start) }
        pos += 1
        if first == UInt8(ascii: "0"), let c = peek(), isDigit(c) {
            throw JCSError("leading zero in number", offset: start)
        }
        while let c = peek(), isDigit(c) { pos += 1 }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard let c = peek(), isDigit(c) else { throw JCSError("invalid fraction in number", offset: start) }
            while let c = peek(), isDigit(c) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            guard let c = peek(), isDigit(c) else { throw JCSError("invalid exponent in number", offset: start) }
            while let c = peek(), isDigit(c) { pos += 1 }
        }
        let text = UnsafeBufferPointer(rebasing: input[start ..< pos])
        // Integers of up to 15 digits are exact doubles and already in ECMAScript form.
        let digits = text.count - (text[0] == UInt8(ascii: "-") ? 1 : 0)
        if isInteger && digits <= 15 {
            if text.count == 2 && text[0] == UInt8(ascii: "-") && text[1] == UInt8(ascii: "0") { out.append(UInt8(ascii: "0")) } // -0
            else { out.append(contentsOf: text) }
            return
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)) else {
            throw JCSError("invalid number", offset: start)
        }
        guard value.isFinite else { throw JCSError("number out of range of IEEE 754 double", offset: start) }
        let emitted = out.count
        NumberFormat.append(value, to: &out)
        // The number must survive the trip through a double exactly (docs/chain-v1.md 2.2): otherwise a change
        // below double precision would hash alike.
        // Already in canonical form (the common case: RunProof's own exports) means exact: no decimal comparison.
        guard text.elementsEqual(out[emitted...]) || Decimal.isSame(text, out[emitted...]) else {
            throw JCSError("number \(String(decoding: text, as: UTF8.self)) is not exactly a double (it would be \(String(decoding: out[emitted...], as: UTF8.self)))", offset: start)
        }
    }

    @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    // MARK: Strings

    /// Parses a string, writing its canonical form to `out` and, for keys, its decoded UTF-8 to `key`.
    mutating func parseString(into out: inout [UInt8], key: UnsafeMutablePointer<[UInt8]>?) throws(JCSError) {
        pos += 1
        out.append(UInt8(ascii: "\""))
        while true {
            // Copy the longest run of bytes that need no attention.
            let runStart = pos
            while pos < input.count, case let c = input[pos], c >= 0x20, c < 0x80, c != 0x22, c != 0x5C { pos += 1 }
            if pos > runStart {
                let run = UnsafeBufferPointer(rebasing: input[runStart ..< pos])
                out.append(contentsOf: run)
                key?.pointee.append(contentsOf: run)
            }
            guard pos < input.count else { throw JCSError("unterminated string", offset: pos) }
            let c = input[pos]
            switch c {
            case 0x22:
                pos += 1
                out.append(0x22)
                return
            case 0x5C:
                let scalar = try parseEscape()
                Parser.appendCanonical(scalar, to: &out)
                if key != nil { Parser.appendUTF8(scalar, to: &key!.pointee) }
            case ..<0x20:
                throw JCSError("unescaped control character in string", offset: pos)
            default:
                let length = try validateUTF8(at: pos)
                let bytes = UnsafeBufferPointer(rebasing: input[pos ..< pos + length])
                out.append(contentsOf: bytes)
                key?.pointee.append(contentsOf: bytes)
                pos += length
            }
        }
    }

    /// Decodes one escape sequence starting at the backslash; surrogate pairs become one scalar.
    private mutating func parseEscape() throws(JCSError) -> UInt32 {
        let start = pos
        pos += 1
        guard let c = next() else { throw JCSError("unterminated escape", offset: start) }
        switch c {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            let unit = try hex4(start)
            switch unit {
            case 0xD800 ... 0xDBFF:
                guard input.count - pos >= 6, input[pos] == UInt8(ascii: "\\"), input[pos + 1] == UInt8(ascii: "u") else {
                    throw JCSError("lone surrogate \\u\(String(unit, radix: 16))", offset: start)
                }
                pos += 2
                let low = try hex4(start)
                guard (0xDC00 ... 0xDFFF).contains(low) else {
                    throw JCSError("lone surrogate \\u\(String(unit, radix: 16))", offset: start)
                }
                return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00 ... 0xDFFF:
                throw JCSError("lone surrogate \\u\(String(unit, radix: 16))", offset: start)
            default:
                return unit
            }
        default:
            throw JCSError("invalid escape '\\\(Parser.describe(c))'", offset: start)
        }
    }

    private mutating func hex4(_ start: Int) throws(JCSError) -> UInt32 {
        guard input.count - pos >= 4 else { throw JCSError("truncated \\u escape", offset: start) }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let c = input[pos]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw JCSError("invalid \\u escape", offset: start)
            }
            value = value << 4 | digit
            pos += 1
        }
        return value
    }

    /// Length of the well-formed UTF-8 sequence at `i` (RFC 3629 table), or an error.
    private func validateUTF8(at i: Int) throws(JCSError) -> Int {
        let b0 = input[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JCSError("invalid UTF-8", offset: i)
        }
        guard input.count - i >= length else { throw JCSError("invalid UTF-8", offset: i) }
        let b1 = input[i + 1]
        guard b1 >= low && b1 <= high else { throw JCSError("invalid UTF-8", offset: i) }
        for j in 2 ..< length where input[i + j] & 0xC0 != 0x80 { throw JCSError("invalid UTF-8", offset: i) }
        return length
    }

    /// Writes a scalar as RFC 8785 string content: minimal escapes, everything else literal UTF-8.
    static func appendCanonical(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case ..<0x20:
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    Hex.digits[Int(scalar >> 4)], Hex.digits[Int(scalar & 15)]])
        default: appendUTF8(scalar, to: &out)
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

extension JCS {
    /// Appends a Swift string as canonical JSON string content, quotes included.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendValidString(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends well-formed UTF-8 as a canonical string: runs that need no escape are copied whole; only `"`, `\`
    /// and the controls are escaped (the bytes of a multi-byte sequence are never below 0x80, so never escaped).
    static func appendValidString(_ utf8: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(0x22)
        var run = 0
        for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[run ..< i]))
            Parser.appendCanonical(UInt32(byte), to: &out)
            run = i + 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[run...]))
        out.append(0x22)
    }
}

/// Exact comparison of decimal number texts (JSON or ECMAScript form), without converting them to binary.
enum Decimal {
    /// Whether two number texts denote the same decimal value (`-0` and `0` are the same).
    static func isSame(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard let x = normalized(a), let y = normalized(b) else { return false }
        return x.digits.isEmpty && y.digits.isEmpty || (x.negative == y.negative && x.digits == y.digits && x.exponent == y.exponent)
    }

    /// Sign, significant digits without leading or trailing zeros, and the exponent of the last digit.
    static func normalized(_ text: some Collection<UInt8>) -> (negative: Bool, digits: [UInt8], exponent: Int)? {
        var negative = false, digits: [UInt8] = [], exponent = 0, fraction = 0
        var iterator = text.makeIterator()
        var c = iterator.next()
        if c == UInt8(ascii: "-") { negative = true; c = iterator.next() }
        var seenPoint = false
        while let d = c, d == UInt8(ascii: ".") || (d >= 0x30 && d <= 0x39) {
            if d == UInt8(ascii: ".") { seenPoint = true } else {
                if !(digits.isEmpty && d == 0x30) { digits.append(d) }
                if seenPoint { fraction += 1 }
            }
            c = iterator.next()
        }
        if let e = c, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var sign = 1, value = 0
            c = iterator.next()
            if c == UInt8(ascii: "+") { c = iterator.next() } else if c == UInt8(ascii: "-") { sign = -1; c = iterator.next() }
            while let d = c, d >= 0x30 && d <= 0x39 {
                guard value < 100_000_000 else { return nil } // far beyond any double: never the same as one
                value = value * 10 + Int(d - 0x30)
                c = iterator.next()
            }
            exponent = sign * value
        }
        guard c == nil else { return nil }
        exponent -= fraction
        while digits.last == 0x30 { digits.removeLast(); exponent += 1 }
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, exponent)
    }
}
