#if canImport(Glibc)
import Glibc
#endif

/// Normalises timestamps to the chain format: UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
public enum Timestamp {
    /// Parses an ISO 8601 / RFC 3339 timestamp as PostgreSQL or Python's `isoformat` writes it
    /// (`T` or space, optional fraction of up to 6 digits, optional `Z` or `±HH[:MM]` offset;
    /// no offset means UTC) and returns the normalised form.
    public static func normalize(_ text: String) throws(RunProofError) -> String {
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        let (seconds, micros) = try parse(UnsafeRawBufferPointer(buffer))
        return format(epochSeconds: seconds, micros: micros)
    }

    /// Whether `text` is already in the chain format (what `normalize` returns it as), without making a string.
    public static func isNormalized(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            // The shape (`-` `-` `T` `:` `:` `.` `Z` in their places), then the values: a valid UTC timestamp of this
            // shape is written back as it is.
            guard b.count == 27, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x2E,
                  b[26] == 0x5A else { return false }
            return (try? parse(b)) != nil
        }
    }

    /// Appends the normalised form of a timestamp's bytes, quoted, to canonical JSON (no string is made).
    static func appendNormalized(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(RunProofError) {
        let f = try fields(bytes)
        out.append(0x22)
        // Already UTC (what PostgreSQL and SQLite stores hold): the fields are written back as they are.
        if f.offsetMinutes == 0 { append(f, to: &out) } else { append(epochSeconds: try utcSeconds(f, b: bytes), micros: f.micros, to: &out) }
        out.append(0x22)
    }

    /// A timestamp's fields as written, checked (no day 31 of a 30-day month).
    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0, offsetMinutes = 0
    }

    /// Parses a timestamp's bytes into UTC seconds since 1970 and microseconds.
    static func parse(_ b: UnsafeRawBufferPointer) throws(RunProofError) -> (Int, Int) {
        let f = try fields(b)
        return (try utcSeconds(f, b: b), f.micros)
    }

    /// The UTC seconds since 1970 of `f` (read from `b`), which must fall in the years 0000 to 9999.
    private static func utcSeconds(_ f: Fields, b: UnsafeRawBufferPointer) throws(RunProofError) -> Int {
        let local = daysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second
        let utc = local - f.offsetMinutes * 60
        // The offset may carry the instant out of the four-digit years the format can write.
        guard (0 ... 9999).contains(civilFromDays(utc >= 0 ? utc / 86400 : (utc - 86399) / 86400).0) else {
            throw RunProofError(.malformed, "timestamp \(String(decoding: b, as: UTF8.self)) falls outside the years 0000 to 9999 in UTC")
        }
        return utc
    }

    /// Reads a timestamp's fields.
    private static func fields(_ b: UnsafeRawBufferPointer) throws(RunProofError) -> Fields {
        func bad() -> RunProofError { RunProofError(.malformed, "invalid timestamp \"\(String(decoding: b.prefix(64), as: UTF8.self))\"") }
        var i = 0
        func number(_ width: Int) throws(RunProofError) -> Int {
            guard i + width <= b.count else { throw bad() }
            var v = 0
            for _ in 0 ..< width {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { throw bad() }
                v = v * 10 + Int(d); i += 1
            }
            return v
        }
        func expect(_ c: UInt8) throws(RunProofError) {
            guard i < b.count, b[i] == c else { throw bad() }
            i += 1
        }
        let year = try number(4); try expect(UInt8(ascii: "-"))
        let month = try number(2); try expect(UInt8(ascii: "-"))
        let day = try number(2)
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "t") else { throw bad() }
        i += 1
        let hour = try number(2); try expect(UInt8(ascii: ":"))
        let minute = try number(2); try expect(UInt8(ascii: ":"))
        let second = try number(2)
        var micros = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                guard digits < 6 else {
                    throw RunProofError(.malformed, "timestamp \"\(String(decoding: b.prefix(64), as: UTF8.self))\" is finer than microseconds")
                }
                micros = micros * 10 + Int(b[i] - UInt8(ascii: "0")); digits += 1; i += 1
            }
            guard digits > 0 else { throw bad() }
            for _ in digits ..< 6 { micros *= 10 }
        }
        var offsetMinutes = 0
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                let oh = try number(2)
                var om = 0
                if i < b.count {
                    if b[i] == UInt8(ascii: ":") { i += 1 }
                    om = try number(2)
                }
                guard oh < 24, om < 60 else { throw bad() }
                offsetMinutes = sign * (oh * 60 + om)
            default: throw bad()
            }
        }
        guard i == b.count, (1 ... 12).contains(month), day >= 1, day <= daysIn(month, year),
              hour < 24, minute < 60, second < 60 else { throw bad() }
        return Fields(year: year, month: month, day: day, hour: hour, minute: minute, second: second, micros: micros,
                      offsetMinutes: offsetMinutes)
    }

    /// Formats seconds since 1970 (UTC) and microseconds.
    public static func format(epochSeconds: Int, micros: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(27)
        append(epochSeconds: epochSeconds, micros: micros, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    static func append(epochSeconds: Int, micros: Int, to out: inout [UInt8]) {
        let days = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400
        let secs = epochSeconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        append(Fields(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60, micros: micros), to: &out)
    }

    /// Appends a UTC timestamp's fields as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    private static func append(_ f: Fields, to out: inout [UInt8]) {
        func two(_ v: Int) { out.append(UInt8(ascii: "0") + UInt8(v / 10)); out.append(UInt8(ascii: "0") + UInt8(v % 10)) }
        two(f.year / 100); two(f.year % 100); out.append(UInt8(ascii: "-")); two(f.month); out.append(UInt8(ascii: "-")); two(f.day)
        out.append(UInt8(ascii: "T")); two(f.hour); out.append(UInt8(ascii: ":")); two(f.minute); out.append(UInt8(ascii: ":")); two(f.second)
        out.append(UInt8(ascii: ".")); two(f.micros / 10000); two(f.micros / 100 % 100); two(f.micros % 100); out.append(UInt8(ascii: "Z"))
    }

    /// The current time in the chain format.
    public static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(epochSeconds: Int(ts.tv_sec), micros: Int(ts.tv_nsec) / 1000)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
