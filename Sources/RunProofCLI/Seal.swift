import ArgumentParser
import RunProofCore

/// `runproof seal`: appends a (signed) seal over every step of a trace.
struct Seal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seal a trace: record its chain head and Merkle root, signed with --key.")

    @Option(help: "Export file (NDJSON) to seal; the seal line is appended.")
    var file: String

    @Option(help: "Ed25519 private key (PEM); without it the seal is unsigned.")
    var key: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let signingKey = try key.map { try SigningKey(pem: try readText($0)) }
            let report = try ExportFile.verify(path: file, trust: TrustPolicy(publicKey: signingKey?.publicKey))
            let verdict = report.verdict
            guard let trace = report.traces.first, verdict.kind != .failed else {
                printError("runproof: refusing to seal: \(verdict.reason ?? verdict.kind.rawValue)")
                throw Exit.code(for: verdict.kind == .failed ? .failed : .unsupported)
            }
            guard verdict.chainLength > 0, let head = verdict.head, let root = verdict.merkleRoot else {
                printError("runproof: nothing to seal: \(verdict.reason ?? "trace has no steps")")
                throw Exit.code(for: .unsupported)
            }
            if verdict.sealCount > 0 && verdict.unsealedSteps == 0 {
                print("already sealed at chain_length \(verdict.chainLength)")
                return
            }
            var seal = RunProofCore.Seal(header: trace.header, length: verdict.chainLength, head: head, merkleRoot: root)
            if let signingKey { try seal.sign(with: signingKey) }
            try ExportWriter.append(seal: seal, to: file)
            if output.json { print(seal.record.canonicalString) }
            else { print("sealed \(trace.header.runId) trace \(trace.header.traceId) at chain_length \(seal.chainLength)\(seal.signature == nil ? " (unsigned)" : " signed by \(seal.keyId!)")") }
        }
    }
}
