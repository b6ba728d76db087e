import Foundation
import Testing
@testable import RunProofCore

/// The direct reader of seal records (`Seal(recordText:)`) against the reader through a JSON tree: the same seal, or
/// the same refusal, for records RunProof writes and for every way one can be bent.
struct SealRecordTests {
    /// What the tree reader makes of a record: the seal, or the message it refuses it with.
    enum Outcome { case seal(Seal), refused(String) }

    static func throughTree(_ text: String) -> Outcome {
        guard let json = try? JSONValue(parsing: text) else { return .refused("not JSON") }
        do { return .seal(try Seal(record: json)) } catch { return .refused(error.message) }
    }

    static func direct(_ text: String) -> Outcome {
        do { return .seal(try Seal(recordText: text)) } catch { return .refused(error.message) }
    }

    static func records() throws -> [String] {
        let header = Fixture.header()
        var seal = Seal(header: header, length: 10, head: SHA256.hash([1]), merkleRoot: SHA256.hash([2]),
                        sealedAt: "2026-01-02T03:04:05.678901Z")
        let unsigned = seal.record.canonicalString
        let closing = seal.closing(sealedAt: "2026-01-03T00:00:00.000000Z").record.canonicalString
        try seal.sign(with: Fixture.key)
        return [unsigned, closing, seal.record.canonicalString]
    }

    /// Each record bent one way at a time: a member's value replaced, removed, doubled, a key added, the text
    /// spaced, escaped, reordered or cut.
    static func bent(_ record: String) -> [String] {
        var out = [record, record + " ", " " + record, record.replacingOccurrences(of: ":", with: ": "),
                   String(record.dropLast()), record + "{}", record.replacingOccurrences(of: "\"seal\":{", with: "\"seal\":{\"x\":1,"),
                   record.replacingOccurrences(of: "{\"seal\"", with: "{\"extra\":1,\"seal\""),
                   record.replacingOccurrences(of: "tenant-a", with: "tenant\\u002da"),
                   record.replacingOccurrences(of: "tenant-a", with: "ténant"),
                   record.replacingOccurrences(of: "\"format\"", with: "\"chain_length\":3,\"format\"")]
        let values = ["null", "true", "false", "0", "01", "10", "10.0", "1e1", "-1", "9007199254740993", "123456789012345",
                      "1234567890123456", "\"x\"", "\"\"", "[]", "{}", "\"2026-01-02T03:04:05.678901Z\"", "\"2026-02-30T00:00:00.000000Z\"",
                      "\"2026-01-02 03:04:05.678901Z\"", "\"2026-01-02T03:04:05.6789Z\"", "\"\(String(repeating: "a", count: 64))\"",
                      "\"\(String(repeating: "A", count: 64))\"", "\"runproof/v1\""]
        for key in Seal.Key.allCases.map(\.name) + ["signature", "checkpoint_signature"] {
            guard let range = record.range(of: "\"\(key)\":") else {
                out += values.map { record.replacingOccurrences(of: "\"seal\":{", with: "\"seal\":{\"\(key)\":\($0),") }
                continue
            }
            // The value runs to the next comma or closing brace outside a string (no value here holds either).
            let rest = record[range.upperBound...]
            let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
            let member = record[range.lowerBound ..< end]
            out += values.map { record.replacingCharacters(in: range.upperBound ..< end, with: $0) }
            out.append(record.replacingOccurrences(of: member + ",", with: ""))
            out.append(record.replacingCharacters(in: range.lowerBound ..< end, with: member + "," + member))
        }
        return out
    }

    @Test func readsWhatTheTreeReads() throws {
        var compared = 0, accepted = 0
        for record in try Self.records() {
            for text in Self.bent(record) {
                let tree = Self.throughTree(text), direct = Self.direct(text)
                switch (tree, direct) {
                case (.seal(let a), .seal(let b)):
                    #expect(a == b, "\(text)")
                    accepted += 1
                case (.refused(let a), .refused(let b)):
                    if a != "not JSON" { #expect(a == b, "\(text)") }
                default:
                    Issue.record("tree \(tree) but direct \(direct) for \(text)")
                }
                compared += 1
            }
        }
        #expect(compared > 300)
        #expect(accepted >= 3 && accepted < compared / 4)
    }

    /// Inputs the fuzzer found: two unexpected keys (the message named either, by a set's order), and a number too
    /// long for an integer.
    @Test(arguments: [#"{"seal":{"ch":"rTue6c"},"sseal":{"8hain_l":"of/c"},"sigRarre":"na0="}"#,
                      #"{"seal":{},"signature":"# + String(repeating: "1", count: 40) + #""5jD3vl="}"#,
                      #"{"seal":{"chain_length":"# + String(repeating: "9", count: 40) + "}}"])
    func readsFuzzFindingsAsTheTreeDoes(_ text: String) {
        let first = Self.direct(text)
        guard case .refused(let message) = first else { Issue.record("accepted \(text)"); return }
        for _ in 0 ..< 20 {
            guard case .refused(let again) = Self.direct(text), case .refused(let tree) = Self.throughTree(text) else { return }
            #expect(again == message && (tree == message || tree == "not JSON"))
        }
    }

    @Test func readsRecordsRunProofWritesDirectly() throws {
        for record in try Self.records() {
            var text = record
            let members = text.withUTF8 { utf8 in
                var scanner = SealRecordScanner(UnsafeRawBufferPointer(utf8))
                return scanner.members()
            }
            #expect(members != nil, "the direct reader gave up on \(record)")
        }
    }

    @Test(arguments: ["2026-01-02T03:04:05.678901Z", "0000-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z",
                      "2024-02-29T00:00:00.000000Z", "2025-02-29T00:00:00.000000Z", "2026-01-02T24:00:00.000000Z",
                      "2026-01-02t03:04:05.678901Z", "2026-01-02T03:04:05.678901z", "2026-01-02 03:04:05.678901Z",
                      "2026-01-02T03:04:05.6789Z", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.678901+00:00", "", "x"])
    func knowsANormalizedTimestamp(_ text: String) {
        #expect(Timestamp.isNormalized(text) == ((try? Timestamp.normalize(text)) == text))
    }
}
