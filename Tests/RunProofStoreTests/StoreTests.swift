import Testing
import RunProofCore
import RunProofStore
import RunProofSamples

/// The verdict matrix against real stores, with tampering done in SQL behind the sealer's back.
@Suite struct StoreTests {
    let key = try! SigningKey()
    var trust: TrustPolicy { TrustPolicy(publicKey: key.publicKey, requireSignature: true) }

    /// A 6-step trace sealed at 2, 4 and 6.
    func sealedTrace(_ backend: Backend, run: String = "run-1") throws -> any TraceStore {
        let store = try backend.makeStore()
        try SampleData.insertTrace(store, trace: run, run: run, tenant: "tenant-a")
        for upTo in [2, 4, 6] {
            try SampleData.insertSteps(store, trace: run, upTo - 2 ..< upTo)
            let outcome = try Sealer.seal(store, tenant: "tenant-a", run: run, key: key)
            #expect(outcome.count == 1 && outcome[0].toLength == upTo && outcome[0].rowsRead == 2)
        }
        return store
    }

    func verdict(_ store: any TraceStore, run: String = "run-1", tenant: String = "tenant-a") throws -> Verdict {
        try StoreVerifier.verify(store, tenant: tenant, run: run, trust: trust).verdict
    }

    @Test(arguments: Backend.allCases)
    func sealedTraceVerifies(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let v = try verdict(store)
        #expect(v.kind == .hashChain, "\(v.reason ?? "")")
        #expect(v.chainLength == 6 && v.sealCount == 3 && v.signature == .valid)
        #expect(v.legacyRootHash != nil)
    }

    @Test(arguments: Backend.allCases)
    func changedStepFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET status = $1 WHERE \(column) = $2 AND step_index = 3", ["failed", "run-1"])
        let v = try verdict(store)
        #expect(v.kind == .failed)
        // Seals at 2, 4 and 6 alone would only say "a step in 2...3"; the leaf record names step 3.
        #expect(v.failingStepIndex == 3 && v.failureKind == .changed, "\(v.reason ?? "")")
    }

    @Test(arguments: Backend.allCases)
    func deletedStepFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        try store.execute("DELETE FROM \(table) WHERE \(column) = $1 AND step_index = 2", ["run-1"])
        let gap = try verdict(store)
        #expect(gap.kind == .failed && gap.failingStepIndex == 2 && gap.failureKind == .removed)
        #expect(gap.reason?.contains("step 2 was removed") == true, "\(gap.reason ?? "")")
    }

    @Test(arguments: Backend.allCases)
    func truncationFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        try store.execute("DELETE FROM \(table) WHERE \(column) = $1 AND step_index >= 4", ["run-1"])
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failingStepIndex == 4 && v.failureKind == .truncated)
        #expect(v.reason?.contains("truncated") == true)
    }

    @Test(arguments: Backend.allCases)
    func insertedStepFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        // Make room at index 2 and slip in a forged step: every later step moves up by one.
        try store.execute("UPDATE \(table) SET step_index = step_index + 1000 WHERE \(column) = $1 AND step_index >= 2", ["run-1"])
        try store.execute("UPDATE \(table) SET step_index = step_index - 999 WHERE \(column) = $1 AND step_index >= 1000", ["run-1"])
        try SampleData.insertSteps(store, trace: "run-1", 2 ..< 3)
        // (SampleData would write the old step 2 again: make the forged one differ.)
        try store.execute("UPDATE \(table) SET status = 'forged' WHERE \(column) = $1 AND step_index = 2", ["run-1"])
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failingStepIndex == 2 && v.failureKind == .inserted, "\(v.reason ?? "")")
    }

    @Test(arguments: Backend.allCases)
    func negativeIndexRowFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET step_index = -1 WHERE \(column) = $1 AND step_index = 5", ["run-1"])
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failingStepIndex == 0)
        // The incremental sealer reads only steps >= 6, yet still sees the negative index (by its own probe) and refuses.
        try SampleData.insertSteps(store, trace: "run-1", 6 ..< 7)
        #expect(throws: RunProofError.self) { try Sealer.seal(store, tenant: "tenant-a", run: "run-1", key: key) }
    }

    @Test(arguments: Backend.allCases)
    func appendedStepIsUnsealedNotFailed(backend: Backend) throws {
        let store = try sealedTrace(backend)
        try SampleData.insertSteps(store, trace: "run-1", 6 ..< 7)
        let v = try verdict(store)
        #expect(v.kind == .hashChain && v.unsealedSteps == 1)
    }

    @Test(arguments: Backend.allCases)
    func reorderedStepsFail(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET step_index = 100 WHERE \(column) = $1 AND step_index = 4", ["run-1"])
        try store.execute("UPDATE \(table) SET step_index = 4 WHERE \(column) = $1 AND step_index = 5", ["run-1"])
        try store.execute("UPDATE \(table) SET step_index = 5 WHERE \(column) = $1 AND step_index = 100", ["run-1"])
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failingStepIndex == 4 && v.failureKind == .reordered, "\(v.reason ?? "")")
    }

    @Test(arguments: Backend.allCases)
    func sealCopiedToAnotherRunFails(backend: Backend) throws {
        let store = try sealedTrace(backend)
        _ = try addTrace(store, run: "run-2", steps: 6)
        // Copy run-1's latest seal onto run-2, as if run-2 had been sealed.
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT $1, tenant_id, $1, chain_length, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = $2 AND chain_length = 6
            """, ["run-2", "run-1"])
        let v = try verdict(store, run: "run-2")
        #expect(v.kind == .failed)
        #expect(v.reason?.contains("another tenant, run or trace") == true)
    }

    @Test(arguments: Backend.allCases)
    func anotherTenantSeesExactlyWhatAMissingRunGives(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let foreign = try StoreVerifier.verify(store, tenant: "tenant-b", run: "run-1", trust: trust, verifiedAt: "t")
        let missing = try StoreVerifier.verify(store, tenant: "tenant-b", run: "no-such-run", trust: trust, verifiedAt: "t")
        #expect(foreign.verdict.kind == .unsupported)
        #expect(foreign.verdict.reason == "No trace found for run")
        var missingJSON = missing.json(includeSteps: true).canonicalString
        missingJSON = missingJSON.replacingOccurrences(of: "no-such-run", with: "run-1")
        #expect(foreign.json(includeSteps: true).canonicalString == missingJSON)
        #expect(throws: RunProofError.self) { try Sealer.seal(store, tenant: "tenant-b", run: "run-1", key: key) }
    }

    @Test(arguments: Backend.allCases)
    func nonCanonicalizableStepFailsNamingTheField(backend: Backend) throws {
        let store = try sealedTrace(backend)
        let (table, column) = stepsTable(store)
        if backend == .postgres {
            try store.execute("UPDATE \(table) SET cost_cents = 'NaN' WHERE \(column) = $1 AND step_index = 1", ["run-1"])
        } else {
            try store.execute("UPDATE \(table) SET params = $1 WHERE \(column) = $2 AND step_index = 1", [#"{"a":1,"a":2}"#, "run-1"])
        }
        let v = try verdict(store)
        #expect(v.kind == .failed && v.failingStepIndex == 1)
        #expect(v.reason?.contains(backend == .postgres ? "cost_cents" : "params") == true, "\(v.reason ?? "")")
        // Sealing refuses it too, naming step and field.
        try SampleData.insertSteps(store, trace: "run-1", 6 ..< 7)
        if backend == .postgres { // jsonb itself refuses lone surrogates; a double can still be infinite
            try store.execute("UPDATE \(table) SET duration_ms = 'Infinity' WHERE \(column) = $1 AND step_index = 6", ["run-1"])
        } else {
            try store.execute("UPDATE \(table) SET params = $1 WHERE \(column) = $2 AND step_index = 6", [#"{"x":"\ud800"}"#, "run-1"])
        }
        let field = backend == .postgres ? "step 6 field duration_ms" : "step 6 field params"
        #expect { try Sealer.seal(store, tenant: "tenant-a", run: "run-1", key: key) } throws: { error in
            "\(error)".contains(field)
        }
    }

    @Test(arguments: Backend.allCases)
    func emptyAndUnsealedTracesAreUnsupported(backend: Backend) throws {
        let store = try backend.makeStore()
        try SampleData.insertTrace(store, trace: "empty", run: "empty", tenant: "tenant-a")
        let empty = try verdict(store, run: "empty")
        #expect(empty.kind == .unsupported && empty.reason == "trace has no steps")
        _ = try addTrace(store, run: "fresh", steps: 3)
        let fresh = try verdict(store, run: "fresh")
        #expect(fresh.kind == .unsupported && fresh.reason == "trace was never sealed")
        #expect(fresh.head != nil && fresh.merkleRoot != nil && fresh.chainLength == 3)
    }

    @Test(arguments: [Backend.postgres, .sqlite])
    func aRunWithSeveralTracesFailsIfAnyFails(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "multi", steps: 3, trace: "multi-a")
        _ = try addTrace(store, run: "multi", steps: 4, trace: "multi-b")
        let outcomes = try Sealer.seal(store, tenant: "tenant-a", run: "multi", key: key)
        #expect(outcomes.map(\.toLength) == [3, 4])
        let report = try StoreVerifier.verify(store, tenant: "tenant-a", run: "multi", trust: trust)
        #expect(report.traces.count == 2 && report.verdict.kind == .hashChain)
        try store.execute("UPDATE aos_trace_steps SET skill_name = 'x' WHERE trace_id = $1 AND step_index = 0", ["multi-b"])
        let tampered = try StoreVerifier.verify(store, tenant: "tenant-a", run: "multi", trust: trust)
        #expect(tampered.verdict.kind == .failed)
        #expect(tampered.traces.map(\.verdict.kind) == [.hashChain, .failed])
    }

    @Test(arguments: Backend.allCases)
    func sealsAreAppendOnly(backend: Backend) throws {
        let store = try sealedTrace(backend)
        #expect(throws: RunProofError.self) { try store.execute("UPDATE aos_trace_seals SET head = 'x'", []) }
        #expect(throws: RunProofError.self) { try store.execute("DELETE FROM aos_trace_seals", []) }
        if backend == .postgres {
            #expect(throws: RunProofError.self) { try store.execute("TRUNCATE aos_trace_seals", []) }
        }
        #expect(throws: RunProofError.self) {
            try store.execute("""
                INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, seal, frontier)
                VALUES ('run-1', 'tenant-a', 'run-1', 6, 'h', 'm', 's', 'f')
                """, [])
        }
        #expect(try verdict(store).kind == .hashChain)
    }

    @Test(arguments: Backend.allCases)
    func sealingReadsOnlyTheNewSteps(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "long", steps: 300)
        let first = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: key)[0]
        #expect(first.rowsRead == 300 && first.toLength == 300)
        // Seal after every step for a while: each seal reads one step row and one seal row, whatever came before.
        for index in 300 ..< 320 {
            try SampleData.insertSteps(store, trace: "long", index ..< index + 1)
            let (steps, seals) = (store.rowsRead, store.sealRowsRead)
            let outcome = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: key)[0]
            #expect(store.rowsRead - steps == 1 && store.sealRowsRead - seals == 1 && outcome.toLength == index + 1)
        }
        try SampleData.insertSteps(store, trace: "long", 320 ..< 420)
        let (before, sealsBefore) = (store.rowsRead, store.sealRowsRead)
        let second = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: key)[0]
        #expect(store.rowsRead - before == 100)
        #expect(store.sealRowsRead - sealsBefore == 1)
        #expect(second.rowsRead == 100 && second.fromLength == 320 && second.toLength == 420)
        let again = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: key)[0]
        #expect(again.seal == nil && again.rowsRead == 0)
        #expect(try verdict(store, run: "long").kind == .hashChain)
    }

    /// The outcomes of `Sealer.sealAll`, collected (the CLI prints each as it comes instead).
    func sealAll(_ store: any TraceStore, pageSize: Int = 1000) throws -> [SealOutcome] {
        var outcomes: [SealOutcome] = []
        let count = try Sealer.sealAll(store, key: key, pageSize: pageSize) { outcomes.append($0) }
        #expect(count == outcomes.count)
        return outcomes
    }

    @Test(arguments: Backend.allCases)
    func sealAllSealsOnlyTracesWithNewSteps(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "r1", steps: 2)
        _ = try addTrace(store, run: "r2", tenant: "tenant-b", steps: 3)
        #expect(try sealAll(store).map(\.toLength).sorted() == [2, 3])
        #expect(try sealAll(store).isEmpty)
        try SampleData.insertSteps(store, trace: "r2", 3 ..< 5)
        let outcomes = try sealAll(store)
        #expect(outcomes.count == 1 && outcomes[0].trace.runId == "r2" && outcomes[0].toLength == 5)
    }

    /// More traces than a page: each is sealed once, in (tenant, run, start, trace) order, whatever the page size,
    /// traces already sealed and runs of several traces that start at the same time included.
    @Test(arguments: Backend.allCases)
    func sealAllReadsTheTracesAPageAtATime(backend: Backend) throws {
        for pageSize in [1, 2, 1000] {
            let store = try backend.makeStore()
            let legacy = (store as? SQLiteStore)?.isLegacy ?? false
            for (run, tenant) in [("r3", "tenant-a"), ("r1", "tenant-b"), ("r2", "tenant-a"), ("r4", "tenant-a"), ("r5", "tenant-b")] {
                _ = try addTrace(store, run: run, tenant: tenant, steps: 2)
            }
            _ = try Sealer.seal(store, tenant: "tenant-a", run: "r4", key: key)
            if !legacy { _ = try addTrace(store, run: "r2", steps: 1, trace: "r2-second") } // a second trace of run r2, same start
            let outcomes = try sealAll(store, pageSize: pageSize)
            #expect(outcomes.map(\.trace.traceId) == (legacy ? ["r2", "r3", "r1", "r5"] : ["r2", "r2-second", "r3", "r1", "r5"]),
                    "page size \(pageSize)")
            #expect(try sealAll(store, pageSize: pageSize).isEmpty)
        }
    }

    @Test(arguments: [Backend.postgres, .sqlite])
    func racingSealersNeverFork(backend: Backend) async throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "race", steps: 200)
        let key = self.key
        let results = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0 ..< 4 {
                let other = try backend.reopen(store)
                let box = UncheckedBox(other)
                group.addTask { try Sealer.seal(box.value, tenant: "tenant-a", run: "race", key: key)[0].seal?.chainLength }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(results.compactMap { $0 } == [200], "exactly one sealer seals, the others find it sealed")
        #expect(try store.seals(of: store.traces(tenant: "tenant-a", run: "race")[0]).count == 1)
        #expect(try verdict(store, run: "race").kind == .hashChain)
    }

    /// Text that COPY escapes (tab, newline, carriage return, backslash, the other control characters), text that
    /// reads like its NULL marker (`\\N`), and text beyond ASCII, in a trace id, in text columns and in JSON strings and
    /// keys: PostgreSQL (rows through COPY) gives the same canonical steps as SQLite, a single run and `verify --all`
    /// verify, and a change to one of those characters is found.
    @Test func textThatCOPYEscapesReadsAsStored() throws {
        let hostile = "tab\there\nnew\rcr\\back\u{8}bs\u{c}ff\u{b}vt\u{1}soh\u{7f}del é 🦀 \\N"
        let params = JSONValue.object(["s": .string(hostile), "tab\tkey\\": .string("\\N"), "n": .string("line\none")]).canonicalString
        let trace = "trace\t\\N\n1"
        var steps: [[String]] = []
        for backend in [Backend.postgres, .sqlite] {
            let store = try backend.makeStore()
            // The sample steps write their trace id into JSON: they are made under a plain one, then moved.
            try SampleData.insertTrace(store, trace: trace, run: "odd", tenant: "tenant-a")
            _ = try addTrace(store, run: "plain", steps: 3)
            try store.execute("UPDATE aos_trace_steps SET trace_id = $1", [trace])
            try store.execute("UPDATE aos_trace_steps SET skill_name = $1, idempotency_key = $2, params = $3 WHERE step_index = 1",
                              [hostile, "\\N", params])
            _ = try Sealer.seal(store, tenant: "tenant-a", run: "odd", key: nil)
            let report = try StoreVerifier.verify(store, tenant: "tenant-a", run: "odd", collectSteps: true)
            #expect(report.verdict.kind == .hashChain, "\(backend): \(report.verdict.reason ?? "")")
            steps.append(report.traces[0].steps?.map(\.canonicalString) ?? [])
            var all: [Verdict] = []
            try BulkVerifier.verifyAll(store, tenant: "tenant-a", since: nil) { all.append($0.verdict) }
            #expect(all.map(\.kind) == [.unsupported, .hashChain], "\(backend): \(all.map { $0.reason ?? "" })")
            try store.execute("UPDATE aos_trace_steps SET skill_name = $1 WHERE step_index = 1", [hostile.replacingOccurrences(of: "\t", with: " ")])
            let changed = try StoreVerifier.verify(store, tenant: "tenant-a", run: "odd").verdict
            #expect(changed.failureKind == .changed && changed.failingStepIndex == 1, "\(backend): \(changed.reason ?? "")")
        }
        #expect(steps[0] == steps[1] && steps[0].count == 3)
        #expect(steps[0][1].contains(#""skill_name":"tab\there\nnew\rcr\\back\bbs\fff\u000bvt\u0001soh\#u{7f}del é 🦀 \\N""#), "\(steps[0][1])")
    }

    @Test func postgresJSONBNumbersThatAreDoublesAreCanonical() throws {
        let store = try Backend.postgres.makeStore()
        _ = try addTrace(store, run: "nums", steps: 1)
        try store.execute("UPDATE aos_trace_steps SET params = $1 WHERE trace_id = 'nums'",
                          [#"{"third": 0.3333333333333333, "price": 1.10, "big": 1e21, "neg": -0}"#])
        let report = try StoreVerifier.verify(store, tenant: "tenant-a", run: "nums", collectSteps: true)
        let params = report.traces[0].steps?[0]["params"]
        #expect(params?.canonicalString == #"{"big":1e+21,"neg":0,"price":1.1,"third":0.3333333333333333}"#)
        // One digit more than a double holds is no longer rounded (docs/chain-v1.md 2.2, revised): it is refused.
        try store.execute("UPDATE aos_trace_steps SET params = $1 WHERE trace_id = 'nums'", [#"{"third": 0.33333333333333333333}"#])
        let refused = try StoreVerifier.verify(store, tenant: "tenant-a", run: "nums").verdict
        #expect(refused.kind == .failed && refused.failureKind == .notCanonical && refused.failingStepIndex == 0)
    }

    @Test func legacyTimestampsAreNormalised() throws {
        let store = try Backend.legacy.makeStore()
        _ = try addTrace(store, run: "ts", steps: 3)
        try store.execute("UPDATE trace_steps SET timestamp = $1 WHERE step_index = 0", ["2026-03-01T12:00:00"])
        try store.execute("UPDATE trace_steps SET timestamp = $1 WHERE step_index = 1", ["2026-03-01 12:00:00.25+02:00"])
        let report = try StoreVerifier.verify(store, tenant: "tenant-a", run: "ts", collectSteps: true)
        let stamps = report.traces[0].steps?.map { $0["timestamp"]?.string }
        #expect(stamps?[0] == "2026-03-01T12:00:00.000000Z")
        #expect(stamps?[1] == "2026-03-01T10:00:00.250000Z")
        #expect(report.traces[0].steps?[0]["skill_id"] == .null && report.traces[0].steps?[0]["level"] == .null)
        #expect(report.traces[0].header.traceId == "ts")
    }
}

/// Hands a store to another task; each task uses its own connection.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
