import Foundation
import Testing
import RunProofCore
import RunProofStore
import RunProofSamples
import RunProofTestSupport

/// Faults a user meets: bad key files, locked and read-only databases, a PostgreSQL backend that dies, a seal
/// interrupted by a signal. Each gives a clear error and its exit code, and nothing is lost or half-written.
@Suite(.serialized) struct FaultInjectionCLITests {
    func sqliteRun(steps: Int = 4) throws -> String {
        let db = CLI.path("fault-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try store.execute("BEGIN", [])
        try SampleData.insertTrace(store, trace: "trace-f", run: "run-f", tenant: "tenant-f")
        try SampleData.insertSteps(store, trace: "trace-f", 0 ..< steps)
        try store.execute("COMMIT", [])
        return db
    }

    func seals(_ db: String) throws -> Int {
        try openStore(db).query("SELECT count(*) FROM aos_trace_seals", [])[0][0].flatMap { Int($0) } ?? -1
    }

    @Test func badKeyFilesAreRefusedWithAMessage() throws {
        let db = try sqliteRun()
        let key = CLI.path("fault-\(UUID().uuidString).pem")
        #expect(try CLI.run("keygen", "-o", key).status == 0)
        let pem = try String(contentsOfFile: key, encoding: .utf8)
        let cases: [(String, String, mode_t)] = [
            ("truncated", String(pem.prefix(pem.count / 2)), 0o600),
            ("garbled", pem.replacingOccurrences(of: "M", with: "!"), 0o600),
            ("a public key", try String(contentsOfFile: key + ".pub", encoding: .utf8), 0o600),
            ("empty", "", 0o600),
        ]
        for (what, text, mode) in cases {
            let path = CLI.path("fault-\(UUID().uuidString).pem")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode)
            let result = try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--key", path)
            #expect(result.status == 64 && result.stderr.contains(path), "\(what): \(result.status) \(result.stderr)")
        }
        // A private key others can read is refused, as ssh refuses it.
        chmod(key, 0o644)
        let open = try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--key", key)
        #expect(open.status == 64 && open.stderr.contains("too open") && open.stderr.contains("chmod 600"), "\(open.stderr)")
        #expect(try seals(db) == 0, "no seal was written by any refused command")
        // A garbled public key for verify is a usage error too, not an internal one.
        let garbled = CLI.path("fault-\(UUID().uuidString).pub")
        try "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n".write(toFile: garbled, atomically: true, encoding: .utf8)
        #expect(try CLI.run("verify", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--pubkey", garbled).status == 64)
    }

    @Test func aLockedSQLiteDatabaseIsAClearErrorAndLosesNothing() throws {
        let db = try sqliteRun()
        // Another writer holds the write lock for the whole seal attempt.
        let holder = try SQLiteStore(path: db)
        try holder.execute("BEGIN IMMEDIATE", [])
        let result = try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f")
        #expect(result.status == 70 && result.stderr.lowercased().contains("locked"), "\(result.status) \(result.stderr)")
        try holder.execute("ROLLBACK", [])
        #expect(try seals(db) == 0)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f").status == 0, "once free it seals")
    }

    /// A PostgreSQL schema with one run of `steps` steps, reached under an application name of its own.
    func postgresRun(steps: Int) throws -> (uri: String, admin: PostgresStore, application: String, drop: () -> Void)? {
        let admin = try PostgresStore(try TestDatabases.postgresURI())
        let (schemaURI, schema) = try TestDatabases.newSchema("fault")
        let application = "runproof-fault-\(schema)"
        let uri = schemaURI + "&application_name=\(application)"
        let store = try PostgresStore(uri)
        try store.createSchema()
        try store.execute("""
            INSERT INTO aos_traces (trace_id, run_id, tenant_id, correlation_id, plan, started_at)
            VALUES ('trace-p', 'run-p', 'tenant-p', 'c', '{}', '2026-01-01T00:00:00Z')
            """, [])
        try store.execute("""
            INSERT INTO aos_trace_steps (trace_id, step_index, skill_name, params, status, outcome_category, "timestamp")
            SELECT 'trace-p', i, 's', jsonb_build_object('i', i), 'ok', 'SUCCESS', now() FROM generate_series(0, $1::integer - 1) i
            """, [String(steps)])
        return (uri, admin, application, { try? admin.execute("DROP SCHEMA \(schema) CASCADE", []) })
    }

    /// Runs the binary and terminates its PostgreSQL backend once it is busy with the steps (running their query or
    /// between two fetches of their cursor); returns what it said.
    func terminatingItsBackend(_ arguments: [String], admin: PostgresStore, application: String) throws -> (terminated: Bool, status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var terminated = false
        for _ in 0 ..< 300 where !terminated && process.isRunning {
            usleep(10_000)
            let rows = try admin.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = $1 AND (query LIKE '%aos_trace_steps%' OR query LIKE 'FETCH%')
                  AND state IN ('active', 'idle in transaction')
                """, [application])
            terminated = rows.contains { $0[0] == "t" }
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (terminated, process.terminationStatus, stdout, stderr)
    }

    @Test func aPostgreSQLBackendTerminatedMidVerifyIsAnErrorNotAVerdict() throws {
        guard let run = try postgresRun(steps: 30_000) else { return }
        defer { run.drop() }
        #expect(try CLI.run("seal", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p").status == 0)
        let result = try terminatingItsBackend(["verify", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p", "--json"],
                                               admin: run.admin, application: run.application)
        #expect(result.terminated, "the verify's backend was caught streaming")
        #expect(result.status == 70, "\(result.status): \(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains("HASH_CHAIN") && !result.stdout.contains("VERIFIED"), "never VERIFIED on partial data")
        #expect(result.stderr.contains("PostgreSQL"), "\(result.stderr)")
    }

    @Test func aPostgreSQLBackendTerminatedMidSealLeavesNoSeal() throws {
        guard let run = try postgresRun(steps: 30_000) else { return }
        defer { run.drop() }
        let result = try terminatingItsBackend(["seal", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p"],
                                               admin: run.admin, application: run.application)
        #expect(result.terminated && result.status == 70, "\(result.status): \(result.stderr)")
        let store = try PostgresStore(run.uri)
        #expect(try store.query("SELECT count(*) FROM aos_trace_seals", [])[0][0] == "0", "the seal's transaction left nothing")
        #expect(try store.query("SELECT count(*) FROM aos_trace_leaves", [])[0][0] == "0")
        #expect(try CLI.run("seal", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p").status == 0, "sealing again works")
    }

    @Test func aPostgreSQLBackendTerminatedMidExportLeavesNoFile() throws {
        guard let run = try postgresRun(steps: 30_000) else { return }
        defer { run.drop() }
        #expect(try CLI.run("seal", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p").status == 0)
        let output = CLI.path("fault-\(UUID().uuidString).ndjson")
        let result = try terminatingItsBackend(["export", "--db", run.uri, "--tenant", "tenant-p", "--run", "run-p", "-o", output],
                                               admin: run.admin, application: run.application)
        #expect(result.terminated && result.status == 70, "\(result.status): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "no file that looks complete")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: CLI.directory).filter { $0.hasPrefix("." + URL(fileURLWithPath: output).lastPathComponent) }
        #expect(leftovers.isEmpty, "and no temporary file")
    }

    @Test func aSealInterruptedBySIGTERMLeavesNoSealOrAWholeOne() throws {
        for signal in [SIGTERM, SIGINT] {
            let db = try sqliteRun(steps: 20_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(150_000)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let count = try seals(db)
            #expect(count == 0 || count == 1)
            // Either way the database verifies: nothing half-written.
            let verdict = try StoreVerifier.verify(try openStore(db), tenant: "tenant-f", run: "run-f").verdict
            #expect(count == 0 ? verdict.kind == .unsupported : verdict.kind == .hashChain, "\(signal): \(count) seals, \(verdict.kind)")
            #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f").status == 0, "and sealing again works")
        }
    }
}

extension FaultInjectionCLITests {
    /// A database the user may read but not write: seal says so, verify still works, nothing changes.
    @Test func aReadOnlyDatabaseIsRefusedForSealingButVerifies() throws {
        let db = try sqliteRun()
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f").status == 0)
        try SampleData.insertSteps(try openStore(db), trace: "trace-f", 4 ..< 6)
        chmod(db, 0o444)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // Root may write any file: run as an unprivileged user, for whom 0444 is read-only.
        func asNobody(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(["/usr/sbin/runuser", "-u", "nobody", "--", CLI.binary] + arguments, executable: true)
        }
        guard getuid() == 0 else { return } // as a normal user the file's mode is enough, and CI runs as root
        let sealed = try asNobody(["seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f"])
        #expect(sealed.status == 70 && sealed.stderr.contains("read-only"), "\(sealed.status) \(sealed.stderr)")
        let verified = try asNobody(["verify", "--db", db, "--tenant", "tenant-f", "--run", "run-f"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }
}
