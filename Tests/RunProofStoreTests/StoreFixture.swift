import RunProofCore
import RunProofStore
import RunProofSamples
#if canImport(Glibc)
import Glibc
import RunProofTestSupport
#endif

/// The stores every test runs against: a real PostgreSQL server, a SQLite file, and the legacy SQLite layout.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case postgres, sqlite, legacy
    var description: String { rawValue }

    /// A fresh, empty store with RunProof's tables (a new schema on PostgreSQL, a new file on SQLite).
    func makeStore() throws -> any TraceStore {
        switch self {
        case .postgres:
            let store = try PostgresStore(try TestDatabases.newSchema().uri)
            try store.createSchema()
            return store
        case .sqlite:
            let store = try SQLiteStore(path: Backend.temporaryPath(), create: true)
            try store.createSchema()
            return store
        case .legacy:
            let path = Backend.temporaryPath()
            try SQLiteStore(path: path, create: true).execute(Schema.sqliteLegacy.split(separator: ";").first! + ";", [])
            let setup = try SQLiteStore(path: path)
            for statement in Schema.sqliteLegacy.split(separator: ";").dropFirst() where !statement.allSatisfy(\.isWhitespace) {
                try setup.execute(String(statement), [])
            }
            let store = try SQLiteStore(path: path)
            precondition(store.isLegacy)
            try store.createSchema()
            return store
        }
    }

    /// Opens a second connection to the same database (for racing sealers).
    func reopen(_ store: any TraceStore) throws -> any TraceStore {
        switch store {
        case let pg as PostgresStore: return try PostgresStore(pg.conninfo)
        case let lite as SQLiteStore: return try SQLiteStore(path: lite.path)
        default: fatalError()
        }
    }

    static func postgresURI() throws -> String { try TestDatabases.postgresURI() }

    static func temporaryPath() -> String {
        TestDatabases.temporaryDirectory("runproof-store") + "/traces.sqlite"
    }
}

/// Steps table names of a store's layout.
func stepsTable(_ store: any TraceStore) -> (String, String) { SampleData.stepsTable(store) }

/// Inserts a trace (trace id = run id, so the legacy layout fits) with `steps` steps.
func addTrace(_ store: any TraceStore, run: String, tenant: String = "tenant-a", steps: Int, trace: String? = nil) throws -> String {
    let trace = trace ?? run
    try SampleData.insertTrace(store, trace: trace, run: run, tenant: tenant)
    try SampleData.insertSteps(store, trace: trace, 0 ..< steps)
    return trace
}
