import RunProofCore
import RunProofStore

/// Writes audit bundles: the trace, its seals, the evidence and governance answers, signed as a whole.
public enum BundleExporter {
    /// Streams a trace to a bundle at `path`; steps in `redact` keep only their leaf hash. Returns the steps written.
    @discardableResult
    public static func export(_ store: any TraceStore, trace: TraceRow, to path: String, key: SigningKey,
                              redact: Set<Int> = [], computedAt: String = Timestamp.now()) throws -> Int {
        let queries = EvidenceQueries(store: store)
        let evidence = try queries.evidence(tenant: trace.tenantId, run: trace.runId, computedAt: computedAt)
        let governance = try allGovernanceEvents(queries, tenant: trace.tenantId, run: trace.runId)
        return try Exporter.export(store, trace: trace, to: path, redact: redact) { writer in
            try writer.write(record: ["evidence": evidence])
            try writer.write(record: ["governance": governance])
            try writer.writeBundleSignature(key: key, signedAt: computedAt)
        }
    }

    /// Every page of the governance answer, as one answer.
    static func allGovernanceEvents(_ queries: EvidenceQueries, tenant: String, run: String) throws -> JSONValue {
        var events: [JSONValue] = []
        var offset = 0
        var page: JSONValue
        repeat {
            page = try queries.governance(tenant: tenant, run: run, limit: 1000, offset: offset)
            if case .array(let items)? = page["events"] { events += items }
            offset += 1000
        } while page["next_offset"]?.int != nil
        guard case .object(var members) = page else { return page }
        members["events"] = .array(events)
        return .object(members)
    }
}
