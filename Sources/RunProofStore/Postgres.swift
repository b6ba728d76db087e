#if canImport(Glibc)
import Glibc
#endif
internal import CRunProofPQ
import RunProofCore

/// A libpq connection, finished with its owner.
final class PostgresConnection {
    let handle: OpaquePointer

    /// Connects with a libpq connection string or URI; empty parts come from the PG* environment variables.
    init(_ conninfo: String) throws(RunProofError) {
        guard let conn = PQconnectdb(conninfo) else { throw RunProofError(.database, "libpq cannot allocate a connection") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingNewlines
            PQfinish(conn)
            throw RunProofError(.database, "cannot connect to PostgreSQL", underlying: message, origin: .libpq)
        }
        handle = conn
        // Timestamps in UTC ISO form, and every double digit, whatever the server's defaults.
        try execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// The server's version as a number (150004 for 15.4).
    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Set while a COPY streams its rows: libpq would not run another statement before the last row, so any other
    /// statement is refused meanwhile.
    var isStreaming = false

    func checkIdle(_ sql: String) throws(RunProofError) {
        guard !isStreaming else {
            throw RunProofError(.internal, "a statement was sent while rows stream on the same PostgreSQL connection", statement: sql)
        }
    }

    /// Runs a parameterised statement and returns its whole (small) result.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws(RunProofError) -> PostgresResult {
        try checkIdle(sql)
        try Self.checkNoNUL(parameters)
        let result = withParameters(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(result, sql)
    }

    /// Runs SQL without parameters (schema scripts, transaction control).
    func execute(_ sql: String) throws(RunProofError) {
        try checkIdle(sql)
        _ = try check(PQexec(handle, sql), sql)
    }

    /// Streams the rows of a parameterised query through COPY (`PostgresCopyCursor`), one row in memory at a time,
    /// while the server makes the next; `body` returns false to stop. In a transaction the query runs under a savepoint, so that a
    /// stop (the query cancelled) or a failure leaves the transaction usable for what follows.
    func stream(_ sql: String, _ parameters: [String?], _ body: (PostgresCopyCursor) throws -> Bool) throws {
        let savepoint = PQtransactionStatus(handle) == PQTRANS_INTRANS
        if savepoint { try execute("SAVEPOINT runproof_stream") }
        var complete = false
        do {
            let rows = try PostgresCopyCursor(on: self, sql, parameters)
            defer { complete = rows.close() }
            while try rows.next(), try body(rows) {}
        } catch {
            // The first error is the one to report (a lost connection fails the rollback too).
            if savepoint { try? execute("ROLLBACK TO SAVEPOINT runproof_stream; RELEASE SAVEPOINT runproof_stream") }
            throw error
        }
        if savepoint {
            try execute(complete ? "RELEASE SAVEPOINT runproof_stream" : "ROLLBACK TO SAVEPOINT runproof_stream; RELEASE SAVEPOINT runproof_stream")
        }
    }

    /// Runs `body` in a read-only transaction (REPEATABLE READ: one snapshot for every statement), unless one is open.
    func inReadTransaction<R>(_ body: () throws -> R) throws -> R {
        guard PQtransactionStatus(handle) == PQTRANS_IDLE else { return try body() }
        // Every row of a cursor is read: plan for all of them, not for the first tenth. No JIT: these are streaming
        // scans, where compiling costs more than it saves (measured: a million-step read 25% slower with it).
        return try inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL cursor_tuple_fraction = 1; SET LOCAL jit = off",
                                 execute, body)
    }

    private var cursors = 0
    /// Cursors declared and not yet closed: while one is, a streamed COPY would keep it from being fetched.
    var openCursors = 0

    /// A name for a new cursor of this connection.
    func cursorName() -> String {
        cursors += 1
        return "runproof_cursor_\(cursors)"
    }

    func cancel() {
        guard let cancel = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        PQcancel(cancel, &buffer, 256)
        PQfreeCancel(cancel)
    }

    /// Text parameters go to libpq as C strings: one holding NUL would be cut short, so it is refused.
    static func checkNoNUL(_ parameters: [String?]) throws(RunProofError) {
        if parameters.contains(where: { $0?.utf8.contains(0) == true }) {
            throw RunProofError(.usage, "a text value holds a NUL character, which PostgreSQL text cannot store")
        }
    }

    private func withParameters<R>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    private func check(_ raw: OpaquePointer?, _ sql: String) throws(RunProofError) -> PostgresResult {
        guard let raw else { throw failure(nil, "PostgreSQL query failed", sql) }
        let result = PostgresResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: return result
        default: throw failure(raw, "PostgreSQL query failed", sql)
        }
    }

    /// An error carrying the SQLSTATE, the server's message and the statement (its values are bound apart).
    func failure(_ result: OpaquePointer?, _ what: String, _ sql: String) -> RunProofError {
        var sqlstate = ""
        var message = String(cString: PQerrorMessage(handle)).trimmingNewlines
        if let result {
            if let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) { sqlstate = String(cString: state) }
            if let text = PQresultErrorMessage(result) { message = String(cString: text).trimmingNewlines }
        }
        let code: RunProofError.Code = sqlstate == "23505" ? .conflict : .database
        return RunProofError(code, what, underlying: sqlstate.isEmpty ? message : "SQLSTATE \(sqlstate): \(message)",
                             origin: sqlstate.isEmpty ? .libpq : .postgres(sqlstate: sqlstate), statement: sql)
    }
}

/// A server-side cursor read in batches of rows. Unlike a streamed COPY, several can be read in turn on one
/// connection (the steps and the seals of a trace, side by side); it lives in the open transaction.
final class PostgresCursor {
    private let connection: PostgresConnection
    private let name: String
    private let batch: Int
    private var result: PostgresResult?
    private var row = -1
    /// Declared and not yet closed (a DECLARE that failed leaves nothing to close, nor to count).
    private var open = false

    init(_ connection: PostgresConnection, _ sql: String, _ parameters: [String?], batch: Int = 1000) throws(RunProofError) {
        self.connection = connection
        self.batch = batch
        name = connection.cursorName()
        try connection.query("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", parameters)
        open = true
        connection.openCursors += 1
    }

    deinit {
        guard open else { return }
        connection.openCursors -= 1
        if PQtransactionStatus(connection.handle) == PQTRANS_INTRANS { try? connection.execute("CLOSE \(name)") }
    }

    /// The next row: a result and the row's number in it, valid until the next call; nil after the last.
    func next() throws(RunProofError) -> (PostgresResult, Int)? {
        if let result, row + 1 < result.rowCount {
            row += 1
            return (result, row)
        }
        guard open else { return nil }
        let fetched = try connection.query("FETCH FORWARD \(batch) FROM \(name)")
        guard fetched.rowCount > 0 else {
            open = false
            connection.openCursors -= 1
            result = nil
            try connection.execute("CLOSE \(name)")
            return nil
        }
        (result, row) = (fetched, 0)
        return (fetched, 0)
    }
}

/// A `PostgresCursor` as a `RowCursor`.
final class PostgresRowCursor: RowCursor {
    private let cursor: PostgresCursor
    private var current: (PostgresResult, Int)?

    init(_ cursor: PostgresCursor) { self.cursor = cursor }

    func next() throws -> Bool {
        current = try cursor.next()
        return current != nil
    }

    func text(_ column: Int) -> String? { current.flatMap { $0.0.text($0.1, column) } }
    func value(_ column: Int) -> FieldValue { current.map { $0.0.value($0.1, column) } ?? .null }
}

/// A libpq result, cleared with its owner.
final class PostgresResult {
    let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }
    var columnCount: Int32 { PQnfields(handle) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// A column as text bytes, valid while this result lives.
    func value(_ row: Int, _ column: Int) -> FieldValue { Self.value(handle, row, column) }

    /// A column of the result `handle` as text bytes, valid while the result lives.
    static func value(_ handle: OpaquePointer, _ row: Int, _ column: Int) -> FieldValue {
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return .null }
        return .text(UnsafeRawBufferPointer(start: PQgetvalue(handle, Int32(row), Int32(column)),
                                            count: Int(PQgetlength(handle, Int32(row), Int32(column)))))
    }
}

extension String {
    var trimmingNewlines: String {
        var s = self[...]
        while s.last?.isNewline == true { s = s.dropLast() }
        return String(s)
    }
}
