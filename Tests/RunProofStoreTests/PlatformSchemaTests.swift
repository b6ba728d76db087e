import Foundation
import Testing
import RunProofCore
import RunProofStore
import RunProofTestSupport

/// Sealing and locating on the agent platform's own PostgreSQL schema (../shared/aos), as it is:
/// uuid ids, varchar columns, the S6 trigger that rejects UPDATEs of steps.
@Suite(.serialized) struct PlatformSchemaTests {
    static let shared = TestDatabases.shared

    /// A new database holding the platform's schema and its linkage scenario; dropped by `body`'s end.
    func withPlatformDatabase(_ body: (String) throws -> Void) throws {
        try TestDatabases.withDatabase("platform", body)
    }

    @Test func theLinkageRunIsSealedClosedAndAChangeIsLocated() throws {
        try withPlatformDatabase { uri in
            let store = try PostgresStore(uri)
            #expect { try Sealer.seal(store, tenant: "tenant-test-001", run: "run-linkage-test-001", key: nil) } throws: {
                ($0 as? RunProofError)?.message.contains("runproof init --db") == true
            }
            try store.createSchema()
            let key = try SigningKey()
            let outcome = try Sealer.seal(store, tenant: "tenant-test-001", run: "run-linkage-test-001", key: key)[0]
            // The platform marks the run failed and completed: its seal closes it.
            #expect(outcome.toLength == 5 && outcome.closed && outcome.closing?.closed == true)
            let trust = TrustPolicy(publicKey: key.publicKey, requireSignature: true, requireClosed: true)
            /// The run's verdict, the same with its recorded leaves joined and streamed on a connection of their own.
            func verdict() throws -> Verdict {
                let joined = try StoreVerifier.verify(store, tenant: "tenant-test-001", run: "run-linkage-test-001", trust: trust).verdict
                store.joinedLeavesUpTo = 0
                defer { store.joinedLeavesUpTo = 10_000 }
                let apart = try StoreVerifier.verify(store, tenant: "tenant-test-001", run: "run-linkage-test-001", trust: trust).verdict
                #expect(apart.json == joined.json, "leaves apart: \(apart.reason ?? "")")
                return joined
            }
            let ok = try verdict()
            #expect(ok.kind == .hashChain && ok.closed && ok.authenticity == .pubkey, "\(ok.reason ?? "")")

            // Step 3's params changed behind the sealer's back (the S6 trigger switched off first).
            try store.execute("ALTER TABLE aos_trace_steps DISABLE TRIGGER enforce_trace_step_immutability", [])
            try store.execute("UPDATE aos_trace_steps SET params = '{\"model\": \"gpt-5\"}' WHERE trace_id = 'trace_run-linkage-test-001' AND step_index = 3", [])
            let v = try verdict()
            #expect(v.kind == .failed && v.failingStepIndex == 3 && v.failureKind == .changed, "\(v.reason ?? "")")
            // Another tenant asking for the run learns nothing of it.
            #expect(try StoreVerifier.verify(store, tenant: "tenant-other", run: "run-linkage-test-001").verdict == .noTrace)
        }
    }
}

extension PlatformSchemaTests {
    /// seal --all and verify --all on the platform's schema: every trace with steps is sealed, a page at a time, and
    /// the one pass (streams side by side on connections sharing its snapshot) gives each run the verdict it gets
    /// alone, a changed step included.
    @Test func everyTraceIsSealedAndVerifiedInOnePass() throws {
        try withPlatformDatabase { uri in
            let store = try PostgresStore(uri)
            try store.createSchema()
            var sealed: [String] = []
            let count = try Sealer.sealAll(store, key: nil, pageSize: 1) { sealed.append($0.trace.traceId) }
            #expect(count == sealed.count && sealed.contains("trace_run-linkage-test-001"), "\(sealed)")
            #expect(try Sealer.sealAll(store, key: nil) == 0, "nothing left to seal")
            try store.execute("ALTER TABLE aos_trace_steps DISABLE TRIGGER enforce_trace_step_immutability", [])
            try store.execute("UPDATE aos_trace_steps SET params = '{\"model\": \"gpt-5\"}' WHERE trace_id = 'trace_run-linkage-test-001' AND step_index = 3", [])
            var reports: [RunReport.Trace] = []
            try BulkVerifier.verifyAll(store, tenant: nil, since: nil) { reports.append($0) }
            #expect(Set(sealed).isSubset(of: Set(reports.map(\.header.traceId))))
            for report in reports {
                let alone = try StoreVerifier.verify(store, tenant: report.header.tenantId, run: report.header.runId).traces
                    .first { $0.header.traceId == report.header.traceId }
                #expect(report.verdict.json == alone?.verdict.json, "\(report.header.traceId)")
            }
            let linkage = reports.first { $0.header.traceId == "trace_run-linkage-test-001" }?.verdict
            #expect(linkage?.kind == .failed && linkage?.failingStepIndex == 3, "\(linkage?.reason ?? "")")
            #expect(reports.filter { $0.verdict.kind == .failed }.count == 1, "only the changed run fails")
        }
    }

    @Test func initAddsNothingToThePlatformsTraceTables() throws {
        try withPlatformDatabase { uri in
            let store = try PostgresStore(uri)
            let catalog = """
                SELECT tablename || ':' || indexname || ':' || indexdef FROM pg_indexes
                WHERE tablename IN ('aos_traces', 'aos_trace_steps') ORDER BY 1
                """
            let before = try store.query(catalog, [])
            try store.createSchema()
            try store.createSchema() // idempotent
            #expect(try store.query(catalog, []) == before, "the platform's trace tables keep exactly their indexes")
            #expect(try store.hasSealTables())
        }
    }
}
