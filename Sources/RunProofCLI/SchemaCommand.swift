import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofEvidence
import RunProofStore

extension RunProofCommand {
    /// `runproof schema`: prints the DDL RunProof uses.
    struct SchemaCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the DDL of the trace and seal tables.")

        enum Dialect: String, ExpressibleByArgument { case postgres, sqlite, legacy, governance_postgres, governance_sqlite }

        @Option(help: "postgres, sqlite, legacy (the original development store), governance_postgres or governance_sqlite.")
        var dialect: Dialect = .postgres

        func run() {
            switch dialect {
            case .postgres: print(Schema.postgresTraces + Schema.postgresSeals, terminator: "")
            case .sqlite: print(Schema.sqliteTraces + Schema.sqliteSeals, terminator: "")
            case .legacy: print(Schema.sqliteLegacy + Schema.sqliteSeals, terminator: "")
            case .governance_postgres: print(EvidenceSchema.postgres, terminator: "")
            case .governance_sqlite: print(EvidenceSchema.sqlite, terminator: "")
            }
        }
    }
}
