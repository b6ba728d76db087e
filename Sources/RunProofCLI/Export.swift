import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofEvidence
import RunProofStore

/// `runproof export`: writes a run's trace as an NDJSON file that verifies offline.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a trace with its seals to an NDJSON file for offline verification.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Trace id, when the run has several traces.")
    var trace: String?

    @Option(name: .shortAndLong, help: "File to write.")
    var output: String

    @Flag(help: "Write a signed audit bundle: the trace, its seals, the evidence and governance answers.")
    var bundle = false

    @Option(help: "With --bundle, the Ed25519 private key (PEM) that signs it (default: the file named by RUNPROOF_KEY).")
    var key: String?

    @Option(help: "With --bundle, a step index whose content is left out (its leaf hash is kept); repeatable.")
    var redact: [Int] = []

    @Flag(help: "Replace the output file if it exists (whole: it is written beside it, then renamed over it).")
    var force = false

    func validate() throws {
        _ = try store.scope()
        if bundle && key == nil && (getenv("RUNPROOF_KEY").map { String(cString: $0).isEmpty } ?? true) {
            throw ValidationError("--bundle needs --key (or RUNPROOF_KEY)")
        }
        if !bundle && (key != nil || !redact.isEmpty) { throw ValidationError("--key and --redact go with --bundle") }
    }

    func run() throws {
        try reportingErrors {
            let scope = try store.scope()
            let db = try store.open()
            let chosen = try store.chooseTrace(in: db, trace: trace)
            if bundle, let signingKey = try signingKey(key) {
                let count = try BundleExporter.export(db, trace: chosen, to: output, key: signingKey, policy: store.outputPolicy(force: force), redact: Set(redact))
                print("wrote audit bundle of trace \(chosen.traceId) of run \(scope.run): \(count) steps (\(redact.count) redacted) to \(output)")
                return
            }
            let count = try Exporter.export(db, trace: chosen, to: output, policy: store.outputPolicy(force: force))
            print("exported trace \(chosen.traceId) of run \(scope.run): \(count) steps to \(output)")
        }
    }
}

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
        try reportingErrors {
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
