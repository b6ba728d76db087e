import Foundation
import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples
import RunProofTestSupport

/// `init --governance`, `init --indexes`, `evidence`, `governance`, `seal` and `verify` through the binary, on the
/// platform's own PostgreSQL schema (../shared/aos, loaded with psql) and in the demo's SQLite.
@Suite(.serialized) struct PlatformEvidenceCLITests {
    static let shared = TestDatabases.shared
    let tenant = LinkageFixture.tenant, run = LinkageFixture.run

    /// A new database holding the platform's schema and its linkage scenario; dropped when `body` returns.
    func withPlatformDatabase(_ body: (String) throws -> Void) throws {
        try TestDatabases.withDatabase("platform_cli", body)
    }

    /// The platform's tables as the catalog describes them: columns, constraints, indexes, triggers.
    func platformCatalog(_ uri: String) throws -> [[String?]] {
        try PostgresStore(uri).query("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE c.relname = ANY($1::text[])
            UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated::text, NULL
            FROM pg_constraint WHERE conrelid::regclass::text = ANY($1::text[])
            UNION ALL SELECT tablename, indexname, indexdef, NULL, NULL FROM pg_indexes WHERE tablename = ANY($1::text[])
            UNION ALL SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid), NULL, NULL
            FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY($1::text[])
            ORDER BY 1, 2, 3
            """, ["{" + EvidenceSchema.tables.joined(separator: ",") + "}"])
    }

    func json(_ result: CLI.Result) throws -> JSONValue {
        try JSONValue(parsing: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func count(_ value: JSONValue?) -> Int { if case .array(let items)? = value { items.count } else { -1 } }

    @Test func onThePlatformsDatabase() throws {
        try withPlatformDatabase { uri in
            // Nothing of RunProof's DDL is needed to answer.
            let evidence = try CLI.run("evidence", "--db", uri, "--tenant", tenant, "--run", run, "--json")
            #expect(evidence.status == 0, "\(evidence.stderr)")
            let e = try json(evidence)
            let counts: [Int] = [count(e["incidents_caused"]), count(e["policies_evaluated"]), count(e["limits_hit"]), count(e["decisions_made"])]
            #expect(counts == [2, 3, 1, 3])
            let governance = try json(try CLI.run("governance", "--db", uri, "--tenant", tenant, "--run", run, "--limit", "2", "--json"))
            #expect(count(governance["events"]) == 2 && governance["total_events"] == 3 && governance["next_offset"] == 2)
            let text = try CLI.run("governance", "--db", uri, "--tenant", tenant, "--run", run)
            #expect(text.stdout.contains(": 3 of 3") && text.stdout.contains("incident_created  INCIDENT  inc-test-001  SYSTEM"))

            // init --governance changes nothing of the platform's schema, and says so; init --indexes only adds indexes, once.
            let before = try platformCatalog(uri)
            let initialized = try CLI.run("init", "--db", uri, "--governance")
            #expect(initialized.status == 0 && initialized.stdout.contains("governance: the platform's tables exist (11 of 11); changed nothing"))
            #expect(try platformCatalog(uri) == before)
            let indexes = try CLI.run("init", "--db", uri, "--indexes")
            #expect(indexes.status == 0 && indexes.stdout.contains("indexes: created 7 (runproof_audit_ledger_after_run_id"), "\(indexes.stderr)")
            let withIndexes = try platformCatalog(uri)
            #expect(withIndexes.filter { !before.contains($0) }.allSatisfy { $0[1]?.hasPrefix("runproof_") == true && $0[2]?.hasPrefix("CREATE INDEX") == true })
            #expect(try CLI.run("init", "--db", uri, "--indexes").stdout.contains("indexes: created 0, 7 present already"))
            #expect(try platformCatalog(uri) == withIndexes)
            #expect(try json(try CLI.run("evidence", "--db", uri, "--tenant", tenant, "--run", run, "--json"))["decisions_made"] == e["decisions_made"])

            // The report's one failed criterion: RunProof returns HASH_CHAIN for the traced run.
            #expect(try CLI.run("seal", "--db", uri, "--tenant", tenant, "--run", run).status == 0)
            let verified = try CLI.run("verify", "--db", uri, "--tenant", tenant, "--run", run, "--json")
            let v = try json(verified)
            #expect(verified.status == 0 && v["verdict"] == "HASH_CHAIN" && v["integrity"]?["verification_status"] == "VERIFIED", "\(verified.stdout)")
            // A true superset of RunProofResult: TraceSummary and TraceStepSummary fields, raw_logs null.
            let withSteps = try json(try CLI.run("verify", "--db", uri, "--tenant", tenant, "--run", run, "--json", "--steps"))
            guard case .array(let traces)? = withSteps["aos_traces"], case .array(let steps)? = withSteps["aos_trace_steps"] else {
                Issue.record("no aos_traces / aos_trace_steps"); return
            }
            #expect(traces.count == 1 && traces[0]["trace_id"] == "trace_run-linkage-test-001" && traces[0]["run_id"] == "run-linkage-test-001")
            #expect(traces[0]["status"] == "failed" && traces[0]["step_count"] == 5)
            #expect(traces[0]["started_at"] == "2026-02-09T14:00:05.000000Z" && traces[0]["completed_at"] == "2026-02-09T14:00:22.000000Z")
            #expect(withSteps["raw_logs"] == .null && withSteps["run_id"] == "run-linkage-test-001" && withSteps["verified_at"]?.string != nil)
            #expect(steps.map { $0["skill_name"]! } == ["llm_invoke", "http_call", "policy_check", "llm_invoke", "budget_check"])
            #expect(steps[2]["step_index"] == 2 && steps[2]["status"] == "failure" && steps[2]["duration_ms"] == .number(3.5)
                    && steps[0]["cost_cents"] == .number(42.5))
        }
    }

    @Test func missingTablesAndBrokenDatabasesAreErrors() throws {
        let db = CLI.path("no-governance-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        for command in ["evidence", "governance"] {
            let result = try CLI.run(command, "--db", db, "--tenant", tenant, "--run", run, "--json")
            #expect(result.status == 64 && result.stdout.isEmpty, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("runproof init --db <this database> --governance") && !result.stderr.contains("no such table"))
        }
        let broken = try CLI.run("evidence", "--db", "postgresql://nobody@127.0.0.1:1/none", "--tenant", tenant, "--run", run, "--json")
        #expect(broken.status == 70 && broken.stdout.isEmpty && broken.stderr.contains("cannot connect to PostgreSQL"))
        #expect(try CLI.run("evidence", "--db", db, "--tenant", tenant, "--run", run, "--offset", "-1").status == 64)
    }

    @Test func initGovernanceCreatesTheTablesOnceInSQLite() throws {
        let db = CLI.path("governance-\(UUID().uuidString).sqlite")
        let first = try CLI.run("init", "--db", db, "--governance", "--indexes")
        #expect(first.status == 0 && first.stdout.contains("governance: created the platform's tables (tenants, runs,"), "\(first.stderr)")
        #expect(first.stdout.contains("indexes: created 7"))
        let again = try CLI.run("init", "--db", db, "--governance", "--indexes")
        #expect(again.stdout.contains("changed nothing") && again.stdout.contains("indexes: created 0, 7 present already"))
        try LinkageFixture.insert(into: try openStore(db))
        let evidence = try CLI.run("evidence", "--db", db, "--tenant", tenant, "--run", run)
        #expect(evidence.stdout.contains("dec-prev_2c69cc1227d7ed31  POLICY_EVALUATION  PREVENTED"), "\(evidence.stdout)")
        let page = try CLI.run("evidence", "--db", db, "--tenant", tenant, "--run", run, "--limit", "1", "--offset", "1", "--json")
        #expect(try json(page)["next_offset"] == 2)
        let all = try json(try CLI.run("governance", "--db", db, "--tenant", tenant, "--run", run, "--all-entity-types", "--json"))
        #expect(all["total_events"] == 3)
    }

    @Test func theDemoRunsTheLinkageScenario() throws {
        let result = try CLI.run("demo", "--db", CLI.path("demo-linkage-\(UUID().uuidString).sqlite"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("7. The platform's linkage scenario"))
        #expect(result.stdout.contains("sealed its 5-step trace (finished: a closing seal); verify: HASH_CHAIN"))
        #expect(result.stdout.contains("evidence: 2 incidents caused, 3 policies evaluated, 1 limit hit, 3 decisions made"))
        #expect(result.stdout.contains("governance: 3 audit-ledger events"))
    }
}
