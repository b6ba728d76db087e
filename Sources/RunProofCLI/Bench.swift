import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore
import RunProofSamples
import RunProofStore

extension RunProofCommand {
    /// `runproof bench`: how fast chains are built and verified on this machine, next to OpenSSL's SHA-256 of the same
    /// bytes in the same process.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark chain building and verification on this machine, next to OpenSSL's SHA-256 of the same bytes.",
            discussion: """
            Without --file or --db it writes a synthetic trace of --steps steps to a temporary export file (removed after), \
            sealed once. The ratio is the throughput of each phase over SHA-256's on the same bytes: SHA-256 alone is the \
            limit, since every step is hashed at least once.
            """)

        @Option(help: "Steps of the synthetic trace.")
        var steps = 100_000

        @Option(help: "Benchmark the verification of this export file instead.")
        var file: String?

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard steps > 0 else { throw ValidationError("--steps must be positive") }
            guard file == nil || store.db == nil else { throw ValidationError("give --file or --db, not both") }
            if store.db != nil { _ = try store.scope() }
        }

        /// One measured phase: steps and bytes per second.
        struct Phase {
            var name: String
            var seconds: Double
            var steps: Int
            var bytes: Int
        }

        func run() throws {
            var phases: [Phase] = []
            var shaSeconds = 0.0, bytes = 0, count = 0, source = ""
            if let db = store.db {
                let scope = try store.scope()
                let database = try store.open()
                let (verdict, seconds) = try timed { try StoreVerifier.verify(database, tenant: scope.tenant, run: scope.run).verdict }
                count = verdict.chainLength
                // The same canonical steps through one SHA-256: only the hashing is timed.
                let hasher = SHA256()
                for trace in try database.traces(tenant: scope.tenant, run: scope.run) {
                    try database.forEachCanonicalStep(of: trace) { step in
                        bytes += step.bytes.count
                        shaSeconds += timed { hasher.update(bufferPointer: step.bytes) }.1
                        return true
                    }
                }
                source = "run \(scope.run) in \(db)"
                phases.append(Phase(name: "verification (\(database.kind), end to end)", seconds: seconds, steps: count, bytes: bytes))
            } else {
                let path = file ?? temporaryFile()
                defer { if file == nil { unlink(path) } }
                if file == nil {
                    let built = try timed { try writeSynthetic(to: path) }
                    bytes = built.0.bytes
                    phases.append(Phase(name: "chain building (hash chain and Merkle tree)", seconds: built.0.seconds, steps: steps, bytes: bytes))
                }
                let (verdict, seconds) = try timed { try ExportFile.verify(path: path).verdict }
                guard verdict.kind == .hashChain || file != nil else { throw RunProofError(.internal, "the synthetic trace did not verify: \(verdict.reason ?? "")") }
                if verdict.kind != .hashChain { printError("runproof bench: \(verdict.kind.rawValue): \(verdict.reason ?? ""); timing the verification anyway") }
                count = verdict.chainLength
                let reading = try timed { try hashFile(path) }
                shaSeconds = reading.1
                bytes = reading.0
                source = file.map { "export \($0)" } ?? "synthetic trace (temporary export file)"
                phases.append(Phase(name: "verification (export file, end to end)", seconds: seconds, steps: count, bytes: reading.0))
            }
            let sha = Phase(name: "OpenSSL SHA-256 of the same bytes", seconds: shaSeconds, steps: count, bytes: bytes)
            report(phases, sha: sha, source: source)
        }

        /// Writes the synthetic trace, sealed once; returns the step bytes and the time spent building the chain.
        private func writeSynthetic(to path: String) throws -> (bytes: Int, seconds: Double) {
            let header = SampleData.syntheticHeader
            let writer = try ExportWriter(path: path, header: header, policy: OutputPolicy(force: true))
            let builder = ChainBuilder(genesis: header.genesis)
            var bytes = 0, seconds = 0.0
            // In blocks, so that only the chain is timed (not the making of the steps or the writing).
            for block in stride(from: 0, to: steps, by: 4096) {
                let lines = (block ..< min(steps, block + 4096)).map(SampleData.syntheticStep)
                seconds += timed { for step in lines { builder.append(canonicalStep: step) } }.1
                for step in lines {
                    bytes += step.count
                    try writer.write(canonicalStep: step)
                }
            }
            try writer.write(seal: Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot))
            try writer.close()
            return (bytes, seconds)
        }

        /// SHA-256 of a file's bytes, read in 1 MB chunks; returns its size.
        private func hashFile(_ path: String) throws -> Int {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw RunProofError.system(.noInput, "cannot open \(path)") }
            defer { close(fd) }
            let hasher = SHA256()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var total = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                total += n
            }
            _ = hasher.finalize()
            return total
        }

        private func report(_ phases: [Phase], sha: Phase, source: String) {
            func rate(_ p: Phase) -> (steps: Double, mb: Double) {
                p.seconds > 0 ? (Double(p.steps) / p.seconds, Double(p.bytes) / p.seconds / 1e6) : (0, 0)
            }
            let shaRate = rate(sha).mb
            if output.json {
                let rows: [JSONValue] = (phases + [sha]).map { p in
                    let r = rate(p)
                    return ["phase": .string(p.name), "seconds": .number((p.seconds * 1e6).rounded() / 1e6), "steps": JSONValue(p.steps),
                            "bytes": JSONValue(p.bytes), "steps_per_second": JSONValue(Int(r.steps)), "mb_per_second": .number((r.mb * 10).rounded() / 10),
                            "ratio_to_sha256": .number(shaRate > 0 ? (r.mb / shaRate * 1000).rounded() / 1000 : 0)]
                }
                return print(JSONValue.object(["source": .string(source), "phases": .array(rows)]).canonicalString)
            }
            print("runproof bench: \(source), \(sha.steps) steps, \(String(format1: Double(sha.bytes) / 1e6)) MB")
            for p in phases + [sha] {
                let r = rate(p)
                let ratio = p.name == sha.name ? "" : "   ratio to SHA-256 \(String(format3: shaRate > 0 ? r.mb / shaRate : 0))"
                print("  \(p.name.rightPadded(46)) \(String(Int(r.steps)).leftPadded(10)) steps/s  \(String(format1: r.mb).leftPadded(8)) MB/s\(ratio)")
            }
        }
    }
}

/// Runs `body` and returns its result with the wall time it took.
func timed<R>(_ body: () throws -> R) rethrows -> (R, Double) {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    let result = try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return (result, Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9)
}

extension String {
    init(format1 value: Double) { self = String((value * 10).rounded() / 10) }
    init(format3 value: Double) { self = String((value * 1000).rounded() / 1000) }
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    func rightPadded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

/// A path for a temporary file of this process.
func temporaryFile() -> String {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(directory)/runproof-bench-\(getpid())-\(UInt32.random(in: 0 ... .max)).ndjson"
}
