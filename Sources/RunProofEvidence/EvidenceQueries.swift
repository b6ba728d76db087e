import RunProofCore
import RunProofStore

/// The cross-domain questions an auditor asks of one tenant's run, answered from the agent platform's own tables.
///
/// Every query takes the tenant and the run as parameters and filters by tenant, joins included: another tenant's
/// rows are never returned or counted. Lists are newest first with the row id as tie-break, and paged.
/// A database error is thrown (never turned into empty lists); a missing table or column is named with the
/// command that creates it. docs/evidence.md compares the answers with the platform's own.
public struct EvidenceQueries {
    let store: any SQLConnection

    public init(store: any SQLConnection) { self.store = store }

    /// The page size when none is given, as the platform's readers use.
    public static let defaultLimit = 100

    /// Outcomes of a policy evaluation that the platform counts as a decision (compared upper-cased).
    static let decisionOutcomes = ["BLOCKED", "WARNED", "STOPPED", "KILLED", "PREVENTED"]

    // MARK: SQL

    /// A timestamp column as text (PostgreSQL renders it in UTC: the connection's TimeZone is UTC). Selected under
    /// another name, so that ORDER BY the column sorts by time, not by this text.
    func ts(_ column: String) -> String { store.dialect == .postgres ? "\(column)::text" : column }

    /// A numeric or JSON column as text.
    func text(_ column: String) -> String { store.dialect == .postgres ? "\(column)::text" : column }

    /// Incidents the run caused: `incidents.source_run_id` is the run.
    package var incidentsSQL: String {
        """
        SELECT id, COALESCE(NULLIF(severity, ''), 'UNKNOWN'), COALESCE(NULLIF(title, ''), 'Untitled'), \(ts("created_at")) AS created_text
        FROM incidents
        WHERE tenant_id = $1 AND source_run_id = $2
        ORDER BY created_at DESC NULLS LAST, id DESC LIMIT $3 OFFSET $4
        """
    }

    /// The run filter of the policy-evaluation ledger: the run id in any of the three columns the platform's writers fill.
    private let evaluationsOfRun = "p.tenant_id = $1 AND (p.run_id = $2 OR p.blocked_incident_id = $2 OR p.original_incident_id = $2)"

    /// Policy evaluations of the run, with the rule's name where the rule is the tenant's or GLOBAL.
    package var policiesSQL: String {
        """
        SELECT p.id, p.policy_id, r.name, p.outcome, \(ts("p.created_at"))
        FROM prevention_records p
        LEFT JOIN policy_rules r ON r.id = p.policy_id AND (r.tenant_id = p.tenant_id OR r.scope = 'GLOBAL')
        WHERE \(evaluationsOfRun)
        ORDER BY p.created_at DESC NULLS LAST, p.id DESC LIMIT $3 OFFSET $4
        """
    }

    /// Limit breaches of the run, with the limit's name and maximum where the limit is the tenant's.
    package var limitsSQL: String {
        """
        SELECT b.id, b.limit_id, l.name, \(text("b.value_at_breach")), \(text("l.max_value")), \(text("b.limit_value")), \(ts("b.breached_at"))
        FROM limit_breaches b
        LEFT JOIN limits l ON l.id = b.limit_id AND l.tenant_id = b.tenant_id
        WHERE b.tenant_id = $1 AND b.run_id = $2
        ORDER BY b.breached_at DESC NULLS LAST, b.id DESC LIMIT $3 OFFSET $4
        """
    }

    /// Decisions, derived as the platform derives them: the evaluations whose upper-cased outcome is a decision.
    package var decisionsSQL: String {
        """
        SELECT p.id, UPPER(p.outcome), \(ts("p.created_at"))
        FROM prevention_records p
        WHERE \(evaluationsOfRun)
          AND UPPER(p.outcome) IN (\(Self.decisionOutcomes.map { "'\($0)'" }.joined(separator: ", ")))
        ORDER BY p.created_at DESC NULLS LAST, p.id DESC LIMIT $3 OFFSET $4
        """
    }

    /// The tables and columns the evidence query reads.
    static let evidenceColumns: [(String, [String])] = [
        ("incidents", ["id", "tenant_id", "source_run_id", "severity", "title", "created_at"]),
        ("prevention_records", ["id", "tenant_id", "policy_id", "outcome", "created_at", "run_id", "blocked_incident_id", "original_incident_id"]),
        ("policy_rules", ["id", "tenant_id", "name", "scope"]),
        ("limit_breaches", ["id", "tenant_id", "limit_id", "run_id", "value_at_breach", "limit_value", "breached_at"]),
        ("limits", ["id", "tenant_id", "name", "max_value"]),
    ]

    // MARK: Evidence

    /// The platform's RunEvidenceResult: incidents caused, policies evaluated, limits hit, decisions made.
    ///
    /// Each list holds at most `limit` rows from `offset`; `next_offset` is set when any list has more.
    public func evidence(tenant: String, run: String, limit: Int = defaultLimit, offset: Int = 0,
                         computedAt: String = Timestamp.now()) throws -> JSONValue {
        try Self.checkPage(limit: limit, offset: offset)
        try PlatformCatalog(store: store).require(Self.evidenceColumns, for: "read the evidence of run \(run)")
        let page = [tenant, run, String(limit + 1), String(offset)]
        return try readConsistently {
            var more = false
            func rows(_ sql: String) throws -> ArraySlice<[String?]> {
                let rows = try store.query(sql, page)
                more = more || rows.count > limit
                return rows.prefix(limit)
            }
            let incidents = try rows(incidentsSQL).map { r -> JSONValue in
                ["incident_id": JSONValue(r[0]), "severity": JSONValue(r[1]), "title": JSONValue(r[2]), "created_at": time(r[3])]
            }
            let policies = try rows(policiesSQL).map { r -> JSONValue in
                ["policy_id": JSONValue(r[1]), "policy_name": JSONValue(r[2]), "outcome": JSONValue(r[3]), "evaluated_at": time(r[4])]
            }
            let limits = try rows(limitsSQL).map { r -> JSONValue in
                ["limit_id": JSONValue(r[1]), "limit_name": JSONValue(r[2]), "breached_value": number(r[3]),
                 "threshold_value": number(r[4]), "limit_value_at_breach": number(r[5]), "breached_at": time(r[6])]
            }
            let decisions = try rows(decisionsSQL).map { r -> JSONValue in
                ["decision_id": .string("dec-" + (r[0] ?? "")), "decision_type": "POLICY_EVALUATION", "outcome": JSONValue(r[1]),
                 "decided_at": time(r[2])]
            }
            return ["run_id": .string(run), "incidents_caused": .array(incidents), "policies_evaluated": .array(policies),
                    "limits_hit": .array(limits), "decisions_made": .array(decisions), "computed_at": .string(computedAt),
                    "next_offset": more ? JSONValue(offset + limit) : .null]
        }
    }

    // MARK: Helpers

    /// Rejects a page the queries cannot serve.
    static func checkPage(limit: Int, offset: Int) throws {
        guard (1 ... 10_000).contains(limit), offset >= 0 else {
            throw RunProofError(.usage, "page limit must be 1...10000 and offset not negative")
        }
    }

    /// Runs `body` in one read-only snapshot, so the lists of one answer agree with each other
    /// (its own transaction: not to be called inside a caller's).
    func readConsistently<R>(_ body: () throws -> R) throws -> R {
        try store.execute(store.dialect == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", [])
        do {
            let result = try body()
            try store.execute("COMMIT", [])
            return result
        } catch {
            try? store.execute("ROLLBACK", [])
            throw error
        }
    }

    /// A timestamp in the chain format, or the stored text if it cannot be read as one.
    func time(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return .string((try? Timestamp.normalize(text)) ?? text)
    }

    /// A finite number, or null (a null column, NaN and infinities have no JSON number).
    func number(_ text: String?) -> JSONValue { text.flatMap(Double.init).flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }
}
