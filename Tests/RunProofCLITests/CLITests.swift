import Foundation
import Testing
import RunProofCore
import RunProofStore
import RunProofEvidence
import RunProofSamples
import RunProofTestSupport

/// Runs the built `runproof` binary end to end.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Peak resident memory of the process, in KiB.
        var maxRSSKiB: Int
    }

    static let binary: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return exe.appendingPathComponent("runproof").path
    }()

    static let directory = TestDatabases.temporaryDirectory("runproof-cli")

    static func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    static func run(_ arguments: String...) throws -> Result { try run(arguments) }

    static func run(_ arguments: [String], environment: [String: String] = [:], executable: Bool = false) throws -> Result {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: executable ? arguments[0] : binary)
        process.arguments = executable ? Array(arguments.dropFirst()) : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), maxRSSKiB: usage.ru_maxrss)
    }

    /// Runs the binary (output discarded) and measures its own peak RSS with wait4 on its pid, from a small
    /// python parent: a process started straight from this (large) test process inherits the test process's
    /// high-water RSS across exec, and RUSAGE_CHILDREN is the largest child ever reaped (python, go, node).
    static func measured(_ arguments: String...) throws -> (status: Int32, maxRSSKiB: Int) {
        let script = """
            import os, sys
            pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
            _, status, usage = os.wait4(pid, 0)
            print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
            """
        let result = try run(["/usr/bin/env", "python3", "-c", script, binary] + arguments, executable: true)
        let fields = result.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        return (Int32(fields.first ?? -1), fields.count > 1 ? fields[1] : 0)
    }

    /// Writes an export file of `steps` steps, unsealed.
    static func writeExport(_ name: String, steps: Int, run: String = "run-cli") throws -> String {
        let header = TraceHeader(tenantId: "tenant-cli", runId: run, traceId: "trace-\(run)", correlationId: "c", agentId: nil,
                                 plan: ["steps": 2], startedAt: "2026-01-01T00:00:00.000000Z")
        let path = path(name)
        let writer = try ExportWriter(path: path, header: header)
        for i in 0 ..< steps {
            let step: JSONValue = [
                "cost_cents": .number(0.25), "duration_ms": .number(Double(i)), "idempotency_key": nil, "input_hash": nil, "level": nil,
                "outcome_category": "SUCCESS", "outcome_code": nil, "outcome_data": nil, "output_hash": nil,
                "params": ["i": JSONValue(i), "text": .string("step \(i) ünïcödé")], "replay_behavior": nil, "retry_count": 0,
                "rng_state_before": nil, "skill_id": nil, "skill_name": "tool", "source": nil, "status": "ok",
                "step_index": JSONValue(i), "timestamp": "2026-01-01T00:00:01.000000Z"]
            try writer.write(canonicalStep: step.canonicalBytes)
        }
        try writer.close()
        return path
    }

    static func replace(in path: String, _ target: String, _ replacement: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard text.contains(target) else { throw RunProofError(.internal, "\(target) not in \(path)") }
        try text.replacingOccurrences(of: target, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

@Suite(.serialized) struct CLITests {
    @Test func helpAndVersionPrintAndExitZero() throws {
        let version = try CLI.run("--version")
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("runproof ") && version.stdout.contains("chain format runproof/v1"))
        for arguments in [["--help"], ["verify", "--help"], ["help", "export"]] {
            let help = try CLI.run(arguments)
            #expect(help.status == 0, "\(arguments)")
            #expect(help.stdout.contains("USAGE: runproof"), "\(arguments): \(help.stdout)")
            #expect(help.stderr.isEmpty, "\(arguments): \(help.stderr)")
        }
        let export = try CLI.run("export", "--help")
        #expect(export.stdout.contains("--trace") && export.stdout.contains("--output") && export.stdout.contains("RUNPROOF_KEY"))
        let unknown = try CLI.run("verify", "--file", "x.ndjson", "--no-such-option")
        #expect(unknown.status == 64 && unknown.stderr.contains("--no-such-option"))
    }

    @Test func keygenWritesKeysOpenSSLReads() throws {
        let key = CLI.path("k1.pem")
        #expect(try CLI.run("keygen", "-o", key).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["pkey", "-in", key, "-noout", "-text"]
        openssl.standardOutput = Pipe()
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        #expect(try CLI.run("keygen", "-o", key).status == 64, "refuses to overwrite a key")
    }

    @Test func sealAndVerifyAFileWithExitCodes() throws {
        let key = CLI.path("k2.pem")
        try CLI.run("keygen", "-o", key)
        let file = try CLI.writeExport("t2.ndjson", steps: 5)
        #expect(try CLI.run("verify", "--file", file).status == 2, "never sealed: UNSUPPORTED")
        #expect(try CLI.run("seal", "--file", file, "--key", key).status == 0)
        #expect(try Python.run("export", file, "--pubkey", key + ".pub", "--require-signature") == 0)
        let ok = try CLI.run("verify", "--file", file, "--pubkey", key + ".pub", "--require-signature", "--json")
        #expect(ok.status == 0)
        let json = try JSONValue(parsing: ok.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["verdict"]?.string == "HASH_CHAIN")
        #expect(json["run_id"]?.string == "run-cli")
        #expect(json["integrity"]?["verification_status"]?.string == "VERIFIED")
        #expect(json["integrity"]?["chain_length"]?.int == 5)
        #expect(json["integrity"]?["failure_reason"] == .null)
        #expect(json["aos_trace_steps"] == nil)
        #expect(json["merkle_root"]?.string?.count == 64 && json["legacy_root_hash"]?.string?.count == 64)
        let withSteps = try JSONValue(parsing: try CLI.run("verify", "--file", file, "--json", "--steps").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        if case .array(let steps)? = withSteps["aos_trace_steps"] { #expect(steps.count == 5) } else { Issue.record("no steps") }

        try CLI.replace(in: file, "step 3 ü", "step 3 X")
        let failed = try CLI.run("verify", "--file", file, "--json")
        #expect(failed.status == 1)
        let failedJSON = try JSONValue(parsing: failed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(failedJSON["integrity"]?["verification_status"]?.string == "FAILED")
        #expect(failedJSON["failing_step_index"]?.int == 0)
        #expect(try CLI.run("seal", "--file", file, "--key", key).status == 1, "refuses to seal over a FAILED chain")
    }

    @Test func wrongKeyAndBadSignatureExitFailed() throws {
        let key = CLI.path("k3.pem"), other = CLI.path("k3b.pem")
        try CLI.run("keygen", "-o", key)
        try CLI.run("keygen", "-o", other)
        let file = try CLI.writeExport("t3.ndjson", steps: 3)
        try CLI.run("seal", "--file", file, "--key", key)
        let wrong = try CLI.run("verify", "--file", file, "--pubkey", other + ".pub")
        #expect(wrong.status == 1 && wrong.stdout.contains("not by the given key"))
    }

    /// `runproof bench` measures the phases it names on a trace that verifies, next to SHA-256 of the same bytes.
    @Test func benchReportsEveryPhaseWithItsRatio() throws {
        let synthetic = try CLI.run("bench", "--steps", "3000", "--json")
        #expect(synthetic.status == 0, "\(synthetic.stderr)")
        let report = try JSONValue(parsing: synthetic.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        guard case .array(let phases)? = report["phases"] else { Issue.record("no phases: \(synthetic.stdout)"); return }
        #expect(phases.map { $0["phase"]?.string ?? "" } == ["chain building (hash chain and Merkle tree)",
                                                             "verification (export file, end to end)", "OpenSSL SHA-256 of the same bytes"])
        for phase in phases {
            #expect(phase["steps"]?.int == 3000 && (phase["steps_per_second"]?.int ?? 0) > 0 && (phase["ratio_to_sha256"]?.number ?? 0) > 0)
        }
        // A given file that does not verify is timed, and said so.
        let tampered = CLI.path("bench-tampered.ndjson")
        try CLI.run("sample", "--steps", "50", "-o", tampered)
        try CLI.run("seal", "--file", tampered)
        var lines = try String(contentsOfFile: tampered, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[5] = lines[5].replacingOccurrences(of: "completed", with: "failed")
        try (lines.joined(separator: "\n") + "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
        let timed = try CLI.run("bench", "--file", tampered)
        #expect(timed.status == 0 && timed.stderr.contains("FAILED") && timed.stdout.contains("verification"), "\(timed.stderr)")
    }

    /// Progress goes to stderr only when stderr is a terminal (here a pseudo-terminal from `script`): a pipe or a
    /// log gets the result alone. Updates are paced in time, so the terminal's run shows every one: a verification
    /// of these steps takes less than the usual quarter second between updates.
    @Test func progressOnlyOnATerminal() throws {
        let file = CLI.path("progress.ndjson")
        try CLI.run("sample", "--steps", "30000", "-o", file)
        try CLI.run("seal", "--file", file)
        let piped = try CLI.run("verify", "--file", file)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
        let terminal = try CLI.run(["/usr/bin/script", "-qec", "RUNPROOF_PROGRESS_INTERVAL=0 \(CLI.binary) verify --file \(file)", "/dev/null"],
                                   executable: true)
        #expect(terminal.status == 0 && terminal.stdout.contains("steps/s") && terminal.stdout.contains("HASH_CHAIN"), "\(terminal.stdout)")
    }

    /// `verify --all`: a line per trace, a summary, exit 1 when any FAILED; scoped to a tenant when given.
    @Test func verifyAllRunsInOnePass() throws {
        let db = CLI.path("all-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        for (run, tenant) in [("run-1", "tenant-x"), ("run-2", "tenant-x"), ("run-3", "tenant-y")] {
            try SampleData.insertTrace(store, trace: "trace-\(run)", run: run, tenant: tenant)
            try SampleData.insertSteps(store, trace: "trace-\(run)", 0 ..< 3)
        }
        let sealed = try CLI.run("seal", "--db", db, "--all")
        #expect(sealed.status == 0 && sealed.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("sealed run") }.count == 3,
                "a line per trace sealed: \(sealed.stdout)")
        #expect(try CLI.run("seal", "--db", db, "--all").stdout == "no trace has unsealed steps\n")
        let clean = try CLI.run("verify", "--db", db, "--all", "--tenant", "tenant-x")
        #expect(clean.status == 0 && clean.stdout.contains("2 traces verified: 2 HASH_CHAIN, 0 FAILED"), "\(clean.stdout)\(clean.stderr)")
        #expect(!clean.stdout.contains("tenant-y"), "another tenant's runs stay out")
        try store.execute("UPDATE aos_trace_steps SET status = 'x' WHERE trace_id = 'trace-run-2' AND step_index = 1", [])
        let failed = try CLI.run("verify", "--db", db, "--all", "--json")
        let lines = failed.stdout.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
        #expect(failed.status == 1 && lines.count == 4 && lines.allSatisfy { $0 != nil }, "\(failed.stdout)")
        #expect(lines.last??["summary"]?["failed"]?.int == 1 && lines.last??["summary"]?["traces"]?.int == 3)
        #expect(lines.contains { $0?["run_id"]?.string == "run-2" && $0?["proof"]?["failing_step_index"]?.int == 1 })
        #expect(try CLI.run("verify", "--db", db, "--all", "--run", "run-1").status == 64, "--all takes no --run")
        for jobs in ["0", "3"] {
            let run = try CLI.run("verify", "--db", db, "--all", "--json", "--jobs", jobs)
            #expect(run.status == 1 && run.stdout == failed.stdout, "--jobs \(jobs) gives the same lines")
        }
        #expect(try CLI.run("verify", "--db", db, "--all", "--jobs", "65").status == 64)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLI.run("verify").status == 64)
        #expect(try CLI.run("verify", "--file", "x", "--db", "y", "--tenant", "t", "--run", "r").status == 64)
        #expect(try CLI.run("verify", "--file", "x", "--require-signature").status == 64)
        #expect(try CLI.run("verify", "--file", CLI.path("does-not-exist.ndjson")).status == 64)
        #expect(try CLI.run("verify", "--db", CLI.path("x.sqlite")).status == 64, "--tenant and --run are required")
        #expect(try CLI.run("seal", "--db", "x.sqlite", "--all", "--tenant", "t").status == 64)
    }

    @Test func malformedFilesAreFailedNotCrashes() throws {
        let path = CLI.path("garbage.ndjson")
        try "{\"not\": \"a header\"}\n{]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run("verify", "--file", path)
        #expect(result.status == 1 && result.stdout.contains("malformed"))
        try Data([0xFF, 0xFE, 0x0A, 0x00]).write(to: URL(fileURLWithPath: path))
        #expect(try CLI.run("verify", "--file", path).status == 1)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try CLI.run("verify", "--file", path).status == 2)
    }

    @Test func demoShowsTheTamperedStep() throws {
        let result = try CLI.run("demo", "--db", CLI.path("demo.sqlite"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FAILED  run run-beta: step 3 was changed"))
        #expect(result.stdout.contains("tenant-globex asks for tenant-acme's run-alpha: UNSUPPORTED (No trace found for run)"))
    }

    @Test(arguments: ["sqlite", "postgres"])
    func storeCommandsEndToEnd(kind: String) throws {
        let db: String
        if kind == "sqlite" {
            db = CLI.path("store-\(UUID().uuidString).sqlite")
        } else {
            db = try TestDatabases.postgresURI()
            try PostgresStore(db).execute("DROP TABLE IF EXISTS aos_trace_seals, aos_trace_leaves, aos_trace_closures, aos_trace_steps, aos_traces CASCADE", [])
        }
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-x", run: "run-x", tenant: "tenant-x")
        try SampleData.insertSteps(store, trace: "trace-x", 0 ..< 4)
        let key = CLI.path("k-\(kind).pem")
        try CLI.run("keygen", "-o", key)

        #expect(try CLI.run("verify", "--db", db, "--tenant", "tenant-x", "--run", "run-x").status == 2, "never sealed")
        let sealed = try CLI.run("seal", "--db", db, "--tenant", "tenant-x", "--run", "run-x", "--key", key)
        #expect(sealed.status == 0 && sealed.stdout.contains("steps 0..<4"), "\(sealed.stdout)\(sealed.stderr)")
        #expect(try CLI.run("verify", "--db", db, "--tenant", "tenant-x", "--run", "run-x", "--pubkey", key + ".pub").status == 0)
        let foreign = try CLI.run("verify", "--db", db, "--tenant", "tenant-y", "--run", "run-x", "--json")
        #expect(foreign.status == 2 && foreign.stdout.contains("No trace found for run"))
        #expect(!foreign.stdout.contains("trace-x"), "another tenant learns nothing of the run")
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-y", "--run", "run-x").status == 2)

        try SampleData.insertSteps(store, trace: "trace-x", 4 ..< 6)
        let all = try CLI.run("seal", "--db", db, "--all", "--key", key, "--json")
        let outcome = try JSONValue(parsing: all.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(all.status == 0 && outcome["rows_read"]?.int == 2 && outcome["chain_length"]?.int == 6)
        #expect(try CLI.run("seal", "--db", db, "--all").stdout.contains("no trace has unsealed steps"))

        let file = CLI.path("export-\(kind).ndjson")
        #expect(try CLI.run("export", "--db", db, "--tenant", "tenant-x", "--run", "run-x", "-o", file).status == 0)
        #expect(try CLI.run("verify", "--file", file, "--pubkey", key + ".pub", "--require-signature").status == 0)
        try store.execute("UPDATE aos_trace_steps SET status = 'x' WHERE trace_id = 'trace-x' AND step_index = 5", [])
        let tampered = try CLI.run("verify", "--db", db, "--tenant", "tenant-x", "--run", "run-x", "--json")
        // Sealed at 4 and 6: the seals alone say "a step in 4...5"; the leaf record says which.
        #expect(tampered.status == 1 && tampered.stdout.contains("\"failing_step_index\":5"), "\(tampered.stdout)")
        #expect(tampered.stdout.contains("\"failure_kind\":\"changed\""))
    }

    @Test func postgresFromThePGEnvironmentVariables() throws {
        guard let url = URL(string: try TestDatabases.postgresURI()) else { return }
        let environment = ["PGHOST": url.host ?? "127.0.0.1", "PGPORT": String(url.port ?? 5432),
                           "PGUSER": url.user ?? "postgres", "PGDATABASE": String(url.path.dropFirst())]
        #expect(try CLI.run(["init", "--db", "postgresql://"], environment: environment).status == 0)
        let result = try CLI.run(["verify", "--db", "postgresql://", "--tenant", "t-env", "--run", "r-env"], environment: environment)
        #expect(result.status == 2 && result.stdout.contains("No trace found for run"), "\(result.stderr)")
    }

    @Test func brokenConnectionIsAnError() throws {
        let result = try CLI.run("verify", "--db", "postgresql://nobody@127.0.0.1:1/none", "--tenant", "t", "--run", "r")
        #expect(result.status == 70 && result.stderr.contains("cannot connect to PostgreSQL"))
    }

    @Test func verifiesAMillionStepsInConstantMemory() throws {
        // 200,000 steps in the debug build keeps this test quick; Scripts/rss-check runs 1,000,000 in release.
        let file = try CLI.writeExport("big.ndjson", steps: 200_000)
        #expect(try CLI.run("seal", "--file", file).status == 0)
        let result = try CLI.measured("verify", "--file", file)
        #expect(result.status == 0)
        // Under AddressSanitizer (Scripts/test-asan) shadow memory and quarantine inflate RSS: the bound holds for real builds.
        if ProcessInfo.processInfo.environment["RUNPROOF_ASAN"] == nil {
            #expect(result.maxRSSKiB > 0 && result.maxRSSKiB < 64 * 1024, "peak RSS \(result.maxRSSKiB) KiB")
        }
    }
}

@Suite struct ShippedSQLTests {
    /// sql/*.sql are what `runproof schema` prints: the DDL the tests use, kept in one place.
    @Test(arguments: ["postgres", "sqlite", "legacy", "governance_postgres", "governance_sqlite"])
    func shippedDDLMatchesTheBinary(dialect: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("sql/\(dialect).sql"), encoding: .utf8)
        let printed = try CLI.run("schema", "--dialect", dialect)
        #expect(printed.status == 0)
        #expect(printed.stdout == shipped, "regenerate with: runproof schema --dialect \(dialect) > sql/\(dialect).sql")
    }
}

@Suite(.serialized) struct EvidenceCLITests {
    @Test func evidenceAndGovernanceCommands() throws {
        let db = CLI.path("gov-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db, "--governance").status == 0)
        try LinkageFixture.insert(into: try openStore(db))
        let evidence = try CLI.run("evidence", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run, "--json")
        #expect(evidence.status == 0)
        let json = try JSONValue(parsing: evidence.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        if case .array(let incidents)? = json["incidents_caused"] { #expect(incidents.count == 2) } else { Issue.record("no incidents") }
        let human = try CLI.run("evidence", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run)
        #expect(human.stdout.contains("limit-budget-001  Budget Limit  105.5  100"))
        let governance = try CLI.run("governance", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run, "--limit", "2")
        #expect(governance.status == 0 && governance.stdout.contains("incident_created") && governance.stdout.contains("more: --offset 2"))
        let foreign = try CLI.run("governance", "--db", db, "--tenant", "tenant-nobody", "--run", LinkageFixture.run, "--json")
        #expect(foreign.stdout.contains("\"events\":[]"))
        #expect(try CLI.run("governance", "--db", db, "--tenant", "t", "--run", "r", "--limit", "0").status == 64)
    }
}

/// Audit bundles and proofs: written from a real SQLite store, verified offline by the binary.
@Suite(.serialized) struct BundleAndProofTests {
    let db = CLI.path("bundle-\(UUID().uuidString).sqlite")
    let key = CLI.path("bundle-key-\(UUID().uuidString).pem")
    let other = CLI.path("bundle-other-\(UUID().uuidString).pem")

    /// A sealed 8-step trace of the linkage run, with its evidence and governance records.
    func setUp() throws {
        #expect(try CLI.run("init", "--db", db, "--governance").status == 0)
        try CLI.run("keygen", "-o", key)
        try CLI.run("keygen", "-o", other)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-linkage", run: LinkageFixture.run, tenant: LinkageFixture.tenant)
        try LinkageFixture.insert(into: store)
        for upTo in [4, 8] {
            try SampleData.insertSteps(store, trace: "trace-linkage", upTo - 4 ..< upTo)
            #expect(try CLI.run("seal", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run, "--key", key).status == 0)
        }
    }

    func bundle(_ name: String, redact: [String] = []) throws -> String {
        let path = CLI.path(name)
        let result = try CLI.run(["export", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run,
                                  "--bundle", "--key", key, "-o", path] + redact.flatMap { ["--redact", $0] })
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    func verifyBundle(_ path: String, key: String? = nil) throws -> CLI.Result {
        try CLI.run("verify", "--bundle", path, "--pubkey", (key ?? self.key) + ".pub")
    }

    /// Rewrites the one line of `path` that contains `marker` with `edit`.
    func tamper(_ path: String, copy name: String, line marker: String, _ edit: (String) -> String) throws -> String {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let target = lines.lastIndex { $0.contains(marker) }!
        var changed = lines
        changed[target] = edit(lines[target])
        #expect(changed[target] != lines[target])
        let out = CLI.path(name)
        try (changed.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        return out
    }

    @Test func bundlesVerifyAndEveryTamperingFails() throws {
        try setUp()
        let plain = try bundle("b.ndjson")
        let ok = try verifyBundle(plain)
        #expect(ok.status == 0, "\(ok.stdout)")
        let redacted = try bundle("b-redacted.ndjson", redact: ["2", "5"])
        #expect(try verifyBundle(redacted).status == 0)
        #expect(try String(contentsOfFile: redacted, encoding: .utf8).contains("\"step_index\":2}"))

        let cases: [(String, String, (String) -> String, String)] = [
            ("step content", "\"step_index\":6", { $0.replacingOccurrences(of: "completed", with: "failed") }, "step"),
            ("leaf hash", "{\"leaf\":\"", { $0.replacingOccurrences(of: "{\"leaf\":\"", with: "{\"leaf\":\"0") .replacingOccurrences(of: "\",\"step_index\":5", with: "\",\"step_index\":5").dropLastHex() }, "step"),
            ("evidence", "{\"evidence\"", { $0.replacingOccurrences(of: "\"HIGH\"", with: "\"LOW\"") }, "bundle"),
            ("governance", "{\"governance\"", { $0.replacingOccurrences(of: "limit_breach_detected", with: "nothing_happened") }, "bundle"),
            // An earlier seal signed by the trusted key has its own signature checked (docs/chain-v1.md 6.2).
            ("earlier seal", "\"chain_length\":4", { $0.replacingOccurrences(of: "\"sealed_at\":\"2", with: "\"sealed_at\":\"1") }, "seal at chain_length 4 has a bad signature"),
            ("latest seal", "\"chain_length\":8", { $0.replacingOccurrences(of: "\"sealed_at\":\"2", with: "\"sealed_at\":\"1") }, "signature"),
            ("bundle signature", "{\"bundle_signature\"", { $0.replacingOccurrences(of: "\"signature\":\"", with: "\"signature\":\"AA") .dropTwoBeforeEnd() }, "bundle"),
        ]
        for (what, marker, edit, reason) in cases {
            let tampered = try tamper(what == "leaf hash" ? redacted : plain, copy: "t-\(what).ndjson", line: marker, edit)
            let result = try verifyBundle(tampered)
            #expect(result.status == 1, "\(what): \(result.stdout)")
            #expect(result.stdout.lowercased().contains(reason), "\(what): \(result.stdout)")
        }
        let wrongKey = try verifyBundle(plain, key: other)
        #expect(wrongKey.status == 1)

        // The independent Python verifier agrees on fresh bundles, without RunProof.
        #expect(try Python.run("bundle", plain, "--pubkey", key + ".pub") == 0)
        #expect(try Python.run("bundle", redacted, "--pubkey", key + ".pub") == 0)
        #expect(try Python.run("bundle", CLI.path("t-evidence.ndjson"), "--pubkey", key + ".pub") == 1)
        #expect(try Python.run("bundle", CLI.path("t-step content.ndjson"), "--pubkey", key + ".pub") == 1)
        #expect(try CLI.run("verify", "--bundle", plain).status == 64, "a bundle needs --pubkey")
    }

    @Test func proofsVerifyAndTamperedProofsFail() throws {
        try setUp()
        let proof = CLI.path("p.json")
        #expect(try CLI.run("prove", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run,
                            "--step", "3", "--step", "6", "-o", proof).status == 0)
        #expect(try CLI.run("verify", "--proof", proof, "--pubkey", key + ".pub", "--require-signature").status == 0)
        #expect(try CLI.run("verify", "--proof", proof, "--pubkey", other + ".pub").status == 1)
        let text = try String(contentsOfFile: proof, encoding: .utf8)
        for (target, replacement) in [("step 3 of", "step 4 of"), ("\"step_index\":6,", "\"step_index\":7,")] {
            try text.replacingOccurrences(of: target, with: replacement).write(toFile: proof + ".bad", atomically: true, encoding: .utf8)
            #expect(try CLI.run("verify", "--proof", proof + ".bad", "--pubkey", key + ".pub").status == 1, "\(target)")
        }
        let consistency = CLI.path("c.json")
        #expect(try CLI.run("prove", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run,
                            "--consistency", "4", "8", "-o", consistency).status == 0)
        #expect(try CLI.run("verify", "--proof", consistency, "--pubkey", key + ".pub").status == 0)
        #expect(try Python.run("proof", proof, "--pubkey", key + ".pub") == 0)
        #expect(try Python.run("proof", consistency, "--pubkey", key + ".pub") == 0)
        #expect(try Python.run("proof", proof + ".bad", "--pubkey", key + ".pub") == 1)
        let json = try JSONValue(parsing: try String(contentsOfFile: consistency, encoding: .utf8))
        guard case .object(var members) = json, case .array(var path)? = members["path"] else { Issue.record(); return }
        let original = members
        path[0] = .string(String(repeating: "0", count: 64))
        members["path"] = .array(path)
        try JSONValue.object(members).canonicalString.write(toFile: consistency + ".bad", atomically: true, encoding: .utf8)
        #expect(try CLI.run("verify", "--proof", consistency + ".bad", "--pubkey", key + ".pub").status == 1)
        // The earlier seal is signed by the trusted key: a broken signature on it fails too.
        guard case .object(var first)? = original["first"], let signature = first["signature"]?.string else { Issue.record(); return }
        first["signature"] = .string(String(signature.reversed()))
        members = original
        members["first"] = .object(first)
        try JSONValue.object(members).canonicalString.write(toFile: consistency + ".badsig", atomically: true, encoding: .utf8)
        #expect(try CLI.run("verify", "--proof", consistency + ".badsig", "--pubkey", key + ".pub").status == 1)
        #expect(try Python.run("proof", consistency + ".badsig", "--pubkey", key + ".pub") == 1)
        // A trace changed after sealing cannot be proven: a refusal about the data, exit 1 like FAILED (not 70).
        try openStore(db).execute("UPDATE aos_trace_steps SET status = 'x' WHERE step_index = 1", [])
        let refused = try CLI.run("prove", "--db", db, "--tenant", LinkageFixture.tenant, "--run", LinkageFixture.run, "--step", "3", "-o", proof)
        #expect(refused.status == 1 && refused.stderr.contains("does not match its seal"))
    }
}

private extension String {
    /// Keeps a 64-hex leaf 64 characters long after a prefix was inserted.
    func dropLastHex() -> String {
        guard let range = range(of: "\",\"step_index\"") else { return self }
        var s = self
        s.remove(at: s.index(before: range.lowerBound))
        return s
    }

    /// Keeps a base64 signature its length after two characters were inserted.
    func dropTwoBeforeEnd() -> String {
        var s = self
        let end = s.index(s.endIndex, offsetBy: -4)
        s.removeSubrange(s.index(end, offsetBy: -2) ..< end)
        return s
    }
}

/// Runs the independent verifier, Verifiers/python/runproof_verify.py.
enum Python {
    static func run(_ arguments: String...) throws -> Int32 {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Verifiers/python/runproof_verify.py").path] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Keyrings, RUNPROOF_KEY, closing seals and the authenticity a verdict states, end to end through the binary.
@Suite(.serialized) struct KeyringAndClosingCLITests {
    @Test func aRotatedKeyringVerifiesAndTheTextSaysWhatItRestsOn() throws {
        let db = CLI.path("keyring-\(UUID().uuidString).sqlite")
        let ring = CLI.path("ring-\(UUID().uuidString).json")
        let first = CLI.path("first-\(UUID().uuidString).pem"), second = CLI.path("second-\(UUID().uuidString).pem")
        #expect(try CLI.run("keygen", "-o", first, "--keyring", ring).status == 0)
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-k", run: "run-k", tenant: "tenant-k")
        try SampleData.insertSteps(store, trace: "trace-k", 0 ..< 3)
        // The signing key comes from RUNPROOF_KEY when --key is not given.
        let sealed = try CLI.run(["seal", "--db", db, "--tenant", "tenant-k", "--run", "run-k"], environment: ["RUNPROOF_KEY": first])
        #expect(sealed.status == 0 && sealed.stdout.contains("key "), "\(sealed.stdout)\(sealed.stderr)")

        // Rotate: a second key joins the keyring; the next seal is made with it.
        #expect(try CLI.run("keygen", "-o", second, "--keyring", ring).status == 0)
        let keyring = try JSONValue(parsing: try String(contentsOfFile: ring, encoding: .utf8))
        #expect(Vectors(keyring["keys"]).count == 2)
        try SampleData.insertSteps(store, trace: "trace-k", 3 ..< 5)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-k", "--run", "run-k", "--key", second).status == 0)

        let verified = try CLI.run("verify", "--db", db, "--tenant", "tenant-k", "--run", "run-k", "--keyring", ring)
        #expect(verified.status == 0 && verified.stdout.contains("authenticity:    keyring"), "\(verified.stdout)\(verified.stderr)")
        #expect(!verified.stdout.contains("warning"))
        let json = try CLI.run("verify", "--db", db, "--tenant", "tenant-k", "--run", "run-k", "--keyring", ring, "--json")
        #expect(json.stdout.contains("\"authenticity\":\"keyring\""))

        // Without a key the chain still verifies, and the text warns that nothing vouches for the seals.
        let unchecked = try CLI.run("verify", "--db", db, "--tenant", "tenant-k", "--run", "run-k")
        #expect(unchecked.status == 0 && unchecked.stdout.contains("warning: integrity only"))

        // A keyring with only the second key: the seal made by the first is by an unknown key.
        let onlySecond = CLI.path("ring2-\(UUID().uuidString).json")
        #expect(try CLI.run("keygen", "-o", CLI.path("third-\(UUID().uuidString).pem"), "--keyring", onlySecond).status == 0)
        let unknown = try CLI.run("verify", "--db", db, "--tenant", "tenant-k", "--run", "run-k", "--keyring", onlySecond, "--json")
        #expect(unknown.status == 1 && unknown.stdout.contains("\"failure_kind\":\"signature\"") && unknown.stdout.contains("not in the keyring"))

        let garbled = CLI.path("garbled-\(UUID().uuidString).json")
        try "{\"keys\": [{\"key_id\": \"00\"}]}".write(toFile: garbled, atomically: true, encoding: .utf8)
        let refused = try CLI.run("verify", "--db", db, "--tenant", "tenant-k", "--run", "run-k", "--keyring", garbled)
        #expect(refused.status == 64 && refused.stderr.contains("keyring"))
    }

    @Test func aFinishedRunIsClosedAndAnAppendAfterItIsRefused() throws {
        let db = CLI.path("closing-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-f", run: "run-f", tenant: "tenant-f")
        try SampleData.insertSteps(store, trace: "trace-f", 0 ..< 3)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f").status == 0)
        try store.execute("UPDATE aos_traces SET status = 'completed', completed_at = '2026-01-01T00:05:00Z' WHERE trace_id = 'trace-f'", [])
        let open = try CLI.run("verify", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--require-closed", "--json")
        #expect(open.status == 1 && open.stdout.contains("\"failure_kind\":\"not closed\""))
        let closing = try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f")
        #expect(closing.status == 0 && closing.stdout.contains("closed run run-f"), "\(closing.stdout)")
        let closed = try CLI.run("verify", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--require-closed")
        #expect(closed.status == 0 && closed.stdout.contains("closed:          yes"))
        try SampleData.insertSteps(store, trace: "trace-f", 3 ..< 4)
        let refused = try CLI.run("seal", "--db", db, "--tenant", "tenant-f", "--run", "run-f")
        #expect(refused.status == 1 && refused.stderr.contains("was closed at chain_length 3"), "\(refused.stderr)")
        let appended = try CLI.run("verify", "--db", db, "--tenant", "tenant-f", "--run", "run-f", "--json")
        #expect(appended.status == 1 && appended.stdout.contains("\"failure_kind\":\"appended after close\""))
    }

    @Test func sealingBeforeInitSaysWhichCommandToRun() throws {
        let db = CLI.path("noinit-\(UUID().uuidString).sqlite")
        // The platform's own development store (traces, trace_steps), as its trace store writes it: no RunProof tables.
        let store = try SQLiteStore(path: db, create: true)
        for statement in Schema.sqliteLegacy.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
            try store.execute(String(statement), [])
        }
        let legacy = try SQLiteStore(path: db)
        try SampleData.insertTrace(legacy, trace: "run-n", run: "run-n", tenant: "tenant-n")
        try SampleData.insertSteps(legacy, trace: "run-n", 0 ..< 2)
        let result = try CLI.run("seal", "--db", db, "--tenant", "tenant-n", "--run", "run-n")
        #expect(result.status == 64 && result.stderr.contains("runproof init --db"), "\(result.stderr)")
        #expect(!result.stderr.contains("no such table"))
    }

    private func Vectors(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }
}

/// Signed-note checkpoints (docs/chain-v1.md 10), opened by RunProof and by Go's golang.org/x/mod/sumdb/note.
@Suite(.serialized) struct CheckpointCLITests {
    /// Runs the Go note verifier (Tests/Interop/note-open) with Debian's golang.org/x/mod.
    func goOpen(vkey: String, note: String) throws -> CLI.Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["go", "run", root.appendingPathComponent("Tests/Interop/note-open/main.go").path, vkey, note]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOCACHE": NSTemporaryDirectory() + "/runproof-gocache", "GOFLAGS": ""]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr, maxRSSKiB: 0)
    }

    @Test func goOpensRunProofCheckpointsAndRejectsAChangedRoot() throws {
        let key = CLI.path("note-\(UUID().uuidString).pem")
        let keygen = try CLI.run("keygen", "-o", key, "--key-name", "auditor.example/runproof")
        let vkey = keygen.stdout.split(separator: "\n").first { $0.hasPrefix("verifier key") }.map { String($0.split(separator: " ").last!) }
        #expect(vkey?.hasPrefix("auditor.example/runproof+") == true, "\(keygen.stdout)")
        let db = CLI.path("note-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        // Ids that need percent-encoding in the origin line.
        try SampleData.insertTrace(store, trace: "trace 1+x/é", run: "run-n", tenant: "tenant n")
        try SampleData.insertSteps(store, trace: "trace 1+x/é", 0 ..< 7)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant n", "--run", "run-n", "--key", key, "--key-name", "auditor.example/runproof").status == 0)

        let printed = try CLI.run("checkpoint", "--db", db, "--tenant", "tenant n", "--run", "run-n")
        #expect(printed.status == 0)
        let lines = printed.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "runproof/tenant%20n/trace%201%2Bx%2F%C3%A9" && lines[1] == "7" && lines[3].hasPrefix("runproof-head "))
        let note = CLI.path("note-\(UUID().uuidString).txt")
        try printed.stdout.write(toFile: note, atomically: true, encoding: .utf8)
        guard let vkey else { return }

        let go = try goOpen(vkey: vkey, note: note)
        #expect(go.status == 0, "go: \(go.stdout)\(go.stderr)")
        #expect(go.stdout == lines[0 ..< 4].joined(separator: "\n") + "\n", "Go returns the checkpoint text")
        #expect(try CLI.run("verify", "--checkpoint", note, "--vkey", vkey).status == 0)

        // The same checkpoint with another root: both refuse it.
        var changed = lines.map(String.init)
        changed[2] = Base64.encode([UInt8](repeating: 7, count: 32))
        let forged = CLI.path("note-forged-\(UUID().uuidString).txt")
        try changed.joined(separator: "\n").write(toFile: forged, atomically: true, encoding: .utf8)
        #expect(try goOpen(vkey: vkey, note: forged).status != 0)
        #expect(try CLI.run("verify", "--checkpoint", forged, "--vkey", vkey).status == 1)

        // An inclusion proof of step 3 in the c2sp.org/tlog-proof form, ending in the signed checkpoint.
        let tlog = CLI.path("note-\(UUID().uuidString).tlog-proof")
        #expect(try CLI.run("prove", "--db", db, "--tenant", "tenant n", "--run", "run-n", "--step", "3", "--format", "tlog-proof", "-o", tlog).status == 0)
        let proofText = try String(contentsOfFile: tlog, encoding: .utf8)
        #expect(proofText.hasPrefix("c2sp.org/tlog-proof@v1\nextra ") && proofText.contains("\nindex 3\n") && proofText.hasSuffix(printed.stdout))
        #expect(try CLI.run("verify", "--proof", tlog, "--vkey", vkey).status == 0)
        #expect(try CLI.run("verify", "--proof", tlog, "--pubkey", key + ".pub", "--require-signature").status == 0)
        let otherKey = CLI.path("note-other-\(UUID().uuidString).pem")
        let otherVkey = try CLI.run("keygen", "-o", otherKey, "--key-name", "auditor.example/runproof").stdout
            .split(separator: "\n").first { $0.hasPrefix("verifier key") }.map { String($0.split(separator: " ").last!) } ?? ""
        #expect(try CLI.run("verify", "--proof", tlog, "--vkey", otherVkey).status == 1, "signed by another key")
        let stepLine = proofText.split(separator: "\n")[1]
        let otherStep = Base64.encode(Array(String(decoding: Base64.decode(String(stepLine.dropFirst(6)))!, as: UTF8.self)
            .replacingOccurrences(of: "completed", with: "failed").utf8))
        let tamperedProof = CLI.path("note-tampered-\(UUID().uuidString).tlog-proof")
        try proofText.replacingOccurrences(of: String(stepLine), with: "extra " + otherStep).write(toFile: tamperedProof, atomically: true, encoding: .utf8)
        let refused = try CLI.run("verify", "--proof", tamperedProof, "--vkey", vkey, "--json")
        #expect(refused.status == 1 && refused.stdout.contains("\"failure_kind\":\"mismatch\""), "\(refused.stdout)")

        // The export carries the checkpoint signature; a verifier with the key checks it too.
        let export = CLI.path("note-\(UUID().uuidString).ndjson")
        #expect(try CLI.run("export", "--db", db, "--tenant", "tenant n", "--run", "run-n", "-o", export).status == 0)
        #expect(try CLI.run("checkpoint", "--file", export).stdout == printed.stdout)
        #expect(try CLI.run("verify", "--file", export, "--pubkey", key + ".pub").status == 0)
        let text = try String(contentsOfFile: export, encoding: .utf8)
        let broken = text.replacingOccurrences(of: "\"checkpoint_signature\":\"\u{2014} auditor.example/runproof ", with: "\"checkpoint_signature\":\"\u{2014} auditor.example/runproof AAAA")
        let tampered = CLI.path("note-tampered-\(UUID().uuidString).ndjson")
        try broken.write(toFile: tampered, atomically: true, encoding: .utf8)
        let bad = try CLI.run("verify", "--file", tampered, "--pubkey", key + ".pub", "--json")
        #expect(bad.status == 1 && bad.stdout.contains("checkpoint signature"), "\(bad.stdout)")
    }
}

/// Witnesses (c2sp.org/tlog-cosignature): cosign only what extends what they cosigned before; a quorum.
@Suite(.serialized) struct WitnessCLITests {
    func keygen(_ name: String) throws -> (key: String, vkey: String, witness: String) {
        let key = CLI.path("w-\(UUID().uuidString).pem")
        let out = try CLI.run("keygen", "-o", key, "--key-name", name).stdout.split(separator: "\n")
        func value(_ prefix: String) -> String { out.first { $0.hasPrefix(prefix) }.map { String($0.split(separator: " ").last!) } ?? "" }
        return (key, value("verifier key"), value("witness key"))
    }

    /// A trace of `steps` steps (content `variant`) sealed at each of `seals` by `log`; returns the database.
    func sealedTrace(steps: Int, seals: [Int], log: String, variant: String = "completed") throws -> String {
        let db = CLI.path("w-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-w", run: "run-w", tenant: "tenant-w")
        var from = 0
        for upTo in seals {
            try SampleData.insertSteps(store, trace: "trace-w", from ..< upTo)
            from = upTo
            try store.execute("UPDATE aos_trace_steps SET status = $1 WHERE trace_id = 'trace-w'", [variant])
            #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-w", "--run", "run-w", "--key", log, "--key-name", "log.example").status == 0)
        }
        return db
    }

    func checkpoint(_ db: String) throws -> String {
        let path = CLI.path("w-\(UUID().uuidString).note")
        try CLI.run("checkpoint", "--db", db, "--tenant", "tenant-w", "--run", "run-w").stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func cosign(_ note: String, _ witness: (key: String, vkey: String, witness: String), name: String, state: String,
                logVkey: String, proof: String? = nil) throws -> (status: Int32, note: String) {
        let result = try CLI.run(["witness", "cosign", "--checkpoint", note, "--log-vkey", logVkey, "--key", witness.key,
                                  "--name", name, "--state", state] + (proof.map { ["--proof", $0] } ?? []))
        let out = CLI.path("w-\(UUID().uuidString).note")
        try result.stdout.write(toFile: out, atomically: true, encoding: .utf8)
        return (result.status, out)
    }

    @Test func witnessesRefuseForksAndAQuorumDecides() throws {
        let log = try keygen("log.example")
        let w = try (1 ... 3).map { try keygen("witness\($0).example") }
        let db = try sealedTrace(steps: 7, seals: [4], log: log.key)
        let state = CLI.path("w-state-\(UUID().uuidString).json")
        let first = try cosign(try checkpoint(db), w[0], name: "witness1.example", state: state, logVkey: log.vkey)
        #expect(first.status == 0)

        // The log grows to 7: the witness wants a consistency proof from 4.
        let store = try openStore(db)
        try SampleData.insertSteps(store, trace: "trace-w", 4 ..< 7)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-w", "--run", "run-w", "--key", log.key, "--key-name", "log.example").status == 0)
        let seven = try checkpoint(db)
        #expect(try cosign(seven, w[0], name: "witness1.example", state: state, logVkey: log.vkey).status == 1, "no proof")
        let proof = CLI.path("w-\(UUID().uuidString).json")
        #expect(try CLI.run("prove", "--db", db, "--tenant", "tenant-w", "--run", "run-w", "--consistency", "4", "7", "-o", proof).status == 0)
        let byOne = try cosign(seven, w[0], name: "witness1.example", state: state, logVkey: log.vkey, proof: proof)
        #expect(byOne.status == 0)

        // A fork: the same origin at size 7 with another history, signed by the same log key.
        let forkDb = try sealedTrace(steps: 7, seals: [7], log: log.key, variant: "rewritten")
        let fork = try cosign(try checkpoint(forkDb), w[0], name: "witness1.example", state: state, logVkey: log.vkey)
        #expect(fork.status == 1)
        // A rollback to size 4 is refused too.
        #expect(try cosign(first.note, w[0], name: "witness1.example", state: state, logVkey: log.vkey).status == 1)

        // Quorum: witness 2 cosigns after witness 1; witness 3 never does.
        let byTwo = try cosign(byOne.note, w[1], name: "witness2.example", state: CLI.path("w-state2-\(UUID().uuidString).json"), logVkey: log.vkey)
        #expect(byTwo.status == 0)
        let witnesses = w.flatMap { ["--witness", $0.witness] }
        #expect(try CLI.run(["verify", "--checkpoint", byTwo.note, "--vkey", log.vkey] + witnesses + ["--witness-quorum", "2"]).status == 0)
        #expect(try CLI.run(["verify", "--checkpoint", byOne.note, "--vkey", log.vkey] + witnesses + ["--witness-quorum", "2"]).status == 1)
        #expect(try CLI.run(["verify", "--checkpoint", byTwo.note, "--vkey", log.vkey] + witnesses).status == 1, "all three by default")
        // Cosignatures still open with Go's note verifier for the log key (unknown signers are ignored).
        #expect(try CLI.run("verify", "--checkpoint", byTwo.note, "--vkey", log.vkey).status == 0)
    }
}

/// The tenant log (docs/chain-v1.md 10.4): every closed run of a tenant is logged; removing one breaks consistency.
@Suite(.serialized) struct TenantLogCLITests {
    @Test func closedRunsAreLoggedAndARemovedRunFailsConsistency() throws {
        let key = CLI.path("tl-\(UUID().uuidString).pem")
        let vkey = try CLI.run("keygen", "-o", key, "--key-name", "log.example").stdout.split(separator: "\n")
            .first { $0.hasPrefix("verifier key") }.map { String($0.split(separator: " ").last!) } ?? ""
        let db = CLI.path("tl-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        for (tenant, run) in [("tenant-t", "run-1"), ("tenant-t", "run-2"), ("tenant-u", "run-9"), ("tenant-t", "run-3")] {
            try SampleData.insertTrace(store, trace: "trace-\(run)", run: run, tenant: tenant)
            try SampleData.insertSteps(store, trace: "trace-\(run)", 0 ..< 3)
            try store.execute("UPDATE aos_traces SET completed_at = '2026-01-02T00:00:00Z' WHERE trace_id = $1", ["trace-\(run)"])
            #expect(try CLI.run("seal", "--db", db, "--tenant", tenant, "--run", run, "--key", key, "--key-name", "log.example").status == 0)
        }
        let printed = try CLI.run("checkpoint", "--db", db, "--tenant", "tenant-t", "--tenant-log")
        #expect(printed.status == 0 && printed.stdout.hasPrefix("runproof-tenant-log/tenant-t\n3\n"), "\(printed.stdout)\(printed.stderr)")
        let note = CLI.path("tl-\(UUID().uuidString).note")
        try printed.stdout.write(toFile: note, atomically: true, encoding: .utf8)
        #expect(try CLI.run("verify", "--checkpoint", note, "--vkey", vkey).status == 0)

        // Run 2 is in the log; the other tenant's run is not in this tenant's log.
        let inclusion = CLI.path("tl-\(UUID().uuidString).tlog-proof")
        #expect(try CLI.run("prove", "--db", db, "--tenant", "tenant-t", "--run", "run-2", "--tenant-log", "-o", inclusion).status == 0)
        #expect(try CLI.run("verify", "--proof", inclusion, "--vkey", vkey).status == 0)
        #expect(try CLI.run("prove", "--db", db, "--tenant", "tenant-t", "--run", "run-9", "--tenant-log", "-o", CLI.path("tl-x")).status == 2)

        let consistency = CLI.path("tl-\(UUID().uuidString).json")
        #expect(try CLI.run("prove", "--db", db, "--tenant", "tenant-t", "--tenant-log", "--consistency", "1", "3", "-o", consistency).status == 0)
        #expect(try CLI.run("verify", "--proof", consistency, "--vkey", vkey).status == 0)
        var proof = try JSONValue(parsing: try String(contentsOfFile: consistency, encoding: .utf8))
        if case .object(var members) = proof, case .array(var path)? = members["path"], !path.isEmpty {
            path[0] = .string(String(repeating: "0", count: 64))
            members["path"] = .array(path)
            proof = .object(members)
        }
        let forged = CLI.path("tl-forged-\(UUID().uuidString).json")
        try proof.canonicalString.write(toFile: forged, atomically: true, encoding: .utf8)
        #expect(try CLI.run("verify", "--proof", forged, "--vkey", vkey).status == 1)

        // Someone removes run 2 from the log (around its append-only trigger): the log no longer proves consistent.
        try store.execute("DROP TRIGGER aos_tenant_log_no_delete", [])
        try store.execute("DELETE FROM aos_tenant_log WHERE trace_id = 'trace-run-2'", [])
        let refused = try CLI.run("prove", "--db", db, "--tenant", "tenant-t", "--tenant-log", "--consistency", "1", "3", "-o", CLI.path("tl-\(UUID().uuidString).json"))
        #expect(refused.status == 1 && refused.stderr.contains("removed"), "\(refused.stderr)")
    }
}

/// Verification receipts (docs/chain-v1.md 10.3): a DSSE envelope of an in-toto Statement recording the verdict.
@Suite(.serialized) struct ReceiptCLITests {
    @Test func aReceiptRecordsTheVerdictAndItsSignatureHolds() throws {
        let key = CLI.path("rc-\(UUID().uuidString).pem")
        #expect(try CLI.run("keygen", "-o", key).status == 0)
        let db = CLI.path("rc-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-r", run: "run-r", tenant: "tenant-r")
        try SampleData.insertSteps(store, trace: "trace-r", 0 ..< 5)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-r", "--run", "run-r", "--key", key).status == 0)

        func receipt(expecting status: Int32) throws -> JSONValue {
            let path = CLI.path("rc-\(UUID().uuidString).json")
            let result = try CLI.run(["verify", "--db", db, "--tenant", "tenant-r", "--run", "run-r", "--pubkey", key + ".pub",
                                      "--receipt", path], environment: ["RUNPROOF_KEY": key])
            #expect(result.status == status, "\(result.stdout)\(result.stderr)")
            // A receipt is never written over an existing file.
            let again = try CLI.run(["verify", "--db", db, "--tenant", "tenant-r", "--run", "run-r", "--receipt", path], environment: ["RUNPROOF_KEY": key])
            #expect(again.status == 64)
            #expect(try Python.run("receipt", path, "--pubkey", key + ".pub") == 0, "the independent verifier accepts it")
            return try JSONValue(parsing: try String(contentsOfFile: path, encoding: .utf8))
        }
        let publicKey = try PublicKey(pem: try String(contentsOfFile: key + ".pub", encoding: .utf8))
        let good = try receipt(expecting: 0)
        guard case .success(let statement) = Receipt.open(good, key: publicKey) else { Issue.record("receipt does not open"); return }
        #expect(statement["predicate"]?["verdict"]?.string == "HASH_CHAIN" && statement["predicate"]?["run_id"]?.string == "run-r")
        #expect(statement["subject"].map { if case .array(let s) = $0 { s.count } else { 0 } } == 1)

        try store.execute("UPDATE aos_trace_steps SET status = 'x' WHERE step_index = 2", [])
        let failed = try receipt(expecting: 1)
        guard case .success(let bad) = Receipt.open(failed, key: publicKey) else { Issue.record("receipt does not open"); return }
        #expect(bad["predicate"]?["verdict"]?.string == "FAILED" && bad["predicate"]?["failing_step_index"]?.int == 2)
        #expect(bad["predicate"]?["failure_kind"]?.string == "changed")

        // Another key, or a changed payload, does not open.
        let other = try SigningKey()
        if case .success = Receipt.open(good, key: other.publicKey) { Issue.record("opened with another key") }
        if case .object(var members) = good, let payload = members["payload"]?.string {
            members["payload"] = .string(Base64.encode(Array(String(decoding: Base64.decode(payload)!, as: UTF8.self)
                .replacingOccurrences(of: "HASH_CHAIN", with: "FAILED").utf8)))
            if case .success = Receipt.open(.object(members), key: publicKey) { Issue.record("opened with a changed payload") }
        }
    }
}

/// RunProof's canonicalizer against an independent RFC 8785 implementation (the `rfc8785` package from PyPI,
/// in a virtual environment the script creates) on 10,000 random hostile documents: zero disagreements.
@Suite struct DifferentialJCSTests {
    @Test func tenThousandHostileDocumentsAgreeWithRFC8785() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Scripts/jcs-differential").path, "--count", "10000", "--runproof", CLI.binary]
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("10000 documents") && text.contains(", 0 disagreements"), "\(text)")
    }
}
