import Foundation
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples
import RunProofTestSupport

/// The databases the evidence tests answer from: the platform's own PostgreSQL schema loaded with psql from
/// ../shared/aos, and the same tables created by RunProof (`init --governance`) in PostgreSQL and SQLite.
enum PlatformDatabases {
    static func postgresURI() throws -> String { try TestDatabases.postgresURI() }

    /// A new PostgreSQL database built by psql from `scripts` of ../shared/aos (default: the platform's schema and
    /// its linkage fixture, with the run's trace); dropped when `body` returns.
    static func withPlatform<R>(_ scripts: [String] = ["platform-schema.sql", "platform-linkage-fixture.sql"],
                                _ body: (String) throws -> R) throws -> R {
        try TestDatabases.withDatabase("evidence", scripts: scripts, body)
    }

    /// A fresh SQLite file with RunProof's tables and nothing else.
    static func emptySQLite() throws -> SQLiteStore {
        let store = try SQLiteStore(path: TestDatabases.temporaryDirectory("runproof-evidence") + "/platform.sqlite", create: true)
        try store.createSchema()
        return store
    }

    /// A fresh PostgreSQL schema (on the test database) with RunProof's tables and nothing else.
    static func emptyPostgresSchema() throws -> PostgresStore {
        let store = try PostgresStore(try TestDatabases.newSchema("e").uri)
        try store.createSchema()
        return store
    }

    /// The platform's tables created by RunProof (`init --governance`), with the scenario, its trace and the decoys.
    static func builtByRunProof(_ dialect: SQLDialect) throws -> any TraceStore {
        let store: any TraceStore = dialect == .sqlite ? try emptySQLite() : try emptyPostgresSchema()
        guard case .created = try EvidenceSchema.install(on: store) else { throw RunProofError(.internal, "tables existed") }
        try LinkageFixture.insert(into: store)
        try LinkageFixture.insertTrace(into: store)
        return store
    }
}

/// The items of a JSON array (empty for anything else).
func items(_ value: JSONValue?) -> [JSONValue] {
    if case .array(let items)? = value { return items }
    return []
}
