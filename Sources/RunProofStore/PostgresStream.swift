internal import CRunProofPQ
import RunProofCore

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
}

/// A query streamed in single-row mode: the server sends rows as it makes them while this side works on the ones
/// before. Several are read side by side (the traces, steps, seals and leaves of `verify --all`) on connections of
/// their own, each in the snapshot exported by the reading connection, since one connection streams one query.
final class PostgresStreamCursor: RowCursor {
    private let connection: PostgresConnection
    private let sql: String
    private var current: PostgresResult? {
        didSet { handle = current?.handle }
    }
    /// The current row's result, read without retaining `current` for every column.
    private var handle: OpaquePointer?
    private var finished = false

    /// Streams on `connection`, which then serves nothing else until the last row.
    init(on connection: PostgresConnection, _ sql: String, _ parameters: [String?]) throws(RunProofError) {
        self.connection = connection
        self.sql = sql
        do { try connection.sendSingleRowQuery(sql, parameters) } catch {
            finished = true // nothing was sent: nothing to cancel (the connection may be streaming another query)
            throw error
        }
    }

    /// Streams on a new connection that reads the rows of `snapshot`.
    convenience init(conninfo: String, snapshot: String, _ sql: String, _ parameters: [String?]) throws(RunProofError) {
        let connection = try PostgresConnection(conninfo)
        try connection.execute("""
            BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '\(snapshot)'; SET LOCAL jit = off
            """)
        try self.init(on: connection, sql, parameters)
    }

    deinit { close() }

    /// Gives up the rows not yet read (the query is cancelled); the connection serves other statements again.
    /// Returns whether every row had been read.
    @discardableResult
    func close() -> Bool {
        defer { finished = true }
        if !finished { connection.abandonQuery() }
        return finished
    }

    /// The current row as a one-row result, valid until `next()`.
    var row: PostgresResult? { current }

    func next() throws -> Bool {
        current = nil
        guard !finished else { return false }
        guard let raw = PQgetResult(connection.handle) else {
            finish()
            return false
        }
        let result = PostgresResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_SINGLE_TUPLE:
            current = result
            return true
        case PGRES_TUPLES_OK:
            finish()
            return false
        default:
            let error = connection.failure(raw, "PostgreSQL query failed", sql)
            finish()
            throw error
        }
    }

    /// Takes what is left of the query's results: the connection serves other statements again.
    private func finish() {
        while let rest = PQgetResult(connection.handle) { PQclear(rest) }
        connection.isStreaming = false
        finished = true
    }

    func text(_ column: Int) -> String? { current?.text(0, column) }
    func value(_ column: Int) -> FieldValue { handle.map { PostgresResult.value($0, 0, column) } ?? .null }
}
