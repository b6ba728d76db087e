internal import CRunProofSQLite
import RunProofCore

/// An open SQLite database, closed with its owner.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    init(path: String, create: Bool) throws(RunProofError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw RunProofError(.database, "cannot open SQLite database \(path)", underlying: "sqlite \(rc): \(message)", origin: .sqlite(code: rc))
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 10_000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    /// An error with the extended result code, sqlite's message and the statement that failed.
    func error(_ rc: Int32, _ what: String, statement: String? = nil, message: String? = nil) -> RunProofError {
        let underlying = "sqlite \(rc): \(message ?? String(cString: sqlite3_errmsg(handle)))"
        func error(_ code: RunProofError.Code, _ what: String) -> RunProofError {
            RunProofError(code, what, underlying: underlying, origin: .sqlite(code: rc), statement: statement)
        }
        switch rc & 0xFF {
        case SQLITE_CONSTRAINT: return error(.conflict, what)
        case SQLITE_READONLY:
            return error(.database, "the SQLite database \(path) is read-only for this user: sealing and init write to it (verify, export and evidence only read)")
        case SQLITE_BUSY:
            return error(.database, "the SQLite database \(path) is locked by another writer (waited 10 s): try again when it is done")
        default: return error(.database, what)
        }
    }

    func prepare(_ sql: String) throws(RunProofError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, "cannot prepare SQL", statement: sql) }
        return SQLiteStatement(statement, connection: self)
    }

    /// Runs SQL without parameters (schema scripts, transaction control).
    func execute(_ sql: String) throws(RunProofError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard rc == SQLITE_OK else {
            throw error(rc, "SQLite statement failed", statement: sql, message: message.map { String(cString: $0) } ?? "")
        }
    }

    /// Whether no transaction is open.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    func tableExists(_ name: String) throws(RunProofError) -> Bool {
        let statement = try prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
        try statement.bind(1, name)
        return try statement.step()
    }
}

/// A prepared statement; its rows are read in place, one at a time.
final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: String?) throws(RunProofError) {
        // Bound by its length, so a NUL inside the text is not taken for its end.
        let rc = value.map { text in
            sqlite3_bind_text(handle, index, text, Int32(text.utf8.count), crunproof_sqlite_transient())
        } ?? sqlite3_bind_null(handle, index)
        guard rc == SQLITE_OK else { throw connection.error(rc, "cannot bind parameter \(index)") }
    }

    func bind(_ index: Int32, _ value: Int) throws(RunProofError) {
        let rc = sqlite3_bind_int64(handle, index, Int64(value))
        guard rc == SQLITE_OK else { throw connection.error(rc, "cannot bind parameter \(index)") }
    }

    /// Makes the statement ready to run again, keeping its bindings.
    func reset() throws(RunProofError) {
        let rc = sqlite3_reset(handle)
        guard rc == SQLITE_OK else { throw connection.error(rc, "SQLite statement failed") }
    }

    /// Advances to the next row; false when done.
    func step() throws(RunProofError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw connection.error(rc, "SQLite query failed", statement: sqlite3_sql(handle).map { String(cString: $0) })
        }
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    /// Whether the column, read as text, is valid UTF-8 (SQLite stores whatever bytes it was given).
    func isValidUTF8(_ column: Int32) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return true }
        return String(validating: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self) != nil
    }

    /// The column as a step field value, typed as SQLite stored it; text bytes are valid until the next step.
    func value(_ column: Int32) -> FieldValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, column))
        default:
            let p = sqlite3_column_text(handle, column)
            return .text(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))))
        }
    }
}

/// A prepared statement as a `RowCursor` (once done, it stays done: SQLite would start it again).
final class SQLiteRowCursor: RowCursor {
    private let statement: SQLiteStatement
    private var done = false

    init(_ statement: SQLiteStatement) { self.statement = statement }

    func next() throws -> Bool {
        guard !done else { return false }
        if try statement.step() { return true }
        done = true
        return false
    }

    func text(_ column: Int) -> String? { statement.text(Int32(column)) }
    func value(_ column: Int) -> FieldValue { statement.value(Int32(column)) }
}
