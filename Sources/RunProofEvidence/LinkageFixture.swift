import RunProofStore

/// The platform's published linkage check: run `run-linkage-test-001` of tenant `tenant-test-001` with
/// 2 incidents, 3 policy evaluations, 1 limit breach, 3 decisions and 3 governance events.
/// Also writes decoys — the same ids under another tenant and another run — that must never show.
public enum LinkageFixture {
    public static let tenant = "tenant-test-001"
    public static let run = "run-linkage-test-001"

    public static func insert(into store: any TraceStore) throws {
        for (tenant, run, prefix) in [(tenant, run, ""), ("tenant-other-002", run, "other-"), (tenant, "run-other-002", "decoy-")] {
            try insert(store, tenant: tenant, run: run, prefix: prefix)
        }
    }

    private static func insert(_ store: any TraceStore, tenant: String, run: String, prefix: String) throws {
        func at(_ minute: Int) -> String { "2026-01-15T10:\(minute < 10 ? "0" : "")\(minute):00.000000Z" }
        let decoy = prefix.isEmpty ? "" : " (\(prefix)decoy)"
        for (id, severity, title, m) in [("inc-test-001", "HIGH", "Agent exceeded budget", 1), ("inc-test-002", "MEDIUM", "Blocked tool call", 2)] {
            try store.execute("INSERT INTO incidents (incident_id, tenant_id, source_run_id, severity, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                              [prefix + id, tenant, run, severity, title + decoy, at(m)])
        }
        for (id, name) in [("policy-001", "PII output filter"), ("policy-002", "Dangerous tool block"), ("policy-003", "Spend guard")] {
            try store.execute("INSERT INTO policy_rules (policy_id, tenant_id, name) VALUES ($1, $2, $3)", [prefix + id, tenant, name + decoy])
        }
        for (n, (id, outcome)) in [("policy-003", "PREVENTED"), ("policy-002", "BLOCKED"), ("policy-001", "WARNED")].enumerated() {
            try store.execute("INSERT INTO prevention_records (record_id, tenant_id, run_id, policy_id, outcome, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6)",
                              ["\(prefix)prev-\(n)", tenant, run, prefix + id, outcome, at(10 + n)])
        }
        try store.execute("INSERT INTO limits (limit_id, tenant_id, name) VALUES ($1, $2, $3)", [prefix + "limit-budget-001", tenant, "Budget Limit" + decoy])
        try store.execute("""
            INSERT INTO limit_breaches (breach_id, tenant_id, run_id, limit_id, breached_value, threshold_value, breached_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [prefix + "breach-001", tenant, run, prefix + "limit-budget-001", "105.5", "100.0", at(20)])
        for (n, (type, outcome)) in [("tool_selection", "search"), ("policy_override", "denied"), ("escalation", "human_review")].enumerated() {
            try store.execute("INSERT INTO decisions (decision_id, tenant_id, run_id, decision_type, outcome, decided_at) VALUES ($1, $2, $3, $4, $5, $6)",
                              ["\(prefix)dec-00\(n + 1)", tenant, run, type, outcome, at(30 + n)])
        }
        let events: [(String, String, String, String?, String?)] = [
                      ("incident_created", "incident", "inc-test-001", nil, #"{"run_id": "\#(run)", "severity": "HIGH"}"#),
                      ("policy_rule_created", "policy_rule", "policy-003", #"{"run_id": "\#(run)"}"#, nil),
                      ("limit_breach_detected", "limit", "limit-budget-001", nil, #"{"run_id": "\#(run)", "breached_value": 105.5, "threshold_value": 100.0}"#)]
        for (n, (type, entity, id, before, after)) in events.enumerated() {
            try store.execute("""
                INSERT INTO audit_ledger (event_id, tenant_id, event_type, entity_type, entity_id, actor, before_state, after_state, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, ["\(prefix)evt-00\(n + 1)", tenant, type, entity, prefix + id, "system", before, after, at(40 + n)])
        }
    }
}
