/// ECMAScript `Number.prototype.toString` formatting of doubles, as RFC 8785 requires.
enum NumberFormat {
    /// Appends the ECMAScript form of a finite double (`-0` is written `0`).
    static func append(_ value: Double, to out: inout [UInt8]) {
        precondition(value.isFinite, "JCS cannot represent \(value)")
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if value.magnitude < 9007199254740992, value == value.rounded(.towardZero) {
            out.append(contentsOf: String(Int64(value)).utf8)
            return
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // Swift's description gives the shortest digits that round-trip, closest to the value.
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
        let k = digits.count
        let n = point + exponentSign * exponent // value = 0.digits × 10^n
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
