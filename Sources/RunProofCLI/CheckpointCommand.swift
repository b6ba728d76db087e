import ArgumentParser
import RunProofCore
import RunProofStore

extension RunProofCommand {
    /// `runproof checkpoint`: prints the latest seal of a trace as a signed C2SP checkpoint.
    struct CheckpointCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print the latest seal as a C2SP tlog-checkpoint, signed as a signed note (docs/chain-v1.md 10).",
            discussion: "The signature was made when the seal was (seal --key); no private key is needed here.")

        @Option(help: "Export file (NDJSON) to read the latest seal from.")
        var file: String?

        @OptionGroup var store: StoreOptions

        @OptionGroup var choice: TraceChoice

        @Flag(help: "With --db and --tenant: the latest signed checkpoint of the tenant log (docs/chain-v1.md 10.4).")
        var tenantLog = false

        func validate() throws {
            guard (file == nil) != (store.db == nil) else { throw ValidationError("give exactly one of --file and --db") }
            if tenantLog {
                guard store.db != nil, store.tenant != nil, store.run == nil else { throw ValidationError("--tenant-log goes with --db and --tenant, without --run") }
            } else if store.db != nil { _ = try store.scope() }
        }

        func run() throws {
            if tenantLog, let tenant = store.tenant {
                guard let head = try TenantLog.head(try store.open(), tenant: tenant), let note = head.note else {
                    printError("runproof: the tenant log has no signed checkpoint (no run of the tenant was closed with --key)")
                    throw Exit.code(for: .unsupported)
                }
                return print(note, terminator: "")
            }
            let seal: Seal?
            if let file {
                seal = try ExportReader(path: file).lastSeal
            } else {
                let db = try store.open()
                seal = try db.latestSeal(of: try choice.chosen(in: db, of: store))?.seal
            }
            guard let seal else {
                printError("runproof: the trace was never sealed: no checkpoint")
                throw Exit.code(for: .unsupported)
            }
            guard let line = seal.checkpointSignature else {
                printError("runproof: the latest seal (chain_length \(seal.chainLength)) is unsigned: no signed checkpoint; seal with --key")
                throw Exit.code(for: .unsupported)
            }
            print(String(decoding: Checkpoint.body(of: seal), as: UTF8.self) + "\n" + line)
        }
    }
}
