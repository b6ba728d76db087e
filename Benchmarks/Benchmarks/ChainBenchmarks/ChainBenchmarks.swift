import Benchmark
import RunProofCore
import RunProofStore
import RunProofSamples
#if canImport(Glibc)
import Glibc
#endif

/// Steps per iteration of the chain benchmarks.
let stepCount = 100_000

/// Realistic canonical step objects, encoded once so the chain benchmark measures hashing only.
let encodedSteps: [[UInt8]] = (0 ..< stepCount).map { i in
    let step: JSONValue = [
        "cost_cents": .number(Double(i % 100) * 0.25), "duration_ms": .number(Double(i % 1000) + 0.5),
        "idempotency_key": .string("idem-\(i)"), "input_hash": nil, "level": "INFO", "outcome_category": "SUCCESS",
        "outcome_code": nil, "outcome_data": ["rows": JSONValue(i % 50), "ok": true],
        "output_hash": nil, "params": ["query": .string("step \(i) of the benchmark run"), "top_k": JSONValue(i % 7 + 1)],
        "replay_behavior": "execute", "retry_count": 0, "rng_state_before": nil, "skill_id": nil, "skill_name": "search",
        "source": "agent-runtime", "status": "completed", "step_index": JSONValue(i),
        "timestamp": .string(Timestamp.format(epochSeconds: 1_767_225_600 + i, micros: i % 1_000_000))]
    return step.canonicalBytes
}

let header = TraceHeader(tenantId: "tenant-bench", runId: "run-bench", traceId: "trace-bench", correlationId: "c",
                         agentId: "agent", plan: ["goal": "benchmark"], startedAt: "2026-01-01T00:00:00.000000Z")

/// A sealed export file of `stepCount` steps.
let exportPath: String = {
    let path = "/tmp/runproof-bench.ndjson" // rewritten by every benchmark process
    let writer = try! ExportWriter(path: path, header: header, policy: OutputPolicy(force: true))
    let builder = ChainBuilder(genesis: header.genesis)
    for step in encodedSteps {
        try! writer.write(canonicalStep: step)
        builder.append(canonicalStep: step)
    }
    try! writer.write(seal: Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot))
    try! writer.close()
    return path
}()

/// A SQLite trace of `steps` sealed steps, sealed once or after every step; each iteration adds steps and seals them.
final class SealFixture: @unchecked Sendable {
    let store: SQLiteStore
    let trace: TraceRow
    var length = 0

    init(steps: Int, sealEveryStep: Bool) throws {
        let path = "/tmp/runproof-bench-seal-\(steps)-\(sealEveryStep ? "each" : "once").sqlite"
        unlink(path)
        store = try SQLiteStore(path: path, create: true)
        try store.createSchema()
        try store.execute("PRAGMA synchronous = OFF", [])
        try SampleData.insertTrace(store, trace: "t", run: "r", tenant: "tenant")
        trace = try store.traces(tenant: "tenant", run: "r")[0]
        try insert(steps)
        guard sealEveryStep else { _ = try Sealer.seal(store, trace: trace, key: nil); return }
        // One seal per step, written in one transaction (a million Sealer calls would each commit on their own).
        let header = try trace.header()
        let builder = ChainBuilder(genesis: header.genesis)
        var encoder = StepEncoder()
        try store.execute("BEGIN", [])
        try store.forEachStep(of: trace, from: 0) { value in
            try encoder.encode(value)
            let leaf = encoder.bytes.withUnsafeBytes { builder.append(canonicalStep: $0) }
            try store.insert(StoredSeal(seal: Seal(header: header, length: builder.length, head: builder.head,
                                                   merkleRoot: builder.merkleRoot), frontier: builder.state.frontier))
            try store.insertLeaves(traceId: "t", from: builder.length - 1, [leaf])
            return true
        }
        try store.execute("COMMIT", [])
    }

    /// Bulk-inserts `count` steps with one statement.
    func insert(_ count: Int) throws {
        try store.execute("""
            WITH RECURSIVE n(i) AS (SELECT CAST($1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < CAST($2 AS INTEGER))
            INSERT INTO aos_trace_steps (trace_id, step_index, skill_name, params, status, outcome_category, outcome_data,
                cost_cents, duration_ms, retry_count, "timestamp", idempotency_key)
            SELECT 't', i, 'search', json_object('query', 'step ' || i, 'top_k', i % 7), 'completed', 'SUCCESS',
                json_object('rows', i % 50), (i % 100) * 0.25, (i % 1000) + 0.5, 0,
                strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + i, 'unixepoch'), 'idem-' || i FROM n
            """, [String(length), String(length + count)])
        length += count
    }

    /// Adds `count` steps, then seals them (measured).
    func appendAndSeal(_ count: Int, _ benchmark: Benchmark) throws {
        try insert(count)
        benchmark.startMeasurement()
        let outcome = try Sealer.seal(store, trace: trace, key: nil)
        benchmark.stopMeasurement()
        precondition(outcome.rowsRead == count && outcome.toLength == length)
    }
}

/// The sealing fixtures, built once per benchmark process (building the million-step ones takes a while).
nonisolated(unsafe) var sealFixtures: [String: SealFixture] = [:]
func sealFixture(steps: Int, sealEveryStep: Bool) throws -> SealFixture {
    let key = "\(steps)-\(sealEveryStep)"
    if let fixture = sealFixtures[key] { return fixture }
    let fixture = try SealFixture(steps: steps, sealEveryStep: sealEveryStep)
    sealFixtures[key] = fixture
    return fixture
}

let benchmarks: @Sendable () -> Void = {
    // Per-step benchmarks: one scaled iteration is one step, so throughput reads as steps/s.
    let perStep = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .mega,
                                          maxDuration: .seconds(3), maxIterations: 10)

    Benchmark("Chain build, pre-encoded steps", configuration: perStep) { benchmark in
        let builder = ChainBuilder(genesis: header.genesis)
        for i in benchmark.scaledIterations { builder.append(canonicalStep: encodedSteps[i % stepCount]) }
        blackHole(builder.merkleRoot)
    }

    Benchmark("OpenSSL SHA-256 of the same steps, one digest each", configuration: perStep) { benchmark in
        let hasher = SHA256()
        for i in benchmark.scaledIterations {
            encodedSteps[i % stepCount].withUnsafeBytes { hasher.update(bufferPointer: $0) }
            blackHole(hasher.finalize())
        }
    }

    // One iteration verifies the whole 100,000-step export file.
    let whole = Benchmark.Configuration(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(5), maxIterations: 10)
    Benchmark("Verify export file end to end (100k steps per iteration)", configuration: whole) { benchmark in
        _ = exportPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let verdict = try ExportFile.verify(path: exportPath).verdict
            precondition(verdict.kind == .hashChain)
        }
    }

    // An inclusion proof of one step of a 1,000,000-step trace: 20 hashes, checked against the root.
    let size = 1_000_000, index = 765_432
    let proofLeaves = (0 ..< 64).map { SHA256.hash(Array("leaf-\($0)".utf8)) }
    let (proofLeaf, proofPath, proofRoot): (Digest, [Digest], Digest) = {
        let collector = SubtreeCollector(ranges: MerkleProof.inclusionRanges(index: index, size: size))
        let builder = ChainBuilder(genesis: Digest())
        for i in 0 ..< size {
            collector.add(proofLeaves[i % 64])
            builder.append(leaf: proofLeaves[i % 64])
        }
        return (proofLeaves[index % 64], collector.roots()!, builder.merkleRoot)
    }()
    Benchmark("Verify inclusion proof of 1 step in 1,000,000 (\(proofPath.count) hashes)",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(2), maxIterations: 10_000)) { benchmark in
        for _ in benchmark.scaledIterations {
            precondition(MerkleProof.verifyInclusion(leaf: proofLeaf, index: index, size: size, path: proofPath, root: proofRoot))
        }
    }

    // Sealing cost against history (issue 14): must stay flat from 1,000 to 1,000,000 sealed steps or seals.
    // Fixtures are built in setUp, once per process, so every sample measures only the seal.
    let seal = Benchmark.Configuration(metrics: [.wallClock], warmupIterations: 3, maxDuration: .seconds(15), maxIterations: 2_000)
    for steps in [1_000, 1_000_000] {
        for (count, everyStep) in [(100, false), (1, true)] {
            let name = everyStep ? "Seal 1 new step onto \(steps) seals, one per step (SQLite)"
                                 : "Seal 100 new steps onto \(steps) steps sealed once (SQLite)"
            Benchmark(name, configuration: seal, closure: { benchmark in
                let fixture = try sealFixture(steps: steps, sealEveryStep: everyStep)
                for _ in benchmark.scaledIterations { try fixture.appendAndSeal(count, benchmark) }
            }, setup: { _ = try sealFixture(steps: steps, sealEveryStep: everyStep) })
        }
    }
}
