import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofEvidence
import RunProofStore

extension RunProofCommand {
    /// `runproof init`: creates RunProof's tables where they are missing; optionally the platform's tables and the indexes.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the trace and seal tables in an empty SQLite file or PostgreSQL database.",
            discussion: """
            --governance creates the agent platform's tables (incidents, prevention_records, policy_rules, limits, \
            limit_breaches, audit_ledger and what they reference) in one transaction, only in a database that has none of them: \
            where any exists it changes nothing and says so. --indexes creates the optional indexes of the evidence and \
            governance queries (PostgreSQL: CREATE INDEX CONCURRENTLY IF NOT EXISTS, nothing else); running it again creates none.
            """)

        @Option(help: "PostgreSQL URI / connection string, or SQLite file (created if missing).")
        var db: String

        @Flag(help: "Also create the platform's tables the evidence and governance queries read, in a database that has none of them.")
        var governance = false

        @Flag(help: "Also create the optional indexes of the evidence and governance run filters (idempotent).")
        var indexes = false

        func run() throws {
            let store = try openStore(db, create: true)
            try store.createSchema()
            print("\(store.kind): tables ready")
            if governance {
                switch try EvidenceSchema.install(on: store) {
                case .created(let tables):
                    print("governance: created the platform's tables (\(tables.joined(separator: ", "))) in one transaction")
                case .unchanged(let present, let missing) where missing.isEmpty:
                    print("governance: the platform's tables exist (\(present.count) of \(present.count)); changed nothing")
                case .unchanged(let present, let missing):
                    print("""
                        governance: changed nothing: \(present.count) of the platform's tables exist (\(present.joined(separator: ", "))), \
                        \(missing.count) do not (\(missing.joined(separator: ", "))); RunProof creates them only in a database that has none \
                        of them and never alters existing ones
                        """)
                }
            }
            if indexes {
                let outcome = try EvidenceIndexes.apply(to: store)
                let names = outcome.created.isEmpty ? "" : " (\(outcome.created.joined(separator: ", ")))"
                print("indexes: created \(outcome.created.count)\(names), \(outcome.present.count) present already")
            }
        }
    }
}
