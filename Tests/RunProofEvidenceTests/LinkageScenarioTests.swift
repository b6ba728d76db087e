import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples

/// The linkage scenario answered from the platform's own PostgreSQL schema, as its report (linkage-report.txt)
/// states it, and the same answers from the tables RunProof creates in PostgreSQL and SQLite.
@Suite(.serialized) struct LinkageScenarioTests {
    let tenant = LinkageFixture.tenant, run = LinkageFixture.run

    /// The evidence and governance answers of a run, with a fixed computation time.
    func answers(_ store: any TraceStore, tenant: String? = nil, run: String? = nil) throws -> (JSONValue, JSONValue) {
        let queries = EvidenceQueries(store: store)
        return (try queries.evidence(tenant: tenant ?? self.tenant, run: run ?? self.run, computedAt: "t"),
                try queries.governance(tenant: tenant ?? self.tenant, run: run ?? self.run, computedAt: "t"))
    }

    @Test func answersAsThePlatformsReportStatesIt() throws {
        try PlatformDatabases.withPlatform { uri in
            let (e, g) = try answers(try PostgresStore(uri))
            #expect(e["run_id"] == "run-linkage-test-001" && e["next_offset"] == .null)
            // incidents_caused: 2 - inc-test-001: Test incident 1 (HIGH), inc-test-002: Test incident 2 (MEDIUM)
            #expect(items(e["incidents_caused"]) == [
                ["incident_id": "inc-test-001", "severity": "HIGH", "title": "Test incident 1", "created_at": "2026-02-09T14:00:21.000000Z"],
                ["incident_id": "inc-test-002", "severity": "MEDIUM", "title": "Test incident 2", "created_at": "2026-02-09T14:00:20.000000Z"]])
            // policies_evaluated: 3 - policy-003 Test Policy Rule 3 -> PREVENTED, policy-002 ... BLOCKED, policy-001 ... WARNED
            #expect(items(e["policies_evaluated"]).map { [$0["policy_id"]!, $0["policy_name"]!, $0["outcome"]!] } == [
                ["policy-003", "Test Policy Rule 3", "PREVENTED"], ["policy-002", "Test Policy Rule 2", "BLOCKED"],
                ["policy-001", "Test Policy Rule 1", "WARNED"]])
            #expect(items(e["policies_evaluated"]).first?["evaluated_at"] == "2026-02-09T14:00:12.000000Z")
            // limits_hit: 1 - limit-budget-001: Budget Limit (breach=105.5, threshold=100.0)
            #expect(items(e["limits_hit"]) == [
                ["limit_id": "limit-budget-001", "limit_name": "Budget Limit", "breached_value": .number(105.5),
                 "threshold_value": 100, "limit_value_at_breach": 100, "breached_at": "2026-02-09T14:00:15.000000Z"]])
            // decisions_made: 3 - POLICY_EVALUATION -> PREVENTED, BLOCKED, WARNED; ids unique: "dec-" + the record id
            #expect(items(e["decisions_made"]) == [
                ["decision_id": "dec-prev_2c69cc1227d7ed31", "decision_type": "POLICY_EVALUATION", "outcome": "PREVENTED",
                 "decided_at": "2026-02-09T14:00:12.000000Z"],
                ["decision_id": "dec-prev_57eafe71fda2ed5d", "decision_type": "POLICY_EVALUATION", "outcome": "BLOCKED",
                 "decided_at": "2026-02-09T14:00:11.000000Z"],
                ["decision_id": "dec-prev_7428ba0100f0e99d", "decision_type": "POLICY_EVALUATION", "outcome": "WARNED",
                 "decided_at": "2026-02-09T14:00:10.000000Z"]])

            // Governance: total_events 3 (incident_created, policy_rule_created, limit_breach_detected), newest first.
            #expect(g["total_events"] == 3 && g["next_offset"] == .null)
            let events = items(g["events"])
            #expect(events.map { $0["event_type"]!.string! } == ["incident_created", "limit_breach_detected", "policy_rule_created"])
            #expect(events.map { $0["policy_id"]! } == [nil, nil, "policy-001"])
            #expect(events.map { $0["rule_id"]! } == ["inc-test-001", "limit-budget-001", "policy-001"])
            #expect(events.allSatisfy { $0["decision"] == "ENFORCED" && $0["after_state"]?["run_id"] == "run-linkage-test-001" })
            #expect(events.first?["event_id"] == "f426d9dc-5d9d-5292-9209-fd39803fd82d" && events.first?["actor_type"] == "SYSTEM")
            #expect(events.first?["timestamp"] == "2026-02-09T14:00:21.000000Z")
            let m = g["metadata"]!
            #expect(m["tenant_id"] == "tenant-test-001" && m["run_id"] == "run-linkage-test-001" && m["source_domain"] == "LOGS")
            #expect(m["source_component"] == "AuditLedger" && m["origin"] == "SYSTEM" && m["immutable"] == true && m["timezone"] == "UTC")
            // Filled from the run's trace.
            #expect(m["trace_id"] == "trace_run-linkage-test-001" && m["agent_id"] == "linkage-test-agent")
            #expect(m["correlation_id"] == "corr-linkage-test-001" && m["occurred_at"] == "2026-02-09T14:00:05.000000Z")
            #expect(m["policy_ids"] == ["policy-001"] && m["incident_ids"] == ["inc-test-001"] && m["recorded_at"] == "t")
            #expect(m["checksum"]?.string == SHA256.hash(g["events"]!.canonicalBytes).hex)
            #expect(m["human_actor_id"] == .null && m["export_id"] == .null && m["system_id"] == .null)
        }
    }

    /// The tables RunProof creates, in PostgreSQL and SQLite, answer exactly as the platform's own schema does.
    @Test func runProofsTablesAnswerAsThePlatformsOwn() throws {
        try PlatformDatabases.withPlatform { uri in
            let platform = try PostgresStore(uri)
            try LinkageFixture.insertDecoys(into: platform) // through the platform's integrity triggers
            for dialect in [SQLDialect.postgres, .sqlite] {
                let built = try PlatformDatabases.builtByRunProof(dialect)
                for (tenant, run) in [(tenant, run), (LinkageFixture.otherTenant, run), (tenant, LinkageFixture.otherRun)] {
                    let (e, g) = try answers(built, tenant: tenant, run: run)
                    let (pe, pg) = try answers(platform, tenant: tenant, run: run)
                    #expect(e == pe, "\(dialect) evidence \(tenant)/\(run): \(e.canonicalString)\n\(pe.canonicalString)")
                    #expect(g == pg, "\(dialect) governance \(tenant)/\(run): \(g.canonicalString)\n\(pg.canonicalString)")
                }
            }
        }
    }

    /// Rows of another tenant tagged with the same run id, and of another run, are never returned or counted.
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func anotherTenantsRowsWithTheSameRunIdNeverCount(dialect: SQLDialect) throws {
        let store = try PlatformDatabases.builtByRunProof(dialect)
        let (e, g) = try answers(store)
        let counts: [Int] = ["incidents_caused", "policies_evaluated", "limits_hit", "decisions_made"].map { items(e[$0]).count }
        #expect(counts == [2, 3, 1, 3])
        #expect(g["total_events"] == 3 && items(g["events"]).count == 3)
        for key in ["incidents_caused", "policies_evaluated", "limits_hit", "decisions_made", "events"] {
            let text = (key == "events" ? g : e)[key]!.canonicalString
            #expect(!text.contains("other-") && !text.contains("decoy") && !text.contains("Decoy"), "\(key): \(text)")
        }
        // The other tenant sees its own rows only; the first tenant's rule it was evaluated by keeps its name hidden.
        let (oe, og) = try answers(store, tenant: LinkageFixture.otherTenant)
        #expect(items(oe["incidents_caused"]).map { $0["incident_id"]! } == ["other-inc-001"])
        #expect(items(oe["policies_evaluated"]).map { [$0["policy_id"]!, $0["policy_name"]!] } ==
                [["other-policy-001", "Decoy rule of another tenant"], ["policy-002", nil]])
        #expect(items(oe["limits_hit"]).map { $0["limit_id"]! } == ["other-limit-001"])
        #expect(items(oe["decisions_made"]).map { $0["outcome"]! } == ["KILLED", "BLOCKED"])
        #expect(og["total_events"] == 2 && items(og["events"]).map { $0["event_id"]! } == ["other-evt-002", "other-evt-001"])
        #expect(og["metadata"]?["trace_id"] == .null, "the trace is the first tenant's: its metadata stays empty")
        // The same tenant's other run.
        let (re, rg) = try answers(store, run: LinkageFixture.otherRun)
        #expect(items(re["incidents_caused"]).map { $0["incident_id"]! } == ["decoy-inc-001"])
        #expect(rg["total_events"] == 1)
        // Nobody else sees anything; hostile strings are data.
        for (tenant, run) in [("tenant-nobody", run), ("x' OR '1'='1", "r'); DROP TABLE incidents; --")] {
            let (ne, ng) = try answers(store, tenant: tenant, run: run)
            for key in ["incidents_caused", "policies_evaluated", "limits_hit", "decisions_made"] { #expect(items(ne[key]).isEmpty) }
            #expect(ng["total_events"] == 0 && items(ng["events"]).isEmpty)
        }
        #expect(items(try answers(store).0["incidents_caused"]).count == 2)
    }

    /// A global rule's name shows to every tenant; another tenant's TENANT rule's name to none.
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func globalRulesNameEveryTenant(dialect: SQLDialect) throws {
        let store = try PlatformDatabases.builtByRunProof(dialect)
        try LinkageFixture.insertRule(store, id: "policy-global", tenant: LinkageFixture.otherTenant, name: "Global rule", mode: "BLOCK",
                                      scope: "GLOBAL", at: LinkageFixture.at("50.000000"), integrityId: "global-integrity", hashRoot: "g")
        try LinkageFixture.insertEvaluation(store, id: "prev-global", policy: "policy-global", pattern: "p", original: run, blocked: run,
                                            run: run, tenant: tenant, outcome: "STOPPED", at: LinkageFixture.at("51.000000"))
        let e = try EvidenceQueries(store: store).evidence(tenant: tenant, run: run, computedAt: "t")
        #expect(items(e["policies_evaluated"]).first?["policy_name"] == "Global rule")
        #expect(items(e["decisions_made"]).first?["decision_id"] == "dec-prev-global")
    }
}
