import Testing
import RunProofCore
import RunProofStore

/// Exact pinpointing (docs/chain-v1.md 6.3): a trace of 1,000 steps sealed once, each kind of change made
/// at step 417 in SQL behind the sealer's back, is reported at step 417 with its kind, from the store
/// and from an export of it.
@Suite struct LocateTests {
    static let k = 417

    /// A change made in SQL and the verdict it must give.
    struct Tampering: CustomStringConvertible, Sendable {
        var name: String
        var kind: Verdict.FailureKind
        var sql: @Sendable (_ table: String, _ column: String) -> [String]
        var description: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "changed", kind: .changed) { t, c in
            ["UPDATE \(t) SET status = 'failed' WHERE \(c) = 'long' AND step_index = \(k)"]
        },
        Tampering(name: "removed and renumbered", kind: .removed) { t, c in
            ["DELETE FROM \(t) WHERE \(c) = 'long' AND step_index = \(k)",
             "UPDATE \(t) SET step_index = step_index + 100000 WHERE \(c) = 'long' AND step_index > \(k)",
             "UPDATE \(t) SET step_index = step_index - 100001 WHERE \(c) = 'long' AND step_index > 100000"]
        },
        Tampering(name: "removed", kind: .removed) { t, c in
            ["DELETE FROM \(t) WHERE \(c) = 'long' AND step_index = \(k)"]
        },
        Tampering(name: "inserted", kind: .inserted) { t, c in
            ["UPDATE \(t) SET step_index = step_index + 100000 WHERE \(c) = 'long' AND step_index >= \(k)",
             "UPDATE \(t) SET step_index = step_index - 99999 WHERE \(c) = 'long' AND step_index >= 100000",
             "INSERT INTO \(t) (\(c), step_index, skill_name, params, status, outcome_category, cost_cents, duration_ms, retry_count, \"timestamp\") VALUES ('long', \(k), 'forged', '{}', 'completed', 'SUCCESS', 0, 0, 0, '2026-01-01T00:00:00Z')"]
        },
        Tampering(name: "reordered", kind: .reordered) { t, c in swap(t, c, k, k + 1) },
        Tampering(name: "reordered far apart", kind: .reordered) { t, c in swap(t, c, k, k + 300) },
        Tampering(name: "index gap", kind: .indexGap) { t, c in
            ["UPDATE \(t) SET step_index = 5000 WHERE \(c) = 'long' AND step_index = \(k)",
             "UPDATE \(t) SET status = 'failed' WHERE \(c) = 'long' AND step_index = \(k + 1)"]
        },
        Tampering(name: "truncated", kind: .truncated) { t, c in
            ["DELETE FROM \(t) WHERE \(c) = 'long' AND step_index >= \(k)"]
        },
    ]

    static func swap(_ t: String, _ c: String, _ a: Int, _ b: Int) -> [String] {
        ["UPDATE \(t) SET step_index = -7 WHERE \(c) = 'long' AND step_index = \(a)",
         "UPDATE \(t) SET step_index = \(a) WHERE \(c) = 'long' AND step_index = \(b)",
         "UPDATE \(t) SET step_index = \(b) WHERE \(c) = 'long' AND step_index = -7"]
    }

    static var cases: [(Backend, Tampering)] { Backend.allCases.flatMap { b in tamperings.map { (b, $0) } } }

    /// The verdict of run `long`; on PostgreSQL, checked to be the same with the recorded leaves joined (a short
    /// trace) and streamed on a connection of their own (a long one).
    func verdict(_ store: any TraceStore) throws -> Verdict {
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "long").verdict
        if let postgres = store as? PostgresStore {
            postgres.joinedLeavesUpTo = 0
            defer { postgres.joinedLeavesUpTo = 10_000 }
            let apart = try StoreVerifier.verify(postgres, tenant: "tenant-a", run: "long").verdict
            #expect(apart.json == v.json, "leaves streamed apart: \(apart.reason ?? "")")
        }
        return v
    }

    @Test(arguments: cases)
    func eachKindOfChangeIsReportedAtItsStep(backend: Backend, tampering: Tampering) throws {
        let store = try backend.makeStore()
        try store.execute("BEGIN", [])
        _ = try addTrace(store, run: "long", steps: 1000)
        try store.execute("COMMIT", [])
        let outcome = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: nil)
        #expect(outcome[0].toLength == 1000)
        let (table, column) = stepsTable(store)
        for statement in tampering.sql(table, column) { try store.execute(statement, []) }

        let fromStore = try verdict(store)
        #expect(fromStore.kind == .failed && fromStore.failureKind == tampering.kind && fromStore.failingStepIndex == Self.k,
                "\(backend) \(tampering): \(fromStore.failureKind?.rawValue ?? "nil") at \(fromStore.failingStepIndex.map(String.init) ?? "nil"): \(fromStore.reason ?? "")")

        let path = Backend.temporaryPath() + ".ndjson"
        let trace = try store.traces(tenant: "tenant-a", run: "long")[0]
        try Exporter.export(store, trace: trace, to: path)
        let fromFile = try ExportFile.verify(path: path).verdict
        #expect(fromFile.kind == .failed && fromFile.failureKind == tampering.kind && fromFile.failingStepIndex == Self.k,
                "file \(backend) \(tampering): \(fromFile.failureKind?.rawValue ?? "nil") at \(fromFile.failingStepIndex.map(String.init) ?? "nil"): \(fromFile.reason ?? "")")
    }

    /// The leaves are recorded in batches of 4,096 per statement: a change in the second batch, and in the last
    /// leaf of the first, is still located at its own step (the recorded leaf of every index is that step's).
    @Test(arguments: Backend.allCases)
    func leavesRecordedInBatchesLocateEveryStep(backend: Backend) throws {
        let store = try backend.makeStore()
        try store.execute("BEGIN", [])
        _ = try addTrace(store, run: "long", steps: 4_200)
        try store.execute("COMMIT", [])
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: nil)
        let rows = try store.query("SELECT count(*), min(step_index), max(step_index), count(DISTINCT leaf) FROM aos_trace_leaves", [])
        #expect(rows.first == ["4200", "0", "4199", "4200"])
        let (table, column) = stepsTable(store)
        for step in [4_095, 4_150] {
            try store.execute("UPDATE \(table) SET status = 'failed' WHERE \(column) = 'long' AND step_index = \(step)", [])
            let verdict = try verdict(store)
            #expect(verdict.failureKind == .changed && verdict.failingStepIndex == 4_095, "\(backend): \(verdict.reason ?? "")")
        }
    }

    /// SQLite keeps a non-integral number in an INTEGER column: such a leaf row, which no step has, is passed over,
    /// and a change after it is still located at its step, by one run's verification and by `verify --all`.
    @Test func aLeafRowOfNoStepIsPassedOver() throws {
        let store = try Backend.sqlite.makeStore()
        _ = try addTrace(store, run: "long", steps: 40)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: nil)
        try store.execute("INSERT INTO aos_trace_leaves (trace_id, step_index, leaf) VALUES ('long', 2.5, $1)", [String(repeating: "0", count: 64)])
        try store.execute("UPDATE aos_trace_steps SET status = 'failed' WHERE trace_id = 'long' AND step_index = 30", [])
        let alone = try verdict(store)
        #expect(alone.failureKind == .changed && alone.failingStepIndex == 30, "\(alone.reason ?? "")")
        var all: [Verdict] = []
        try BulkVerifier.verifyAll(store, tenant: "tenant-a", since: nil) { all.append($0.verdict) }
        #expect(all.first?.json == alone.json, "\(all.first?.reason ?? "")")
    }

    @Test(arguments: Backend.allCases)
    func anAlteredLeafRecordIsItselfDetected(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "long", steps: 40)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: nil)
        #expect(try verdict(store).kind == .hashChain)
        // The record is append-only: go around the trigger by recreating the table with one leaf changed.
        let rows = try store.query("SELECT trace_id, step_index, leaf FROM aos_trace_leaves ORDER BY step_index", [])
        try store.execute("DROP TABLE aos_trace_leaves", [])
        try store.execute("CREATE TABLE aos_trace_leaves (trace_id text NOT NULL, step_index integer NOT NULL, leaf text NOT NULL, PRIMARY KEY (trace_id, step_index))", [])
        for row in rows {
            let leaf = row[1] == "12" ? String(repeating: "0", count: 64) : row[2]
            try store.execute("INSERT INTO aos_trace_leaves (trace_id, step_index, leaf) VALUES ($1, CAST($2 AS integer), $3)", [row[0], row[1], leaf])
        }
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failureKind == .leafRecord && v.failingStepIndex == 12, "\(v.reason ?? "")")
        // Alter a step too: the record no longer matches the seal, so it cannot be trusted to locate.
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET status = 'failed' WHERE \(column) = 'long' AND step_index = 30", [])
        let both = try verdict(store)
        #expect(both.kind == .failed && both.failureKind == .mismatch && both.failingStepIndex == 0, "\(both.reason ?? "")")
    }
}
