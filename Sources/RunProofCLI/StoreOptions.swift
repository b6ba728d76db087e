import ArgumentParser
import RunProofCore
import RunProofStore

/// Where traces live and which run is meant.
struct StoreOptions: ParsableArguments {
    @Option(help: "Trace store: a PostgreSQL URI or libpq connection string ('postgresql://' alone uses the PG* variables), or a SQLite file.")
    var db: String?

    @Option(help: "Tenant the run belongs to.") var tenant: String?
    @Option(help: "Run id.") var run: String?

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

/// Which trace of the run is meant, when the run has several.
struct TraceChoice: ParsableArguments {
    @Option(help: "Trace id, when the run has several traces.")
    var trace: String?

    /// The one trace of the store's run (or the one named by `--trace`): a run with none is UNSUPPORTED (exit 2),
    /// one with several needs `--trace`.
    func chosen(in db: any TraceStore, of store: StoreOptions) throws -> TraceRow {
        let scope = try store.scope()
        let traces = try db.traces(tenant: scope.tenant, run: scope.run).filter { trace == nil || $0.traceId == trace }
        guard let chosen = traces.first else {
            printError("runproof: No trace found for run")
            throw Exit.code(for: .unsupported)
        }
        guard traces.count == 1 else {
            throw RunProofError(.usage, "run \(scope.run) has \(traces.count) traces; choose one with --trace (\(traces.map(\.traceId).joined(separator: ", ")))")
        }
        return chosen
    }
}
