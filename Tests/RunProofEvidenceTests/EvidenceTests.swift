import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
#if canImport(Glibc)
import Glibc
#endif

enum Dialect: String, CaseIterable, CustomStringConvertible, Sendable {
    case postgres, sqlite
    var description: String { rawValue }

    func makeStore() throws -> any TraceStore {
        switch self {
        case .postgres:
            guard let env = getenv("RUNPROOF_TEST_PG"), case let base = String(cString: env), !base.isEmpty else {
                throw RunProofError(.usage, "RUNPROOF_TEST_PG is not set: run the tests with Scripts/test")
            }
            let schema = "e_\(UInt64.random(in: 0 ... .max))"
            try PostgresStore(base).execute("CREATE SCHEMA \(schema)", [])
            return try PostgresStore(base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)")
        case .sqlite:
            var template = Array("/tmp/runproof-evidence-XXXXXX".utf8CString)
            return try SQLiteStore(path: String(cString: mkdtemp(&template)!) + "/gov.sqlite", create: true)
        }
    }

    func fixture() throws -> EvidenceQueries {
        let queries = EvidenceQueries(store: try makeStore())
        try queries.createSchema()
        try LinkageFixture.insert(into: queries.store)
        return queries
    }
}

@Suite struct EvidenceTests {
    func rows(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    @Test(arguments: Dialect.allCases)
    func answersThePublishedLinkageCheck(dialect: Dialect) throws {
        let queries = try dialect.fixture()
        let e = try queries.evidence(tenant: LinkageFixture.tenant, run: LinkageFixture.run, computedAt: "t")
        #expect(e["run_id"]?.string == "run-linkage-test-001")
        #expect(rows(e["incidents_caused"]).map { [$0["incident_id"]!, $0["severity"]!] } == [["inc-test-001", "HIGH"], ["inc-test-002", "MEDIUM"]])
        #expect(rows(e["incidents_caused"])[0]["created_at"]?.string == "2026-01-15T10:01:00.000000Z")
        #expect(rows(e["policies_evaluated"]).map { [$0["policy_id"]!, $0["outcome"]!] } ==
                [["policy-003", "PREVENTED"], ["policy-002", "BLOCKED"], ["policy-001", "WARNED"]])
        #expect(rows(e["policies_evaluated"])[0]["policy_name"]?.string == "Spend guard")
        let limits = rows(e["limits_hit"])
        #expect(limits.count == 1)
        #expect(limits.first?["limit_id"]?.string == "limit-budget-001" && limits.first?["limit_name"]?.string == "Budget Limit")
        #expect(limits.first?["breached_value"] == .number(105.5) && limits.first?["threshold_value"] == .number(100))
        #expect(rows(e["decisions_made"]).map { $0["decision_id"]!.string! } == ["dec-001", "dec-002", "dec-003"])

        let g = try queries.governance(tenant: LinkageFixture.tenant, run: LinkageFixture.run)
        #expect(rows(g["events"]).map { $0["event_type"]!.string! } == ["incident_created", "policy_rule_created", "limit_breach_detected"])
        #expect(rows(g["events"])[1]["before_state"]?["run_id"]?.string == LinkageFixture.run)
        #expect(g["metadata"] == ["tenant_id": "tenant-test-001", "run_id": "run-linkage-test-001", "source_domain": "LOGS",
                                  "source_component": "AuditLedger", "immutable": true])
        #expect(g["next_offset"] == .null)
    }

    @Test(arguments: Dialect.allCases)
    func anotherTenantOrRunSeesNoneOfIt(dialect: Dialect) throws {
        let queries = try dialect.fixture()
        for (tenant, run) in [("tenant-test-002", LinkageFixture.run), (LinkageFixture.tenant, "run-linkage-test-999")] {
            let e = try queries.evidence(tenant: tenant, run: run, computedAt: "t")
            for key in ["incidents_caused", "policies_evaluated", "limits_hit", "decisions_made"] { #expect(rows(e[key]).isEmpty, "\(key)") }
            #expect(rows(try queries.governance(tenant: tenant, run: run)["events"]).isEmpty)
        }
        // The decoy tenant sees its own rows only, never the real tenant's names.
        let other = try queries.evidence(tenant: "tenant-other-002", run: LinkageFixture.run, computedAt: "t")
        #expect(rows(other["incidents_caused"]).allSatisfy { $0["incident_id"]!.string!.hasPrefix("other-") })
        #expect(rows(other["policies_evaluated"]).allSatisfy { $0["policy_name"]!.string!.contains("decoy") })
    }

    @Test(arguments: Dialect.allCases)
    func governancePages(dialect: Dialect) throws {
        let queries = try dialect.fixture()
        let first = try queries.governance(tenant: LinkageFixture.tenant, run: LinkageFixture.run, limit: 2)
        #expect(rows(first["events"]).count == 2 && first["next_offset"]?.int == 2)
        let second = try queries.governance(tenant: LinkageFixture.tenant, run: LinkageFixture.run, limit: 2, offset: 2)
        #expect(rows(second["events"]).map { $0["event_type"]!.string! } == ["limit_breach_detected"])
        #expect(second["next_offset"] == .null)
        #expect(throws: RunProofError.self) { try queries.governance(tenant: "t", run: "r", limit: 0) }
    }

    @Test(arguments: Dialect.allCases)
    func hostileStringsAreData(dialect: Dialect) throws {
        let queries = try dialect.fixture()
        let e = try queries.evidence(tenant: "x' OR '1'='1", run: "r'); DROP TABLE incidents; --", computedAt: "t")
        #expect(rows(e["incidents_caused"]).isEmpty)
        #expect(rows(try queries.evidence(tenant: LinkageFixture.tenant, run: LinkageFixture.run)["incidents_caused"]).count == 2)
    }

    /// The governance and evidence queries use indexes on a large ledger (EXPLAIN, real planner).
    @Test func queriesUseIndexesOnALargeLedger() throws {
        let queries = try Dialect.postgres.fixture()
        try queries.store.execute("""
            INSERT INTO audit_ledger (event_id, tenant_id, event_type, entity_type, entity_id, actor, after_state, created_at)
            SELECT 'bulk-' || i, CASE WHEN i % 2 = 0 THEN $1 ELSE 'tenant-' || (i % 50) END, 'step_recorded', 'run', 'e', 'system',
                   jsonb_build_object('run_id', 'run-' || (i % 20000)), timestamptz '2026-01-01' + i * interval '1 second'
            FROM generate_series(1, 200000) AS i
            """, [LinkageFixture.tenant])
        try queries.store.execute("ANALYZE audit_ledger", [])
        let plan = try queries.store.query("EXPLAIN " + queries.governanceSQL, [LinkageFixture.tenant, LinkageFixture.run, "101", "0"])
            .map { $0[0] ?? "" }.joined(separator: "\n")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        // The busy tenant has 100,000 events: only the run_id expression indexes make the query selective.
        #expect(plan.contains("audit_ledger_after_run") && plan.contains("audit_ledger_before_run"), "\(plan)")
    }
}
