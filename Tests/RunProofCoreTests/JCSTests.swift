import Testing
@testable import RunProofCore

@Suite struct JCSTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try JCS.canonicalize(text), as: UTF8.self)
    }

    @Test func sortsKeysAndStripsWhitespace() throws {
        #expect(try canonical(#" { "b" : [ 1 , 2 ] , "a" : { "d" : null , "c" : true } } "#) == #"{"a":{"c":true,"d":null},"b":[1,2]}"#)
    }

    @Test func ordersKeysByUTF16CodeUnits() throws {
        // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16, after it in code points.
        #expect(try canonical(#"{"\ufb33":1,"\ud83d\ude00":2,"a":3}"#) == "{\"a\":3,\"😀\":2,\"\u{FB33}\":1}")
    }

    @Test(arguments: [
        ("1e21", "1e+21"), ("1e20", "100000000000000000000"), ("1e-7", "1e-7"), ("1e-6", "0.000001"),
        ("5e-324", "5e-324"), ("-0", "0"), ("-0.0", "0"), ("0.30000000000000004", "0.30000000000000004"),
        ("9007199254740992", "9007199254740992"), ("1.0", "1"), ("1E2", "100"), ("123e-20", "1.23e-18"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"), ("0.000001234", "0.000001234"), ("4.35", "4.35"),
        ("-1.5e300", "-1.5e+300"), ("12345678901234567000", "12345678901234567000"), ("100", "100"),
        ("10", "10"), ("-10", "-10"), ("20", "20"), ("-5", "-5"), ("0", "0"),
    ])
    func formatsNumbersLikeECMAScript(input: String, output: String) throws {
        #expect(try canonical(input) == output)
    }

    @Test func escapesMinimally() throws {
        #expect(try canonical(#""\u0000\u001f\b\t\n\f\r\"\\\/\u007f\u2028é""#) == "\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u{7f}\u{2028}é\"")
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate key"), (#"{"a":1,"\u0061":2}"#, "duplicate key"),
        (#""\ud800""#, "lone surrogate"), (#""\udc00x""#, "lone surrogate"), (#""\ud800\u0041""#, "lone surrogate"),
        ("NaN", "unexpected character"), ("1e400", "out of range"), ("01", "leading zero"), ("[1,]", "unexpected character"),
        ("{'a':1}", "expected a string key"), ("\"a\u{1}\"", "control character"), ("1 2", "after the JSON value"),
        ("", "end of input"), ("[1", "expected ','"), ("-", "invalid number"), ("1.", "invalid fraction"),
    ])
    func rejects(input: String, reason: String) {
        #expect { try JCS.canonicalize(input) } throws: { error in
            (error as? JCSError)?.reason.contains(reason) == true
        }
    }

    @Test(arguments: [[0xFF], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JCSError.self) { try JCS.canonicalize([0x22, 0x5C, 0x75, 0x10, 0x10, 0x14, 0x11, 0x22]) } // \u + control bytes
        #expect(throws: JCSError.self) { try JCS.canonicalize([0x22] + bytes + [0x22]) }
    }

    @Test func limitsDepth() throws {
        let ok = String(repeating: "[", count: JCS.maxDepth) + String(repeating: "]", count: JCS.maxDepth)
        #expect(try canonical(ok) == ok)
        let deep = "[" + ok + "]"
        #expect(throws: JCSError.self) { try JCS.canonicalize(deep) }
    }

    @Test func namesThePathOfAnError() {
        #expect { try JCS.canonicalize(#"{"params":{"items":[1,"\ud800"]}}"#) } throws: { error in
            (error as? JCSError)?.path == "params.items[1]"
        }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-03-01T12:00:00", "2026-03-01T12:00:00.000000Z"),
        ("2026-03-01 12:00:00.5", "2026-03-01T12:00:00.500000Z"),
        ("2026-03-01T12:00:00.123456+00:00", "2026-03-01T12:00:00.123456Z"),
        ("2026-03-01 00:30:00+02", "2026-02-28T22:30:00.000000Z"),
        ("2024-02-29T23:59:59.999999-05:30", "2024-03-01T05:29:59.999999Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000000Z"),
    ])
    func normalizes(input: String, output: String) throws {
        #expect(try Timestamp.normalize(input) == output)
    }

    @Test(arguments: ["2026-02-30T00:00:00", "2026-01-01", "2026-01-01T00:00:00.1234567", "2026-01-01T24:00:00", "x", "2026-01-01T00:00:00+0"])
    func rejects(input: String) {
        #expect(throws: RunProofError.self) { try Timestamp.normalize(input) }
    }
}

/// Text that is canonical but for the spaces between its tokens, as PostgreSQL writes jsonb, is checked without them
/// instead of parsed: every text gives what the parser gives, or is refused as the parser refuses it.
@Suite struct SpacedTextTests {
    @Test(arguments: [
        #"{"a": 1, "b": [1, 2, {"c": "x, y: z"}]}"#, #"{"k": "a\": b", "l": "tab\there, \\"}"#, #"[1 ,2]"#, #"{"a": tr ue}"#,
        #"{"a": 1 }"#, #" {"a": 1}"#, "{\"a\":\n\t1}", #"{"b": 1, "a": 2}"#, #"{"a": 1.0}"#, #"{"é": 1, "z": 2}"#, #"{"a": 1 2}"#,
        #"{"a": "\"}"#, #"{"a": [ ]}"#, #"{"a": {}, "b": []}"#, #"{"a": -0}"#, #"{"a", 1}"#, #"[1, 2]  "#,
    ])
    func agreesWithTheParser(text: String) {
        var jcs = JCS()
        let bytes = Array(text.utf8)
        var fast: [UInt8] = [], parsed: [UInt8] = []
        let fastOK = bytes.withUnsafeBytes { (try? jcs.canonicalize($0, into: &fast)) != nil }
        let parsedOK = bytes.withUnsafeBytes { (try? jcs.canonicalizeByParsing($0, into: &parsed)) != nil }
        #expect(fastOK == parsedOK && fast == parsed, "\(String(decoding: fast, as: UTF8.self)) vs \(String(decoding: parsed, as: UTF8.self))")
    }
}

/// The fast path's number rule against the parser's, on random decimals of every shape: whatever the fast path takes
/// as canonical, the parser writes back unchanged; every number the parser writes is taken as canonical.
@Suite struct CanonicalNumberTests {
    @Test func randomDecimalsAgreeWithTheParser() throws {
        var generator = SystemRandomNumberGenerator()
        var jcs = JCS()
        for _ in 0 ..< 20_000 {
            let integer = Bool.random(using: &generator) ? "0" : String(UInt64.random(in: 1 ... 999_999_999_999, using: &generator))
            let zeros = String(repeating: "0", count: Int.random(in: 0 ... 8, using: &generator))
            let fraction = zeros + String(UInt64.random(in: 0 ... 99_999_999_999, using: &generator))
            let sign = Bool.random(using: &generator) ? "-" : ""
            let text = Array("\(sign)\(integer).\(fraction)".utf8)
            let fast = text.withUnsafeBytes { jcs.isCanonical($0) }
            var parsed: [UInt8] = []
            let parses = text.withUnsafeBytes { (try? jcs.canonicalizeByParsing($0, into: &parsed)) != nil }
            if fast { #expect(parses && parsed == text, "\(String(decoding: text, as: UTF8.self)) taken as canonical") }
            if parses { #expect(parsed.withUnsafeBytes { jcs.isCanonical($0) }, "\(String(decoding: parsed, as: UTF8.self)) not recognized") }
        }
    }
}

/// The step template's check (`canonicalLine`: keys compared as words, values checked) against the general check, on
/// a step line and every line one byte away from it: the template takes exactly the lines `isCanonical` takes whose
/// keys are the step keys in order, and says where the line ends.
@Suite struct StepTemplateTests {
    static let line = Array(Fixture.step(7, skill: "s\u{e9}arch \"x\"", params: ["q": "a\\b", "n": [.number(1.5), .number(-2), true, false, nil]]).canonicalBytes)

    /// What the template says of `bytes`, and what the general check says of the line it would have ended.
    func agree(_ bytes: [UInt8]) -> Comment? {
        var jcs = JCS()
        let template = StepField.prefixes
        let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: StepField.allCases.count)
        defer { ends.deallocate() }
        let end = bytes.withUnsafeBytes { jcs.canonicalLine($0, prefixes: template.bytes, ends: template.ends, valueEnds: ends) }
        let lineEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let line = Array(bytes[..<lineEnd])
        let canonical = line.withUnsafeBytes { jcs.isCanonical($0) }
        let stepKeys = canonical && Set((try? JSONValue(parsing: line))?.objectKeys ?? []) == StepField.keySet // in canonical order, being canonical
        if (end != nil) != stepKeys || (end != nil && end != lineEnd) {
            return "template \(end.map(String.init) ?? "refused"), general \(stepKeys): \(String(decoding: bytes.prefix(80), as: UTF8.self))…"
        }
        return nil
    }

    @Test func takesTheLinesTheGeneralCheckTakes() {
        #expect(agree(Self.line) == nil && JCSTestsSupport.accepted(Self.line))
        let replacements: [UInt8] = [0x20, 0x22, 0x5C, 0x2C, 0x3A, 0x7B, 0x7D, 0x5B, 0x5D, 0x30, 0x31, 0x2D, 0x2E, 0x65, 0x61, 0x6E,
                                     0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF, 0x0A]
        var failures: [Comment] = []
        for i in Self.line.indices {
            var removed = Self.line
            removed.remove(at: i)
            for candidate in [removed, Array(Self.line[..<i])] + replacements.map({ var b = Self.line; b[i] = $0; return b })
                + replacements.map({ var b = Self.line; b.insert($0, at: i); return b }) {
                if let failure = agree(candidate) { failures.append(failure) }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        // A line that fits, followed by another line: the template stops at the newline.
        #expect(agree(Self.line + [0x0A] + Self.line) == nil)
    }
}

enum JCSTestsSupport {
    /// Whether the step template takes `line`.
    static func accepted(_ line: [UInt8]) -> Bool {
        var jcs = JCS()
        let template = StepField.prefixes
        let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: StepField.allCases.count)
        defer { ends.deallocate() }
        return line.withUnsafeBytes { jcs.canonicalLine($0, prefixes: template.bytes, ends: template.ends, valueEnds: ends) } == line.count
    }
}
