import RunProofCore

extension FieldValue {
    /// The text of a text value (for the legacy root's skill_name and status).
    var string: String? {
        switch self {
        case .text(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer(let i): String(i)
        case .double(let d): String(d)
        case .null: nil
        }
    }

    /// The integer of an integer value or its text.
    var int: Int? {
        switch self {
        case .integer(let i): return Int(i)
        case .text(let bytes):
            // Digits with an optional sign, as Int(String) reads them, without making the string (18 at most: no overflow).
            guard bytes.count <= 18 else { return Int(String(decoding: bytes, as: UTF8.self)) }
            var i = 0, negative = false, value = 0
            if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                negative = first == UInt8(ascii: "-")
                i = 1
            }
            guard i < bytes.count else { return nil }
            while i < bytes.count {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
                i += 1
            }
            return negative ? -value : value
        case .double, .null: return nil
        }
    }

    /// A recorded leaf: 64 hex digits as text.
    var digest: Digest? {
        if case .text(let bytes) = self { return Digest(hexBytes: bytes) }
        return nil
    }
}

/// Verifies runs straight from a store, streaming each trace's steps through a `ChainVerifier`.
public enum StoreVerifier {
    /// Verifies every trace of a tenant's run. A run of another tenant is answered exactly like a missing run.
    public static func verify(_ store: any TraceStore, tenant: String, run: String, trust: TrustPolicy = TrustPolicy(),
                              collectSteps: Bool = false, verifiedAt: String = Timestamp.now(), progress: Progress? = nil,
                              workers: Int = ExportFile.workers) throws -> RunReport {
        let traces = try store.traces(tenant: tenant, run: run)
        return RunReport(runId: run, traces: try traces.map {
            try verify(store, trace: $0, trust: trust, collectSteps: collectSteps, progress: progress, workers: workers)
        }, verifiedAt: verifiedAt)
    }

    /// Verifies one trace from one snapshot of the store, its seals streamed beside its steps.
    public static func verify(_ store: any TraceStore, trace: TraceRow, trust: TrustPolicy = TrustPolicy(),
                              collectSteps: Bool = false, progress: Progress? = nil, workers: Int = ExportFile.workers) throws -> RunReport.Trace {
        try store.withReadSnapshot {
            try verifySnapshot(store, trace: trace, trust: trust, collectSteps: collectSteps, progress: progress, workers: workers)
        }
    }

    private static func verifySnapshot(_ store: any TraceStore, trace: TraceRow, trust: TrustPolicy,
                                       collectSteps: Bool, progress: Progress?, workers: Int) throws -> RunReport.Trace {
        let completedAt = trace.completedAt.map { (try? Timestamp.normalize($0)) ?? $0 }
        let header: TraceHeader
        do { header = try trace.header() } catch { return .unreadableHeader(trace, error, completedAt: completedAt) }
        let seals: SealStream
        do { seals = try store.sealStream(of: trace) } catch let error as RunProofError where error.code == .malformed {
            return RunReport.Trace(header: header, verdict: Verdict(kind: .failed, reason: error.message, failureKind: .seal),
                                   status: trace.status, completedAt: completedAt)
        }
        let verifier = ChainVerifier(header: header, seals: seals, trust: trust, finished: trace.isFinished)
        var steps: [JSONValue] = [], stepCount = 0
        do {
            try store.forEachCanonicalStep(of: trace, recordedLeaves: true, workers: workers) { step in
                stepCount += 1
                progress?.advance()
                if collectSteps, step.index != nil { steps.append(try JSONValue(parsing: Array(step.bytes))) }
                return verifier.consume(step)
            }
        } catch let error as StepEncodingError {
            stepCount += 1
            verifier.reject(error)
        }
        return RunReport.Trace(header: header, verdict: try verifier.finish(), steps: collectSteps ? steps : nil, status: trace.status,
                               completedAt: completedAt, stepCount: stepCount)
    }
}
