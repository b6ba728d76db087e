import RunProofCore
import RunProofStore

/// The optional indexes that make the run filters of the evidence and governance queries index scans.
///
/// The platform has none for them: without these every query still answers, by scanning the tenant's rows.
/// Only indexes, nothing else; PostgreSQL builds them `CONCURRENTLY` (no write lock on the live tables), one
/// statement at a time, outside any transaction. `runproof init --indexes` applies them; it is idempotent.
package enum EvidenceIndexes {
    /// One index: its name, its table and the DDL (per dialect) that creates it if missing.
    package struct Index: Sendable {
        package let name: String
        package let table: String
        let postgres: String
        let sqlite: String
    }

    /// The JSON text of a state column's key, as the governance query writes it (an index matches it exactly).
    static func stateKey(_ column: String, _ key: String, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? "(\(column) ->> '\(key)')" : "json_extract(\(column), '$.\(key)')"
    }

    package static let all: [Index] = {
        var indexes: [Index] = []
        for column in ["after_state", "before_state"] {
            for key in ["run_id", "source_run_id"] {
                let name = "runproof_audit_ledger_\(column.prefix { $0 != "_" })_\(key)"
                indexes.append(Index(
                    name: name, table: "audit_ledger",
                    postgres: "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(name) ON audit_ledger (\(stateKey(column, key, .postgres)), tenant_id)",
                    sqlite: "CREATE INDEX IF NOT EXISTS \(name) ON audit_ledger (\(stateKey(column, key, .sqlite)), tenant_id)"))
            }
        }
        for (name, table, columns) in [
            ("runproof_prevention_records_blocked_incident", "prevention_records", "blocked_incident_id, tenant_id"),
            ("runproof_prevention_records_original_incident", "prevention_records", "original_incident_id, tenant_id"),
            ("runproof_limit_breaches_run", "limit_breaches", "run_id, tenant_id"),
        ] {
            indexes.append(Index(name: name, table: table,
                                 postgres: "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(name) ON \(table) (\(columns))",
                                 sqlite: "CREATE INDEX IF NOT EXISTS \(name) ON \(table) (\(columns))"))
        }
        return indexes
    }()

    /// The migration as a script (sql/governance_indexes_<dialect>.sql).
    package static func script(_ dialect: SQLDialect) -> String {
        all.map { (dialect == .postgres ? $0.postgres : $0.sqlite) + ";\n" }.joined()
    }

    /// What applying the migration did.
    package struct Outcome: Sendable, Equatable {
        /// Indexes created now (an invalid leftover of an interrupted concurrent build counts: it is rebuilt).
        package var created: [String] = []
        /// Indexes that were there and valid already.
        package var present: [String] = []
    }

    /// Creates the indexes that are missing; fails naming the command that creates a missing table.
    package static func apply(to store: any SQLConnection) throws -> Outcome {
        let catalog = PlatformCatalog(store: store)
        let missing = try Set(all.map(\.table)).sorted().filter { try !catalog.exists($0) }
        guard missing.isEmpty else {
            throw RunProofError(.usage, """
                cannot create the evidence indexes: this \(store.kind) database has no table \(missing.joined(separator: ", ")) of \
                the agent platform's schema; create the platform's tables first with `runproof init --db <this database> --governance`
                """)
        }
        var outcome = Outcome()
        for index in all {
            switch try state(of: index.name, in: store) {
            case .valid:
                outcome.present.append(index.name)
                continue
            case .invalid:
                // A concurrent build that was interrupted leaves an invalid index that IF NOT EXISTS would keep.
                try store.execute("DROP INDEX CONCURRENTLY IF EXISTS \(index.name)", [])
            case .missing:
                break
            }
            try store.execute(store.dialect == .postgres ? index.postgres : index.sqlite, [])
            outcome.created.append(index.name)
        }
        return outcome
    }

    private enum State { case missing, valid, invalid }

    private static func state(of name: String, in store: any SQLConnection) throws -> State {
        if store.dialect == .sqlite {
            return try store.query("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = $1", [name]).isEmpty ? .missing : .valid
        }
        guard let row = try store.query("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)", [name]).first else {
            return .missing
        }
        return row.first == "t" ? .valid : .invalid
    }
}
