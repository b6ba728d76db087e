import Testing
import RunProofCore
import RunProofSamples
import RunProofStore

/// `verify --all`: every run of a tenant (or of every tenant) in one pass of three queries, each trace with the
/// verdict it gets alone.
@Suite struct BulkVerifierTests {
    /// Runs r0...r4 of tenant-a (r3 unsealed, r4 without steps) and r9 of tenant-b, sealed after every second step.
    func store(_ backend: Backend) throws -> any TraceStore {
        let store = try backend.makeStore()
        for (run, tenant, steps) in [("r0", "tenant-a", 6), ("r1", "tenant-a", 5), ("r2", "tenant-a", 4), ("r3", "tenant-a", 3),
                                     ("r4", "tenant-a", 0), ("r9", "tenant-b", 2)] {
            _ = try addTrace(store, run: run, tenant: tenant, steps: 0)
            for upTo in stride(from: 2, through: steps, by: 2) where run != "r3" {
                try SampleData.insertSteps(store, trace: run, upTo - 2 ..< upTo)
                _ = try Sealer.seal(store, tenant: tenant, run: run, key: nil)
            }
            if run == "r3" { try SampleData.insertSteps(store, trace: run, 0 ..< steps) }
            if steps % 2 == 1, run != "r3" { try SampleData.insertSteps(store, trace: run, steps - 1 ..< steps) }
        }
        return store
    }

    func all(_ store: any TraceStore, tenant: String?, since: String? = nil) throws -> [String: Verdict] {
        var verdicts: [String: Verdict] = [:]
        try BulkVerifier.verifyAll(store, tenant: tenant, since: since) { verdicts[$0.header.runId] = $0.verdict }
        return verdicts
    }

    @Test(arguments: Backend.allCases)
    func everyRunGetsTheVerdictItGetsAlone(backend: Backend) throws {
        let store = try store(backend)
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET status = 'tampered' WHERE \(column) = 'r1' AND step_index = 2", [])
        let verdicts = try all(store, tenant: "tenant-a")
        #expect(verdicts.keys.sorted() == ["r0", "r1", "r2", "r3", "r4"], "tenant-b's run is not among them")
        for (run, verdict) in verdicts {
            let alone = try StoreVerifier.verify(store, tenant: "tenant-a", run: run).verdict
            #expect(verdict.json == alone.json, "\(run): \(verdict.reason ?? "") vs \(alone.reason ?? "")")
        }
        #expect(verdicts["r0"]?.kind == .hashChain && verdicts["r2"]?.kind == .hashChain)
        #expect(verdicts["r1"]?.kind == .failed && verdicts["r1"]?.failingStepIndex == 2)
        #expect(verdicts["r3"]?.kind == .unsupported && verdicts["r4"]?.kind == .unsupported)
        #expect(try all(store, tenant: nil).keys.sorted() == ["r0", "r1", "r2", "r3", "r4", "r9"], "every tenant for an operator")
        #expect(try all(store, tenant: "tenant-c").isEmpty)
        #expect(try all(store, tenant: "tenant-a", since: "2030-01-01T00:00:00Z").isEmpty)
        #expect(try all(store, tenant: "tenant-a", since: "2020-01-01T00:00:00Z").count == 5)
    }

    /// A seal row copied under another length and a deleted step, seen in the one pass as alone.
    @Test(arguments: [Backend.postgres, .sqlite])
    func sealAndStepProblemsInOnePass(backend: Backend) throws {
        let store = try store(backend)
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT trace_id, tenant_id, run_id, 3, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = 'r0' AND chain_length = 2
            """, [])
        try store.execute("DELETE FROM aos_trace_steps WHERE trace_id = 'r2' AND step_index = 1", [])
        // A seal row of r1 under another tenant: not r1's seal, not counted among its seals.
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT trace_id, 'tenant-b', run_id, 99, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = 'r1' AND chain_length = 2
            """, [])
        let verdicts = try all(store, tenant: "tenant-a")
        #expect(verdicts["r0"]?.failureKind == .seal, "\(verdicts["r0"]?.reason ?? "")")
        #expect(verdicts["r2"]?.kind == .failed && verdicts["r2"]?.failingStepIndex == 1)
        #expect(verdicts["r1"]?.kind == .hashChain, "the runs after a failed one are verified as usual")
        for (run, verdict) in verdicts {
            #expect(verdict.json == (try StoreVerifier.verify(store, tenant: "tenant-a", run: run).verdict.json), "\(run)")
        }
    }

    /// Reordered steps, and a run whose steps are all gone while its recorded leaves stay: the leaves, merged beside
    /// the steps, name the step each run names alone, and the runs around them are not disturbed.
    @Test(arguments: Backend.allCases)
    func reorderedAndRemovedStepsInOnePass(backend: Backend) throws {
        let store = try store(backend)
        let (table, column) = stepsTable(store)
        for (from, to) in [(1, -1), (3, 1), (-1, 3)] {
            try store.execute("UPDATE \(table) SET step_index = \(to) WHERE \(column) = 'r2' AND step_index = \(from)", [])
        }
        try store.execute("DELETE FROM \(table) WHERE \(column) = 'r0'", [])
        let verdicts = try all(store, tenant: "tenant-a")
        #expect(verdicts["r2"]?.kind == .failed && verdicts["r2"]?.failingStepIndex == 1, "\(verdicts["r2"]?.reason ?? "")")
        #expect(verdicts["r0"]?.kind == .failed, "\(verdicts["r0"]?.reason ?? "")")
        #expect(verdicts["r1"]?.kind == .hashChain)
        for (run, verdict) in verdicts {
            #expect(verdict.json == (try StoreVerifier.verify(store, tenant: "tenant-a", run: run).verdict.json), "\(run)")
        }
    }

    /// A trace id that is not UTF-8 (SQLite keeps the bytes it is given) sorts first: its rows are passed over as
    /// stored, not as the repaired text of its header, and the run after it gets its own verdict.
    @Test func aTraceIdThatIsNotUTF8DoesNotShiftTheRunsAfterIt() throws {
        let store = try Backend.sqlite.makeStore()
        _ = try addTrace(store, run: "r0", steps: 4)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "r0", key: nil)
        try store.execute("""
            INSERT INTO aos_traces (trace_id, run_id, tenant_id, correlation_id, agent_id, plan, started_at)
            SELECT CAST(X'61FF' AS TEXT), 'r-bad', tenant_id, correlation_id, agent_id, plan, started_at FROM aos_traces WHERE trace_id = 'r0'
            """, [])
        try store.execute("CREATE TEMP TABLE copied AS SELECT * FROM aos_trace_steps WHERE trace_id = 'r0'", [])
        try store.execute("UPDATE copied SET id = NULL, trace_id = CAST(X'61FF' AS TEXT)", [])
        try store.execute("INSERT INTO aos_trace_steps SELECT * FROM copied", [])
        let verdicts = try all(store, tenant: "tenant-a")
        #expect(verdicts.count == 2)
        #expect(verdicts["r0"]?.kind == .hashChain, "\(verdicts["r0"]?.reason ?? "")")
    }
}

/// Rows made ready on worker threads give the verdict the calling thread alone gives, on intact and tampered traces
/// of several batches, alone and in verify --all (where batches are reused and a run ends inside a batch); SQLite
/// only, so that it runs under ThreadSanitizer too (Scripts/test-tsan).
@Suite struct ParallelStoreVerifyTests {
    @Test(arguments: ["intact", "changed", "deleted", "swapped", "non-canonical", "truncated"])
    func rowsMadeReadyOnWorkersGiveTheSameVerdict(tampering: String) throws {
        let store = try Backend.sqlite.makeStore()
        _ = try addTrace(store, run: "run-p", steps: 0)
        for upTo in [700, 1_500, 2_600] {
            try SampleData.insertSteps(store, trace: "run-p", (upTo == 700 ? 0 : upTo == 1_500 ? 700 : 1_500) ..< upTo)
            _ = try Sealer.seal(store, tenant: "tenant-a", run: "run-p", key: nil)
        }
        _ = try addTrace(store, run: "run-q", steps: 5)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "run-q", key: nil)
        switch tampering {
        case "changed": try store.execute("UPDATE aos_trace_steps SET status = 'x' WHERE trace_id = 'run-p' AND step_index = 1234", [])
        case "deleted": try store.execute("DELETE FROM aos_trace_steps WHERE trace_id = 'run-p' AND step_index = 999", [])
        case "swapped":
            for (from, to) in [(2000, -1), (2001, 2000), (-1, 2001)] {
                try store.execute("UPDATE aos_trace_steps SET step_index = \(to) WHERE trace_id = 'run-p' AND step_index = \(from)", [])
            }
        case "non-canonical": try store.execute("UPDATE aos_trace_steps SET params = '{bad' WHERE trace_id = 'run-p' AND step_index = 1800", [])
        case "truncated": try store.execute("DELETE FROM aos_trace_steps WHERE trace_id = 'run-p' AND step_index >= 2500", [])
        default: break
        }
        let serial = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-p", collectSteps: true, workers: 0)
        let parallel = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-p", collectSteps: true, workers: 3)
        #expect(parallel.traces[0].verdict.json == serial.traces[0].verdict.json, "\(tampering): \(parallel.verdict.reason ?? "")")
        #expect(parallel.traces[0].steps == serial.traces[0].steps && parallel.traces[0].stepCount == serial.traces[0].stepCount)
        #expect((serial.verdict.kind == .hashChain) == (tampering == "intact"), "\(tampering): \(serial.verdict.reason ?? "")")
        for workers in [0, 1, 3] {
            var all: [String: Verdict] = [:]
            try BulkVerifier.verifyAll(store, tenant: "tenant-a", since: nil, workers: workers) { all[$0.header.runId] = $0.verdict }
            #expect(all["run-p"]?.json == serial.traces[0].verdict.json, "verify --all, \(workers) workers, \(tampering)")
            #expect(all["run-q"]?.kind == .hashChain && all.count == 2, "the run after it, \(workers) workers, \(tampering)")
        }
    }
}
