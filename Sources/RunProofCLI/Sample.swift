import ArgumentParser
import RunProofCore
import RunProofSamples

/// `runproof sample`: writes a synthetic export file, for benchmarks and trying things out.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic, unsealed export file of N steps (for benchmarks).")

    @Option(help: "Number of steps.")
    var steps: Int = 1000

    @Option(name: .shortAndLong, help: "File to write (an existing one is refused unless --force).")
    var output: String

    @Flag(help: "Replace the output file if it exists (whole, atomically).")
    var force = false

    func validate() throws {
        guard steps >= 0 else { throw ValidationError("--steps must not be negative") }
    }

    func run() throws {
        let writer = try ExportWriter(path: output, header: SampleData.syntheticHeader, policy: OutputPolicy(force: force))
        for i in 0 ..< steps { try writer.write(canonicalStep: SampleData.syntheticStep(i)) }
        try writer.close()
        print("wrote \(steps) steps to \(output)")
    }
}
