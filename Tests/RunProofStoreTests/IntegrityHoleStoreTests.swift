import Testing
import RunProofCore
import RunProofStore
import RunProofSamples

/// Nothing altered ever verifies: stored values that cannot be hashed faithfully are refused at seal time and
/// FAILED at verify time (docs/chain-v1.md 2.2), on PostgreSQL and SQLite.
@Suite struct IntegrityHoleStoreTests {
    func seal(_ store: any TraceStore, run: String) throws -> [SealOutcome] {
        try Sealer.seal(store, tenant: "tenant-a", run: run, key: nil)
    }

    @Test(arguments: [Backend.sqlite, .legacy])
    func invalidUTF8InAHeaderColumnIsNotCanonicalizable(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-u", steps: 3)
        #expect(try seal(store, run: "run-u")[0].toLength == 3)
        // Both stored byte strings are invalid UTF-8; read with U+FFFD they would hash alike.
        let table = (store as? SQLiteStore)?.isLegacy == true ? "traces" : "aos_traces"
        try store.execute("UPDATE \(table) SET agent_id = CAST(X'C3' AS TEXT) WHERE run_id = 'run-u'", [])
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-u").verdict
        #expect(v.kind == .failed && v.failureKind == .notCanonical && v.reason?.contains("agent_id") == true, "\(v.reason ?? "")")
        try SampleData.insertSteps(store, trace: "run-u", 3 ..< 4)
        #expect { try seal(store, run: "run-u") } throws: { ($0 as? RunProofError)?.code == .nonCanonical }
    }

    @Test(arguments: [Backend.sqlite, .legacy])
    func invalidUTF8InAStepColumnFailsAtThatStep(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-s", steps: 4)
        _ = try seal(store, run: "run-s")
        let (table, column) = stepsTable(store)
        try store.execute("UPDATE \(table) SET status = CAST(X'FF41' AS TEXT) WHERE \(column) = 'run-s' AND step_index = 2", [])
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-s").verdict
        #expect(v.kind == .failed && v.failureKind == .notCanonical && v.failingStepIndex == 2, "\(v.reason ?? "")")
    }

    @Test(arguments: ["12345678901234567", "0.1000000000000000055511151231257827"])
    func aJSONBNumberADoubleCannotHoldIsRefused(number: String) throws {
        let store = try Backend.postgres.makeStore()
        _ = try addTrace(store, run: "run-n", steps: 2)
        try store.execute("UPDATE aos_trace_steps SET params = CAST($1 AS jsonb) WHERE trace_id = 'run-n' AND step_index = 1",
                          ["{\"n\": \(number)}"])
        #expect { try seal(store, run: "run-n") } throws: { ($0 as? RunProofError)?.code == .nonCanonical }
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-n").verdict
        #expect(v.kind == .failed && v.failureKind == .notCanonical && v.failingStepIndex == 1, "\(v.reason ?? "")")
    }

    @Test func anSQLiteIntegerBeyondTheDoublesIsRefused() throws {
        let store = try Backend.sqlite.makeStore()
        _ = try addTrace(store, run: "run-i", steps: 2)
        // An INTEGER column keeps the 64-bit integer (a REAL column would store the nearest double, which is then the data).
        try store.execute("UPDATE aos_trace_steps SET retry_count = 12345678901234567 WHERE trace_id = 'run-i' AND step_index = 0", [])
        #expect { try seal(store, run: "run-i") } throws: { ($0 as? RunProofError)?.code == .nonCanonical }
    }
}

extension IntegrityHoleStoreTests {
    @Test func aNULInATextParameterIsRefusedNotCut() throws {
        let store = try Backend.postgres.makeStore()
        _ = try addTrace(store, run: "run-z", steps: 1)
        // libpq takes C strings: "run-z\0anything" would silently become "run-z".
        #expect { try store.traces(tenant: "tenant-a", run: "run-z\u{0}anything") } throws: { ($0 as? RunProofError)?.code == .usage }
        let lite = try Backend.sqlite.makeStore()
        _ = try addTrace(lite, run: "run-z", steps: 1)
        #expect(try lite.traces(tenant: "tenant-a", run: "run-z\u{0}anything").isEmpty, "bound by length: not the run 'run-z'")
    }
}

extension IntegrityHoleStoreTests {
    /// A seal table that cannot lie: a copy of a valid seal row under another chain length is not a seal.
    @Test(arguments: Backend.allCases)
    func aSealRowWhoseColumnsDisagreeWithItsRecordFails(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-l", steps: 0)
        for upTo in [2, 4] {
            try SampleData.insertSteps(store, trace: "run-l", upTo - 2 ..< upTo)
            _ = try seal(store, run: "run-l")
        }
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT trace_id, tenant_id, run_id, 3, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = 'run-l' AND chain_length = 2
            """, [])
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-l").verdict
        #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("chain_length 3") == true, "\(v.reason ?? "")")
    }

    /// A second row at one chain length (the unique constraint dropped first, as someone with the database's
    /// owner rights could): the stream of seals meets both, and the verdict names the length.
    @Test(arguments: Backend.allCases)
    func aDuplicateSealRowFails(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-d", steps: 0)
        for upTo in [2, 4, 6] {
            try SampleData.insertSteps(store, trace: "run-d", upTo - 2 ..< upTo)
            _ = try seal(store, run: "run-d")
        }
        #expect(try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-d").verdict.kind == .hashChain)
        if store.dialect == .postgres {
            try store.execute("ALTER TABLE aos_trace_seals DROP CONSTRAINT aos_trace_seals_trace_length", [])
        } else {
            // SQLite keeps the constraint inside the table: the table is rebuilt without it (DROP fires no trigger).
            try store.execute("CREATE TABLE seals_copy AS SELECT * FROM aos_trace_seals", [])
            try store.execute("DROP TABLE aos_trace_seals", [])
            try store.execute("ALTER TABLE seals_copy RENAME TO aos_trace_seals", [])
        }
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = 'run-d' AND chain_length = 4
            """, [])
        let v = try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-d").verdict
        #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("two seals at chain_length 4") == true, "\(v.reason ?? "")")
        #expect(v.sealCount == 4)
    }
}
