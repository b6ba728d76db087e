import Foundation
import RunProofCore
import RunProofStore

/// What the tests create on the test server and on disk, and take away when the test process ends.
public enum TestDatabases {
    /// The URI of the test server that Scripts/test starts (RUNPROOF_TEST_PG).
    public static func postgresURI() throws -> String {
        guard let uri = ProcessInfo.processInfo.environment["RUNPROOF_TEST_PG"], !uri.isEmpty else {
            throw RunProofError(.usage, "RUNPROOF_TEST_PG is not set: run the tests with Scripts/test, which starts PostgreSQL")
        }
        return uri
    }

    /// ../shared/aos, beside the repository: the platform's schema, its linkage fixture and report.
    public static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/aos").path

    /// A new schema on the test database, dropped when the tests end; returns a URI whose search_path is it.
    /// `parameters` are added to the URI (e.g. an application name).
    public static func newSchema(_ prefix: String = "t", parameters: String = "") throws -> (uri: String, schema: String) {
        let base = try postgresURI()
        let schema = "\(prefix)_\(UInt64.random(in: 0 ... .max))"
        try PostgresStore(base).execute("CREATE SCHEMA \(schema)", [])
        Cleanup.shared.add { try? PostgresStore(base).execute("DROP SCHEMA IF EXISTS \(schema) CASCADE", []) }
        return (base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)" + parameters, schema)
    }

    /// A new database on the test server built by psql from `scripts` of ../shared/aos; dropped when `body` returns.
    public static func withDatabase<R>(_ prefix: String, scripts: [String] = ["platform-schema.sql", "platform-linkage-fixture.sql"],
                                       _ body: (String) throws -> R) throws -> R {
        let base = try postgresURI()
        let name = "\(prefix)_\(UInt64.random(in: 0 ... .max))"
        let admin = try PostgresStore(base)
        try admin.execute("CREATE DATABASE \(name)", [])
        defer { try? admin.execute("DROP DATABASE \(name) WITH (FORCE)", []) }
        let uri = base.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/") + "/" + name
        for script in scripts { try psql(uri, file: shared + "/" + script) }
        return try body(uri)
    }

    /// Runs a SQL file with psql, stopping at its first error.
    public static func psql(_ uri: String, file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", uri, "-qX", "-v", "ON_ERROR_STOP=1", "-f", file]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RunProofError(.internal, "psql -f \(file) failed") }
    }

    /// A new temporary directory, readable by other users (a test runs the binary as one), removed when the tests end.
    public static func temporaryDirectory(_ prefix: String = "runproof-tests") -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let path = String(cString: mkdtemp(&template)!)
        chmod(path, 0o755)
        Cleanup.shared.add { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}

/// Work to do once the test process exits (schemas to drop, folders to remove).
final class Cleanup: @unchecked Sendable {
    static let shared: Cleanup = {
        let cleanup = Cleanup()
        atexit { Cleanup.shared.run() }
        return cleanup
    }()

    private let lock = NSLock()
    private var tasks: [() -> Void] = []

    func add(_ task: @escaping () -> Void) {
        lock.lock()
        tasks.append(task)
        lock.unlock()
    }

    func run() {
        lock.lock()
        let pending = tasks
        tasks = []
        lock.unlock()
        pending.forEach { $0() }
    }
}
