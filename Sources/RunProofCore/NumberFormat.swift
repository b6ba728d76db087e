/// ECMAScript `Number.prototype.toString` formatting of doubles, as RFC 8785 requires.
///
/// The digits written are the shortest that round-trip the double. A decimal of at most 15 significant digits (in
/// the range of normal doubles) is that shortest form of its nearest double: two such decimals never share a double,
/// so no shorter one can. The two fast paths rest on this; anything else goes through Swift's shortest-digit
/// `description`.
enum NumberFormat {
    /// Appends the ECMAScript form of a finite double (`-0` is written `0`).
    static func append(_ value: Double, to out: inout [UInt8]) {
        precondition(value.isFinite, "JCS cannot represent \(value)")
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if value.magnitude < 9007199254740992, value == value.rounded(.towardZero) {
            appendInteger(Int64(value), to: &out)
            return
        }
        if appendFewDecimals(value, to: &out) { return }
        appendByDescription(value, to: &out)
    }

    /// Appends the ECMAScript form of a finite, non-zero double from the digits of its `description`.
    static func appendByDescription(_ value: Double, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var point = 0, exponent = 0, sawPoint = false, exponentSign = 1, inExponent = false
        for c in value.magnitude.description.utf8 {
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                if inExponent { exponent = exponent * 10 + Int(c - UInt8(ascii: "0")) }
                else {
                    digits.append(c)
                    if !sawPoint { point += 1 }
                }
            case UInt8(ascii: "."): sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentSign = -1
            default: break
            }
        }
        let leading = digits.prefix { $0 == UInt8(ascii: "0") }.count
        digits.removeFirst(leading)
        point -= leading
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        digits.withUnsafeBytes { appendDigits($0, exponent: point + exponentSign * exponent, to: &out) }
    }

    /// Appends the form of the decimal written `-?digits[.digits]` in `text`, without a double, when it has at most
    /// 15 significant digits: what `append(Double(text)!)` writes. False (nothing appended) for any other text.
    static func appendPlainDecimal(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        let negative = text.first == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        let integerStart = i
        while i < text.count, text[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        let integerEnd = i
        guard integerEnd > integerStart else { return false }
        var fractionStart = i
        if i < text.count {
            guard text[i] == UInt8(ascii: "."), i + 1 < text.count else { return false }
            i += 1
            fractionStart = i
            while i < text.count, text[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i == text.count else { return false }
        }
        // The digits of both parts without the point, and their significant span.
        let integer = UnsafeRawBufferPointer(rebasing: text[integerStart ..< integerEnd])
        let fraction = UnsafeRawBufferPointer(rebasing: text[fractionStart...])
        func digit(_ j: Int) -> UInt8 { j < integer.count ? integer[j] : fraction[j - integer.count] }
        let count = integer.count + fraction.count
        var first = 0, last = count
        while first < count, digit(first) == UInt8(ascii: "0") { first += 1 }
        guard first < count else { out.append(UInt8(ascii: "0")); return true } // zero, -0 included
        while digit(last - 1) == UInt8(ascii: "0") { last -= 1 }
        let exponent = integer.count - first
        guard last - first <= 15, (-300 ... 300).contains(exponent) else { return false }
        if negative { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { buffer in
            for j in first ..< last { buffer[j - first] = digit(j) }
            appendDigits(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<(last - first)])), exponent: exponent, to: &out)
        }
        return true
    }

    /// Appends a double that is a decimal of at most 15 significant digits and 8 places (cents, milliseconds,
    /// fractions of them: what stores hold), without `description`. False (nothing appended) for any other double.
    private static func appendFewDecimals(_ value: Double, to out: inout [UInt8]) -> Bool {
        var scale = 1.0
        for places in 1 ... 8 {
            scale *= 10
            let scaled = (value * scale).rounded()
            // Powers of ten to 10^22 are exact and the division is rounded once: `value` is the double nearest
            // to scaled / 10^places exactly when this holds.
            guard scaled.magnitude < 1e15 else { return false }
            guard scaled / scale == value else { continue }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
                var m = Int64(scaled.magnitude), k = 0
                while m > 0 { buffer[15 - k] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; k += 1 }
                var end = 16
                while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
                appendDigits(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[(16 - k) ..< end])), exponent: k - places, to: &out)
            }
            return true
        }
        return false
    }

    private static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var m = value.magnitude, k = 0
            repeat { buffer[19 - k] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; k += 1 } while m > 0
            out.append(contentsOf: UnsafeMutableBufferPointer(rebasing: buffer[(20 - k)...]))
        }
    }

    /// Appends `0.digits × 10^n` in ECMAScript form; `digits` has no leading or trailing zero.
    private static func appendDigits(_ digits: UnsafeRawBufferPointer, exponent n: Int, to out: inout [UInt8]) {
        let k = digits.count
        if k <= n && n <= 21 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            out.append(contentsOf: digits[..<n])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            out.append(contentsOf: digits)
        } else {
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(n - 1 >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            out.append(contentsOf: String((n - 1).magnitude).utf8)
        }
    }
}
