import RunProofCore

/// Traces in a SQLite file: RunProof's own tables (`aos_traces`...), or the original platform's
/// development store (`traces`, `trace_steps`), read as it is with trace_id = run_id.
public final class SQLiteStore: TraceStore {
    let connection: SQLiteConnection
    public private(set) var rowsRead = 0
    public private(set) var sealRowsRead = 0
    /// Whether the file is the legacy development store.
    package let isLegacy: Bool
    public var kind: String { isLegacy ? "SQLite (legacy traces)" : "SQLite" }

    private let traceSelect: String
    /// The step columns in `StepField` order, the table and its trace column.
    private let stepColumns: String, stepTable: String, traceColumn: String

    /// The database file.
    package var path: String { connection.path }

    public init(path: String, create: Bool = false) throws {
        connection = try SQLiteConnection(path: path, create: create)
        try connection.execute("PRAGMA foreign_keys = ON")
        isLegacy = try connection.tableExists("traces") && !connection.tableExists("aos_traces")
        if isLegacy {
            traceSelect = "SELECT run_id AS trace_id, run_id, tenant_id, correlation_id, agent_id, plan, started_at, status, completed_at FROM traces t"
            stepColumns = StepField.selectList(.sqlite, legacy: true)
            (stepTable, traceColumn) = ("trace_steps", "run_id")
        } else {
            traceSelect = "SELECT trace_id, run_id, tenant_id, correlation_id, agent_id, plan, started_at, status, completed_at FROM aos_traces t"
            stepColumns = StepField.selectList(.sqlite)
            (stepTable, traceColumn) = ("aos_trace_steps", "trace_id")
        }
    }

    /// `SELECT <step columns>, <recorded leaf or NULL> FROM <steps> WHERE <trace> = $1`; callers add the range and ORDER BY.
    private var stepSelect: String { "SELECT \(stepColumns) FROM \(stepTable) WHERE \(traceColumn) = $1" }

    private func rows(_ statement: SQLiteStatement) throws -> [TraceRow] {
        var rows: [TraceRow] = []
        let columns = ["trace_id", "run_id", "tenant_id", "correlation_id", "agent_id", "plan", "started_at", "status", "completed_at"]
        while try statement.step() {
            var row = TraceRow(traceId: statement.text(0) ?? "", runId: statement.text(1) ?? "",
                               tenantId: statement.text(2) ?? "", correlationId: statement.text(3),
                               agentId: statement.text(4), plan: statement.text(5), startedAt: statement.text(6),
                               status: statement.text(7), completedAt: statement.text(8))
            row.invalidUTF8Column = columns.indices.first { !statement.isValidUTF8(Int32($0)) }.map { columns[$0] }
            rows.append(row)
        }
        return rows
    }

    private func prepare(_ sql: String, _ parameters: [String?]) throws -> SQLiteStatement {
        let statement = try connection.prepare(sql)
        for (i, value) in parameters.enumerated() { try statement.bind(Int32(i + 1), value) }
        return statement
    }

    public func traces(tenant: String, run: String) throws -> [TraceRow] {
        try rows(prepare("\(traceSelect) WHERE tenant_id = $1 AND run_id = $2 ORDER BY started_at, trace_id", [tenant, run]))
    }

    public func tracesWithUnsealedSteps(after: TraceRow?, limit: Int) throws -> [TraceRow] {
        let steps = isLegacy ? "trace_steps s WHERE s.run_id" : "aos_trace_steps s WHERE s.trace_id"
        let id = isLegacy ? "t.run_id" : "t.trace_id"
        return try rows(prepare("""
            \(traceSelect) WHERE ($1 IS NULL OR (t.tenant_id, t.run_id, t.started_at, \(id)) > ($1, $2, $3, $4))
              AND EXISTS (SELECT 1 FROM \(steps) = \(id) AND s.step_index >=
                COALESCE((SELECT chain_length FROM aos_trace_seals x WHERE x.trace_id = \(id) ORDER BY chain_length DESC LIMIT 1), 0))
            ORDER BY t.tenant_id, t.run_id, t.started_at, \(id) LIMIT $5
            """, [after?.tenantId, after?.runId, after?.startedAt, after?.traceId, String(limit)]))
    }

    public func sealStream(of trace: TraceRow) throws -> SealStream {
        guard try connection.tableExists("aos_trace_seals") else { return SealStream([]) }
        let scope = "FROM aos_trace_seals WHERE trace_id = $1 AND tenant_id = $2"
        let parameters = [trace.traceId, trace.tenantId]
        let closing = try closure(of: trace)
        let counter = try prepare("SELECT count(*) \(scope)", parameters)
        let count = try counter.step() ? counter.int(0) : 0
        let latest = try readSeals("WHERE trace_id = $1 AND tenant_id = $2 ORDER BY chain_length DESC LIMIT 1", parameters).first
        // The frontier resumes sealing; verification does not read it.
        let statement = try prepare("SELECT seal, '', \(StoredSeal.columnList) \(scope) ORDER BY chain_length", parameters)
        // After its last row a statement would start again: the stream never asks for a row after that.
        return SealStream(rows: count, latest: latest?.seal, closing: closing) { [self] in
            guard try statement.step() else { return nil }
            sealRowsRead += 1
            return try StoredSeal(record: statement.text(0) ?? "", frontier: statement.text(1) ?? "",
                                  columns: (2 ..< 9).map { statement.text(Int32($0)) }).seal
        }
    }

    public func bulkCursors(tenant: String?, since: String?) throws -> BulkCursors {
        let traceId = isLegacy ? "t.run_id" : "t.trace_id"
        let columns = isLegacy
            ? "t.run_id, t.run_id, t.tenant_id, t.correlation_id, t.agent_id, t.plan, t.started_at, t.status, t.completed_at"
            : "t.trace_id, t.run_id, t.tenant_id, t.correlation_id, t.agent_id, t.plan, t.started_at, t.status, t.completed_at"
        // Timestamps are ISO 8601 text: they compare as text once both are in UTC 'T' form (the stored form).
        let queries = BulkQueries(dialect: .sqlite, traceTable: isLegacy ? "traces" : "aos_traces", traceId: traceId, traceColumns: columns,
                                  stepTable: stepTable, stepTrace: traceColumn, legacy: isLegacy,
                                  filter: "($1 IS NULL OR t.tenant_id = $1) AND ($2 IS NULL OR t.started_at >= $2)")
        let parameters = [tenant, since.map { (try? Timestamp.normalize($0)) ?? $0 }]
        return BulkCursors(traces: SQLiteRowCursor(try prepare(queries.traces, parameters)),
                           steps: SQLiteRowCursor(try prepare(queries.steps, parameters)),
                           seals: SQLiteRowCursor(try prepare(queries.seals, parameters)),
                           leaves: SQLiteRowCursor(try prepare(queries.leaves, parameters)))
    }

    public func withReadSnapshot<R>(_ body: () throws -> R) throws -> R {
        guard connection.isAutocommit else { return try body() }
        return try inTransaction(begin: "BEGIN", connection.execute, body)
    }

    public func latestSeal(of trace: TraceRow) throws -> StoredSeal? {
        try readSeals("WHERE trace_id = $1 ORDER BY chain_length DESC LIMIT 1", [trace.traceId]).first
    }

    private func readSeals(_ clause: String, _ parameters: [String?]) throws -> [StoredSeal] {
        guard try connection.tableExists("aos_trace_seals") else { return [] }
        let statement = try prepare("SELECT seal, frontier, \(StoredSeal.columnList) FROM aos_trace_seals \(clause)", parameters)
        var seals: [StoredSeal] = []
        while try statement.step() {
            sealRowsRead += 1
            seals.append(try StoredSeal(record: statement.text(0) ?? "", frontier: statement.text(1) ?? "",
                                        columns: (2 ..< 9).map { statement.text(Int32($0)) }))
        }
        return seals
    }

    public func forEachStep(of trace: TraceRow, from: Int, recordedLeaves: Bool,
                            _ body: ((StepField) -> FieldValue, Digest?) throws -> Bool) throws {
        let withLeaves = try recordedLeaves && connection.tableExists("aos_trace_leaves")
        // The recorded leaves read in index order beside the steps, by a second statement in the same read, and
        // merged by step index: looked up row by row, they cost an index probe per step (a tenth of the time).
        var leaves: RecordedLeaves?
        if withLeaves {
            let statement = try prepare("""
                SELECT trace_id, step_index, leaf FROM aos_trace_leaves WHERE trace_id = $1 AND step_index >= $2 ORDER BY step_index
                """, [trace.traceId])
            try statement.bind(2, from)
            leaves = try RecordedLeaves(SQLiteRowCursor(statement))
        }
        let indexColumn = Int32(StepField.stepIndex.rawValue)
        for range in StepRange.queries(from: from) {
            let statement = try prepare("\(stepSelect) \(range.sql) ORDER BY step_index", [trace.traceId])
            if range.bindsFrom { try statement.bind(2, from) }
            while try statement.step() {
                rowsRead += 1
                let recorded = try leaves?.leaf(at: statement.value(indexColumn).int)
                guard try body({ statement.value(Int32($0.rawValue)) }, recorded) else { return }
            }
        }
    }

    public func hasSealTables() throws -> Bool {
        try ["aos_trace_seals", "aos_trace_leaves", "aos_trace_closures", "aos_tenant_log", "aos_tenant_log_heads"].allSatisfy { try connection.tableExists($0) }
    }

    public func insertLeaves(traceId: String, from: Int, _ leaves: [Digest]) throws {
        let statement = try prepare("INSERT INTO aos_trace_leaves (trace_id, step_index, leaf) VALUES ($1, $2, $3)", [traceId])
        for (offset, leaf) in leaves.enumerated() {
            try statement.bind(2, from + offset)
            try statement.bind(3, leaf.hex)
            _ = try statement.step()
            try statement.reset()
        }
    }

    public func closure(of trace: TraceRow) throws -> Seal? {
        guard try connection.tableExists("aos_trace_closures") else { return nil }
        let statement = try prepare("SELECT seal FROM aos_trace_closures WHERE trace_id = $1", [trace.traceId])
        guard try statement.step() else { return nil }
        sealRowsRead += 1
        return try StoredSeal(record: statement.text(0) ?? "", frontier: "").seal
    }

    public func insertClosure(_ seal: Seal) throws {
        let statement = try prepare("""
            INSERT INTO aos_trace_closures (trace_id, tenant_id, run_id, chain_length, key_id, seal) VALUES ($1, $2, $3, $4, $5, $6)
            """, [seal.traceId, seal.tenantId, seal.runId, nil, seal.keyId, seal.record.canonicalString])
        try statement.bind(4, seal.chainLength)
        _ = try statement.step()
    }

    public func withSealLock<R>(_ trace: TraceRow, _ body: () throws -> R) throws -> R {
        // BEGIN IMMEDIATE takes the write lock up front: concurrent sealers wait instead of forking.
        try inTransaction(begin: "BEGIN IMMEDIATE", connection.execute, body)
    }

    public func insert(_ stored: StoredSeal) throws {
        let seal = stored.seal
        let statement = try prepare("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [seal.traceId, seal.tenantId, seal.runId, nil, seal.head.hex, seal.merkleRoot.hex, seal.keyId,
                  seal.record.canonicalString, stored.frontierText])
        try statement.bind(4, seal.chainLength)
        _ = try statement.step()
    }

    /// Creates RunProof's own tables; the trace tables only where there are none (an existing store is read as it is).
    public func createSchema() throws {
        try connection.execute((isLegacy || connection.tableExists("aos_traces") ? "" : Schema.sqliteTraces) + Schema.sqliteSeals)
    }

    public func execute(_ sql: String, _ parameters: [String?]) throws {
        let statement = try prepare(sql, parameters)
        while try statement.step() {}
    }

    public func query(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        let statement = try prepare(sql, parameters)
        var rows: [[String?]] = []
        while try statement.step() { rows.append((0 ..< statement.columnCount).map { statement.text($0) }) }
        return rows
    }

    public var dialect: SQLDialect { .sqlite }
}
