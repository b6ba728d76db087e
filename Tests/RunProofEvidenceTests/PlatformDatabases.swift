import Foundation
import RunProofCore
import RunProofEvidence
import RunProofStore

/// The databases the evidence tests answer from: the platform's own PostgreSQL schema loaded with psql from
/// ../shared/aos, and the same tables created by RunProof (`init --governance`) in PostgreSQL and SQLite.
enum PlatformDatabases {
    /// ../shared/aos, next to the repository.
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/aos").path

    static func postgresURI() throws -> String {
        guard let uri = ProcessInfo.processInfo.environment["RUNPROOF_TEST_PG"], !uri.isEmpty else {
            throw RunProofError(.usage, "RUNPROOF_TEST_PG is not set: run the tests with Scripts/test, which starts PostgreSQL")
        }
        return uri
    }

    /// A new PostgreSQL database built by psql from `scripts` of ../shared/aos (default: the platform's schema and
    /// its linkage fixture, with the run's trace); dropped when `body` returns.
    static func withPlatform<R>(_ scripts: [String] = ["platform-schema.sql", "platform-linkage-fixture.sql"],
                                _ body: (String) throws -> R) throws -> R {
        let base = try postgresURI()
        let name = "evidence_\(UInt64.random(in: 0 ... .max))"
        let admin = try PostgresStore(base)
        try admin.execute("CREATE DATABASE \(name)", [])
        defer { try? admin.execute("DROP DATABASE \(name) WITH (FORCE)", []) }
        let uri = base.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/") + "/" + name
        for script in scripts { try psql(uri, file: shared + "/" + script) }
        return try body(uri)
    }

    /// Runs a SQL file with psql, stopping at the first error.
    static func psql(_ uri: String, file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", uri, "-qX", "-v", "ON_ERROR_STOP=1", "-f", file]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RunProofError(.internal, "psql -f \(file) failed") }
    }

    /// A fresh SQLite file with RunProof's tables and nothing else.
    static func emptySQLite() throws -> SQLiteStore {
        var template = Array("/tmp/runproof-evidence-XXXXXX".utf8CString)
        let store = try SQLiteStore(path: String(cString: mkdtemp(&template)!) + "/platform.sqlite", create: true)
        try store.createSchema()
        return store
    }

    /// A fresh PostgreSQL schema (on the test database) with RunProof's tables and nothing else.
    static func emptyPostgresSchema() throws -> PostgresStore {
        let base = try postgresURI()
        let schema = "e_\(UInt64.random(in: 0 ... .max))"
        try PostgresStore(base).execute("CREATE SCHEMA \(schema)", [])
        let store = try PostgresStore(base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)")
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
