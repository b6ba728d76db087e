import RunProofCore
import RunProofStore

/// DDL of the agent platform's tables that the evidence and governance queries read, per dialect.
///
/// The PostgreSQL text is the platform's own final-state DDL (alembic head 124, `platform-schema.sql`):
/// its tables column for column with their constraints, indexes, comments and triggers, and stubs of
/// `tenants` and `runs` (the foreign-key targets). `aos_traces`/`aos_trace_steps` are not here: `runproof init`
/// creates RunProof's own where they are missing. The SQLite text is the same tables in SQLite types
/// (timestamps as ISO 8601 UTC text, JSON as text, booleans as 0/1), its triggers rewritten for SQLite.
/// `runproof init --governance` runs one of them only in a database that has none of these tables.
package enum EvidenceSchema {
    /// The tables created, in creation order (foreign-key targets first).
    package static let tables = ["tenants", "runs", "policy_rules_legacy", "incidents", "prevention_records", "policy_rules",
                                "policy_rule_integrity", "limits", "limit_integrity", "limit_breaches", "audit_ledger"]

    /// The DDL of a dialect.
    static func ddl(_ dialect: SQLDialect) -> String { dialect == .postgres ? postgres : sqlite }
}
