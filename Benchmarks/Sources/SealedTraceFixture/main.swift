// Builds the benchmark trace of issue 15 in a store: N steps, sealed after every K steps (or once), with the
// leaf record RunProof's sealer keeps; optionally exports it. The seals are RunProof's own (ChainBuilder over the
// steps as the store gives them), written in one transaction: a million `runproof seal` processes would take hours.
//
//   sealed-trace-fixture --db LOCATION --steps N [--every K] [--export FILE] [--append M]
//
// --every 0 seals once, at the end. --append M only adds M unsealed steps to the existing fixture (for timing
// `runproof seal` onto it). The trace is run "bench-seals" of tenant "tenant-bench".
import Foundation
import RunProofCore
import RunProofStore
import RunProofSamples

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String) -> String? {
    guard let at = arguments.firstIndex(of: name), arguments.index(after: at) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: at)]
}
guard let location = option("--db") else {
    FileHandle.standardError.write(Data("usage: sealed-trace-fixture --db LOCATION --steps N [--every K] [--export FILE] [--append M]\n".utf8))
    exit(64)
}
let tenant = "tenant-bench", run = "bench-seals"

/// Inserts steps `from ..< to` of the fixture with one statement.
func insertSteps(_ store: any TraceStore, from: Int, to: Int) throws {
    let postgres = store.dialect == .postgres
    let json = postgres ? "jsonb_build_object" : "json_object"
    let series = postgres
        ? "generate_series($1::integer, $2::integer - 1) AS n(i)"
        : "(WITH RECURSIVE s(i) AS (SELECT CAST($1 AS INTEGER) UNION ALL SELECT i + 1 FROM s WHERE i + 1 < CAST($2 AS INTEGER)) SELECT i FROM s) AS n"
    let timestamp = postgres ? "timestamptz '2026-01-01' + i * interval '1 second'"
                             : "strftime('%Y-%m-%dT%H:%M:%SZ', 1767225600 + i, 'unixepoch')"
    try store.execute("""
        INSERT INTO aos_trace_steps (trace_id, step_index, skill_name, params, status, outcome_category, outcome_data,
            cost_cents, duration_ms, retry_count, "timestamp", idempotency_key)
        SELECT 'bench-seals', i, 'search', \(json)('query', 'step ' || i, 'top_k', i % 7), 'completed', 'SUCCESS',
            \(json)('rows', i % 50), (i % 100) * 0.25, (i % 1000) + 0.5, 0, \(timestamp), 'idem-' || i FROM \(series)
        """, [String(from), String(to)])
}

do {
    let store = try openStore(location, create: true)
    if let append = option("--append").flatMap(Int.init) {
        let last = try store.query("SELECT max(step_index) FROM aos_trace_steps WHERE trace_id = $1", [run])
        let maxIndex: String? = last.first?.first ?? nil
        let length = (maxIndex.flatMap { Int($0) } ?? -1) + 1
        try insertSteps(store, from: length, to: length + append)
        exit(0)
    }
    guard let steps = option("--steps").flatMap(Int.init), steps > 0 else { throw RunProofError(.usage, "--steps N is required") }
    let every = option("--every").flatMap(Int.init) ?? 1
    try store.createSchema()
    try SampleData.insertTrace(store, trace: run, run: run, tenant: tenant)
    try insertSteps(store, from: 0, to: steps)
    if store.dialect == .postgres { try store.execute("ANALYZE aos_trace_steps", []) }
    let trace = try store.traces(tenant: tenant, run: run)[0]
    let header = try trace.header()
    let builder = ChainBuilder(genesis: header.genesis)
    var encoder = StepEncoder()
    var leaves: [Digest] = []
    var sealed = 0
    func seal() throws {
        try store.insertLeaves(traceId: run, from: sealed, leaves)
        leaves.removeAll(keepingCapacity: true)
        try store.insert(StoredSeal(seal: Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot),
                                    frontier: builder.state.frontier))
        sealed = builder.length
    }
    try store.withSealLock(trace) {
        // Steps are read through a cursor, so the seals can be written between two fetches.
        try store.forEachStep(of: trace, from: 0) { value in
            try encoder.encode(value)
            leaves.append(encoder.bytes.withUnsafeBytes { builder.append(canonicalStep: $0) })
            if every > 0 && builder.length % every == 0 { try seal() }
            return true
        }
        if builder.length > sealed { try seal() }
    }
    if let path = option("--export") {
        try Exporter.export(store, trace: trace, to: path, policy: OutputPolicy(force: true))
    }
    print("\(location): \(steps) steps, \(every > 0 ? "a seal every \(every) step\(every == 1 ? "" : "s")" : "one seal")")
} catch {
    FileHandle.standardError.write(Data("sealed-trace-fixture: \(error)\n".utf8))
    exit(1)
}
