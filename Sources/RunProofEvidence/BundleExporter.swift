import RunProofCore
import RunProofStore

/// Writes audit bundles: the trace, its seals, the evidence and governance answers, signed as a whole.
public enum BundleExporter {
    /// Streams a trace to a bundle at `path`; steps in `redact` keep only their leaf hash. Returns the steps written.
    ///
    /// The bundle holds up to 10,000 rows of each evidence list and every governance event.
    @discardableResult
    public static func export(_ store: any TraceStore, trace: TraceRow, to path: String, key: SigningKey,
                              policy: OutputPolicy = OutputPolicy(), redact: Set<Int> = [],
                              computedAt: String = Timestamp.now()) throws -> Int {
        let queries = EvidenceQueries(store: store)
        let evidence = try queries.evidence(tenant: trace.tenantId, run: trace.runId, limit: 10_000, computedAt: computedAt)
        let governance = try queries.allGovernance(tenant: trace.tenantId, run: trace.runId, computedAt: computedAt)
        return try Exporter.export(store, trace: trace, to: path, policy: policy, redact: redact) { writer in
            try AuditBundle.finish(writer, evidence: evidence, governance: governance, key: key, signedAt: computedAt)
        }
    }
}
