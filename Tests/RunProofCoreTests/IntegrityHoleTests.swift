import Testing
@testable import RunProofCore

/// The three holes of the chain format's revised step rules (docs/chain-v1.md 2.2): keys that Unicode
/// normalisation equates, numbers a double cannot hold, and (in the store tests) invalid UTF-8.
@Suite struct IntegrityHoleTests {
    @Test(arguments: ["12345678901234567", "9007199254740993", "0.1000000000000000055511151231257827",
                      "0.33333333333333333333", "1e400", "-1e400", "1e-400", "2.5e-324", "123456789012345678901234567890"])
    func numbersADoubleCannotHoldAreRefused(text: String) {
        #expect(throws: JCSError.self, "\(text)") { try JCS.canonicalize("{\"n\":\(text)}") }
    }

    @Test(arguments: [("1.10", "1.1"), ("110e-2", "1.1"), ("-0", "0"), ("0.0", "0"), ("1E2", "100"), ("9007199254740992", "9007199254740992"),
                      ("1e21", "1e+21"), ("0.000001", "0.000001"), ("1e-7", "1e-7"), ("5e-324", "5e-324"),
                      ("1.7976931348623157e308", "1.7976931348623157e+308"), ("100000000000000000000", "100000000000000000000")])
    func numbersThatAreExactlyADoubleAreAccepted(input: String, canonical: String) throws {
        #expect(String(decoding: try JCS.canonicalize("[\(input)]"), as: UTF8.self) == "[\(canonical)]")
    }

    @Test func keysThatNormalisationEquatesStayDistinct() throws {
        // U+00C5 and U+212B (and U+0041 U+030A): one key to Swift's String ==, three keys to JCS.
        let text = #"{"agent_id":null,"correlation_id":"c","format":"runproof/v1","plan":{"\u00c5":1,"\u212b":2,"A\u030a":3},"run_id":"r","started_at":"2026-01-01T00:00:00.000000Z","tenant_id":"t","trace_id":"x"}"#
        let canonical = try JCS.canonicalize(text)
        let header = try TraceHeader(json: JSONValue(parsing: text))
        #expect(header.json.canonicalBytes == canonical)
        #expect(header.genesis == SHA256.hash([0x03] + canonical))
        // A change of one of the three values changes the genesis.
        let changed = try TraceHeader(json: JSONValue(parsing: text.replacingOccurrences(of: ":2,", with: ":4,")))
        #expect(changed.genesis != header.genesis)
    }

    @Test func stepIntegersBeyondTheDoublesAreRefused() {
        var encoder = StepEncoder()
        #expect(throws: StepEncodingError.self) {
            try encoder.encode { field in
                switch field {
                case .stepIndex: .integer(0)
                case .costCents: .integer(12_345_678_901_234_567)
                case .retryCount: .integer(0)
                case .durationMs: .double(1)
                default: .null
                }
            }
        }
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var result = "", rest = Substring(self)
        while let range = rest.firstRange(of: a) {
            result += rest[..<range.lowerBound] + b
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
