import ArgumentParser
import RunProofCore

/// `runproof`: build, seal and verify hash chains over agent run traces.
@main
struct RunProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runproof",
        abstract: "Prove that an AI agent's run trace was not altered.",
        discussion: """
        Exit status: 0 HASH_CHAIN (verified), 1 FAILED (also: a seal or proof refused because the data does not match \
        its seals), 2 UNSUPPORTED, 64 usage error, 70 internal error.
        Signing commands take --key, or the private key file named by the RUNPROOF_KEY environment variable.
        """,
        version: "runproof \(Receipt.runproofVersion) (chain format \(TraceHeader.format))",
        subcommands: [Demo.self, Init.self, Keygen.self, SealCommand.self, Verify.self, Export.self, SchemaCommand.self, Sample.self, Evidence.self, Governance.self, Prove.self, CheckpointCommand.self, Witness.self, JCSCommand.self, Bench.self]
    )
}

/// Exit statuses of the CLI.
enum Exit {
    static let usage = ExitCode(64)
    static let `internal` = ExitCode(70)

    static func code(for kind: Verdict.Kind) -> ExitCode {
        switch kind {
        case .hashChain: .success
        case .failed: ExitCode(1)
        case .unsupported: ExitCode(2)
        }
    }
}

extension RunProofCommand {
    /// Parses and runs a command; every error a command throws is reported here, once: a message on stderr and the
    /// documented exit status.
    static func main() {
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            try command.run()
        } catch {
            exit(withError: report(error))
        }
    }

    /// Prints what went wrong and returns the exit status it means; argument-parser's own errors (usage errors, and
    /// the help request that `--help` carries as an error) pass through for it to print.
    static func report(_ error: Error) -> Error {
        switch error {
        case is ExitCode, is ValidationError, is CleanExit:
            return error
        case _ where String(reflecting: type(of: error)).hasPrefix("ArgumentParser."):
            return error
        case let error as RunProofError:
            printError("runproof: \(error)")
            switch error.code {
            case .usage, .noInput, .key: return Exit.usage // a missing, unreadable or malformed input file or key
            case .integrity: return Exit.code(for: .failed) // a refusal about the data, like a FAILED verdict
            default: return Exit.internal
            }
        default:
            printError("runproof: \(error)")
            return Exit.internal
        }
    }
}
