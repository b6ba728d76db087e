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

    /// The header object of the chain; throws naming the field that cannot be canonicalized.
    public func header() throws(RunProofError) -> TraceHeader {
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
        do { seal = try Seal(record: try JSONValue(parsing: record)) } catch let error as RunProofError { throw error }
        catch { throw RunProofError(.malformed, "stored seal: \(error)") }
        self.frontier = try frontier.split(separator: ",").map { (hex) throws(RunProofError) -> Digest in
            guard let digest = Digest(hex: hex) else { throw RunProofError(.malformed, "stored Merkle frontier is not hex digests") }
            return digest
        }
    }

    var frontierText: String { frontier.map(\.hex).joined(separator: ",") }
}

/// A database of traces, steps and seals. Every read of traces is scoped to one tenant.
public protocol TraceStore: AnyObject {
    /// A short name of the store, for messages.
    var kind: String { get }

    /// Step rows read since the store was opened (to show that sealing reads only new steps).
    var rowsRead: Int { get }

    /// The traces of a run that belong to `tenant`, oldest first; other tenants' traces are invisible.
    func traces(tenant: String, run: String) throws -> [TraceRow]

    /// Traces (of any tenant) that have steps beyond their latest seal.
    func tracesWithUnsealedSteps() throws -> [TraceRow]

    /// The seals of a trace, by chain length.
    func seals(of trace: TraceRow) throws -> [StoredSeal]

    /// Streams the steps of a trace with `step_index >= from`, in index order; `body` returns false to stop.
    func forEachStep(of trace: TraceRow, from: Int, _ body: ((StepField) -> FieldValue) throws -> Bool) throws

    /// Runs `body` holding the trace's seal lock in a transaction: concurrent sealers of one trace take turns.
    func withSealLock<R>(_ trace: TraceRow, _ body: () throws -> R) throws -> R

    /// Appends a seal; `.conflict` if one exists at that chain length.
    func insert(_ seal: StoredSeal) throws

    /// Creates the tables where missing.
    func createSchema() throws

    /// Runs one parameterised statement ($1, $2, ...): for administration, fixtures and tests.
    func execute(_ sql: String, _ parameters: [String?]) throws

    /// Runs one parameterised query and returns its rows as text (SQL NULL as nil); for small results.
    func query(_ sql: String, _ parameters: [String?]) throws -> [[String?]]

    /// The SQL dialect, for modules that write their own queries.
    var dialect: SQLDialect { get }
}

/// The SQL dialects RunProof speaks.
public enum SQLDialect: Sendable { case postgres, sqlite }

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
