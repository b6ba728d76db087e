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
        subcommands: [Demo.self, Init.self, Keygen.self, Seal.self, Verify.self, Export.self, SchemaCommand.self, Sample.self, Evidence.self, Governance.self, Prove.self, CheckpointCommand.self, Witness.self, JCSCommand.self]
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

/// Runs a command body, turning errors into a message on stderr and the documented exit status.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as RunProofError {
        printError("runproof: \(error)")
        switch error.code {
        case .usage, .noInput, .key: throw Exit.usage // a missing, unreadable or malformed input file or key
        case .integrity: throw Exit.code(for: .failed) // a refusal about the data, like a FAILED verdict
        default: throw Exit.internal
        }
    } catch {
        printError("runproof: \(error)")
        throw Exit.internal
    }
}
