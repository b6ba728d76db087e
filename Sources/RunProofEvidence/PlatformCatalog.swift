import RunProofCore
import RunProofStore

/// What a database holds of the platform's tables: which exist and with which columns (read from its catalog).
struct PlatformCatalog {
    let store: any SQLConnection

    /// Whether a table (or any relation of that name on the search path) exists.
    func exists(_ table: String) throws -> Bool {
        let sql = store.dialect == .postgres ? "SELECT 1 WHERE to_regclass($1) IS NOT NULL"
                                             : "SELECT 1 FROM sqlite_master WHERE name = $1 AND type IN ('table', 'view')"
        return try !store.query(sql, [table]).isEmpty
    }

    /// The column names of a table; empty if it does not exist.
    func columns(of table: String) throws -> Set<String> {
        let sql = store.dialect == .postgres
            ? "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped"
            : "SELECT name FROM pragma_table_info($1)"
        return Set(try store.query(sql, [table]).compactMap { $0.first ?? nil })
    }

    /// Fails, naming what is missing and the command that creates it, unless every table has the columns a query reads.
    func require(_ needed: [(String, [String])], for what: String) throws {
        var missingTables: [String] = [], missingColumns: [String] = []
        for (table, columns) in needed {
            let present = try self.columns(of: table)
            if present.isEmpty { missingTables.append(table); continue }
            let absent = columns.filter { !present.contains($0) }
            if !absent.isEmpty { missingColumns.append("\(table) (\(absent.joined(separator: ", ")))") }
        }
        if !missingTables.isEmpty {
            throw RunProofError(.usage, """
                cannot \(what): this \(store.kind) database has no table \(missingTables.joined(separator: ", ")) of the agent \
                platform's schema. Point --db at the platform's database, or create the platform's tables in a new database \
                with `runproof init --db <this database> --governance`
                """)
        }
        if !missingColumns.isEmpty {
            throw RunProofError(.usage, """
                cannot \(what): these tables lack the platform's columns: \(missingColumns.joined(separator: "; ")). They are not \
                the platform's tables (an older RunProof created its own); RunProof never alters a table: rename them aside \
                and run `runproof init --db <this database> --governance`
                """)
        }
    }
}
