import Testing
import RunProofCore
import RunProofSamples
import RunProofStore
import RunProofTestSupport

/// PostgreSQL rows streamed while the server makes them: a stopped stream, and seals fetched at once or through a
/// cursor beside the streamed steps, give the verdicts the rows call for, and leave the connection usable.
@Suite struct PostgresStreamingTests {
    /// A trace of `steps` steps, sealed after every `every` steps.
    func sealedTrace(steps: Int, every: Int) throws -> PostgresStore {
        let store = try PostgresStore(try TestDatabases.newSchema().uri)
        try store.createSchema()
        _ = try addTrace(store, run: "run-s", steps: 0)
        for start in stride(from: 0, to: steps, by: every) {
            try SampleData.insertSteps(store, trace: "run-s", start ..< min(steps, start + every))
            _ = try Sealer.seal(store, tenant: "tenant-a", run: "run-s", key: nil)
        }
        return store
    }

    func verdict(_ store: PostgresStore, workers: Int) throws -> Verdict {
        try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-s", workers: workers).verdict
    }

    /// A step changed early in a long trace: the verifier stops reading while the server is still sending, the
    /// query is cancelled under a savepoint, and the same transaction goes on (here: another query, then a second
    /// verification, in the one snapshot).
    @Test func aStreamStoppedEarlyLeavesTheTransactionUsable() throws {
        let store = try PostgresStore(try TestDatabases.newSchema().uri)
        try store.createSchema()
        _ = try addTrace(store, run: "run-s", steps: 0)
        func insertSteps(_ range: ClosedRange<Int>) throws {
            try store.execute("""
                INSERT INTO aos_trace_steps (trace_id, step_index, skill_name, params, status, outcome_category, outcome_data,
                    cost_cents, duration_ms, retry_count, "timestamp", idempotency_key, replay_behavior, level, source)
                SELECT 'run-s', i, 'search', jsonb_build_object('query', 'step ' || i, 'top_k', i % 7), 'completed', 'SUCCESS',
                    jsonb_build_object('rows', i % 50), (i % 100) * 0.25, (i % 1000) + 0.5, 0,
                    timestamptz '2026-01-01' + i * interval '1 second', 'idem-' || i, 'execute', 'INFO', 'agent-runtime'
                FROM generate_series($1::integer, $2::integer) AS i
                """, [String(range.lowerBound), String(range.upperBound)])
        }
        // Sealed at 20: a change before it is found there, with 99,980 rows still to come.
        try insertSteps(0 ... 19)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "run-s", key: nil)
        try insertSteps(20 ... 99_999)
        try store.execute("UPDATE aos_trace_steps SET status = 'tampered' WHERE trace_id = 'run-s' AND step_index = 10", [])
        let trace = try #require(try store.traces(tenant: "tenant-a", run: "run-s").first)
        try store.withReadSnapshot {
            for workers in [0, 2] {
                let v = try StoreVerifier.verify(store, trace: trace, workers: workers).verdict
                #expect(v.kind == .failed && v.failingStepIndex == 10 && v.failureKind == .changed, "\(workers): \(v.reason ?? "")")
                #expect(v.chainLength < 100_000, "the steps stopped early: \(v.chainLength)")
                #expect(try store.traces(tenant: "tenant-a", run: "run-s").count == 1, "the transaction is still usable")
            }
        }
    }

    /// More seals than are fetched at once: they come through a cursor beside the steps (a batch at a time), and
    /// every verdict is the one the seals fetched at once give, a seal row copied under another length included.
    @Test func sealsThroughACursorGiveTheSameVerdicts() throws {
        let store = try sealedTrace(steps: 12, every: 2)
        func both() throws -> (Verdict, Verdict) {
            store.sealsReadAtOnce = 1000
            let atOnce = try verdict(store, workers: 0)
            store.sealsReadAtOnce = 2
            defer { store.sealsReadAtOnce = 1000 }
            return (atOnce, try verdict(store, workers: 2))
        }
        let (intact, intactThroughCursor) = try both()
        #expect(intact.kind == .hashChain && intact.sealCount == 6)
        #expect(intact.json == intactThroughCursor.json)
        try store.execute("""
            INSERT INTO aos_trace_seals (trace_id, tenant_id, run_id, chain_length, head, merkle_root, key_id, seal, frontier)
            SELECT trace_id, tenant_id, run_id, 5, head, merkle_root, key_id, seal, frontier FROM aos_trace_seals
            WHERE trace_id = 'run-s' AND chain_length = 4
            """, [])
        let (copied, copiedThroughCursor) = try both()
        #expect(copied.kind == .failed && copied.failureKind == .seal, "\(copied.reason ?? "")")
        #expect(copied.json == copiedThroughCursor.json, "\(copiedThroughCursor.reason ?? "")")
    }

    /// A search_path set on the store's connection (not in its connection string) reaches the connection that reads
    /// a long trace's recorded leaves: two schemas hold the same run, one with a leaf record altered at step 12, and
    /// the store, opened on the other, is switched to it; the leaves streamed apart are that schema's, as joined.
    @Test func leavesReadApartFollowTheSearchPath() throws {
        let (intactURI, _) = try TestDatabases.newSchema()
        let (alteredURI, altered) = try TestDatabases.newSchema()
        for uri in [intactURI, alteredURI] {
            let store = try PostgresStore(uri)
            try store.createSchema()
            _ = try addTrace(store, run: "long", steps: 40)
            _ = try Sealer.seal(store, tenant: "tenant-a", run: "long", key: nil)
        }
        let owner = try PostgresStore(alteredURI)
        let rows = try owner.query("SELECT trace_id, step_index, leaf FROM aos_trace_leaves ORDER BY step_index", [])
        try owner.execute("DROP TABLE aos_trace_leaves", []) // append-only: recreated with one leaf changed
        try owner.execute("CREATE TABLE aos_trace_leaves (trace_id text NOT NULL, step_index integer NOT NULL, leaf text NOT NULL, PRIMARY KEY (trace_id, step_index))", [])
        for row in rows {
            try owner.execute("INSERT INTO aos_trace_leaves VALUES ($1, CAST($2 AS integer), $3)",
                              [row[0], row[1], row[1] == "12" ? String(repeating: "0", count: 64) : row[2]])
        }
        let store = try PostgresStore(intactURI)
        try store.execute("SET search_path TO \(altered)", [])
        let joined = try StoreVerifier.verify(store, tenant: "tenant-a", run: "long").verdict
        store.joinedLeavesUpTo = 0
        let apart = try StoreVerifier.verify(store, tenant: "tenant-a", run: "long").verdict
        #expect(joined.failureKind == .leafRecord && joined.failingStepIndex == 12, "\(joined.reason ?? "")")
        #expect(apart.json == joined.json, "\(apart.reason ?? "")")
        var all: [Verdict] = []
        try BulkVerifier.verifyAll(store, tenant: "tenant-a", since: nil) { all.append($0.verdict) }
        #expect(all.first?.json == joined.json, "verify --all: \(all.first?.reason ?? "")")
    }

    /// verify --all where the snapshot cannot be shared with more connections (here a role allowed one connection, as
    /// managed servers set them): the four queries go through cursors on the one connection, with the verdicts the
    /// streams side by side give. The connections are counted while the pass runs (by an application name of its own).
    @Test func verifyAllFallsBackToOneConnection() throws {
        let application = "rp_all_\(UInt32.random(in: 0 ... .max))"
        let (uri, schema) = try TestDatabases.newSchema(parameters: "&application_name=\(application)")
        let store = try PostgresStore(uri)
        let observer = try PostgresStore(try TestDatabases.postgresURI())
        try store.createSchema()
        for run in ["r1", "r2", "r3"] {
            _ = try addTrace(store, run: run, steps: 5)
            _ = try Sealer.seal(store, tenant: "tenant-a", run: run, key: nil)
        }
        try store.execute("UPDATE aos_trace_steps SET status = 'x' WHERE trace_id = 'r2' AND step_index = 3", [])
        /// The verdicts, and the most connections of the pass seen at once.
        func all(_ store: PostgresStore, user: String = "postgres") throws -> ([String], Int) {
            var verdicts: [String] = [], connections = 0
            try BulkVerifier.verifyAll(store, tenant: "tenant-a", since: nil) {
                verdicts.append($0.verdict.json.canonicalString)
                let count = try observer.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND usename = $2",
                                               [application, user])
                connections = max(connections, Int(count.first?.first.flatMap { $0 } ?? "") ?? 0)
            }
            return (verdicts, connections)
        }
        let (sideBySide, streams) = try all(store)
        #expect(sideBySide.count == 3 && sideBySide.filter { $0.contains("FAILED") }.count == 1)
        #expect(streams == 4, "the reading connection and three streams")
        store.streamsSideBySide = false
        let (oneConnection, cursors) = try all(store)
        #expect(oneConnection == sideBySide && cursors == 1, "through cursors on one connection")
        store.streamsSideBySide = true

        let role = "rp_one_\(UInt32.random(in: 0 ... .max))"
        try store.execute("CREATE ROLE \(role) LOGIN CONNECTION LIMIT 1", [])
        defer {
            try? store.execute("DROP OWNED BY \(role)", [])
            try? store.execute("DROP ROLE \(role)", [])
        }
        try store.execute("GRANT USAGE ON SCHEMA \(schema) TO \(role)", [])
        try store.execute("GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)", [])
        let user = try #require(uri.range(of: "postgres@"))
        try {
            let limited = try PostgresStore(uri.replacingCharacters(in: user, with: "\(role)@"))
            let (verdicts, connections) = try all(limited, user: role)
            #expect(verdicts == sideBySide && connections == 1, "the extra connections refused, the pass falls back by itself")
            // One run whose recorded leaves would stream on a connection of their own: refused, they are joined.
            limited.joinedLeavesUpTo = 0
            store.joinedLeavesUpTo = 0
            let joined = try StoreVerifier.verify(limited, tenant: "tenant-a", run: "r2").verdict
            let apart = try StoreVerifier.verify(store, tenant: "tenant-a", run: "r2").verdict
            #expect(joined.json == apart.json && joined.failingStepIndex == 3, "\(joined.reason ?? "")")
        }()
    }

    /// A statement sent while a trace's rows stream (libpq would drop the rest of the rows to run it) is refused with
    /// an error, and the connection serves statements again afterwards.
    @Test func aStatementWhileRowsStreamIsRefused() throws {
        let store = try PostgresStore(try TestDatabases.newSchema().uri)
        try store.createSchema()
        _ = try addTrace(store, run: "run-s", steps: 3)
        let trace = try #require(try store.traces(tenant: "tenant-a", run: "run-s").first)
        var rows = 0
        #expect(throws: RunProofError.self) {
            try store.forEachStep(of: trace, from: 0) { _ in
                rows += 1
                _ = try store.query("SELECT 1", [])
                return true
            }
        }
        #expect(rows == 1)
        #expect(try store.query("SELECT 1", []).count == 1, "the connection serves statements again")
        var all = 0
        try store.forEachStep(of: trace, from: 0) { _ in all += 1; return true }
        #expect(all == 3)
    }
}
