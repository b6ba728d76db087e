import ArgumentParser
import RunProofCore
import RunProofStore

/// Where traces live and which run is meant.
struct StoreOptions: ParsableArguments {
    @Option(help: "Trace store: a PostgreSQL URI or libpq connection string ('postgresql://' alone uses the PG* variables), or a SQLite file.")
    var db: String?

    @Option(help: "Tenant the run belongs to.")
    var tenant: String?

    @Option(help: "Run id.")
    var run: String?

    /// The tenant and run, required together.
    func scope() throws -> (tenant: String, run: String) {
        guard let tenant, let run else { throw ValidationError("--tenant and --run are required with --db") }
        return (tenant, run)
    }

    /// How outputs treat existing files: never the database being read (a SQLite file), and replaced only when forced.
    func outputPolicy(force: Bool, reading files: [String] = []) -> OutputPolicy {
        OutputPolicy(force: force, inputs: files + [db].compactMap { $0 })
    }

    func open() throws -> any TraceStore {
        guard let db else { throw ValidationError("--db is required") }
        return try openStore(db)
    }
}
