import ArgumentParser
import RunProofCore
import RunProofSamples

extension RunProofCommand {
    /// `runproof sample`: writes a synthetic export file, for benchmarks and trying things out.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a synthetic, unsealed export file of N steps (for benchmarks).")

        @Option(help: "Number of steps.")
        var steps: Int = 1000

        @OptionGroup var destination: OutputFileOptions

        func validate() throws {
            guard steps >= 0 else { throw ValidationError("--steps must not be negative") }
        }

        func run() throws {
            let writer = try ExportWriter(path: destination.path, header: SampleData.syntheticHeader, policy: OutputPolicy(force: destination.force))
            for i in 0 ..< steps { try writer.write(canonicalStep: SampleData.syntheticStep(i)) }
            try writer.close()
            print("wrote \(steps) steps to \(destination.path)")
        }
    }
}
