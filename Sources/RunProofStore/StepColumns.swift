import RunProofCore

extension StepField {
    /// The SELECT list of a step row, in `StepField` order: the one place it is written, so no store can read
    /// the columns in another order (which would change every hash). PostgreSQL sends JSON and timestamps as
    /// text; the legacy development store has no `level`, `skill_id` or `source` (read as NULL).
    static func selectList(_ dialect: SQLDialect, legacy: Bool = false, table: String? = nil) -> String {
        allCases.map { field in
            guard let name = legacy ? field.legacyColumn : field.column else { return "NULL" }
            let column = table.map { "\($0).\(name)" } ?? name
            let asText = dialect == .postgres && (field.kind == .json || field.kind == .timestamp)
            return asText ? "\(column)::text" : column
        }.joined(separator: ", ")
    }
}
