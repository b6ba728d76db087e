import Testing
import RunProofTestSupport
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

/// The review findings of issue 2's closing note, each shown.
@Suite struct ReviewFindingTests {
    func record(_ seal: String, signature: String? = "AA==") throws -> JSONValue {
        try JSONValue(parsing: "{\"seal\":\(seal)" + (signature.map { ",\"signature\":\"\($0)\"" } ?? "") + "}")
    }
    let good = #"{"chain_length":1,"format":"runproof/v1","genesis":"\#(String(repeating: "a", count: 64))","head":"\#(String(repeating: "b", count: 64))","key_id":"\#(String(repeating: "c", count: 64))","merkle_root":"\#(String(repeating: "d", count: 64))","run_id":"r","sealed_at":"2026-01-01T00:00:00.000000Z","tenant_id":"t","trace_id":"x"}"#

    @Test func sealsAreParsedStrictly() throws {
        #expect(throws: Never.self) { try Seal(record: try record(good)) }
        #expect(throws: RunProofError.self, "key_id without a signature") { try Seal(record: try record(good, signature: nil)) }
        #expect(throws: RunProofError.self, "key_id not 64 hex") { try Seal(record: try record(good.replacingOccurrences(of: String(repeating: "c", count: 64), with: "CAFE"))) }
        #expect(throws: RunProofError.self, "uppercase hex") { try Seal(record: try record(good.replacingOccurrences(of: String(repeating: "c", count: 64), with: String(repeating: "C", count: 64)))) }
        #expect(throws: RunProofError.self, "sealed_at not a timestamp") { try Seal(record: try record(good.replacingOccurrences(of: "2026-01-01T00:00:00.000000Z", with: "yesterday"))) }
        #expect(throws: RunProofError.self, "sealed_at not normalized") { try Seal(record: try record(good.replacingOccurrences(of: "2026-01-01T00:00:00.000000Z", with: "2026-01-01T00:00:00Z"))) }
        let unsigned = good.replacingOccurrences(of: "\"\(String(repeating: "c", count: 64))\"", with: "null")
        #expect(throws: Never.self) { try Seal(record: try record(unsigned, signature: nil)) }
        #expect(throws: RunProofError.self, "a signature on an unsigned seal") { try Seal(record: try record(unsigned)) }
    }

    @Test(arguments: ["9999-12-31T23:30:00-01:00", "0000-01-01T00:30:00+01:00"])
    func timestampsOutsideTheYearsAreRefused(text: String) {
        #expect(throws: RunProofError.self) { try Timestamp.normalize(text) }
    }

    @Test func aStepLineOverTheLimitIsAFailedVerdict() throws {
        let path = Fixture.tempDirectory + "/longline.ndjson"
        let header = TraceHeader(tenantId: "t", runId: "r", traceId: "x", correlationId: "c", agentId: nil, plan: [:],
                                 startedAt: "2026-01-01T00:00:00.000000Z")
        let writer = try ExportWriter(path: path, header: header)
        try writer.write(canonicalStep: Array("{\"pad\":\"\(String(repeating: "x", count: 17 << 20))\"}".utf8))
        try writer.close()
        let verdict = try ExportFile.verify(path: path).verdict
        #expect(verdict.kind == .failed && verdict.failureKind == .notCanonical && verdict.failingStepIndex == 0, "\(verdict.reason ?? "")")
    }
}
