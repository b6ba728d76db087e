import ArgumentParser
import RunProofCore
import RunProofEvidence
import RunProofStore
import RunProofSamples
#if canImport(Glibc)
import Glibc
#endif

extension RunProofCommand {
    /// `runproof demo`: the whole story on an embedded SQLite database, no server needed.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Create a SQLite database with sample runs, seal, verify, tamper with one step and show the FAILED verdict; \
                then the platform's linkage scenario: seal, HASH_CHAIN, evidence, governance.
                """)

        @Option(help: "SQLite file to create (default: a new file under /tmp).")
        var db: String?

        func run() throws {
            let path = db ?? makeTemporaryPath()
            guard access(path, F_OK) != 0 else { throw RunProofError(.usage, "\(path) exists; the demo creates a new database") }
            let store = try openStore(path, create: true)
            try store.createSchema()
            let key = try SigningKey()
            print("1. Created \(path) with RunProof's tables; signing key \(key.publicKey.keyId.prefix(16))…")

            // Two tenants; run-alpha has two traces. Steps arrive one at a time and are sealed as they come.
            let runs = [("tenant-acme", "run-alpha", "trace-alpha-1"), ("tenant-acme", "run-alpha", "trace-alpha-2"),
                        ("tenant-acme", "run-beta", "trace-beta-1"), ("tenant-globex", "run-gamma", "trace-gamma-1")]
            for (n, (tenant, run, trace)) in runs.enumerated() {
                try SampleData.insertTrace(store, trace: trace, run: run, tenant: tenant,
                                           startedAt: Timestamp.format(epochSeconds: 1_767_225_600 + n, micros: 0))
                for i in 0 ..< 6 {
                    try SampleData.insertSteps(store, trace: trace, i ..< i + 1)
                    _ = try Sealer.seal(store, tenant: tenant, run: run, key: key)
                }
            }
            print("2. Inserted 4 traces of 6 steps (3 runs, 2 tenants), sealing after every step: each seal read only the new step")

            let trust = TrustPolicy(publicKey: key.publicKey, requireSignature: true)
            print("3. Verify every run:")
            for (tenant, run) in [("tenant-acme", "run-alpha"), ("tenant-acme", "run-beta"), ("tenant-globex", "run-gamma")] {
                let verdict = try StoreVerifier.verify(store, tenant: tenant, run: run, trust: trust).verdict
                print("   \(tenant)/\(run): \(verdict.kind.rawValue)")
                guard verdict.kind == .hashChain else { throw RunProofError(.internal, "demo run \(run) did not verify: \(verdict.reason ?? "")") }
            }

            let foreign = try StoreVerifier.verify(store, tenant: "tenant-globex", run: "run-alpha", trust: trust).verdict
            print("4. tenant-globex asks for tenant-acme's run-alpha: \(foreign.kind.rawValue) (\(foreign.reason ?? ""))")

            let exportPath = path + ".run-beta.ndjson"
            let count = try Exporter.export(store, trace: store.traces(tenant: "tenant-acme", run: "run-beta")[0], to: exportPath,
                                            policy: OutputPolicy(force: true, inputs: [path]))
            let offline = try ExportFile.verify(path: exportPath, trust: trust).verdict
            print("5. Exported run-beta (\(count) steps) to \(exportPath); offline verify: \(offline.kind.rawValue)")

            try store.execute("UPDATE aos_trace_steps SET params = $1 WHERE trace_id = $2 AND step_index = 3",
                              [#"{"query": "wire the funds elsewhere", "top_k": 1}"#, "trace-beta-1"])
            print("6. Tampered: UPDATE aos_trace_steps SET params = … WHERE trace_id = 'trace-beta-1' AND step_index = 3")
            let tampered = try StoreVerifier.verify(store, tenant: "tenant-acme", run: "run-beta", trust: trust)
            tampered.print(json: false, steps: false)
            guard tampered.verdict.kind == .failed, tampered.verdict.failingStepIndex == 3 else {
                throw RunProofError(.internal, "the tampered step was not detected")
            }
            try linkageScenario(store, key: key, trust: trust)
            print("""

                Try it yourself:
                  swift run runproof verify --db \(path) --tenant tenant-acme --run run-alpha
                  swift run runproof verify --file \(exportPath)
                  swift run runproof evidence --db \(path) --tenant \(LinkageFixture.tenant) --run \(LinkageFixture.run)
                  swift run runproof governance --db \(path) --tenant \(LinkageFixture.tenant) --run \(LinkageFixture.run)
                """)
        }

        /// The platform's linkage scenario (its report's run) end to end: its tables, its trace sealed and verified,
        /// the evidence and governance answers as the report states them.
        private func linkageScenario(_ store: any TraceStore, key: SigningKey, trust: TrustPolicy) throws {
            let (tenant, run) = (LinkageFixture.tenant, LinkageFixture.run)
            guard case .created = try EvidenceSchema.install(on: store) else {
                throw RunProofError(.internal, "the demo database already has governance tables")
            }
            try LinkageFixture.insert(into: store)
            try LinkageFixture.insertTrace(into: store)
            print("7. The platform's linkage scenario: its tables in SQLite types (runproof init --governance), run \(run) of \(tenant)")
            let outcome = try Sealer.seal(store, tenant: tenant, run: run, key: key)
            let verdict = try StoreVerifier.verify(store, tenant: tenant, run: run, trust: trust).verdict
            print("   sealed its 5-step trace\(outcome.first?.closed == true ? " (finished: a closing seal)" : ""); verify: \(verdict.kind.rawValue)")
            let queries = EvidenceQueries(store: store)
            let evidence = try queries.evidence(tenant: tenant, run: run)
            func count(_ key: String) -> Int { if case .array(let items)? = evidence[key] { items.count } else { 0 } }
            let governance = try queries.governance(tenant: tenant, run: run)
            let counts = ["incidents_caused", "policies_evaluated", "limits_hit", "decisions_made"].map(count)
            print("   evidence: \(counts[0]) incidents caused, \(counts[1]) policies evaluated, \(counts[2]) limit hit, \(counts[3]) decisions made")
            print("   governance: \(governance["total_events"]?.int ?? 0) audit-ledger events; another tenant's rows with the same run id never counted")
            guard verdict.kind == .hashChain, counts == [2, 3, 1, 3], governance["total_events"]?.int == 3 else {
                throw RunProofError(.internal, "the linkage scenario does not answer as the platform's report states it")
            }
        }

        private func makeTemporaryPath() -> String {
            var template = Array("/tmp/runproof-demo-XXXXXX".utf8CString)
            guard let dir = mkdtemp(&template) else { return "runproof-demo.sqlite" }
            return String(cString: dir) + "/runproof-demo.sqlite"
        }
    }
}
