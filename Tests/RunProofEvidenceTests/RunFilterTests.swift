import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples

/// The run filters beyond the report's scenario, on the platform's own PostgreSQL schema and on SQLite: every way the
/// platform's writers tag a row with a run, lower-case outcomes, a busy tenant, paging.
@Suite(.serialized) struct RunFilterTests {
    let tenant = LinkageFixture.tenant, run = LinkageFixture.run

    /// Runs `body` on the platform's schema loaded by psql (with the decoys) and on RunProof's SQLite tables.
    func onBothDialects(_ body: (any TraceStore) throws -> Void) throws {
        try PlatformDatabases.withPlatform { uri in
            let store = try PostgresStore(uri)
            try LinkageFixture.insertDecoys(into: store)
            try body(store)
        }
        try body(try PlatformDatabases.builtByRunProof(.sqlite))
    }

    @Test func eventsTaggedOnlyWithSourceRunIdAndEntityTypes() throws {
        try onBothDialects { store in
            let at = LinkageFixture.at
            try LinkageFixture.insertEvent(store, id: "evt-source-after", tenant: tenant, type: "incident_resolved", entity: "INCIDENT",
                                           entityId: "inc-test-002", reason: nil, before: nil,
                                           after: #"{"source_run_id": "\#(run)", "status": "RESOLVED"}"#, at: at("45.000000"))
            try LinkageFixture.insertEvent(store, id: "evt-source-before", tenant: tenant, type: "PolicyProposalRejected",
                                           entity: "POLICY_PROPOSAL", entityId: "proposal-1", reason: nil,
                                           before: #"{"source_run_id": "\#(run)"}"#, after: #"{"status": "REJECTED"}"#, at: at("46.000000"))
            try LinkageFixture.insertEvent(store, id: "evt-run-entity", tenant: tenant, type: "run_completed", entity: "RUN",
                                           entityId: run, reason: nil, before: nil, after: #"{"run_id": "\#(run)"}"#, at: at("47.000000"))
            // JSON that is not an object, or holds the id under another key, is not the run's.
            try LinkageFixture.insertEvent(store, id: "evt-unrelated", tenant: tenant, type: "limit_updated", entity: "LIMIT",
                                           entityId: "limit-budget-001", reason: nil, before: #"["\#(run)"]"#,
                                           after: #"{"note": "\#(run)"}"#, at: at("48.000000"))
            let queries = EvidenceQueries(store: store)
            let g = try queries.governance(tenant: tenant, run: run, computedAt: "t")
            #expect(items(g["events"]).map { $0["event_id"]!.string! } ==
                    ["evt-source-before", "evt-source-after", "f426d9dc-5d9d-5292-9209-fd39803fd82d",
                     "8bcc2d2b-6fa9-544f-9437-4da3e596646f", "6654c19f-c304-589f-a331-abed10fc6ca9"], "\(store.kind)")
            #expect(g["total_events"] == 5)
            #expect(g["metadata"]?["incident_ids"] == ["inc-test-001", "inc-test-002"])
            let all = try queries.governance(tenant: tenant, run: run, allEntityTypes: true, computedAt: "t")
            #expect(all["total_events"] == 6 && items(all["events"]).first?["entity_type"] == "RUN")
        }
    }

    @Test func evaluationsMatchedOnlyByAnIncidentColumnAndLowerCaseOutcomes() throws {
        try onBothDialects { store in
            let at = LinkageFixture.at
            // The platform's writers put the run id in blocked_incident_id (PREVENTED) or original_incident_id, run_id unset.
            try LinkageFixture.insertEvaluation(store, id: "prev-blocked-only", policy: "policy-002", pattern: "UNKNOWN",
                                                original: "inc-elsewhere", blocked: run, run: nil, tenant: tenant,
                                                outcome: "blocked", at: at("50.000000"))
            try LinkageFixture.insertEvaluation(store, id: "prev-original-only", policy: "policy-001", pattern: "enforcement:warned",
                                                original: run, blocked: "inc-elsewhere", run: nil, tenant: tenant,
                                                outcome: "warned", at: at("51.000000"))
            try LinkageFixture.insertEvaluation(store, id: "prev-allowed", policy: "policy-001", pattern: "enforcement:allowed",
                                                original: run, blocked: run, run: run, tenant: tenant, outcome: "allowed",
                                                at: at("52.000000"))
            let e = try EvidenceQueries(store: store).evidence(tenant: tenant, run: run, computedAt: "t")
            #expect(items(e["policies_evaluated"]).map { [$0["policy_id"]!, $0["outcome"]!] } == [
                ["policy-001", "allowed"], ["policy-001", "warned"], ["policy-002", "blocked"],
                ["policy-003", "PREVENTED"], ["policy-002", "BLOCKED"], ["policy-001", "WARNED"]], "\(store.kind)")
            // Decisions: upper-cased; an outcome that is no decision (allowed) makes none.
            #expect(items(e["decisions_made"]).map { [$0["decision_id"]!, $0["outcome"]!] } == [
                ["dec-prev-original-only", "WARNED"], ["dec-prev-blocked-only", "BLOCKED"],
                ["dec-prev_2c69cc1227d7ed31", "PREVENTED"], ["dec-prev_57eafe71fda2ed5d", "BLOCKED"],
                ["dec-prev_7428ba0100f0e99d", "WARNED"]])
            let ids = items(e["decisions_made"]).compactMap { $0["decision_id"]?.string }
            #expect(Set(ids).count == ids.count, "decision ids are unique (the platform's dec-<policy_id[:8]> are not)")
        }
    }

    @Test func aRunOlderThanTheTenantsNewestEventsKeepsThem() throws {
        try onBothDialects { store in
            // 200 newer events of the tenant for other runs: the platform's reader cuts to the 100 newest and loses the run.
            try store.execute("BEGIN", [])
            for i in 0 ..< 200 {
                try LinkageFixture.insertEvent(store, id: "busy-\(i)", tenant: tenant, type: "policy_rule_updated", entity: "POLICY_RULE",
                                               entityId: "policy-001", reason: nil, before: nil,
                                               after: #"{"run_id": "run-busy-\#(i)"}"#, at: "2026-03-01T00:00:\(10 + i / 10).\(i % 10)00000Z")
            }
            try store.execute("COMMIT", [])
            let g = try EvidenceQueries(store: store).governance(tenant: tenant, run: run, computedAt: "t")
            #expect(g["total_events"] == 3 && items(g["events"]).count == 3, "\(store.kind)")
            let busy = try EvidenceQueries(store: store).governance(tenant: tenant, run: "run-busy-7", computedAt: "t")
            #expect(busy["total_events"] == 1)
        }
    }

    @Test func pagesAndTotalEvents() throws {
        try onBothDialects { store in
            let queries = EvidenceQueries(store: store)
            let first = try queries.governance(tenant: tenant, run: run, limit: 2, computedAt: "t")
            let second = try queries.governance(tenant: tenant, run: run, limit: 2, offset: 2, computedAt: "t")
            #expect(items(first["events"]).count == 2 && first["next_offset"] == 2 && first["total_events"] == 3, "\(store.kind)")
            #expect(items(second["events"]).map { $0["event_type"]! } == ["policy_rule_created"])
            #expect(second["next_offset"] == .null && second["total_events"] == 3)
            #expect(second["metadata"]?["checksum"]?.string == SHA256.hash(second["events"]!.canonicalBytes).hex)
            let beyond = try queries.governance(tenant: tenant, run: run, limit: 2, offset: 10, computedAt: "t")
            #expect(items(beyond["events"]).isEmpty && beyond["total_events"] == 3)
            let whole = try queries.allGovernance(tenant: tenant, run: run, computedAt: "t")
            #expect(items(whole["events"]) == items(first["events"]) + items(second["events"]))
            #expect(whole == (try queries.governance(tenant: tenant, run: run, computedAt: "t")))

            let page1 = try queries.evidence(tenant: tenant, run: run, limit: 2, computedAt: "t")
            let page2 = try queries.evidence(tenant: tenant, run: run, limit: 2, offset: 2, computedAt: "t")
            #expect(page1["next_offset"] == 2 && page2["next_offset"] == .null)
            #expect(items(page1["incidents_caused"]).count == 2 && items(page2["incidents_caused"]).isEmpty)
            #expect((items(page1["policies_evaluated"]) + items(page2["policies_evaluated"])).map { $0["policy_id"]! } ==
                    ["policy-003", "policy-002", "policy-001"])
            for (limit, offset) in [(0, 0), (10_001, 0), (1, -1)] {
                #expect(throws: RunProofError.self) { try queries.governance(tenant: tenant, run: run, limit: limit, offset: offset) }
                #expect(throws: RunProofError.self) { try queries.evidence(tenant: tenant, run: run, limit: limit, offset: offset) }
            }
        }
    }

    /// Equal timestamps are ordered by id, newest first: the same order on every call and in both dialects.
    @Test func tiesBreakByIdDescending() throws {
        try onBothDialects { store in
            for id in ["inc-tie-b", "inc-tie-a", "inc-tie-c"] {
                try LinkageFixture.insertIncident(store, id: id, tenant: tenant, run: run, title: "tie", severity: "LOW",
                                                  at: LinkageFixture.at("59.000000"))
            }
            let e = try EvidenceQueries(store: store).evidence(tenant: tenant, run: run, limit: 3, computedAt: "t")
            #expect(items(e["incidents_caused"]).map { $0["incident_id"]! } == ["inc-tie-c", "inc-tie-b", "inc-tie-a"])
        }
    }
}
