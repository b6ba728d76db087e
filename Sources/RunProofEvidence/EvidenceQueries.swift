import RunProofCore
import RunProofStore

/// The cross-domain questions an auditor asks of one tenant's run; every query is filtered by tenant.
public struct EvidenceQueries {
    public let store: any TraceStore

    public init(store: any TraceStore) { self.store = store }

    /// `json_extract`/`->>` and timestamp text, per dialect.
    private func runIdOf(_ column: String) -> String {
        store.dialect == .postgres ? "(\(column) ->> 'run_id')" : "json_extract(\(column), '$.run_id')"
    }

    private func ts(_ column: String) -> String { store.dialect == .postgres ? "\(column)::text" : column }

    /// Normalised timestamp, or the stored text if it cannot be read as one.
    private func time(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return .string((try? Timestamp.normalize(text)) ?? text)
    }

    /// A finite number, or null (NaN and infinities have no JSON form).
    private func number(_ text: String?) -> JSONValue { text.flatMap(Double.init).flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }

    /// The original RunEvidenceResult: incidents caused, policies evaluated, limits hit, decisions made.
    public func evidence(tenant: String, run: String, computedAt: String = Timestamp.now()) throws -> JSONValue {
        let incidents = try store.query("""
            SELECT incident_id, severity, title, \(ts("created_at")) FROM incidents
            WHERE tenant_id = $1 AND source_run_id = $2 ORDER BY created_at, incident_id
            """, [tenant, run]).map { r -> JSONValue in
            ["incident_id": JSONValue(r[0]), "severity": JSONValue(r[1]), "title": JSONValue(r[2]), "created_at": time(r[3])]
        }
        // Joined rows must belong to the same tenant: a rule name of another tenant never shows.
        let policies = try store.query("""
            SELECT p.policy_id, r.name, p.outcome, \(ts("p.evaluated_at")) FROM prevention_records p
            LEFT JOIN policy_rules r ON r.policy_id = p.policy_id AND r.tenant_id = p.tenant_id
            WHERE p.tenant_id = $1 AND p.run_id = $2 ORDER BY p.evaluated_at, p.record_id
            """, [tenant, run]).map { r -> JSONValue in
            ["policy_id": JSONValue(r[0]), "policy_name": JSONValue(r[1]), "outcome": JSONValue(r[2]), "evaluated_at": time(r[3])]
        }
        let limits = try store.query("""
            SELECT b.limit_id, l.name, b.breached_value, b.threshold_value, \(ts("b.breached_at")) FROM limit_breaches b
            LEFT JOIN limits l ON l.limit_id = b.limit_id AND l.tenant_id = b.tenant_id
            WHERE b.tenant_id = $1 AND b.run_id = $2 ORDER BY b.breached_at, b.breach_id
            """, [tenant, run]).map { r -> JSONValue in
            ["limit_id": JSONValue(r[0]), "limit_name": JSONValue(r[1]), "breached_value": number(r[2]),
             "threshold_value": number(r[3]), "breached_at": time(r[4])]
        }
        let decisions = try store.query("""
            SELECT decision_id, decision_type, outcome, \(ts("decided_at")) FROM decisions
            WHERE tenant_id = $1 AND run_id = $2 ORDER BY decided_at, decision_id
            """, [tenant, run]).map { r -> JSONValue in
            ["decision_id": JSONValue(r[0]), "decision_type": JSONValue(r[1]), "outcome": JSONValue(r[2]), "decided_at": time(r[3])]
        }
        return ["run_id": .string(run), "incidents_caused": .array(incidents), "policies_evaluated": .array(policies),
                "limits_hit": .array(limits), "decisions_made": .array(decisions), "computed_at": .string(computedAt)]
    }

    /// The SQL of the governance query (also used by the EXPLAIN check).
    public var governanceSQL: String {
        """
        SELECT id, event_id, event_type, entity_type, entity_id, actor, \(ts("created_at")),
               \(store.dialect == .postgres ? "before_state::text, after_state::text" : "before_state, after_state")
        FROM audit_ledger
        WHERE tenant_id = $1 AND (\(runIdOf("after_state")) = $2 OR \(runIdOf("before_state")) = $2)
        ORDER BY created_at, id LIMIT $3 OFFSET $4
        """
    }

    /// The run-scoped audit-ledger events of a tenant, oldest first, one page at a time.
    public func governance(tenant: String, run: String, limit: Int = 100, offset: Int = 0) throws -> JSONValue {
        guard limit > 0, limit <= 10_000, offset >= 0 else {
            throw RunProofError(.usage, "page limit must be 1...10000 and offset not negative")
        }
        let rows = try store.query(governanceSQL, [tenant, run, String(limit + 1), String(offset)])
        let events = rows.prefix(limit).map { r -> JSONValue in
            ["event_id": JSONValue(r[1]), "event_type": JSONValue(r[2]), "entity_type": JSONValue(r[3]),
             "entity_id": JSONValue(r[4]), "actor": JSONValue(r[5]), "created_at": time(r[6]),
             "before_state": r[7].flatMap { try? JSONValue(parsing: $0) } ?? .null,
             "after_state": r[8].flatMap { try? JSONValue(parsing: $0) } ?? .null]
        }
        return ["run_id": .string(run), "events": .array(Array(events)),
                "next_offset": rows.count > limit ? JSONValue(offset + limit) : .null,
                "metadata": ["tenant_id": .string(tenant), "run_id": .string(run), "source_domain": "LOGS",
                             "source_component": "AuditLedger", "immutable": true]]
    }

    /// Creates the governance tables where missing.
    public func createSchema() throws {
        for statement in EvidenceSchema.ddl(store.dialect).split(separator: ";\n") where !statement.allSatisfy(\.isWhitespace) {
            try store.execute(String(statement), [])
        }
    }
}
