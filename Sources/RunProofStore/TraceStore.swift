import RunProofCore

/// A trace row as stored, before canonicalization.
public struct TraceRow: Sendable {
    public var traceId: String
    public var runId: String
    public var tenantId: String
    public var correlationId: String?
    public var agentId: String?
    public var plan: String?
    public var startedAt: String?
    public var status: String?
    public var completedAt: String?
    /// The first column whose stored text is not valid UTF-8 (a header built from it would not be the stored data).
    var invalidUTF8Column: String?

    /// Statuses that end a run (compared case-insensitively); see docs/chain-v1.md 5.1.
    static let terminalStatuses: Set<String> = [
        "completed", "complete", "succeeded", "success", "failed", "failure", "error", "errored", "aborted", "cancelled",
        "canceled", "killed", "stopped", "timeout", "timed_out", "terminated", "rejected", "expired"]

    /// Whether the run of this trace is over: `completed_at` set or a terminal status. Its seal then closes it.
    var isFinished: Bool {
        completedAt != nil || status.map { TraceRow.terminalStatuses.contains($0.lowercased()) } == true
    }

    /// The header object of the chain; throws naming the field that cannot be canonicalized.
    public func header() throws(RunProofError) -> TraceHeader {
        if let invalidUTF8Column {
            throw RunProofError(.nonCanonical, "trace \(traceId) header field \(invalidUTF8Column): invalid UTF-8 (non-canonicalizable)")
        }
        guard let correlationId else { throw RunProofError(.nonCanonical, "trace \(traceId) header field correlation_id: is null") }
        guard let plan else { throw RunProofError(.nonCanonical, "trace \(traceId) header field plan: is null") }
        let parsed: JSONValue
        do { parsed = try JSONValue(parsing: plan) } catch {
            throw RunProofError(.nonCanonical, "trace \(traceId) header field plan: \(error)")
        }
        guard let startedAt else { throw RunProofError(.nonCanonical, "trace \(traceId) header field started_at: is null") }
        let started: String
        do { started = try Timestamp.normalize(startedAt) } catch {
            throw RunProofError(.nonCanonical, "trace \(traceId) header field started_at: \(error.message)")
        }
        return TraceHeader(tenantId: tenantId, runId: runId, traceId: traceId, correlationId: correlationId,
                           agentId: agentId, plan: parsed, startedAt: started)
    }
}

/// A seal as kept in `aos_trace_seals`, with the Merkle frontier that lets sealing resume.
public struct StoredSeal: Sendable {
    public var seal: Seal
    public var frontier: [Digest]

    public init(seal: Seal, frontier: [Digest]) {
        self.seal = seal
        self.frontier = frontier
    }

    init(record: String, frontier: String) throws(RunProofError) {
        seal = try Seal(recordText: record)
        self.frontier = try frontier.split(separator: ",").map { (hex) throws(RunProofError) -> Digest in
            guard let digest = Digest(hex: hex) else { throw RunProofError(.malformed, "stored Merkle frontier is not hex digests") }
            return digest
        }
    }

    var frontierText: String { frontier.map(\.hex).joined(separator: ",") }

    /// The columns a seal row repeats from its record, in `StoredSeal.columnList` order.
    static let columnList = "chain_length, head, merkle_root, key_id, trace_id, tenant_id, run_id"

    /// Reads a seal row, refusing one whose columns disagree with its record: a row copied under another
    /// length, trace, tenant or key would otherwise be counted as a seal it is not.
    init(record: String, frontier: String, columns: [String?]) throws(RunProofError) {
        try self.init(record: record, frontier: frontier)
        try StoredSeal.check(seal, columns: columns)
    }

    /// Refuses a seal row whose columns (`value(i)`, in `columnList` order) disagree with its (already read)
    /// record. Columns that hold the record's own bytes (the common case) are compared as they are, without making
    /// a string of each; any other goes through `check(_:columns:)`, which decides and says why.
    static func check(_ seal: Seal, value: (Int) -> FieldValue, text: (Int) -> String?) throws(RunProofError) {
        func same(_ column: Int, _ expected: String?) -> Bool {
            switch value(column) {
            case .null: return expected == nil
            case .text(let bytes): return expected.map { $0.utf8.elementsEqual(bytes) } ?? false
            default: return false
            }
        }
        func same(_ column: Int, _ digest: Digest) -> Bool {
            if case .text(let bytes) = value(column) { return Digest(hexBytes: bytes) == digest } // lowercase hex only
            return false
        }
        let length: Bool
        if case .integer(let i) = value(0) { length = i == seal.chainLength } else { length = same(0, String(seal.chainLength)) }
        if length, same(1, seal.head), same(2, seal.merkleRoot), same(3, seal.keyId), same(4, seal.traceId),
           same(5, seal.tenantId), same(6, seal.runId) { return }
        try check(seal, columns: (0 ..< 7).map(text))
    }

    /// Refuses a seal row whose columns disagree with its (already read) record.
    static func check(_ seal: Seal, columns: [String?]) throws(RunProofError) {
        let expected: [() -> String?] = [{ String(seal.chainLength) }, { seal.head.hex }, { seal.merkleRoot.hex }, { seal.keyId },
                                         { seal.traceId }, { seal.tenantId }, { seal.runId }]
        guard let bad = (0 ..< min(columns.count, expected.count)).first(where: { columns[$0] != expected[$0]() }) else { return }
        let name = StoredSeal.columnList.split(separator: ",").map { $0.trimmingPrefix(" ") }[bad]
        let whose = ["trace_id", "tenant_id", "run_id"].contains(String(name)) ? ": the record is a seal of another tenant, run or trace" : ""
        throw RunProofError(.malformed, "the seal row at chain_length \(columns.first.flatMap { $0 } ?? "?") disagrees with its record (\(name) is \(columns[bad] ?? "null"), the record says \(expected[bad]() ?? "null"))\(whose)")
    }
}

/// A database connection that runs parameterised SQL: what the evidence and governance queries need.
public protocol SQLConnection: AnyObject {
    /// A short name of the database, for messages.
    var kind: String { get }

    /// Runs one parameterised statement ($1, $2, ...): for administration, fixtures and tests.
    func execute(_ sql: String, _ parameters: [String?]) throws

    /// Runs one parameterised query and returns its rows as text (SQL NULL as nil); for small results.
    func query(_ sql: String, _ parameters: [String?]) throws -> [[String?]]

    /// The SQL dialect, for modules that write their own queries.
    var dialect: SQLDialect { get }
}

/// A database of traces, steps and seals. Every read of traces is scoped to one tenant.
public protocol TraceStore: SQLConnection {
    /// Step rows read since the store was opened (to show that sealing reads only new steps).
    var rowsRead: Int { get }

    /// The traces of a run that belong to `tenant`, oldest first; other tenants' traces are invisible.
    func traces(tenant: String, run: String) throws -> [TraceRow]

    /// Up to `limit` traces (of any tenant) that have steps beyond their latest seal, in (tenant, run, start, trace)
    /// order, after `after` (a trace of the previous page; nil for the first).
    func tracesWithUnsealedSteps(after: TraceRow?, limit: Int) throws -> [TraceRow]

    /// Seal rows read since the store was opened (to show that sealing reads only the latest seal).
    var sealRowsRead: Int { get }

    /// The seals of a tenant's trace as a stream: by chain length, the closing seal last; one row in memory at a
    /// time. A row whose columns disagree with its record is read as malformed.
    func sealStream(of trace: TraceRow) throws -> SealStream

    /// Runs `body` reading one snapshot of the database (a read transaction), unless a transaction is open.
    func withReadSnapshot<R>(_ body: () throws -> R) throws -> R

    /// Three cursors over the traces of `tenant` (of every tenant when nil) started at or after `since`, each in
    /// trace_id order, for verifying them all in one pass (`BulkVerifier`): the traces (`TraceRow` columns, then the
    /// seal count, the latest seal record and the closing seal record), their steps (trace_id, the step columns, the
    /// recorded leaf) and their seal rows (trace_id, the seal record, the columns it repeats). Call in a snapshot.
    func bulkCursors(tenant: String?, since: String?) throws -> BulkCursors

    /// The seal with the greatest chain length, read alone through the (trace_id, chain_length) index.
    func latestSeal(of trace: TraceRow) throws -> StoredSeal?

    /// Streams the steps of a trace with `step_index >= from` (and any negative index), in index order; `body`
    /// returns false to stop. With `recordedLeaves`, each row comes with the leaf recorded for its index at seal time.
    func forEachStep(of trace: TraceRow, from: Int, recordedLeaves: Bool,
                     _ body: ((StepField) -> FieldValue, Digest?) throws -> Bool) throws

    /// Whether RunProof's own tables (seals, leaf record, closures) exist: `runproof init` creates them.
    func hasSealTables() throws -> Bool

    /// Records the leaf hashes of steps `from ..< from + leaves.count` (append-only; docs/chain-v1.md 6.3).
    func insertLeaves(traceId: String, from: Int, _ leaves: [Digest]) throws

    /// The closing seal of a trace, if it was closed (one row, by its key).
    func closure(of trace: TraceRow) throws -> Seal?

    /// Records the closing seal of a trace; `.conflict` if it is closed already.
    func insertClosure(_ seal: Seal) throws

    /// Runs `body` holding the trace's seal lock in a transaction: concurrent sealers of one trace take turns.
    func withSealLock<R>(_ trace: TraceRow, _ body: () throws -> R) throws -> R

    /// Appends a seal; `.conflict` if one exists at that chain length.
    func insert(_ seal: StoredSeal) throws

    /// Creates the tables where missing.
    func createSchema() throws
}

/// The SQL dialects RunProof speaks.
public enum SQLDialect: Sendable { case postgres, sqlite }

extension TraceStore {
    /// Every seal of a trace, in order (for small traces and tests; verification streams them).
    package func seals(of trace: TraceRow) throws -> [Seal] {
        try withReadSnapshot {
            let stream = try sealStream(of: trace)
            var seals: [Seal] = []
            while let seal = try stream.next() { seals.append(seal) }
            return seals
        }
    }

    /// Streams the steps of a trace from `from`, without the leaf record.
    public func forEachStep(of trace: TraceRow, from: Int, _ body: ((StepField) -> FieldValue) throws -> Bool) throws {
        try forEachStep(of: trace, from: from, recordedLeaves: false) { value, _ in
            try withoutActuallyEscaping(value) { try body($0) }
        }
    }

    /// Fails with the command that fixes it when RunProof's tables are missing.
    func requireSealTables(for what: String) throws {
        guard try hasSealTables() else {
            throw RunProofError(.usage, "cannot \(what): this \(kind) database has no RunProof seal tables (aos_trace_seals, aos_trace_leaves, aos_trace_closures, aos_tenant_log); create them with `runproof init --db <this database>`")
        }
    }
}

/// The index ranges one step read is made of, each answered by the (trace_id, step_index) index.
///
/// From 0 it is the whole trace. From n > 0 it is the negative indexes first (they sort first, and must
/// make verification FAILED and sealing refuse, but are normally none: one index probe), then `>= n`:
/// one `OR` over both would make SQLite walk every index entry of the trace.
struct StepRange {
    /// The condition to add after `WHERE <trace> = $1`.
    var sql: String
    /// Whether the condition uses `$2` (the first index).
    var bindsFrom: Bool

    /// `bound`: how the statement reads `$2` (with its type where the store needs it written out).
    static func queries(from: Int, column: String = "step_index", bound: String = "$2") -> [StepRange] {
        from > 0 ? [StepRange(sql: "AND \(column) < 0", bindsFrom: false), StepRange(sql: "AND \(column) >= \(bound)", bindsFrom: true)]
                 : [StepRange(sql: "", bindsFrom: false)]
    }
}

/// Opens a store from a `--db` value: a PostgreSQL URI / connection string, or a SQLite file path.
public func openStore(_ location: String, create: Bool = false) throws -> any TraceStore {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") || location.contains("=") {
        return try PostgresStore(location)
    }
    return try SQLiteStore(path: location, create: create)
}

/// Runs `body` between `begin` and COMMIT, rolling back if it throws.
func inTransaction<R>(begin: String, _ execute: (String) throws -> Void, _ body: () throws -> R) throws -> R {
    try execute(begin)
    do {
        let result = try body()
        try execute("COMMIT")
        return result
    } catch {
        try? execute("ROLLBACK")
        throw error
    }
}
