import Testing
@testable import RunProofCore

/// A timestamp written into a step (`appendNormalized`: UTC fields written back as they are) reads as `normalize`
/// gives it (through seconds since 1970), for the forms stores write, at UTC and at other offsets.
struct StepTimestampTests {
    @Test func writesStepTimestampsAsNormalizeDoes() {
        var generator = SplitMix64()
        var texts = ["2026-01-01 00:00:00+00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-02-29 12:00:00.5+00:00",
                     "0000-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z"]
        for _ in 0 ..< 20_000 {
            func two(_ range: ClosedRange<Int>) -> String {
                let v = Int.random(in: range, using: &generator)
                return v < 10 ? "0\(v)" : "\(v)"
            }
            let year = String(String(Int.random(in: 10_000 ... 19_999, using: &generator)).dropFirst())
            let fraction = ["", ".5", ".25", ".123456", ".000001"].randomElement(using: &generator)!
            let offset = ["", "Z", "+00", "+00:00", "-00:00", "+05:30", "-11", "+14:00"].randomElement(using: &generator)!
            texts.append("\(year)-\(two(1 ... 12))-\(two(1 ... 31))\(Bool.random(using: &generator) ? "T" : " ")\(two(0 ... 23)):\(two(0 ... 59)):\(two(0 ... 59))\(fraction)\(offset)")
        }
        for text in texts {
            var out: [UInt8] = []
            let written = Array(text.utf8).withUnsafeBytes { bytes in Result { () throws(RunProofError) in try Timestamp.appendNormalized(bytes, to: &out) } }
            switch (written, Result { () throws(RunProofError) in try Timestamp.normalize(text) }) {
            case (.success, .success(let normalized)): #expect(String(decoding: out, as: UTF8.self) == "\"\(normalized)\"", "\(text)")
            case (.failure(let a), .failure(let b)): #expect(a.message == b.message, "\(text)")
            case (let a, let b): Issue.record("\(text): written \(a), normalized \(b)")
            }
        }
    }
}
