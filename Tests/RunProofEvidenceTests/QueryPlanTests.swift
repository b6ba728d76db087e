import Foundation
import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples

/// EXPLAIN on a large ledger of the platform's schema with the optional indexes: every query is an index scan.
///
/// A plan check, not a timed test. The ledger has 200,000 events by default; the benchmark in docs/evidence.md
/// runs 1,000,000: `RUNPROOF_EXPLAIN_EVENTS=1000000 RUNPROOF_EXPLAIN_PRINT=1 swift test --filter QueryPlanTests`.
@Suite(.serialized) struct QueryPlanTests {
    @Test func everyQueryIsAnIndexScanOnALargeLedger() throws {
        let events = ProcessInfo.processInfo.environment["RUNPROOF_EXPLAIN_EVENTS"].flatMap { Int($0) } ?? 200_000
        let print = ProcessInfo.processInfo.environment["RUNPROOF_EXPLAIN_PRINT"] != nil
        try PlatformDatabases.withPlatform { uri in
            let store = try PostgresStore(uri)
            let (tenant, run) = (LinkageFixture.tenant, LinkageFixture.run)
            // 50 tenants; the linkage tenant owns half of everything; 20,000 runs; a few rows per run in each table.
            try store.execute("""
                INSERT INTO tenants (id, name, slug) SELECT 'tenant-' || i, 'Tenant ' || i, 'tenant-' || i FROM generate_series(1, 49) AS i
                """, [])
            try store.execute("""
                INSERT INTO runs (id, agent_id, goal, status, attempts, max_attempts, priority)
                SELECT 'run-' || i, 'agent', 'goal', 'completed', 1, 3, 0 FROM generate_series(0, 19999) AS i
                """, [])
            try store.execute("""
                INSERT INTO audit_ledger (id, tenant_id, event_type, entity_type, entity_id, actor_type, after_state, before_state, created_at)
                SELECT 'bulk-' || i, CASE WHEN i % 2 = 0 THEN $1 ELSE 'tenant-' || (i % 49 + 1) END, 'policy_rule_updated',
                       (ARRAY['POLICY_RULE', 'LIMIT', 'INCIDENT', 'RUN'])[i % 4 + 1], 'e-' || i, 'SYSTEM',
                       CASE WHEN i % 3 = 0 THEN jsonb_build_object('source_run_id', 'run-' || (i % 20000)) ELSE jsonb_build_object('run_id', 'run-' || (i % 20000)) END,
                       CASE WHEN i % 5 = 0 THEN jsonb_build_object('run_id', 'run-' || (i % 20000)) END,
                       timestamptz '2026-01-01' + i * interval '1 second'
                FROM generate_series(1, $2::integer) AS i
                """, [tenant, String(events)])
            try store.execute("""
                INSERT INTO prevention_records (id, policy_id, pattern_id, original_incident_id, blocked_incident_id, tenant_id, outcome,
                                                signature_match_confidence, run_id, created_at)
                SELECT 'bulk-' || i, 'policy-001', 'p', 'run-' || (i % 20000), 'run-' || ((i + 7) % 20000),
                       CASE WHEN i % 2 = 0 THEN $1 ELSE 'tenant-' || (i % 49 + 1) END, 'blocked', 1.0,
                       CASE WHEN i % 3 = 0 THEN NULL ELSE 'run-' || (i % 20000) END, timestamptz '2026-01-01' + i * interval '1 second'
                FROM generate_series(1, $2::integer / 5) AS i
                """, [tenant, String(events)])
            try store.execute("""
                INSERT INTO limit_breaches (id, tenant_id, limit_id, run_id, breach_type, value_at_breach, limit_value, breached_at)
                SELECT 'bulk-' || i, $1, 'limit-budget-001', 'run-' || (i % 20000), 'BREACHED', 101, 100,
                       timestamptz '2026-01-01' + i * interval '1 second'
                FROM generate_series(1, $2::integer / 5) AS i
                """, [tenant, String(events)])
            try store.execute("""
                INSERT INTO incidents (id, tenant_id, title, severity, status, trigger_type, started_at, source_run_id, lifecycle_state, cause_type, created_at)
                SELECT 'bulk-' || i, CASE WHEN i % 2 = 0 THEN $1 ELSE 'tenant-' || (i % 49 + 1) END, 't', 'LOW', 'OPEN', 'run_failure',
                       now(), 'run-' || (i % 20000), 'ACTIVE', 'LLM_RUN', timestamptz '2026-01-01' + i * interval '1 second'
                FROM generate_series(1, $2::integer / 5) AS i
                """, [tenant, String(events)])
            // Rules and limits of the other tenants (each with its integrity row, in one statement, as the triggers require).
            try store.execute("""
                WITH r AS (INSERT INTO policy_rules (id, tenant_id, name, enforcement_mode, scope)
                           SELECT 'rule-' || i, 'tenant-' || (i % 49 + 1), 'Rule ' || i, 'BLOCK', 'TENANT' FROM generate_series(1, 5000) AS i
                           RETURNING id)
                INSERT INTO policy_rule_integrity (id, rule_id, integrity_status, integrity_score, hash_root)
                SELECT 'integrity-' || id, id, 'VERIFIED', 1, 'h' FROM r
                """, [])
            try store.execute("""
                WITH l AS (INSERT INTO limits (id, tenant_id, name, limit_category, limit_type, scope, max_value, reset_period)
                           SELECT 'limit-' || i, 'tenant-' || (i % 49 + 1), 'Limit ' || i, 'BUDGET', 'COST_USD', 'TENANT', 100, 'MONTHLY'
                           FROM generate_series(1, 5000) AS i RETURNING id)
                INSERT INTO limit_integrity (id, limit_id, integrity_status, integrity_score) SELECT 'integrity-' || id, id, 'VERIFIED', 1 FROM l
                """, [])
            _ = try EvidenceIndexes.apply(to: store)
            try store.execute("ANALYZE", [])

            let queries = EvidenceQueries(store: store)
            let page = [tenant, run, "101", "0"]
            let plans: [(String, String, [String?], [String])] = [
                ("governance", queries.governanceSQL(), page,
                 ["runproof_audit_ledger_after_run_id", "runproof_audit_ledger_after_source_run_id",
                  "runproof_audit_ledger_before_run_id", "runproof_audit_ledger_before_source_run_id"]),
                ("governance total_events", queries.governanceCountSQL(), [tenant, run], ["runproof_audit_ledger_after_run_id"]),
                ("incidents", queries.incidentsSQL, page, ["idx_incidents_source_run_id"]),
                ("policies", queries.policiesSQL, page,
                 ["policy_rules_pkey1", "ix_prevention_records_run_id", "runproof_prevention_records_blocked_incident", "runproof_prevention_records_original_incident"]),
                ("limits", queries.limitsSQL, page, ["runproof_limit_breaches_run", "Index Scan using"]),
                ("decisions", queries.decisionsSQL, page, ["ix_prevention_records_run_id", "runproof_prevention_records_blocked_incident"]),
            ]
            for (name, sql, parameters, indexes) in plans {
                let plan = try store.query("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, parameters)
                    .map { $0[0] ?? "" }.joined(separator: "\n")
                if print { Swift.print("-- \(name) (\(events) events)\n\(plan)\n") }
                #expect(!plan.contains("Seq Scan"), "\(name): \(plan)")
                for index in indexes { #expect(plan.contains(index), "\(name) uses \(index): \(plan)") }
            }
            // The answers are still the report's: the bulk rows are other runs'.
            let e = try queries.evidence(tenant: tenant, run: run, computedAt: "t")
            let g = try queries.governance(tenant: tenant, run: run, computedAt: "t")
            #expect(items(e["incidents_caused"]).count == 2 && items(e["decisions_made"]).count == 3)
            #expect(g["total_events"] == 3)
            // Without the optional indexes every query still answers, the same (by scanning).
            for index in EvidenceIndexes.all { try store.execute("DROP INDEX \(index.name)", []) }
            #expect(try queries.evidence(tenant: tenant, run: run, computedAt: "t") == e)
            #expect(try queries.governance(tenant: tenant, run: run, computedAt: "t") == g)
            if print {
                for (name, sql, parameters, _) in plans {
                    let plan = try store.query("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, parameters).map { $0[0] ?? "" }
                    Swift.print("-- \(name) without the indexes: " + plan.filter { $0.contains("Scan") || $0.contains("Execution") }.joined(separator: " | "))
                }
            }
        }
    }

    /// The same on SQLite (the embedded store): EXPLAIN QUERY PLAN shows an index search for every query.
    @Test func sqliteSearchesIndexesToo() throws {
        let store = try PlatformDatabases.builtByRunProof(.sqlite)
        let (tenant, run) = (LinkageFixture.tenant, LinkageFixture.run)
        try store.execute("""
            WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000)
            INSERT INTO audit_ledger (id, tenant_id, event_type, entity_type, entity_id, actor_type, after_state, created_at)
            SELECT 'bulk-' || i, CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END, 'x', 'LIMIT', 'e', 'SYSTEM',
                   json_object('run_id', 'run-' || (i % 5000)), '2026-03-01T00:00:00.000000Z' FROM g
            """, [tenant, LinkageFixture.otherTenant])
        try store.execute("""
            WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000)
            INSERT INTO prevention_records (id, policy_id, pattern_id, original_incident_id, blocked_incident_id, tenant_id, outcome,
                                            signature_match_confidence, run_id, created_at)
            SELECT 'bulk-' || i, 'policy-001', 'p', 'run-' || (i % 4999), 'run-' || (i % 4997), CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END,
                   'blocked', 1.0, 'run-' || (i % 5000), '2026-03-01T00:00:00.000000Z' FROM g
            """, [tenant, LinkageFixture.otherTenant])
        _ = try EvidenceIndexes.apply(to: store)
        try store.execute("ANALYZE", [])
        let queries = EvidenceQueries(store: store)
        let page = [tenant, run, "101", "0"]
        for (name, sql, parameters, indexes) in [
            ("governance", queries.governanceSQL(), page, EvidenceIndexes.all.filter { $0.table == "audit_ledger" }.map(\.name)),
            ("policies", queries.policiesSQL, page, ["ix_prevention_records_run_id", "runproof_prevention_records_blocked_incident"]),
            ("decisions", queries.decisionsSQL, page, ["runproof_prevention_records_original_incident"]),
            ("limits", queries.limitsSQL, page, ["runproof_limit_breaches_run"]),
            ("incidents", queries.incidentsSQL, page, []), // few incidents here: any of its indexes will do
        ] {
            let plan = try store.query("EXPLAIN QUERY PLAN " + sql, parameters).map { $0.last.flatMap { $0 } ?? "" }.joined(separator: "\n")
            #expect(!plan.contains("SCAN "), "\(name): \(plan)")
            for index in indexes { #expect(plan.contains(index), "\(name) uses \(index): \(plan)") }
        }
        #expect(try queries.governance(tenant: tenant, run: run, computedAt: "t")["total_events"] == 3)
    }
}
