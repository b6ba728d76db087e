import RunProofCore
import RunProofStore

/// What `runproof init --governance` found and did.
package enum GovernanceInstall: Sendable, Equatable {
    /// None of the platform's tables existed: all were created, in one transaction.
    case created([String])
    /// Some or all of them exist already: nothing was changed.
    case unchanged(present: [String], missing: [String])
}

extension EvidenceSchema {
    /// Creates the platform's tables in one transaction if the database has none of them; otherwise changes nothing.
    ///
    /// The check runs inside the transaction, so a concurrent creator makes this fail and roll back, never half-apply.
    package static func install(on store: any SQLConnection) throws -> GovernanceInstall {
        let catalog = PlatformCatalog(store: store)
        try store.execute(store.dialect == .postgres ? "BEGIN" : "BEGIN IMMEDIATE", [])
        do {
            let present = try tables.filter { try catalog.exists($0) }
            guard present.isEmpty else {
                try store.execute("ROLLBACK", [])
                return .unchanged(present: present, missing: tables.filter { !present.contains($0) })
            }
            for statement in SQLScript.statements(ddl(store.dialect)) { try store.execute(statement, []) }
            try store.execute("COMMIT", [])
            return .created(tables)
        } catch {
            try? store.execute("ROLLBACK", [])
            throw error
        }
    }
}
