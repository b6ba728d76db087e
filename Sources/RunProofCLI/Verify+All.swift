import RunProofCore
import RunProofStore

extension RunProofCommand.Verify {
    /// Verifies every run of the tenant (or of every tenant) in one pass; exit 1 if any trace FAILED.
    func verifyAll(_ policy: TrustPolicy) throws {
        let display = ProgressDisplay.start("verify --all")
        var counts: [Verdict.Kind: Int] = [:]
        try BulkVerifier.verifyAll(try store.open(), tenant: store.tenant, since: since.map { try Timestamp.normalize($0) },
                                   trust: policy, workers: workers, progress: display?.progress) { trace in
            let v = trace.verdict
            counts[v.kind, default: 0] += 1
            display?.finish()
            if output.json {
                print(JSONValue.object(["tenant_id": .string(trace.header.tenantId), "run_id": .string(trace.header.runId),
                                        "trace_id": .string(trace.header.traceId), "proof": v.json]).canonicalString)
            } else {
                let detail = v.kind == .hashChain ? "\(v.chainLength) steps, \(v.sealCount) seal\(v.sealCount == 1 ? "" : "s")" : (v.reason ?? "")
                print("\(v.kind.rawValue)  tenant \(trace.header.tenantId) run \(trace.header.runId) trace \(trace.header.traceId): \(detail)")
            }
        }
        display?.finish()
        let total = counts.values.reduce(0, +)
        let summary = "\(total) trace\(total == 1 ? "" : "s") verified: \(counts[.hashChain] ?? 0) HASH_CHAIN, \(counts[.failed] ?? 0) FAILED, \(counts[.unsupported] ?? 0) UNSUPPORTED"
        if output.json {
            print(JSONValue.object(["summary": ["traces": JSONValue(total),
                                                "hash_chain": JSONValue(counts[.hashChain] ?? 0), "failed": JSONValue(counts[.failed] ?? 0),
                                                "unsupported": JSONValue(counts[.unsupported] ?? 0)]]).canonicalString)
        } else {
            print(summary)
        }
        if (counts[.failed] ?? 0) > 0 { throw Exit.code(for: .failed) }
    }
}
