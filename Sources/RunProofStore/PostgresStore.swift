import RunProofCore

/// Traces in PostgreSQL, read with libpq; steps streamed through COPY.
public final class PostgresStore: TraceStore {
    let connection: PostgresConnection
    public let kind = "PostgreSQL"
    public private(set) var rowsRead = 0
    public private(set) var sealRowsRead = 0

    static let traceColumns = "trace_id, run_id, tenant_id, correlation_id, agent_id, plan::text, started_at::text, status, completed_at::text"
    static let qualifiedStepColumns = StepField.selectList(.postgres, table: "s")

    /// Up to this many seal rows of a trace are fetched in one query; more through a cursor, a batch at a time.
    package var sealsReadAtOnce = 1000

    /// Whether `verify --all`, and a long trace's recorded leaves, may be read side by side on more connections
    /// (tests turn it off). Those connections are opened from `conninfo` and take this connection's search_path;
    /// other settings made on this connection with `execute` (a role) are not carried over: put them in the
    /// connection string (`options=-crole=...`).
    package var streamsSideBySide = true

    /// The connection string this store was opened with.
    package let conninfo: String

    public init(_ conninfo: String) throws {
        self.conninfo = conninfo
        connection = try PostgresConnection(conninfo)
    }

    private func rows(_ result: PostgresResult) -> [TraceRow] {
        (0 ..< result.rowCount).map { r in
            TraceRow(traceId: result.text(r, 0) ?? "", runId: result.text(r, 1) ?? "", tenantId: result.text(r, 2) ?? "",
                     correlationId: result.text(r, 3), agentId: result.text(r, 4), plan: result.text(r, 5),
                     startedAt: result.text(r, 6), status: result.text(r, 7), completedAt: result.text(r, 8))
        }
    }

    public func traces(tenant: String, run: String) throws -> [TraceRow] {
        rows(try connection.query("""
            SELECT \(Self.traceColumns) FROM aos_traces WHERE tenant_id = $1 AND run_id = $2 ORDER BY started_at, trace_id
            """, [tenant, run]))
    }

    public func tracesWithUnsealedSteps(after: TraceRow?, limit: Int) throws -> [TraceRow] {
        rows(try connection.query("""
            SELECT \(Self.traceColumns) FROM aos_traces t
            WHERE ($1::text IS NULL OR (t.tenant_id, t.run_id, t.started_at, t.trace_id) > ($1, $2, $3::timestamptz, $4))
              AND EXISTS (SELECT 1 FROM aos_trace_steps s WHERE s.trace_id = t.trace_id AND s.step_index >=
                COALESCE((SELECT chain_length FROM aos_trace_seals x WHERE x.trace_id = t.trace_id ORDER BY chain_length DESC LIMIT 1), 0))
            ORDER BY t.tenant_id, t.run_id, t.started_at, t.trace_id LIMIT $5
            """, [after?.tenantId, after?.runId, after?.startedAt, after?.traceId, String(limit)]))
    }

    public func sealStream(of trace: TraceRow) throws -> SealStream {
        let scope = "FROM aos_trace_seals WHERE trace_id = $1 AND tenant_id = $2"
        let parameters = [trace.traceId, trace.tenantId]
        let closing = try closure(of: trace)
        let count = Int(try connection.query("SELECT count(*) \(scope)", parameters).text(0, 0) ?? "") ?? 0
        let latest = try readSeals("WHERE trace_id = $1 AND tenant_id = $2 ORDER BY chain_length DESC LIMIT 1", parameters).first
        // The frontier resumes sealing; verification does not read it.
        let sql = "SELECT seal, '', \(StoredSeal.columnList) \(scope) ORDER BY chain_length"
        // Each row is read when the verifier reaches it, so that a bad one is reported where it stands.
        let next: () throws -> (PostgresResult, Int)?
        if count <= sealsReadAtOnce {
            // Few seals (the common case) are fetched at once, leaving the connection free to stream the steps.
            let result = try connection.query(sql, parameters)
            var row = -1
            next = {
                row += 1
                return row < result.rowCount ? (result, row) : nil
            }
        } else {
            next = try PostgresCursor(connection, sql, parameters).next
        }
        return SealStream(rows: count, latest: latest?.seal, closing: closing) { [self] in
            guard let (result, row) = try next() else { return nil }
            sealRowsRead += 1
            return try StoredSeal(record: result.text(row, 0) ?? "", frontier: result.text(row, 1) ?? "",
                                  columns: (2 ..< 9).map { result.text(row, $0) }).seal
        }
    }

    public func bulkCursors(tenant: String?, since: String?) throws -> BulkCursors {
        let columns = Self.traceColumns.split(separator: ",").map { "t.\($0.trimmingPrefix(" "))" }.joined(separator: ", ")
        // Only the conditions given: a tenant's runs are found through its index (a condition that may be void
        // is not, once its value is read from a setting, as COPY must).
        var conditions: [String] = [], parameters: [String?] = []
        if let tenant {
            parameters.append(tenant)
            conditions.append("t.tenant_id = $\(parameters.count)")
        }
        if let since {
            parameters.append(since)
            conditions.append("t.started_at >= $\(parameters.count)::timestamptz")
        }
        let queries = BulkQueries(dialect: .postgres, traceTable: "aos_traces", traceId: "t.trace_id", traceColumns: columns,
                                  stepTable: "aos_trace_steps", stepTrace: "trace_id", legacy: false,
                                  filter: conditions.isEmpty ? "true" : conditions.joined(separator: " AND "))
        if let streams = try sideBySide(queries, parameters) { return streams }
        // A server that cannot share the snapshot (before 9.2, a standby before 10) or takes no more connections: the four queries through
        // cursors on this connection, a batch at a time. The same rows, the same verdicts, more slowly.
        func cursor(_ sql: String) throws -> RowCursor { PostgresRowCursor(try PostgresCursor(connection, sql, parameters)) }
        return BulkCursors(traces: try cursor(queries.traces), steps: try cursor(queries.steps), seals: try cursor(queries.seals),
                           leaves: try cursor(queries.leaves))
    }

    /// The four queries streamed side by side: three on connections of their own in this transaction's snapshot, then
    /// the traces on this one (it exports the snapshot first: once it streams, it serves nothing else). Nil where the
    /// snapshot cannot be shared.
    private func sideBySide(_ queries: BulkQueries, _ parameters: [String?]) throws -> BulkCursors? {
        guard try canShareSnapshot(), let streams = try streamsInThisSnapshot([queries.steps, queries.seals, queries.leaves], parameters)
        else { return nil }
        return BulkCursors(traces: try PostgresCopyCursor(on: connection, queries.traces, parameters),
                           steps: streams[0], seals: streams[1], leaves: streams[2])
    }

    /// `queries` streamed on connections of their own that read this transaction's snapshot and name tables through
    /// its search_path; nil where one is refused (a connection limit, the snapshot refused there), with this
    /// transaction intact.
    private func streamsInThisSnapshot(_ queries: [String], _ parameters: [String?]) throws -> [PostgresCopyCursor]? {
        let searchPath = try connection.query("SELECT current_setting('search_path')").text(0, 0) ?? ""
        let snapshot = try connection.exportSnapshot()
        do {
            return try queries.map { (sql) throws(RunProofError) in
                try PostgresCopyCursor(conninfo: conninfo, snapshot: snapshot, searchPath: searchPath, sql, parameters)
            }
        } catch {
            return nil
        }
    }

    /// Whether reads may go side by side on more connections in this transaction's snapshot: snapshots can be
    /// shared since 9.2 on a primary, since 10 on a standby (what pg_dump -j relies on).
    private func canShareSnapshot() throws -> Bool {
        let version = connection.serverVersion
        guard streamsSideBySide, version >= 90200 else { return false }
        return try version >= 100000 || connection.query("SELECT pg_is_in_recovery()").text(0, 0) == "f"
    }

    public func withReadSnapshot<R>(_ body: () throws -> R) throws -> R {
        try connection.inReadTransaction(body)
    }

    public func latestSeal(of trace: TraceRow) throws -> StoredSeal? {
        try readSeals("WHERE trace_id = $1 ORDER BY chain_length DESC LIMIT 1", [trace.traceId]).first
    }

    private func readSeals(_ clause: String, _ parameters: [String?]) throws -> [StoredSeal] {
        let result = try connection.query("SELECT seal, frontier, \(StoredSeal.columnList) FROM aos_trace_seals \(clause)", parameters)
        sealRowsRead += result.rowCount
        return try (0 ..< result.rowCount).map { row in
            try StoredSeal(record: result.text(row, 0) ?? "", frontier: result.text(row, 1) ?? "",
                           columns: (2 ..< 9).map { result.text(row, $0) })
        }
    }

    public func forEachStep(of trace: TraceRow, from: Int, recordedLeaves: Bool,
                            _ body: ((StepField) -> FieldValue, Digest?) throws -> Bool) throws {
        let withLeaves = try recordedLeaves && hasTable("aos_trace_leaves")
        let leafColumn = StepField.allCases.count, indexColumn = StepField.stepIndex.rawValue
        try connection.inReadTransaction {
            // A long trace's recorded leaves stream beside its steps; a short one's are joined.
            let leaves = withLeaves ? try leafStream(of: trace, from: from) : nil
            let joined = withLeaves && leaves == nil
            let leaf = joined ? "l.leaf" : "NULL"
            let join = joined ? "LEFT JOIN aos_trace_leaves l ON l.trace_id = s.trace_id AND l.step_index = s.step_index" : ""
            for range in StepRange.queries(from: from, column: "s.step_index", bound: "$2::integer") {
                let sql = """
                    SELECT \(Self.qualifiedStepColumns), \(leaf) FROM aos_trace_steps s \(join)
                    WHERE s.trace_id = $1 \(range.sql) ORDER BY s.step_index
                    """
                let parameters = range.bindsFrom ? [trace.traceId, String(from)] : [trace.traceId]
                var stopped = false
                if connection.openCursors == 0 {
                    // Nothing else is read from this connection meanwhile: the rows stream while the server makes them.
                    try connection.stream(sql, parameters) { row in
                        rowsRead += 1
                        let recorded = try leaves.map { try $0.leaf(at: row.value(indexColumn).int) } ?? (joined ? row.value(leafColumn).digest : nil)
                        stopped = try !body({ row.value($0.rawValue) }, recorded)
                        return !stopped
                    }
                } else {
                    // Seals are being read through a cursor beside the steps: the steps come through one too.
                    let cursor = try PostgresCursor(connection, sql, parameters)
                    while !stopped, let (result, row) = try cursor.next() {
                        rowsRead += 1
                        stopped = try !body({ result.value(row, $0.rawValue) }, joined ? result.value(row, leafColumn).digest : nil)
                    }
                }
                if stopped { return }
            }
        }
    }

    /// Traces with more recorded leaves than this read them beside the steps, on a connection of their own; fewer are
    /// joined. Joined, a million leaves cost the server more than the steps themselves (a million index probes: 4.0 s
    /// against 1.9 s for the steps and 0.3 s for the leaves read in order); a connection costs a few milliseconds.
    package var joinedLeavesUpTo = 10_000

    /// The recorded leaves of a long trace from step `from` on, streamed in index order on a new connection in this
    /// transaction's snapshot; nil when they are to be joined instead: a short trace, a snapshot that cannot be
    /// shared (not REPEATABLE READ, a transaction that wrote: another would not see its writes; a server before
    /// 10), a cursor open on this connection, or no connection to spare.
    private func leafStream(of trace: TraceRow, from: Int) throws -> RecordedLeaves? {
        guard connection.openCursors == 0, connection.serverVersion >= 100000, try canShareSnapshot() else { return nil }
        let probe = try connection.query("""
            SELECT max(step_index), current_setting('transaction_isolation') = 'repeatable read' AND txid_current_if_assigned() IS NULL
            FROM aos_trace_leaves WHERE trace_id = $1
            """, [trace.traceId])
        guard probe.text(0, 1) == "t", let last = Int(probe.text(0, 0) ?? ""), last - from >= joinedLeavesUpTo,
              let streams = try streamsInThisSnapshot(["""
                  SELECT trace_id, step_index, leaf FROM aos_trace_leaves WHERE trace_id = $1 AND step_index >= $2::integer ORDER BY step_index
                  """], [trace.traceId, String(from)]) else { return nil }
        return try RecordedLeaves(streams[0])
    }

    private func hasTable(_ name: String) throws -> Bool {
        try connection.query("SELECT to_regclass($1) IS NOT NULL", [name]).text(0, 0) == "t"
    }

    public func hasSealTables() throws -> Bool {
        try ["aos_trace_seals", "aos_trace_leaves", "aos_trace_closures", "aos_tenant_log", "aos_tenant_log_heads"].allSatisfy { try hasTable($0) }
    }

    public func insertLeaves(traceId: String, from: Int, _ leaves: [Digest]) throws {
        // Batches of 4,096 leaves per statement, sent as one comma-separated text and split by the server in one
        // pass (substr at an offset counts characters from the start: 4,096 of them made a first seal of a million
        // steps spend minutes of server time).
        for start in stride(from: 0, to: leaves.count, by: 4096) {
            let batch = leaves[start ..< min(leaves.count, start + 4096)]
            try connection.query("""
                INSERT INTO aos_trace_leaves (trace_id, step_index, leaf)
                SELECT $1, $2::integer + n::integer - 1, leaf FROM unnest(string_to_array($3, ',')) WITH ORDINALITY AS u(leaf, n)
                """, [traceId, String(from + start), batch.map(\.hex).joined(separator: ",")])
        }
    }

    public func closure(of trace: TraceRow) throws -> Seal? {
        guard try hasTable("aos_trace_closures") else { return nil }
        let result = try connection.query("SELECT seal FROM aos_trace_closures WHERE trace_id = $1", [trace.traceId])
        guard result.rowCount > 0 else { return nil }
        sealRowsRead += 1
        return try StoredSeal(record: result.text(0, 0) ?? "", frontier: "").seal
    }

    public func insertClosure(_ seal: Seal) throws {
        try connection.query("""
            INSERT INTO aos_trace_closures (trace_id, tenant_id, run_id, chain_length, key_id, seal) VALUES ($1, $2, $3, $4, $5, $6)
            """, [seal.traceId, seal.tenantId, seal.runId, String(seal.chainLength), seal.keyId, seal.record.canonicalString])
    }

    public func withSealLock<R>(_ trace: TraceRow, _ body: () throws -> R) throws -> R {
        try inTransaction(begin: "BEGIN", connection.execute) {
            try connection.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [trace.traceId])
            return try body()
        }
    }

    public func insert(_ stored: StoredSeal) throws {
        let seal = stored.seal
        try connection.query("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [seal.traceId, seal.tenantId, seal.runId, String(seal.chainLength), seal.head.hex, seal.merkleRoot.hex,
                  seal.keyId, seal.record.canonicalString, stored.frontierText])
    }

    /// Creates RunProof's own tables; the trace tables (and their indexes) only in a database that has none:
    /// the platform's own `aos_traces` is read as it is, never altered.
    public func createSchema() throws {
        try connection.execute((try hasTable("aos_traces") ? "" : Schema.postgresTraces) + Schema.postgresSeals)
    }

    public func execute(_ sql: String, _ parameters: [String?]) throws {
        try connection.query(sql, parameters)
    }

    public func query(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        let result = try connection.query(sql, parameters)
        let columns = Int(result.columnCount)
        return (0 ..< result.rowCount).map { r in (0 ..< columns).map { result.text(r, $0) } }
    }

    public var dialect: SQLDialect { .postgres }
}
