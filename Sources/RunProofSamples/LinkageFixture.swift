import RunProofCore
import RunProofStore

/// The platform's linkage scenario (`platform-linkage-fixture.sql`, reported in `linkage-report.txt`) in its own
/// tables, for PostgreSQL and SQLite: run `run-linkage-test-001` of tenant `tenant-test-001` with 2 incidents,
/// 3 policy evaluations, 1 limit breach and 3 governance events, and its 5-step trace.
///
/// Also writes decoys that must never show in that run's answers: rows of another tenant tagged with the same
/// run id, and rows of the same tenant for another run.
package enum LinkageFixture {
    package static let tenant = "tenant-test-001"
    package static let run = "run-linkage-test-001"
    static let trace = "trace_run-linkage-test-001"
    package static let otherTenant = "tenant-other-002"
    package static let otherRun = "run-other-002"

    /// The scenario and its decoys, in the platform's tables (`runproof init --governance` creates them).
    package static func insert(into store: any TraceStore) throws {
        try insertScenario(into: store)
        try insertDecoys(into: store)
    }

    /// A row: column names and their values as text (SQL NULL as nil).
    typealias Row = KeyValuePairs<String, String?>

    /// `2026-02-09T14:00:<seconds>Z` in the chain's timestamp format.
    package static func at(_ seconds: String) -> String { "2026-02-09T14:00:\(seconds)Z" }

    /// Exactly the rows of platform-linkage-fixture.sql, without its trace.
    static func insertScenario(into store: any TraceStore) throws {
        try insert(store, "tenants", ["id": tenant, "name": "Test Tenant 001", "slug": tenant])
        try insert(store, "runs", ["id": run, "agent_id": "linkage-test-agent", "goal": "Domain linkage plan v2 test run",
                                   "status": "failed", "attempts": "1", "max_attempts": "3", "priority": "0"])
        for (n, mode, integrityId, hashRoot) in [
            ("1", "WARN", "e9a255a6-83c4-5553-acd2-b39c461a2b94", "b64dc1acae7c9455fb9211c55b20fbd7"),
            ("2", "BLOCK", "509ccf5e-4b20-5859-be73-ae3b1ba0d593", "8f2dc6c47054a09c08f6eec1c36d56be"),
            ("3", "BLOCK", "6fd7696b-d678-5a40-ace3-309d4e011909", "7076c43e99d640c80210a91066d36b49"),
        ] {
            try insertRule(store, id: "policy-00\(n)", tenant: tenant, name: "Test Policy Rule \(n)", mode: mode, scope: "TENANT",
                           at: at("0\(n).000000"), integrityId: integrityId, hashRoot: hashRoot)
        }
        try insertLimit(store, id: "limit-budget-001", tenant: tenant, name: "Budget Limit", max: "100.0", at: at("04.000000"),
                        integrityId: "0c86448d-530c-5fea-90c8-0332f7b5d622")
        for (id, policy, pattern, original, outcome, seconds) in [
            ("prev_7428ba0100f0e99d", "policy-001", "enforcement:warned", run, "WARNED", "10"),
            ("prev_57eafe71fda2ed5d", "policy-002", "enforcement:blocked", run, "BLOCKED", "11"),
            ("prev_2c69cc1227d7ed31", "policy-003", "UNKNOWN", "policy-003", "PREVENTED", "12"),
        ] {
            try insertEvaluation(store, id: id, policy: policy, pattern: pattern, original: original, blocked: run, run: run,
                                 tenant: tenant, outcome: outcome, at: at("\(seconds).000000"))
        }
        try insertBreach(store, id: "a339d37e-9805-5f4f-bddf-96c9fc0b02ae", tenant: tenant, limit: "limit-budget-001", run: run,
                         value: "105.5", limitValue: "100.0", at: at("15.000000"))
        for (id, title, severity, seconds) in [("inc-test-002", "Test incident 2", "MEDIUM", "20"), ("inc-test-001", "Test incident 1", "HIGH", "21")] {
            try insertIncident(store, id: id, tenant: tenant, run: run, title: title, severity: severity, at: at("\(seconds).000000"))
        }
        let events: [(String, String, String, String, String, String)] = [
            ("6654c19f-c304-589f-a331-abed10fc6ca9", "policy_rule_created", "POLICY_RULE", "policy-001", "Rule created: Test Policy Rule 1",
             #"{"name": "Test Policy Rule 1", "enforcement_mode": "WARN", "scope": "TENANT", "conditions": null, "source": "MANUAL", "run_id": "run-linkage-test-001"}"#),
            ("8bcc2d2b-6fa9-544f-9437-4da3e596646f", "limit_breach_detected", "LIMIT", "limit-budget-001", "Limit breached: Budget Limit",
             #"{"breach_type": "BREACHED", "value_at_breach": "105.5", "limit_value": "100.0", "run_id": "run-linkage-test-001"}"#),
            ("f426d9dc-5d9d-5292-9209-fd39803fd82d", "incident_created", "INCIDENT", "inc-test-001", "Incident created for run run-linkage-test-001",
             #"{"title": "Test incident 1", "severity": "HIGH", "status": "OPEN", "category": "EXECUTION_FAILURE", "run_id": "run-linkage-test-001"}"#),
        ]
        for ((id, type, entity, entityId, reason, after), seconds) in zip(events, ["01", "15", "21"]) {
            try insertEvent(store, id: id, tenant: tenant, type: type, entity: entity, entityId: entityId, reason: reason,
                            before: nil, after: after, at: at("\(seconds).000000"))
        }
    }

    /// Rows of another tenant tagged with the run's id, and of the same tenant for another run.
    package static func insertDecoys(into store: any TraceStore) throws {
        try insert(store, "tenants", ["id": otherTenant, "name": "Other Tenant 002", "slug": otherTenant])
        try insert(store, "runs", ["id": otherRun, "agent_id": "linkage-test-agent", "goal": "Another run of the tenant",
                                   "status": "completed", "attempts": "1", "max_attempts": "3", "priority": "0"])
        // Another tenant, the same run id.
        try insertRule(store, id: "other-policy-001", tenant: otherTenant, name: "Decoy rule of another tenant", mode: "BLOCK",
                       scope: "TENANT", at: at("30.000000"), integrityId: "other-integrity-001", hashRoot: "decoy")
        try insertLimit(store, id: "other-limit-001", tenant: otherTenant, name: "Decoy limit of another tenant", max: "1.0",
                        at: at("30.000000"), integrityId: "other-limit-integrity-001")
        try insertIncident(store, id: "other-inc-001", tenant: otherTenant, run: run, title: "Decoy incident of another tenant",
                           severity: "CRITICAL", at: at("31.000000"))
        // Evaluated by the first tenant's rule: that rule's name must not show to this tenant.
        try insertEvaluation(store, id: "other-prev-001", policy: "policy-002", pattern: "enforcement:blocked", original: run,
                             blocked: run, run: run, tenant: otherTenant, outcome: "BLOCKED", at: at("32.000000"))
        try insertEvaluation(store, id: "other-prev-002", policy: "other-policy-001", pattern: "enforcement:killed", original: run,
                             blocked: run, run: run, tenant: otherTenant, outcome: "KILLED", at: at("33.000000"))
        try insertBreach(store, id: "other-breach-001", tenant: otherTenant, limit: "other-limit-001", run: run, value: "999.0",
                         limitValue: "1.0", at: at("34.000000"))
        try insertEvent(store, id: "other-evt-001", tenant: otherTenant, type: "incident_created", entity: "INCIDENT",
                        entityId: "other-inc-001", reason: "decoy", before: nil, after: #"{"run_id": "\#(run)"}"#, at: at("35.000000"))
        try insertEvent(store, id: "other-evt-002", tenant: otherTenant, type: "policy_rule_updated", entity: "POLICY_RULE",
                        entityId: "other-policy-001", reason: "decoy", before: #"{"source_run_id": "\#(run)"}"#, after: nil,
                        at: at("36.000000"))
        // The same tenant, another run.
        try insertIncident(store, id: "decoy-inc-001", tenant: tenant, run: otherRun, title: "Incident of another run",
                           severity: "LOW", at: at("40.000000"))
        try insertEvaluation(store, id: "decoy-prev-001", policy: "policy-001", pattern: "enforcement:blocked", original: otherRun,
                             blocked: otherRun, run: otherRun, tenant: tenant, outcome: "BLOCKED", at: at("41.000000"))
        try insertBreach(store, id: "decoy-breach-001", tenant: tenant, limit: "limit-budget-001", run: otherRun, value: "150.0",
                         limitValue: "100.0", at: at("42.000000"))
        try insertEvent(store, id: "decoy-evt-001", tenant: tenant, type: "limit_breach_detected", entity: "LIMIT",
                        entityId: "limit-budget-001", reason: "decoy", before: nil, after: #"{"run_id": "\#(otherRun)"}"#,
                        at: at("43.000000"))
    }

    /// The run's 5-step trace (platform-linkage-fixture.sql) in RunProof's trace tables (`runproof init` creates them).
    package static func insertTrace(into store: any TraceStore) throws {
        try insert(store, "aos_traces", [
            "trace_id": trace, "run_id": run, "tenant_id": tenant, "correlation_id": "corr-linkage-test-001",
            "agent_id": "linkage-test-agent",
            "plan": #"[{"skill": "llm_invoke"}, {"skill": "http_call"}, {"skill": "policy_check"}, {"skill": "llm_invoke"}, {"skill": "budget_check"}]"#,
            "status": "failed", "started_at": at("05.000000"), "completed_at": at("22.000000"),
        ])
        let steps: [(String, String, String, String, String, String?, String, String, String, String, String, String)] = [
            ("skill-llm", "llm_invoke", #"{"model": "gpt-4o", "prompt_tokens": 812}"#, "success", "SUCCESS", nil,
             #"{"completion_tokens": 240}"#, "42.5", "1830.25", "0", "06.125000", "INFO"),
            ("skill-http", "http_call", #"{"url": "https://api.example.com/v1/orders", "method": "GET"}"#, "success", "SUCCESS", nil,
             #"{"status": 200}"#, "0", "212.0", "0", "08.500000", "INFO"),
            ("skill-policy", "policy_check", #"{"rule": "policy-002"}"#, "failure", "POLICY_BLOCKED", "BLOCKED",
             #"{"policy_id": "policy-002"}"#, "0", "3.5", "0", "11.000000", "ERROR"),
            ("skill-llm", "llm_invoke", #"{"model": "gpt-4o", "prompt_tokens": 1290}"#, "success", "SUCCESS", nil,
             #"{"completion_tokens": 511}"#, "61.25", "2410.75", "1", "14.000000", "WARN"),
            ("skill-budget", "budget_check", #"{"limit_id": "limit-budget-001"}"#, "failure", "LIMIT_EXCEEDED", "BUDGET",
             #"{"value": 105.5, "limit": 100.0}"#, "0", "1.25", "0", "15.000000", "ERROR"),
        ]
        for (index, s) in steps.enumerated() {
            try insert(store, "aos_trace_steps", [
                "trace_id": trace, "step_index": String(index), "skill_id": s.0, "skill_name": s.1, "params": s.2, "status": s.3,
                "outcome_category": s.4, "outcome_code": s.5, "outcome_data": s.6, "cost_cents": s.7, "duration_ms": s.8,
                "retry_count": s.9, "replay_behavior": "execute", "\"timestamp\"": at(s.10), "source": "engine", "level": s.11,
            ])
        }
    }

    // MARK: Writers, shaped as the platform's writers fill the rows

    /// Inserts one row, every value a parameter.
    static func insert(_ store: any TraceStore, _ table: String, _ row: KeyValuePairs<String, String?>) throws {
        try store.execute(insertSQL(table, row, from: 1), row.map(\.value))
    }

    private static func insertSQL(_ table: String, _ row: Row, from first: Int) -> String {
        let placeholders = (first ..< first + row.count).map { "$\($0)" }.joined(separator: ", ")
        return "INSERT INTO \(table) (\(row.map(\.key).joined(separator: ", "))) VALUES (\(placeholders))"
    }

    /// An ACTIVE row and its integrity row, written as the platform's integrity triggers require: in one statement
    /// on PostgreSQL, the integrity row first in one transaction on SQLite (its foreign key is deferred there).
    private static func insertWithIntegrity(_ store: any TraceStore, _ table: String, _ row: Row, _ integrityTable: String,
                                            _ integrity: Row) throws {
        if store.dialect == .postgres {
            try store.execute("WITH parent AS (\(insertSQL(table, row, from: 1)) RETURNING 1) \(insertSQL(integrityTable, integrity, from: row.count + 1))",
                              row.map(\.value) + integrity.map(\.value))
            return
        }
        try store.execute("BEGIN IMMEDIATE", [])
        do {
            try insert(store, integrityTable, integrity)
            try insert(store, table, row)
            try store.execute("COMMIT", [])
        } catch {
            try? store.execute("ROLLBACK", [])
            throw error
        }
    }

    /// An ACTIVE policy rule with its integrity row.
    package static func insertRule(_ store: any TraceStore, id: String, tenant: String, name: String, mode: String, scope: String,
                           at time: String, integrityId: String, hashRoot: String) throws {
        try insertWithIntegrity(store, "policy_rules", [
            "id": id, "tenant_id": tenant, "name": name, "enforcement_mode": mode, "scope": scope, "status": "ACTIVE",
            "source": "MANUAL", "created_at": time, "updated_at": time,
        ], "policy_rule_integrity", [
            "id": integrityId, "rule_id": id, "integrity_status": "VERIFIED", "integrity_score": "1.000", "hash_root": hashRoot,
            "computed_at": time,
        ])
    }

    /// An ACTIVE budget limit with its integrity row.
    static func insertLimit(_ store: any TraceStore, id: String, tenant: String, name: String, max: String, at time: String,
                            integrityId: String) throws {
        try insertWithIntegrity(store, "limits", [
            "id": id, "tenant_id": tenant, "name": name, "limit_category": "BUDGET", "limit_type": "COST_USD", "scope": "TENANT",
            "max_value": max, "enforcement": "BLOCK", "reset_period": "MONTHLY", "status": "ACTIVE", "created_at": time,
            "updated_at": time,
        ], "limit_integrity", [
            "id": integrityId, "limit_id": id, "integrity_status": "VERIFIED", "integrity_score": "1.0000", "computed_at": time,
        ])
    }

    /// A policy evaluation (prevention record).
    package static func insertEvaluation(_ store: any TraceStore, id: String, policy: String, pattern: String, original: String,
                                        blocked: String, run: String?, tenant: String, outcome: String, at time: String) throws {
        try insert(store, "prevention_records", [
            "id": id, "policy_id": policy, "pattern_id": pattern, "original_incident_id": original, "blocked_incident_id": blocked,
            "run_id": run, "tenant_id": tenant, "outcome": outcome, "signature_match_confidence": "1.0", "created_at": time,
            "is_synthetic": "0",
        ])
    }

    /// A limit breach, as record_limit_breach() writes it.
    static func insertBreach(_ store: any TraceStore, id: String, tenant: String, limit: String, run: String, value: String?,
                             limitValue: String, at time: String) throws {
        try insert(store, "limit_breaches", [
            "id": id, "tenant_id": tenant, "limit_id": limit, "run_id": run, "breach_type": "BREACHED",
            "value_at_breach": value, "limit_value": limitValue, "breached_at": time,
        ])
    }

    /// An incident of a failed run, as IncidentWriteDriver writes it.
    package static func insertIncident(_ store: any TraceStore, id: String, tenant: String, run: String, title: String, severity: String,
                               at time: String) throws {
        try insert(store, "incidents", [
            "id": id, "tenant_id": tenant, "title": title, "severity": severity, "status": "OPEN", "trigger_type": "run_failure",
            "started_at": time, "created_at": time, "updated_at": time, "source_run_id": run, "source_type": "run",
            "category": "EXECUTION_FAILURE", "description": "Run \(run) failed with error: UNKNOWN", "impact_scope": "single_run",
            "affected_agent_id": "linkage-test-agent", "affected_count": "1", "is_synthetic": "0", "lifecycle_state": "ACTIVE",
            "cause_type": "LLM_RUN",
        ])
    }

    /// An audit-ledger event, as the platform's AuditLedgerService writes it (actor SYSTEM).
    package static func insertEvent(_ store: any TraceStore, id: String, tenant: String, type: String, entity: String,
                                   entityId: String, reason: String?, before: String?, after: String?, at time: String) throws {
        try insert(store, "audit_ledger", [
            "id": id, "tenant_id": tenant, "event_type": type, "entity_type": entity, "entity_id": entityId, "actor_type": "SYSTEM",
            "action_reason": reason, "before_state": before, "after_state": after, "created_at": time,
        ])
    }
}
