import Foundation
import Testing
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples

/// Every object of the current schema (PostgreSQL) as sorted text lines: columns with types, defaults and NOT NULL,
/// constraints (and whether validated), indexes, triggers, trigger functions and comments. With `tables`, only theirs.
func catalog(_ store: any TraceStore, tables: [String]? = nil) throws -> [String] {
    let filter = tables.map { "{" + $0.joined(separator: ",") + "}" }
    let rows = try store.query("""
        WITH t AS (SELECT c.oid, c.relname FROM pg_class c
                   WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v')
                     AND ($1::text[] IS NULL OR c.relname = ANY($1::text[])))
        SELECT 'column ' || t.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        UNION ALL
        SELECT 'constraint ' || t.relname || ' ' || conname || ' ' || pg_get_constraintdef(k.oid)
               || CASE WHEN convalidated THEN '' ELSE ' NOT VALIDATED' END
        FROM t JOIN pg_constraint k ON k.conrelid = t.oid
        UNION ALL
        SELECT 'index ' || replace(pg_get_indexdef(i.indexrelid), current_schema() || '.', '') || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
        FROM t JOIN pg_index i ON i.indrelid = t.oid
        UNION ALL
        SELECT 'trigger ' || replace(pg_get_triggerdef(g.oid), current_schema() || '.', '') FROM t JOIN pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal
        UNION ALL
        SELECT 'function ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p
        WHERE p.oid IN (SELECT g.tgfoid FROM t JOIN pg_trigger g ON g.tgrelid = t.oid)
        UNION ALL
        SELECT 'comment ' || t.relname || '.' || coalesce(a.attname, '') || ' ' || ds.description
        FROM t JOIN pg_description ds ON ds.objoid = t.oid LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ds.objsubid
        UNION ALL
        SELECT 'table ' || t.relname FROM t
        ORDER BY 1
        """, [filter])
    return rows.map { $0[0] ?? "" }
}

/// `init --governance` and `init --indexes`: the platform's schema is never altered, the indexes are only indexes.
@Suite(.serialized) struct SchemaAndIndexTests {
    let tenant = LinkageFixture.tenant, run = LinkageFixture.run

    @Test func governanceInstallLeavesThePlatformsSchemaUnchanged() throws {
        try PlatformDatabases.withPlatform { uri in
            let store = try PostgresStore(uri)
            let before = try catalog(store)
            #expect(before.contains("index CREATE INDEX ix_prevention_records_run_id ON prevention_records USING btree (run_id)"))
            #expect(try EvidenceSchema.install(on: store) == .unchanged(present: EvidenceSchema.tables, missing: []))
            #expect(try catalog(store) == before)
        }
    }

    @Test func governanceInstallChangesNothingWhereAnyTableExists() throws {
        let store = try PlatformDatabases.emptyPostgresSchema()
        try store.execute("CREATE TABLE limits (id text PRIMARY KEY)", [])
        let before = try catalog(store)
        let outcome = try EvidenceSchema.install(on: store)
        #expect(outcome == .unchanged(present: ["limits"], missing: EvidenceSchema.tables.filter { $0 != "limits" }))
        #expect(try catalog(store) == before)

        let lite = try PlatformDatabases.emptySQLite()
        try lite.execute("CREATE TABLE audit_ledger (id TEXT)", [])
        let master = try lite.query("SELECT type, name, sql FROM sqlite_master ORDER BY name", [])
        #expect(try EvidenceSchema.install(on: lite) == .unchanged(present: ["audit_ledger"],
                                                                   missing: EvidenceSchema.tables.filter { $0 != "audit_ledger" }))
        #expect(try lite.query("SELECT type, name, sql FROM sqlite_master ORDER BY name", []) == master)
    }

    /// The tables RunProof creates in PostgreSQL are the platform's, column for column, constraint for constraint.
    @Test func createdTablesAreThePlatformsOwn() throws {
        try PlatformDatabases.withPlatform(["platform-schema.sql"]) { uri in
            let created = try PlatformDatabases.emptyPostgresSchema()
            #expect(try EvidenceSchema.install(on: created) == .created(EvidenceSchema.tables))
            let mine = try catalog(created, tables: EvidenceSchema.tables)
            #expect(mine.count > 200)
            #expect(mine == (try catalog(try PostgresStore(uri), tables: EvidenceSchema.tables)))
        }
    }

    /// One transaction: a statement failing halfway leaves no table behind (PostgreSQL and SQLite).
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func governanceInstallIsAllOrNothing(dialect: SQLDialect) throws {
        let store: any TraceStore = dialect == .postgres ? try PlatformDatabases.emptyPostgresSchema() : try PlatformDatabases.emptySQLite()
        // An index of the platform's name on another table: creating the platform's index of that name fails midway.
        try store.execute("CREATE TABLE unrelated (x integer)", [])
        try store.execute("CREATE INDEX idx_audit_ledger_actor ON unrelated (x)", [])
        #expect(throws: RunProofError.self) { try EvidenceSchema.install(on: store) }
        let catalog = try EvidenceSchema.tables.filter { table in
            try !store.query(dialect == .postgres ? "SELECT 1 WHERE to_regclass($1) IS NOT NULL" : "SELECT 1 FROM sqlite_master WHERE name = $1",
                             [table]).isEmpty
        }
        #expect(catalog.isEmpty, "left behind: \(catalog)")
    }

    @Test func indexesAreOnlyIndexesAndIdempotent() throws {
        try PlatformDatabases.withPlatform { uri in
            let store = try PostgresStore(uri)
            let queries = EvidenceQueries(store: store)
            func answers() throws -> [JSONValue] {
                [try queries.evidence(tenant: tenant, run: run, computedAt: "t"), try queries.governance(tenant: tenant, run: run, computedAt: "t")]
            }
            let (before, answersBefore) = (try catalog(store), try answers())
            let first = try EvidenceIndexes.apply(to: store)
            #expect(first.created == EvidenceIndexes.all.map(\.name) && first.present.isEmpty)
            let after = try catalog(store)
            let added = after.filter { !before.contains($0) }
            #expect(added.count == EvidenceIndexes.all.count && added.allSatisfy { $0.hasPrefix("index CREATE INDEX runproof_") }, "\(added)")
            #expect(before.allSatisfy(after.contains), "nothing of the platform's schema changed or went away")
            #expect(added.contains("index CREATE INDEX runproof_audit_ledger_after_run_id ON audit_ledger USING btree (((after_state ->> 'run_id'::text)), tenant_id)"))
            let second = try EvidenceIndexes.apply(to: store)
            #expect(second.created.isEmpty && second.present == EvidenceIndexes.all.map(\.name))
            #expect(try catalog(store) == after)
            #expect(try answers() == answersBefore)

            // An interrupted concurrent build leaves an invalid index: the next run rebuilds it.
            try store.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass('runproof_limit_breaches_run')", [])
            #expect(try EvidenceIndexes.apply(to: store).created == ["runproof_limit_breaches_run"])
            #expect(try catalog(store) == after)
        }
    }

    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func indexesNeedThePlatformsTables(dialect: SQLDialect) throws {
        let store: any TraceStore = dialect == .postgres ? try PlatformDatabases.emptyPostgresSchema() : try PlatformDatabases.emptySQLite()
        #expect { try EvidenceIndexes.apply(to: store) } throws: {
            ($0 as? RunProofError)?.message.contains("runproof init --db <this database> --governance") == true
        }
        let built = try PlatformDatabases.builtByRunProof(dialect)
        #expect(try EvidenceIndexes.apply(to: built).created.count == EvidenceIndexes.all.count)
        #expect(try EvidenceIndexes.apply(to: built).created.isEmpty)
    }

    /// A missing table or column is named with the command that fixes it; never a raw SQL error.
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func missingTablesAndColumnsAreNamed(dialect: SQLDialect) throws {
        let store: any TraceStore = dialect == .postgres ? try PlatformDatabases.emptyPostgresSchema() : try PlatformDatabases.emptySQLite()
        let queries = EvidenceQueries(store: store)
        for ask in [{ _ = try queries.evidence(tenant: "t", run: "r") }, { _ = try queries.governance(tenant: "t", run: "r") }] {
            #expect { try ask() } throws: {
                let error = $0 as? RunProofError
                return error?.code == .usage && error?.underlying == nil && error?.message.contains("--governance") == true
                    && error?.message.contains("has no table") == true
            }
        }
        // The tables an older RunProof invented: the platform's columns are missing, and named.
        try store.execute("CREATE TABLE audit_ledger (event_id text, tenant_id text, after_state text, created_at text)", [])
        #expect { try queries.governance(tenant: "t", run: "r") } throws: {
            let message = ($0 as? RunProofError)?.message ?? ""
            return message.contains("audit_ledger (id, event_type, entity_type") && message.contains("never alters")
        }
    }

    /// A query that fails in the database is an error, never empty lists.
    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func aDatabaseErrorIsAnError(dialect: SQLDialect) throws {
        let store = try PlatformDatabases.builtByRunProof(dialect)
        if dialect == .postgres {
            // A table that fails when read (here: a view dividing by zero) stands in for any failing read.
            try store.execute("ALTER TABLE incidents RENAME TO incidents_table", [])
            try store.execute("""
                CREATE VIEW incidents AS SELECT id, tenant_id, source_run_id, severity, title,
                    created_at + (1 / (SELECT count(*) - count(*) FROM incidents_table))::integer * interval '1 s' AS created_at
                FROM incidents_table
                """, [])
        } else {
            try store.execute("DROP TRIGGER trg_audit_ledger_immutable_update", [])
            try store.execute("UPDATE audit_ledger SET after_state = '{not json' WHERE id = 'decoy-evt-001'", [])
        }
        let queries = EvidenceQueries(store: store)
        #expect { dialect == .postgres ? try queries.evidence(tenant: tenant, run: run) : try queries.governance(tenant: tenant, run: run) }
            throws: { ($0 as? RunProofError)?.code == .database }
    }

    /// sql/governance_indexes_*.sql are the migration the binary applies.
    @Test func shippedIndexMigrationsMatchTheBinary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (name, dialect) in [("postgres", SQLDialect.postgres), ("sqlite", .sqlite)] {
            let shipped = try String(contentsOf: root.appendingPathComponent("sql/governance_indexes_\(name).sql"), encoding: .utf8)
            #expect(shipped == EvidenceIndexes.script(dialect))
        }
        #expect(EvidenceIndexes.script(.postgres).split(separator: "\n").allSatisfy { $0.hasPrefix("CREATE INDEX CONCURRENTLY IF NOT EXISTS runproof_") })
    }
}
