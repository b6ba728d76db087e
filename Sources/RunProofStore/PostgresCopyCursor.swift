#if canImport(Glibc)
import Glibc
#endif
internal import CRunProofPQ
import RunProofCore

/// A query streamed as `COPY (query) TO STDOUT` in text form: each row arrives as one buffer from libpq, and its
/// fields are cut out of that buffer in place. Single-row mode makes a result object per row (a copy of the row and
/// of the column descriptions); COPY makes none.
///
/// COPY takes no parameters. Each `$n` of the statement is read instead from a setting of the open transaction,
/// `runproof.pn`, which is first set to the value by a parameterised `set_config` (a nil value is written as NULL):
/// no value is ever spliced into SQL. So the statement's text holds `$n` only as parameters, each with the type its
/// place needs written out (`$2::int`): a setting is text.
final class PostgresCopyCursor: RowCursor {
    private let connection: PostgresConnection
    private let sql: String
    // Read for every column of every row: left out of the dynamic exclusivity checks (a cursor is read by one thread).
    /// The current row's buffer from libpq, its fields unescaped in place; freed by the next `next()`.
    @exclusivity(unchecked) private var line: UnsafeMutablePointer<CChar>?
    /// The current row's fields as byte ranges of `line`; nil for NULL.
    @exclusivity(unchecked) private var fields: [Range<Int>?] = []
    private var columns = 0
    /// Until the COPY is sent, there is nothing to cancel (a failed initialiser's deinit must not cancel).
    private var finished = true

    /// Streams on `connection`, which then serves nothing else until the last row. The connection must be in a
    /// transaction when there are parameters (their settings are local to it).
    init(on connection: PostgresConnection, _ sql: String, _ parameters: [String?]) throws(RunProofError) {
        self.connection = connection
        let copy = "COPY (\(Self.readingSettings(sql, parameters))) TO STDOUT"
        self.sql = copy
        let values = parameters.enumerated().compactMap { item in item.element.map { ("runproof.p\(item.offset + 1)", $0) } }
        if !values.isEmpty {
            guard PQtransactionStatus(connection.handle) == PQTRANS_INTRANS else {
                throw RunProofError(.internal, "a COPY with parameters outside a transaction (its settings would not reach it)", statement: copy)
            }
            let calls = values.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }.joined(separator: ", ")
            try connection.query("SELECT \(calls)", values.flatMap { [$0.0, $0.1] })
        }
        columns = try connection.sendCopyOut(copy)
        finished = false
    }

    /// Streams on a new connection that reads the rows of `snapshot`, naming tables through `searchPath` (the
    /// reading connection's, which a connection string alone may not give).
    convenience init(conninfo: String, snapshot: String, searchPath: String, _ sql: String, _ parameters: [String?]) throws(RunProofError) {
        let connection = try PostgresConnection(conninfo)
        try connection.execute("""
            BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '\(snapshot)'; SET LOCAL jit = off
            """)
        try connection.query("SELECT set_config('search_path', $1, true)", [searchPath])
        try self.init(on: connection, sql, parameters)
    }

    deinit {
        if let line { PQfreemem(line) }
        close()
    }

    /// `sql` with each `$n` read from its setting (or NULL for a nil value).
    static func readingSettings(_ sql: String, _ parameters: [String?]) -> String {
        var out = "", digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let n = Int(digits) ?? 0
            out += n >= 1 && n <= parameters.count && parameters[n - 1] == nil ? "NULL" : "current_setting('runproof.p\(n)')"
            digits = ""
        }
        var inMarker = false
        for c in sql {
            if inMarker, c.isASCII, c.isNumber { digits.append(c); continue }
            if inMarker { inMarker = false; flush() }
            if c == "$" { inMarker = true } else { out.append(c) }
        }
        if inMarker { flush() }
        return out
    }

    /// Gives up the rows not yet read (the query is cancelled); the connection serves other statements again.
    /// Returns whether every row had been read.
    @discardableResult
    func close() -> Bool {
        defer { finished = true }
        if !finished { connection.abandonCopy() }
        return finished
    }

    func next() throws -> Bool {
        if let line { PQfreemem(line) }
        line = nil
        guard !finished else { return false }
        var buffer: UnsafeMutablePointer<CChar>?
        let length = PQgetCopyData(connection.handle, &buffer, 0)
        if length > 0, let buffer {
            line = buffer
            try split(UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
            return true
        }
        finished = true
        // -1: the rows are all sent, and the statement's result says whether it completed; -2: the connection failed.
        if let error = connection.endCopy(sql, lost: length != -1) { throw error }
        return false
    }

    /// Cuts the row's fields out of `row` (tab-separated, ending in a newline, `\N` for NULL), unescaping each in place.
    private func split(_ row: UnsafeMutableRawBufferPointer) throws(RunProofError) {
        fields.removeAll(keepingCapacity: true)
        let tab = UInt8(ascii: "\t"), backslash = UInt8(ascii: "\\")
        let end = row.count - 1
        guard end >= 0, row[end] == UInt8(ascii: "\n"), let base = row.baseAddress else { throw malformed("a row without its end") }
        var start = 0
        while true {
            let stop = memchr(base + start, Int32(tab), end - start).map { $0 - base } ?? end
            if stop - start == 2, row[start] == backslash, row[start + 1] == UInt8(ascii: "N") {
                fields.append(nil)
            } else if let escape = memchr(base + start, Int32(backslash), stop - start) {
                // Unescaping only shortens the field: it is written back over itself.
                var read = escape - base, write = read
                while read < stop {
                    var c = row[read]
                    if c == backslash {
                        read += 1
                        guard read < stop else { throw malformed("a field ending in a lone backslash") }
                        c = row[read]
                        switch c {
                        case UInt8(ascii: "b"): c = 8
                        case UInt8(ascii: "f"): c = 12
                        case UInt8(ascii: "n"): c = 10
                        case UInt8(ascii: "r"): c = 13
                        case UInt8(ascii: "t"): c = 9
                        case UInt8(ascii: "v"): c = 11
                        case backslash: break
                        default: throw malformed("an unknown escape \\\(Character(Unicode.Scalar(c)))")
                        }
                    }
                    row[write] = c
                    write += 1
                    read += 1
                }
                fields.append(start ..< write)
            } else {
                fields.append(start ..< stop)
            }
            if stop == end { break }
            start = stop + 1
        }
        guard fields.count == columns else { throw malformed("\(fields.count) fields where the query has \(columns) columns") }
    }

    private func malformed(_ what: String) -> RunProofError {
        RunProofError(.database, "PostgreSQL sent a COPY row this reader does not understand: \(what)", statement: sql)
    }

    func text(_ column: Int) -> String? {
        guard let line, let range = fields[column] else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: line + range.lowerBound, count: range.count), as: UTF8.self)
    }

    func value(_ column: Int) -> FieldValue {
        guard let line, let range = fields[column] else { return .null }
        return .text(UnsafeRawBufferPointer(start: line + range.lowerBound, count: range.count))
    }
}

extension PostgresConnection {
    /// Exports the open transaction's snapshot, for other connections to read the same rows (as `pg_dump -j` does).
    func exportSnapshot() throws(RunProofError) -> String {
        let id = try query("SELECT pg_export_snapshot()").text(0, 0) ?? ""
        // The server's identifier (hex groups and dashes) is spliced into SET TRANSACTION SNAPSHOT, which takes no parameter.
        guard !id.isEmpty, id.allSatisfy({ $0 == "-" || $0.isHexDigit }) else {
            throw RunProofError(.database, "PostgreSQL exported an unexpected snapshot identifier")
        }
        return id
    }

    /// Sends a `COPY ... TO STDOUT` statement and waits for the server to start it; returns its number of columns.
    func sendCopyOut(_ sql: String) throws(RunProofError) -> Int {
        try checkIdle(sql)
        guard PQsendQuery(handle, sql) == 1, let raw = PQgetResult(handle) else { throw failure(nil, "cannot send query", sql) }
        let result = PostgresResult(raw)
        guard PQresultStatus(raw) == PGRES_COPY_OUT else {
            let error = failure(raw, "PostgreSQL query failed", sql)
            while let rest = PQgetResult(handle) { PQclear(rest) }
            throw error
        }
        isStreaming = true
        return Int(result.columnCount)
    }

    /// Reads the results after a COPY's last row: nil if it completed, else why not.
    func endCopy(_ sql: String, lost: Bool) -> RunProofError? {
        isStreaming = false
        var error = lost ? failure(nil, "PostgreSQL connection failed during COPY", sql) : nil
        while let raw = PQgetResult(handle) {
            defer { PQclear(raw) }
            let status = PQresultStatus(raw)
            if status == PGRES_COPY_OUT { break } // rows still coming, after a failure to read them: nothing more to learn
            if status != PGRES_COMMAND_OK, error == nil { error = failure(raw, "PostgreSQL query failed", sql) }
        }
        return error
    }

    /// Gives up a COPY whose rows are no longer wanted: asks the server to cancel it and drains what is in flight.
    func abandonCopy() {
        cancel()
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
        _ = endCopy("", lost: false)
    }
}
