import Testing
@testable import RunProofCore

/// The fast number paths against the shortest digits of Swift's `description` (the path RFC 8785's vectors check).
struct NumberFormatTests {
    static func written(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    static func byDescription(_ value: Double) -> String {
        value == 0 ? "0" : written { NumberFormat.appendByDescription(value, to: &$0) }
    }

    /// Decimals as stores hold them (few places), doubles of every magnitude, and the edges of each path.
    static func doubles() -> [Double] {
        var generator = SplitMix64()
        var values: [Double] = [0.5, -0.25, 0.1, 0.3, 1.005, 12.25, 0.000001, 1e-7, 123456789012.345, 999999999999999.9,
                                99999999999999.99, 1e21, 1e22, 5e-324, .ulpOfOne, .greatestFiniteMagnitude, 0.1 + 0.2, 1 / 3]
        for _ in 0 ..< 100_000 {
            let places = Int.random(in: 0 ... 10, using: &generator)
            var scale = 1.0
            for _ in 0 ..< places { scale *= 10 }
            let m = Double(Int64.random(in: -1_000_000_000_000_000 ... 1_000_000_000_000_000, using: &generator) >> Int.random(in: 0 ... 50, using: &generator))
            values.append(m / scale)
            values.append(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator)))
        }
        return values.filter { $0.isFinite }
    }

    @Test func writesDoublesAsTheirShortestDigits() {
        for value in Self.doubles() {
            #expect(Self.written { NumberFormat.append(value, to: &$0) } == Self.byDescription(value), "\(value)")
        }
    }

    @Test func writesPlainDecimalsAsTheirDoubles() {
        var generator = SplitMix64()
        var texts = ["0", "-0", "0.0", "-0.000", "007", "12.250", "0.05", "1.5", "100", "123456789012345", "1234567890123456",
                     "0.000000123", "1" + String(repeating: "0", count: 25), "0." + String(repeating: "0", count: 320) + "1",
                     "1.", ".5", "-", "", "1e5", "+1", "1.5x", " 1", "0x10", "1_000"]
        for _ in 0 ..< 100_000 {
            let integer = String(UInt64.random(in: 0 ... 1_000_000_000_000, using: &generator) >> Int.random(in: 0 ... 40, using: &generator))
            let fraction = String(String(UInt64.random(in: 0 ... .max, using: &generator)).prefix(Int.random(in: 0 ... 12, using: &generator)))
            let zeros = String(repeating: "0", count: Int.random(in: 0 ... 3, using: &generator))
            texts.append((Bool.random(using: &generator) ? "-" : "") + zeros + integer + (fraction.isEmpty ? "" : "." + zeros + fraction))
        }
        var fast = 0
        for text in texts {
            var out: [UInt8] = []
            let done = Array(text.utf8).withUnsafeBytes { NumberFormat.appendPlainDecimal($0, to: &out) }
            guard done else { #expect(out.isEmpty); continue }
            fast += 1
            guard let value = Double(text) else { Issue.record("fast path took \(text), which is not a number"); continue }
            #expect(String(decoding: out, as: UTF8.self) == Self.byDescription(value), "\(text)")
        }
        #expect(fast > texts.count / 2)
    }
}

/// A seeded generator: the same values on every run, so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64 = 0x5EED

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
