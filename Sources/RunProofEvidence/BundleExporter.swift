import RunProofCore
import RunProofStore

/// Writes audit bundles: the trace, its seals, the evidence and governance answers, signed as a whole.
public enum BundleExporter {
    /// Streams a trace to a bundle at `path`; steps in `redact` keep only their leaf hash. Returns the steps written.
    @discardableResult
    public static func export(_ store: any TraceStore, trace: TraceRow, to path: String, key: SigningKey,
                              redact: Set<Int> = [], computedAt: String = Timestamp.now()) throws -> Int {
        let header = try trace.header()
        let queries = EvidenceQueries(store: store)
        let evidence = try queries.evidence(tenant: trace.tenantId, run: trace.runId, computedAt: computedAt)
        let governance = try allGovernanceEvents(queries, tenant: trace.tenantId, run: trace.runId)
        let writer = try ExportWriter(path: path, header: header)
        var encoder = StepEncoder()
        var count = 0
        try store.forEachStep(of: trace, from: 0) { value in
            do { try encoder.encode(value) } catch {
                throw RunProofError(.nonCanonical, "cannot export trace \(trace.traceId): \(error)")
            }
            if let index = value(.stepIndex).intValue, redact.contains(index) {
                try writer.writeRedacted(index: index, leaf: SHA256.hash([0] + encoder.bytes))
            } else {
                try writer.write(canonicalStep: encoder.bytes)
            }
            count += 1
            return true
        }
        for stored in try store.seals(of: trace) { try writer.write(seal: stored.seal) }
        try writer.write(record: ["evidence": evidence])
        try writer.write(record: ["governance": governance])
        try writer.writeBundleSignature(key: key, signedAt: computedAt)
        try writer.close()
        return count
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
