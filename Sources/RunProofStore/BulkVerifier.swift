import RunProofCore

/// A cursor over the rows of one query: the current row's columns as text or as step field values.
protocol RowCursor: AnyObject {
    /// Moves to the next row; false after the last.
    func next() throws -> Bool
    func text(_ column: Int) -> String?
    func value(_ column: Int) -> FieldValue
}

/// The four cursors of a bulk verification (see `TraceStore.bulkCursors`), each in trace order.
public struct BulkCursors {
    var traces: RowCursor
    var steps: RowCursor
    var seals: RowCursor
    var leaves: RowCursor

    init(traces: RowCursor, steps: RowCursor, seals: RowCursor, leaves: RowCursor) {
        self.traces = traces
        self.steps = steps
        self.seals = seals
        self.leaves = leaves
    }
}

/// The four queries of a bulk verification, for a layout of trace and step tables.
struct BulkQueries {
    var traces: String, steps: String, seals: String, leaves: String
    /// `traceColumns`: the nine `TraceRow` columns of `t`; `filter`: the condition on `t` ($1 tenant or NULL, $2 since or NULL).
    init(dialect: SQLDialect, traceTable: String, traceId: String, traceColumns: String, stepTable: String, stepTrace: String,
         legacy: Bool, filter: String) {
        let sealColumns = StoredSeal.columnList.split(separator: ",").map { "x.\($0.trimmingPrefix(" "))" }.joined(separator: ", ")
        traces = """
            SELECT \(traceColumns), (SELECT c.seal FROM aos_trace_closures c WHERE c.trace_id = \(traceId))
            FROM \(traceTable) t WHERE \(filter) ORDER BY \(traceId)
            """
        steps = """
            SELECT s.\(stepTrace), \(StepField.selectList(dialect, legacy: legacy, table: "s"))
            FROM \(stepTable) s JOIN \(traceTable) t ON \(traceId) = s.\(stepTrace)
            WHERE \(filter) ORDER BY s.\(stepTrace), s.step_index
            """
        // The recorded leaves are merged with the steps by the reader, not joined: with a run of a million steps
        // beside many short ones, the planner's estimates favour a million index probes (measured 3x slower).
        leaves = """
            SELECT l.trace_id, l.step_index, l.leaf
            FROM aos_trace_leaves l JOIN \(traceTable) t ON \(traceId) = l.trace_id
            WHERE \(filter) ORDER BY l.trace_id, l.step_index
            """
        // A trace's first seal row also carries the trace's seal count and latest seal record, which the verifier
        // needs before the seals: counted over the rows the stream itself holds, in the same pass (as two look-ups
        // per trace in the trace query, they cost more server time than the seal rows themselves). The latest
        // record is sent only when it is not that row's own (one seal: the common case, and 400 bytes a trace).
        seals = """
            SELECT x.trace_id, x.seal, '', \(sealColumns), count(*) OVER w,
                CASE WHEN row_number() OVER w = 1 AND count(*) OVER w > 1 THEN last_value(x.seal) OVER w END
            FROM aos_trace_seals x JOIN \(traceTable) t ON \(traceId) = x.trace_id AND t.tenant_id = x.tenant_id
            WHERE \(filter)
            WINDOW w AS (PARTITION BY x.trace_id ORDER BY x.chain_length ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY x.trace_id, x.chain_length
            """
    }
}

/// Verifies every trace of a tenant (or of all tenants) in one streaming pass: four queries in all (traces, steps,
/// seals, leaves), whatever the number of runs, merged by trace_id; each trace gets its own `ChainVerifier`, its seals
/// streamed beside its steps.
public enum BulkVerifier {
    /// Calls `body` with each trace's report, in trace_id order. Memory: one trace's verifier at a time, and a few
    /// batches of rows read ahead, made ready by `workers` threads (0: all on the calling thread).
    public static func verifyAll(_ store: any TraceStore, tenant: String?, since: String?, trust: TrustPolicy = TrustPolicy(),
                                 workers: Int = ExportFile.workers, progress: Progress? = nil,
                                 _ body: (RunReport.Trace) throws -> Void) throws {
        try store.requireSealTables(for: "verify every run")
        try store.withReadSnapshot {
            let cursors = try store.bulkCursors(tenant: tenant, since: since)
            let steps = RowBatch.Pipeline(cursors.steps, workers: workers)
            let leaves = try RecordedLeaves(cursors.leaves)
            var stepsAhead = try steps.next(), sealsAhead = try cursors.seals.next()
            while try cursors.traces.next() {
                let t = cursors.traces
                let trace = TraceRow(traceId: t.text(0) ?? "", runId: t.text(1) ?? "", tenantId: t.text(2) ?? "",
                                     correlationId: t.text(3), agentId: t.text(4), plan: t.text(5), startedAt: t.text(6),
                                     status: t.text(7), completedAt: t.text(8))
                let completedAt = trace.completedAt.map { (try? Timestamp.normalize($0)) ?? $0 }
                // This trace's rows, and only them, are at the head of the step, seal and leaf cursors.
                let id = t.withKey(Array.init) // as stored: the id's text may have been repaired for the header
                func skipRows() throws {
                    while stepsAhead, steps.isTrace(id) { stepsAhead = try steps.next() }
                    while sealsAhead, cursors.seals.isTrace(id) { sealsAhead = try cursors.seals.next() }
                    try leaves.skip(id)
                }
                let header: TraceHeader
                do { header = try trace.header() } catch let error as RunProofError {
                    try skipRows()
                    try body(.unreadableHeader(trace, error, completedAt: completedAt))
                    continue
                }
                // The trace's first seal row carries its seal count and latest seal record (see `BulkQueries.seals`).
                let hasSeals = sealsAhead && cursors.seals.isTrace(id)
                let sealRows = hasSeals ? Int(cursors.seals.text(10) ?? "") ?? 0 : 0
                let latestRecord = hasSeals ? cursors.seals.text(sealRows == 1 ? 1 : 11) : nil
                let closing: Seal?, latest: Seal?
                do {
                    closing = try t.text(9).map { try StoredSeal(record: $0, frontier: "").seal }
                    latest = try latestRecord.map { try StoredSeal(record: $0, frontier: "").seal }
                } catch let error as RunProofError where error.code == .malformed {
                    try skipRows()
                    try body(RunReport.Trace(header: header, verdict: Verdict(kind: .failed, reason: error.message, failureKind: .seal),
                                             status: trace.status, completedAt: completedAt))
                    continue
                }
                let seals = SealStream(rows: sealRows, latest: latest, closing: closing) {
                    guard sealsAhead, cursors.seals.isTrace(id) else { return nil }
                    let s = cursors.seals
                    // The latest seal's row (the common case: the one seal, whose record it is) was read already:
                    // not parsed twice.
                    let seal: Seal
                    if let latest, sealRows == 1 || s.text(1) == latestRecord { seal = latest }
                    else { seal = try StoredSeal(record: s.text(1) ?? "", frontier: "").seal }
                    try StoredSeal.check(seal, value: { s.value($0 + 3) }, text: { s.text($0 + 3) })
                    sealsAhead = try s.next()
                    return seal
                }
                let verifier = ChainVerifier(header: header, seals: seals, trust: trust, finished: trace.isFinished)
                var count = 0, reading = true
                while stepsAhead, steps.isTrace(id) {
                    count += 1
                    progress?.advance()
                    if reading {
                        reading = try steps.withStep { prepared in
                            switch prepared {
                            case .success(var step):
                                step.recorded = try leaves.leaf(at: step.index, of: id)
                                return verifier.consume(step)
                            case .failure(let error):
                                verifier.reject(error)
                                return false
                            }
                        }
                    }
                    stepsAhead = try steps.next()
                }
                let verdict = try verifier.finish()
                // Seal rows the verifier did not read (it reads them all unless one was malformed) are passed over.
                try skipRows()
                try body(RunReport.Trace(header: header, verdict: verdict, status: trace.status, completedAt: completedAt, stepCount: count))
            }
        }
    }
}

extension RowCursor {
    /// Calls `body` with the current row's first column (a trace id) as stored: its text bytes, or the text of a
    /// value stored as a number.
    func withKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if case .text(let bytes) = value(0) { return try body(bytes) }
        return try Array((text(0) ?? "").utf8).withUnsafeBytes(body)
    }

    /// Whether the current row's first column is the given trace id (compared as bytes: no string is made).
    fileprivate func isTrace(_ id: [UInt8]) -> Bool {
        withKey { $0.elementsEqual(id) }
    }
}

/// The leaves recorded at seal time, streamed in index order beside the steps (rows: trace_id, step_index, leaf) and
/// merged with them by the reader, instead of joined by the server.
final class RecordedLeaves {
    private let rows: RowCursor
    private var ahead: Bool

    init(_ rows: RowCursor) throws {
        self.rows = rows
        ahead = try rows.next()
    }

    /// The leaf recorded for step `index` (of trace `id`, when the rows hold many): the rows are moved up to it, not
    /// past it, since the next step may have the same index.
    func leaf(at index: Int?, of id: [UInt8]? = nil) throws -> Digest? {
        guard let index else { return nil }
        while ahead, id.map(rows.isTrace) ?? true {
            // A row whose index is not an integer (SQLite keeps 2.5 in an INTEGER column) is no step's: passed over.
            if let at = rows.value(1).int {
                if at == index { return rows.value(2).digest }
                if at > index { return nil }
            }
            ahead = try rows.next()
        }
        return nil
    }

    /// Moves past the rows of trace `id`.
    func skip(_ id: [UInt8]) throws {
        while ahead, rows.isTrace(id) { ahead = try rows.next() }
    }
}
